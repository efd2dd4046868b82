import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { components } from '../api/schema.gen';

type Instance = components['schemas']['Instance'];
type ErrorBody = components['schemas']['Error'];

export const readyInstance: Instance = {
  name: 'Acme Logister',
  version: '0.1.0',
  commit: 'abc1234',
  ready: true,
  setupRequired: false,
  checks: [
    { name: 'database', ok: true },
    { name: 'migrations', ok: true },
  ],
};

/** Handlers every test gets unless it overrides them with `server.use(...)`. */
export const defaultHandlers = [
  http.get('/api/v1/instance', () => HttpResponse.json(readyInstance)),
];

export const server = setupServer(...defaultHandlers);

/** An error response in the server's Error shape, with the X-Request-Id header it sends. */
export function errorResponse(status: number, body: ErrorBody) {
  return HttpResponse.json(body, {
    status,
    headers: body.requestId ? { 'X-Request-Id': body.requestId } : {},
  });
}
