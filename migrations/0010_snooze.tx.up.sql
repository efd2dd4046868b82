-- Snoozed ignores (SetIssueStatusRequest.ignoreUntil / ignoreOccurrences): an ignored group that
-- reopens by itself when snooze_until passes (a sweep every 30 s, store.ReopenExpiredSnoozes), or
-- once snooze_remaining more occurrences after its closure have come (ingestion counts them down),
-- whichever comes first. Both are NULL unless the group is ignored with a snooze; every other
-- status change clears them, and the constraint keeps it so.
--
-- Ingestion updates error_groups on every batch and never sets these columns unless it reopens a
-- snoozed group or counts one down, so the common case writes nothing new; the sweep's index is
-- partial, so it gets an entry only for snoozed groups (ingestion's non-HOT updates of other
-- groups add none). Neither column is watched by the triggers of 0007 (title, subtitle, stage) or
-- 0008 (assigned_user_id), so no trigger runs for them.
ALTER TABLE error_groups
    ADD COLUMN snooze_until     timestamptz,
    ADD COLUMN snooze_remaining bigint CHECK (snooze_remaining > 0),
    ADD CONSTRAINT error_groups_snooze_ignored CHECK (status = 'ignored' OR (snooze_until IS NULL AND snooze_remaining IS NULL));
CREATE INDEX error_groups_snooze_idx ON error_groups (snooze_until) WHERE snooze_until IS NOT NULL;

-- A snoozed group that reopened by itself when its time came (no actor).
ALTER TABLE issue_activities DROP CONSTRAINT issue_activities_kind_check;
ALTER TABLE issue_activities ADD CONSTRAINT issue_activities_kind_check
    CHECK (kind IN ('status_changed', 'assigned', 'unassigned', 'commented', 'reopened_by_event', 'snooze_expired'));

-- The activity entry of a group that an occurrence reopened. Only ingestion raises
-- regression_count (reopening by hand or by the snooze sweep is not a regression), so the WHEN
-- condition picks exactly those updates; it is evaluated without calling the function, so the
-- ingestion updates that reopen nothing (nearly all) run no trigger code, and the group UPDATE stays
-- one plain statement.
CREATE FUNCTION error_group_reopened_by_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO issue_activities (project_id, error_group_id, kind, data)
    VALUES (NEW.project_id, NEW.id, 'reopened_by_event', jsonb_strip_nulls(jsonb_build_object(
        'from', OLD.status, 'to', NEW.status, 'eventId', NEW.latest_event_id, 'release', NEW.regressed_in_release)));
    RETURN NULL;
END
$$;

CREATE TRIGGER error_group_reopened_by_event AFTER UPDATE OF regression_count ON error_groups
    FOR EACH ROW
    WHEN (NEW.regression_count > OLD.regression_count)
    EXECUTE FUNCTION error_group_reopened_by_event();
