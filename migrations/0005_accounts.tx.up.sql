-- Accounts: users, their browser sessions and personal access tokens, one-time tokens sent by
-- e-mail (confirmation, password reset, e-mail change, invitation) and the outbox of e-mails.
--
-- Every secret (session id, access token, one-time token) is stored only as the SHA-256 hex digest
-- of its plaintext; the plaintext is given out once.

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid                uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    -- Normalised: trimmed and lower-cased, so equality is case-insensitive.
    email               text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- argon2id in the PHC string format: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash       text NOT NULL,
    -- Instance administrator by flag; LOGISTER_ADMIN_EMAILS grants the same without it.
    is_admin            boolean NOT NULL DEFAULT false,
    confirmed_at        timestamptz,
    -- A new address the user asked to change to, until they confirm it from that mailbox.
    pending_email       text,
    disabled_at         timestamptz,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at     timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);

-- Browser sessions, carried by the HttpOnly logister_session cookie.
CREATE TABLE sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid         uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_digest text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Refreshed at most every few minutes; the idle timeout counts from here.
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- The absolute end of the session, whatever its activity.
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Personal access tokens (Authorization: Bearer <prefix>_pat_<64 hex>) for scripts and operators.
CREATE TABLE personal_access_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid         uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scope        text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    token_digest text NOT NULL UNIQUE,
    -- The first characters of the plaintext, to tell tokens apart in lists.
    token_hint   text NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personal_access_tokens_user_idx ON personal_access_tokens (user_id);

-- One-time tokens sent by e-mail. Each is used at most once, before expires_at.
CREATE TABLE account_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose      text NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'change_email', 'invitation')),
    token_digest text NOT NULL UNIQUE,
    -- The user the token acts on; NULL for invitations, which precede the user.
    user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
    -- The address the token was sent to: the one it confirms, or the invited one.
    email        text NOT NULL,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);

-- The outbox: every e-mail the instance sends, newest last. Until SMTP is configured, messages
-- stay 'stored' and are readable by instance administrators (and written to the log).
CREATE TABLE mail_messages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid       uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    kind       text NOT NULL,
    to_address text NOT NULL,
    subject    text NOT NULL,
    body_text  text NOT NULL,
    status     text NOT NULL DEFAULT 'stored' CHECK (status IN ('stored', 'sent', 'failed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
