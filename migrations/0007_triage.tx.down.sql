DROP TRIGGER IF EXISTS error_group_search_update ON error_groups;
DROP TRIGGER IF EXISTS error_group_search_insert ON error_groups;
DROP FUNCTION IF EXISTS error_group_search_update();
DROP FUNCTION IF EXISTS error_group_search_insert();
DROP TABLE IF EXISTS error_group_search;
DROP FUNCTION IF EXISTS error_group_title_shape(text);
DROP INDEX IF EXISTS error_groups_assignee_idx;
DROP INDEX IF EXISTS error_events_project_idx;
CREATE INDEX error_events_project_idx ON error_events (project_id, occurred_at DESC);
ALTER TABLE error_groups
    DROP COLUMN IF EXISTS assigned_at,
    DROP COLUMN IF EXISTS assigned_by_user_id,
    DROP COLUMN IF EXISTS assigned_user_id;
-- pg_trgm stays: other objects may use it by then, and it costs nothing unused.
