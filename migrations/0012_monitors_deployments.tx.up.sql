-- Monitors can be paused (reference 6.8, v3): a paused monitor keeps its check-ins but is never
-- missed or in error and raises no alert. Who paused it is kept for the page; deleting that user
-- keeps the pause.
ALTER TABLE check_in_monitors
    ADD COLUMN paused_at         timestamptz,
    ADD COLUMN paused_by_user_id bigint REFERENCES users (id) ON DELETE SET NULL;
-- For ON DELETE SET NULL when a user is deleted.
CREATE INDEX check_in_monitors_paused_by_idx ON check_in_monitors (paused_by_user_id)
    WHERE paused_by_user_id IS NOT NULL;

-- The deployments page: a project's deployments newest first, keyset-paged on (deployed_at, id).
CREATE INDEX deployments_project_deployed_idx ON deployments (project_id, deployed_at DESC, id DESC);
-- The deployment before another one of the same repository and environment (compare links,
-- deployment context), and a repository's or environment's deployments newest first.
CREATE INDEX deployments_previous_idx
    ON deployments (project_id, repository_full_name, environment, deployed_at DESC, id DESC);
-- An issue's deployment context: the deployments of its release.
CREATE INDEX deployments_release_idx ON deployments (project_id, release);
