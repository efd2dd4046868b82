-- Reads of telemetry and traces (the events feed, the trace list, a trace's waterfall).
--
-- telemetry_events and spans are written on the ingestion path, so every index here costs on
-- every row it covers. The events feed needs no new index: it reads telemetry_events_project_idx
-- (project_id, event_type, occurred_at DESC) once per type and merges. A trace's spans are read
-- with spans_trace_idx and sorted: an index that also held started_at would defeat B-tree
-- deduplication of the trace key (about 3.5 times the size with 10 spans per trace) for traces of
-- more than 2,000 spans, which are rare. Error occurrences of a trace are found within the trace's
-- time window on error_events_project_idx.

-- The trace list: a project's root spans, newest first. Partial, so only root spans (about one
-- per trace) pay for it; other spans only evaluate the predicate.
CREATE INDEX spans_roots_idx ON spans (project_id, started_at DESC) WHERE parent_span_id IS NULL;
