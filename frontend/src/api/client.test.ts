import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { errorResponse, readyInstance, server } from '../test/server';
import { api, ApiError } from './client';

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
});
