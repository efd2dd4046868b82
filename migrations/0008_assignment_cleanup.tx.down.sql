DROP TRIGGER error_group_assignment_cleared ON error_groups;
DROP FUNCTION error_group_assignment_cleared();
