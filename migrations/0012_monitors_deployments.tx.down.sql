DROP INDEX deployments_release_idx;
DROP INDEX deployments_previous_idx;
DROP INDEX deployments_project_deployed_idx;
DROP INDEX check_in_monitors_paused_by_idx;
ALTER TABLE check_in_monitors DROP COLUMN paused_by_user_id, DROP COLUMN paused_at;
