DROP TABLE IF EXISTS deployments;
DROP TABLE IF EXISTS check_in_monitors;
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS spans;
DROP TABLE IF EXISTS telemetry_events;
DROP TABLE IF EXISTS error_events;
DROP TABLE IF EXISTS error_groups;
