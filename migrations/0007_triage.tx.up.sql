-- Triage (issue 6): what the inbox filters, searches and sorts error groups by.
--
-- error_groups is updated by every ingestion batch (occurrence_count, last_seen_at, the latest
-- occurrence's title and environment...). Those updates are not HOT (last_seen_at is indexed), so
-- every index on error_groups gets a new entry on every occurrence batch. This migration adds one,
-- partial, index to error_groups; text search lives in a narrow table of its own whose rows change
-- only when a group's searchable text does. The inbox's other filters and sorts scan a project's
-- groups (fast at tens of thousands). Trends count a project's recent error_events from
-- error_events_project_idx, which now carries the group id so that no table row is read;
-- sparklines count a page's groups' events from error_events_group_idx, index-only.

-- Trigram indexes for substring search. pg_trgm ships with PostgreSQL (Debian's postgresql-15
-- package) and is a trusted extension: the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Assignment (reference 3.6). The index holds assigned groups only, so ingestion pays for it only
-- on their updates; it serves assigned:me / assigned:<member> and the foreign key's ON DELETE.
-- (assigned_by_user_id is not indexed: deleting a user scans error_groups once for it, which is
-- rare enough.)
ALTER TABLE error_groups
    ADD COLUMN assigned_user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN assigned_by_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN assigned_at         timestamptz;
CREATE INDEX error_groups_assignee_idx ON error_groups (assigned_user_id) WHERE assigned_user_id IS NOT NULL;

-- The trend sort counts, per group, the project's occurrences of the last 48 hours. With the group
-- id in the index, that is one index-only range scan; without it, one heap fetch per occurrence or
-- one index descent per group. Same key as before, so the ingestion path writes as many index
-- entries as before (each 8 bytes wider), and every query that used the index still can.
DROP INDEX error_events_project_idx;
CREATE INDEX error_events_project_idx ON error_events (project_id, occurred_at DESC) INCLUDE (error_group_id);

-- What text search matches, one entry per line so that a search term never spans two: the
-- group's exception type (subtitle) and fingerprint, every environment it has been seen in, and its
-- titles, one per shape: titles that differ only in their digits ("card declined for amount 4200",
-- "... 4300") count as one, the first one seen. The document only grows, by at most 16 environments
-- and 16 title shapes (and new exception types), so it changes when a group shows new text, not on
-- every occurrence: most ingestion batches write nothing here.
CREATE FUNCTION error_group_title_shape(title text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN translate(lower(title), '0123456789', '');

CREATE TABLE error_group_search (
    error_group_id bigint PRIMARY KEY REFERENCES error_groups (id) ON DELETE CASCADE,
    project_id     bigint NOT NULL,
    document       text NOT NULL, -- lowercased: subtitle, fingerprint, environments and titles, one per line
    title_shapes   text[] NOT NULL, -- the shapes of the titles in the document
    environments   text[] NOT NULL  -- the environments in the document, lowercased
);
CREATE INDEX error_group_search_document_idx ON error_group_search USING gin (document gin_trgm_ops);

INSERT INTO error_group_search (error_group_id, project_id, document, title_shapes, environments)
SELECT id, project_id, lower(coalesce(subtitle, '')) || E'\n' || lower(fingerprint) || E'\n' || lower(stage) || E'\n' || lower(title),
       ARRAY[error_group_title_shape(title)], ARRAY[lower(stage)]
FROM error_groups;

-- Kept by triggers. New groups: one statement-level trigger per INSERT (or COPY), whatever the
-- number of groups. Updates: a row trigger whose WHEN condition, evaluated for each updated group
-- without calling any function body, lets through only groups whose environment, exception type or
-- title shape changed; the function then writes only when that text is new to the group. In the
-- steady state an ingestion batch runs no trigger function at all.
CREATE FUNCTION error_group_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO error_group_search (error_group_id, project_id, document, title_shapes, environments)
    SELECT id, project_id, lower(coalesce(subtitle, '')) || E'\n' || lower(fingerprint) || E'\n' || lower(stage) || E'\n' || lower(title),
           ARRAY[error_group_title_shape(title)], ARRAY[lower(stage)]
    FROM inserted_groups;
    RETURN NULL;
END
$$;

CREATE FUNCTION error_group_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    shape    text := error_group_title_shape(NEW.title);
    env      text := lower(NEW.stage);
    subtitle text := CASE WHEN NEW.subtitle IS DISTINCT FROM OLD.subtitle THEN lower(NEW.subtitle) END;
BEGIN
    UPDATE error_group_search s SET
        document = s.document
            || CASE WHEN shape <> ALL (s.title_shapes) AND cardinality(s.title_shapes) < 16 THEN E'\n' || lower(NEW.title) ELSE '' END
            || CASE WHEN env <> ALL (s.environments) AND cardinality(s.environments) < 16 THEN E'\n' || env ELSE '' END
            || CASE WHEN position(E'\n' || subtitle || E'\n' IN E'\n' || s.document || E'\n') = 0 THEN E'\n' || subtitle ELSE '' END,
        title_shapes = CASE WHEN shape <> ALL (s.title_shapes) AND cardinality(s.title_shapes) < 16
            THEN s.title_shapes || shape ELSE s.title_shapes END,
        environments = CASE WHEN env <> ALL (s.environments) AND cardinality(s.environments) < 16
            THEN s.environments || env ELSE s.environments END
    WHERE s.error_group_id = NEW.id
      AND ((shape <> ALL (s.title_shapes) AND cardinality(s.title_shapes) < 16)
        OR (env <> ALL (s.environments) AND cardinality(s.environments) < 16)
        OR position(E'\n' || subtitle || E'\n' IN E'\n' || s.document || E'\n') = 0);
    RETURN NULL;
END
$$;

CREATE TRIGGER error_group_search_insert AFTER INSERT ON error_groups
    REFERENCING NEW TABLE AS inserted_groups
    FOR EACH STATEMENT EXECUTE FUNCTION error_group_search_insert();

CREATE TRIGGER error_group_search_update AFTER UPDATE OF title, subtitle, stage ON error_groups
    FOR EACH ROW
    WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.subtitle IS DISTINCT FROM NEW.subtitle
        OR OLD.title IS DISTINCT FROM NEW.title
           AND translate(lower(OLD.title), '0123456789', '') IS DISTINCT FROM translate(lower(NEW.title), '0123456789', ''))
    EXECUTE FUNCTION error_group_search_update();
