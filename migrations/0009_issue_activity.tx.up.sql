-- The activity log of an issue (error group): status changes, assignments and comments, newest
-- first on the issue's page. Rows go with their group (ON DELETE CASCADE, which also covers the
-- project purge, since error_groups is purged); project_id is denormalised for scoping and has no
-- foreign key of its own. An actor's deletion keeps the entry without its actor.
CREATE TABLE issue_activities (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid           uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    project_id     bigint NOT NULL,
    error_group_id bigint NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    actor_user_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    kind           text NOT NULL CHECK (kind IN ('status_changed', 'assigned', 'unassigned', 'commented', 'reopened_by_event')),
    data           jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The issue's feed, newest first, keyset-paged on (created_at, id).
CREATE INDEX issue_activities_group_idx ON issue_activities (error_group_id, created_at DESC, id DESC);
-- For ON DELETE SET NULL when a user is deleted.
CREATE INDEX issue_activities_actor_idx ON issue_activities (actor_user_id) WHERE actor_user_id IS NOT NULL;
