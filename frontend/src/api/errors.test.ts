import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromResponse, asApiError, networkError } from './errors';

describe('apiErrorFromResponse', () => {
  it('maps the server Error body onto ApiError', () => {
    const body = JSON.stringify({
      error: 'The setup link is not valid.',
      code: 'not_found',
      requestId: 'req-1',
      errors: ['token: too short'],
    });
    const err = apiErrorFromResponse(404, new Headers(), body);

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ApiError');
    expect(err.status).toBe(404);
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('The setup link is not valid.');
    expect(err.requestId).toBe('req-1');
    expect(err.errors).toEqual(['token: too short']);
  });

  it('falls back to the X-Request-Id header when the body has no requestId', () => {
    const err = apiErrorFromResponse(
      410,
      new Headers({ 'X-Request-Id': 'from-header' }),
      JSON.stringify({ error: 'Setup is closed.', code: 'gone' }),
    );
    expect(err.requestId).toBe('from-header');
    expect(err.errors).toEqual([]);
  });

  it('prefers the body requestId over the header', () => {
    const err = apiErrorFromResponse(
      400,
      new Headers({ 'X-Request-Id': 'from-header' }),
      JSON.stringify({ error: 'Bad token.', code: 'bad_request', requestId: 'from-body' }),
    );
    expect(err.requestId).toBe('from-body');
  });

  it('gives a generic error for a body that is not the Error shape', () => {
    const html = apiErrorFromResponse(502, new Headers({ 'X-Request-Id': 'r' }), '<html>Bad gateway</html>');
    expect(html.status).toBe(502);
    expect(html.code).toBe('http_502');
    expect(html.message).toMatch(/HTTP 502/);
    expect(html.requestId).toBe('r');

    const otherJson = apiErrorFromResponse(404, new Headers(), JSON.stringify({ message: 'nope' }));
    expect(otherJson.code).toBe('http_404');
    expect(otherJson.message).toMatch(/HTTP 404/);
    expect(otherJson.requestId).toBeUndefined();

    expect(apiErrorFromResponse(500, new Headers(), '').code).toBe('http_500');
  });
});

describe('asApiError', () => {
  it('returns ApiErrors unchanged', () => {
    const err = networkError(new TypeError('fetch failed'));
    expect(asApiError(err)).toBe(err);
    expect(err.status).toBe(0);
    expect(err.code).toBe('network_error');
  });

  it('wraps anything else', () => {
    const err = asApiError(new Error('boom'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('boom');
    expect(err.code).toBe('client_error');
    expect(asApiError('weird').message).toBe('Something went wrong.');
    expect(asApiError({ error: 'Raw body', code: 'x', requestId: 'q' })).toMatchObject({
      message: 'Raw body',
      code: 'x',
      requestId: 'q',
    });
  });
});

describe('apiErrorFromResponse: 422 fields and 429 waits', () => {
  it('keeps the field errors of a 422', () => {
    const err = apiErrorFromResponse(
      422,
      new Headers(),
      JSON.stringify({
        error: 'The request failed validation.',
        code: 'validation_failed',
        errors: ['password: must be at least 8 characters'],
        fields: { password: 'must be at least 8 characters' },
      }),
    );
    expect(err.fields).toEqual({ password: 'must be at least 8 characters' });
    expect(apiErrorFromResponse(404, new Headers(), JSON.stringify({ error: 'x', code: 'y' })).fields).toEqual({});
  });

  it('reads how long to wait from a 429: Retry-After, else the body', () => {
    const body = JSON.stringify({ error: 'Slow down.', code: 'rate_limited', limit: 10, window_seconds: 60, retry_after: 17 });
    expect(apiErrorFromResponse(429, new Headers({ 'Retry-After': '42' }), body).retryAfter).toBe(42);
    expect(apiErrorFromResponse(429, new Headers(), body).retryAfter).toBe(17);
    const date = new Date(Date.now() + 90_000).toUTCString();
    expect(apiErrorFromResponse(429, new Headers({ 'Retry-After': date }), body).retryAfter).toBeGreaterThan(80);
    expect(apiErrorFromResponse(503, new Headers({ 'Retry-After': '5' }), '').retryAfter).toBeUndefined();
  });
});
