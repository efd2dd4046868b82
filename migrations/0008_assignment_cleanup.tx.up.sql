-- When an assignee's user is deleted, the foreign key clears error_groups.assigned_user_id; the
-- assignment's other columns must go with it. The trigger's WHEN condition is evaluated without
-- calling the function, so the ingestion path's updates (which never touch the assignment) run no
-- trigger code.
CREATE FUNCTION error_group_assignment_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.assigned_by_user_id := NULL;
    NEW.assigned_at := NULL;
    RETURN NEW;
END
$$;

CREATE TRIGGER error_group_assignment_cleared BEFORE UPDATE OF assigned_user_id ON error_groups
    FOR EACH ROW
    WHEN (OLD.assigned_user_id IS NOT NULL AND NEW.assigned_user_id IS NULL)
    EXECUTE FUNCTION error_group_assignment_cleared();
