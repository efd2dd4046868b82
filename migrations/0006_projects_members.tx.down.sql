DROP INDEX IF EXISTS account_tokens_email_idx;
DROP INDEX IF EXISTS account_tokens_project_idx;
DELETE FROM account_tokens WHERE purpose = 'project_invitation';
ALTER TABLE account_tokens
    DROP CONSTRAINT IF EXISTS account_tokens_project_invitation,
    DROP CONSTRAINT IF EXISTS account_tokens_purpose_check,
    ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN
        ('confirm_email', 'reset_password', 'change_email', 'invitation')),
    DROP CONSTRAINT IF EXISTS account_tokens_uuid_key,
    DROP COLUMN IF EXISTS project_role,
    DROP COLUMN IF EXISTS project_id,
    DROP COLUMN IF EXISTS uuid;

DROP TABLE IF EXISTS project_members;

-- Fails if two owners use the same slug: rename one first.
ALTER TABLE projects
    DROP CONSTRAINT IF EXISTS projects_owner_slug_key,
    ADD CONSTRAINT projects_slug_key UNIQUE (slug),
    DROP CONSTRAINT IF EXISTS projects_deletion_archived,
    DROP COLUMN IF EXISTS deletion_requested_at,
    DROP COLUMN IF EXISTS description,
    DROP COLUMN IF EXISTS owner_id;
