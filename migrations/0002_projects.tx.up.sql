-- Projects and their ingest keys.
CREATE TABLE projects (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid             uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    integration_kind text NOT NULL DEFAULT 'http_api' CHECK (integration_kind IN
        ('ruby', 'cfml', 'javascript', 'python', 'dotnet', 'cloudflare_pages', 'android', 'ios', 'http_api')),
    archived_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Ingest keys: only the SHA-256 hex digest of the plaintext is stored.
CREATE TABLE api_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid          uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    project_id    bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_digest  text NOT NULL UNIQUE,
    -- The first characters of the plaintext (prefix and 4 hex), to tell keys apart in lists.
    token_hint    text NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_project_idx ON api_keys (project_id);
