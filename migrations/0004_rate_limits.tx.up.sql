-- Per-project overrides of the public API rate limits (reference section 2). NULL inherits the
-- instance's setting (LOGISTER_PUBLIC_API_*). Only instance administrators may set them.
ALTER TABLE projects
    ADD COLUMN public_api_rate_limit_requests_override integer
        CONSTRAINT projects_rate_limit_requests_range
        CHECK (public_api_rate_limit_requests_override BETWEEN 1 AND 10000000),
    ADD COLUMN public_api_rate_limit_period_seconds_override integer
        CONSTRAINT projects_rate_limit_period_range
        CHECK (public_api_rate_limit_period_seconds_override BETWEEN 1 AND 86400),
    ADD COLUMN public_api_auth_failure_rate_limit_requests_override integer
        CONSTRAINT projects_auth_failure_rate_limit_range
        CHECK (public_api_auth_failure_rate_limit_requests_override BETWEEN 1 AND 10000000);
