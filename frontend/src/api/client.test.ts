import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { errorResponse, readyInstance, server } from '../test/server';
import { api, ApiError, onSessionEnded } from './client';
import { setCsrfToken } from './csrf';

describe('api client', () => {
  it('resolves with data for 2xx responses', async () => {
    const { data, error } = await api.GET('/api/v1/instance');
    expect(error).toBeUndefined();
    expect(data).toEqual(readyInstance);
  });

  it('rejects every non-2xx response with an ApiError built from the Error body', async () => {
    server.use(
      http.get('/api/v1/setup/:token', () =>
        errorResponse(400, {
          error: 'The setup token is malformed.',
          code: 'invalid_token',
          requestId: 'req-400',
          errors: ['token: must match ^[A-Za-z0-9_-]+$'],
        }),
      ),
    );
    const call = api.GET('/api/v1/setup/{token}', { params: { path: { token: 'bad token!' } } });

    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({
      status: 400,
      code: 'invalid_token',
      message: 'The setup token is malformed.',
      requestId: 'req-400',
      errors: ['token: must match ^[A-Za-z0-9_-]+$'],
    });
  });

  it('rejects a non-JSON error with a generic ApiError carrying the X-Request-Id header', async () => {
    server.use(
      http.get(
        '/api/v1/instance',
        () =>
          new HttpResponse('upstream down', {
            status: 503,
            headers: { 'Content-Type': 'text/plain', 'X-Request-Id': 'req-503' },
          }),
      ),
    );
    await expect(api.GET('/api/v1/instance')).rejects.toMatchObject({
      status: 503,
      code: 'http_503',
      requestId: 'req-503',
    });
  });

  it('rejects a network failure with a status-0 ApiError', async () => {
    server.use(http.get('/api/v1/instance', () => HttpResponse.error()));
    await expect(api.GET('/api/v1/instance')).rejects.toMatchObject({
      name: 'ApiError',
      status: 0,
      code: 'network_error',
    });
  });

  it('sends the CSRF token on state-changing requests only', async () => {
    const seen: [string, string | null][] = [];
    server.use(
      http.get('/api/v1/me/tokens', ({ request }) => {
        seen.push(['GET', request.headers.get('X-CSRF-Token')]);
        return HttpResponse.json({ tokens: [] });
      }),
      http.delete('/api/v1/me/tokens/:id', ({ request }) => {
        seen.push(['DELETE', request.headers.get('X-CSRF-Token')]);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await api.DELETE('/api/v1/me/tokens/{tokenId}', { params: { path: { tokenId: 'x' } } });
    setCsrfToken('csrf-abc');
    await api.GET('/api/v1/me/tokens');
    await api.DELETE('/api/v1/me/tokens/{tokenId}', { params: { path: { tokenId: 'x' } } });
    expect(seen).toEqual([
      ['DELETE', null],
      ['GET', null],
      ['DELETE', 'csrf-abc'],
    ]);
  });

  it('tells listeners when a request finds the session gone, except the session probe', async () => {
    const listener = vi.fn();
    const unsubscribe = onSessionEnded(listener);
    server.use(
      http.get('/api/v1/me/tokens', () => errorResponse(401, { error: 'Expired.', code: 'session_expired' })),
      http.get('/api/v1/session', () => errorResponse(401, { error: 'Sign in.', code: 'unauthenticated' })),
      http.post('/api/v1/auth/sign-in', () =>
        errorResponse(401, { error: 'Wrong password.', code: 'invalid_credentials' }),
      ),
    );
    await expect(api.GET('/api/v1/session')).rejects.toBeInstanceOf(ApiError);
    await expect(api.POST('/api/v1/auth/sign-in', { body: { email: 'a@b.c', password: 'x' } })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(listener).not.toHaveBeenCalled();
    await expect(api.GET('/api/v1/me/tokens')).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
  });
});
