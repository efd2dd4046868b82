-- The instance: one row describing this Logister installation and its first-run setup state.
CREATE TABLE instance (
    id                  smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- SHA-256 hex digest of the current one-time setup token; NULL once setup is complete.
    setup_token_digest  text,
    setup_token_expires_at timestamptz,
    setup_completed_at  timestamptz
);

INSERT INTO instance (id) VALUES (1);
