-- What the ingestion API writes.
--
-- Errors (kept long, grouped into error_groups) are stored apart from high-volume telemetry (logs,
-- metrics, transactions, check-ins) and spans. Telemetry and spans are partitioned by the day the
-- server received them, so retention drops whole partitions and never touches errors. The server
-- creates daily partitions ahead of time (store.EnsurePartitions); the DEFAULT partitions only catch
-- rows if that ever falls behind, so nothing is lost.
--
-- High-volume tables carry no foreign keys (each would cost an index probe per row); projects are
-- never deleted while they have data (purging is a job of its own).

CREATE TABLE error_groups (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid                     uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    project_id               bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    fingerprint              text NOT NULL,
    -- 0: the client sent the fingerprint; otherwise the server's grouping algorithm version.
    grouping_version         smallint NOT NULL DEFAULT 0,
    title                    text NOT NULL,
    subtitle                 text,
    stage                    text NOT NULL DEFAULT 'production',
    severity                 text NOT NULL DEFAULT 'error',
    status                   text NOT NULL DEFAULT 'unresolved'
                             CHECK (status IN ('unresolved', 'resolved', 'ignored', 'archived')),
    occurrence_count         bigint NOT NULL DEFAULT 0,
    first_seen_at            timestamptz NOT NULL,
    last_seen_at             timestamptz NOT NULL,
    resolved_at              timestamptz,
    ignored_at               timestamptz,
    archived_at              timestamptz,
    reopen_count             integer NOT NULL DEFAULT 0,
    last_reopened_at         timestamptz,
    introduced_in_release    text,
    last_seen_release        text,
    resolved_in_release      text,
    regressed_in_release     text,
    regression_count         integer NOT NULL DEFAULT 0,
    latest_event_id          uuid,
    latest_event_occurred_at timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, fingerprint)
);
CREATE INDEX error_groups_inbox_idx ON error_groups (project_id, status, last_seen_at DESC);

CREATE TABLE error_events (
    id             uuid PRIMARY KEY,
    project_id     bigint NOT NULL,
    api_key_id     bigint,
    error_group_id bigint NOT NULL,
    client_uuid    uuid,
    level          text NOT NULL,
    message        text NOT NULL,
    fingerprint    text,
    occurred_at    timestamptz NOT NULL,
    received_at    timestamptz NOT NULL,
    time_precision text NOT NULL,
    environment    text,
    release        text,
    context        jsonb NOT NULL
);
CREATE INDEX error_events_group_idx ON error_events (error_group_id, occurred_at DESC);
CREATE INDEX error_events_project_idx ON error_events (project_id, occurred_at DESC);

CREATE TABLE telemetry_events (
    id             uuid NOT NULL,
    project_id     bigint NOT NULL,
    api_key_id     bigint,
    event_type     text NOT NULL CHECK (event_type IN ('log', 'metric', 'transaction', 'check_in')),
    client_uuid    uuid,
    level          text NOT NULL,
    message        text NOT NULL,
    fingerprint    text,
    occurred_at    timestamptz NOT NULL,
    received_at    timestamptz NOT NULL,
    time_precision text NOT NULL,
    environment    text,
    release        text,
    context        jsonb NOT NULL,
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX telemetry_events_project_idx ON telemetry_events (project_id, event_type, occurred_at DESC);
CREATE TABLE telemetry_events_default PARTITION OF telemetry_events DEFAULT;

CREATE TABLE spans (
    id             uuid NOT NULL,
    project_id     bigint NOT NULL,
    api_key_id     bigint,
    client_uuid    uuid,
    trace_id       text NOT NULL,
    span_id        text NOT NULL,
    parent_span_id text,
    name           text NOT NULL,
    kind           text NOT NULL,
    status         text,
    duration_ms    double precision NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz NOT NULL,
    received_at    timestamptz NOT NULL,
    environment    text,
    release        text,
    context        jsonb NOT NULL,
    PRIMARY KEY (id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX spans_trace_idx ON spans (project_id, trace_id);
CREATE TABLE spans_default PARTITION OF spans DEFAULT;

-- Idempotency: a client uuid (or a span's deterministic identity) is accepted once per project.
CREATE TABLE idempotency_keys (
    project_id  bigint NOT NULL,
    client_uuid uuid NOT NULL,
    signal      text NOT NULL,
    record_id   uuid NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, client_uuid)
);
CREATE INDEX idempotency_keys_received_idx ON idempotency_keys (received_at);

CREATE TABLE check_in_monitors (
    id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid                      uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    project_id                bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    slug                      text NOT NULL,
    environment               text NOT NULL DEFAULT 'production',
    expected_interval_seconds integer NOT NULL DEFAULT 300,
    last_check_in_at          timestamptz NOT NULL,
    last_status               text NOT NULL DEFAULT 'ok',
    last_error_at             timestamptz,
    last_event_id             uuid,
    check_in_count            bigint NOT NULL DEFAULT 0,
    consecutive_missed_count  integer NOT NULL DEFAULT 0,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, slug, environment)
);

CREATE TABLE deployments (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid                 uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    project_id           bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    repository_full_name text NOT NULL,
    environment          text NOT NULL,
    release              text NOT NULL,
    commit_sha           text NOT NULL,
    branch               text,
    deployed_at          timestamptz NOT NULL,
    pull_request_number  integer,
    source               text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'telemetry', 'manual')),
    metadata             jsonb NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, repository_full_name, environment, release)
);
