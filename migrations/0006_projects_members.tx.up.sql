-- Projects and teams: every project has an owner (the user who created it; NULL only for projects
-- created with `logister project create` without --owner), a description, and members with the role
-- admin or viewer. People without an account are invited by e-mail: a one-time token in
-- account_tokens (purpose 'project_invitation') carrying the project and the role.

-- owner_id has no ON DELETE action: deleting a user who owns projects fails (the admin API answers
-- 409 user_owns_data) until the projects are deleted. deletion_requested_at marks a project whose
-- deletion has started: it is archived, its keys are revoked, and only DELETE (which resumes the
-- purge) may still change it.
ALTER TABLE projects
    ADD COLUMN owner_id bigint REFERENCES users (id),
    ADD COLUMN description text NOT NULL DEFAULT ''
        CONSTRAINT projects_description_length CHECK (length(description) <= 2000),
    ADD COLUMN deletion_requested_at timestamptz,
    ADD CONSTRAINT projects_deletion_archived CHECK (deletion_requested_at IS NULL OR archived_at IS NOT NULL),
    DROP CONSTRAINT projects_slug_key,
    -- A slug is unique per owner; the projects without an owner share one namespace. The index
    -- also serves the owner_id foreign key and "projects of this owner".
    ADD CONSTRAINT projects_owner_slug_key UNIQUE NULLS NOT DISTINCT (owner_id, slug);

-- Members other than the owner (who is never a row here).
CREATE TABLE project_members (
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('admin', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user_idx ON project_members (user_id);

-- Project invitations are one-time tokens like the others; they need an id of their own (to be
-- listed and revoked) and carry the project and the role the invitee gets.
ALTER TABLE account_tokens
    ADD COLUMN uuid uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
    ADD COLUMN project_role text CHECK (project_role IN ('admin', 'viewer')),
    ADD CONSTRAINT account_tokens_uuid_key UNIQUE (uuid),
    DROP CONSTRAINT account_tokens_purpose_check,
    ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN
        ('confirm_email', 'reset_password', 'change_email', 'invitation', 'project_invitation')),
    ADD CONSTRAINT account_tokens_project_invitation CHECK
        ((purpose = 'project_invitation') = (project_id IS NOT NULL AND project_role IS NOT NULL));
CREATE INDEX account_tokens_project_idx ON account_tokens (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX account_tokens_email_idx ON account_tokens (email, purpose) WHERE used_at IS NULL;
