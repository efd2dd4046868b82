DROP TRIGGER error_group_reopened_by_event ON error_groups;
DROP FUNCTION error_group_reopened_by_event();
DELETE FROM issue_activities WHERE kind = 'snooze_expired';
ALTER TABLE issue_activities DROP CONSTRAINT issue_activities_kind_check;
ALTER TABLE issue_activities ADD CONSTRAINT issue_activities_kind_check
    CHECK (kind IN ('status_changed', 'assigned', 'unassigned', 'commented', 'reopened_by_event'));

DROP INDEX error_groups_snooze_idx;
ALTER TABLE error_groups
    DROP CONSTRAINT error_groups_snooze_ignored,
    DROP COLUMN snooze_remaining,
    DROP COLUMN snooze_until;
