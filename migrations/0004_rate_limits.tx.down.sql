ALTER TABLE projects
    DROP COLUMN IF EXISTS public_api_rate_limit_requests_override,
    DROP COLUMN IF EXISTS public_api_rate_limit_period_seconds_override,
    DROP COLUMN IF EXISTS public_api_auth_failure_rate_limit_requests_override;
