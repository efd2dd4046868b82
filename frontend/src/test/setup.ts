import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import { setCsrfToken } from '../api/csrf';
import { server } from './server';

// Browsers resolve a relative URL such as `/api/v1/instance` against the page; Node's Request
// (which jsdom does not replace) throws on it. The API client is created with baseUrl '' (same
// origin), so give the test environment the browser's behaviour. This runs before any test
// module (and so before the client) is imported.
const NodeRequest = globalThis.Request;
globalThis.Request = class RequestWithBase extends NodeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, window.location.href) : input, init);
  }
};

// The first render of a file also loads the router and React Query; on a busy 2-core CI machine
// that can exceed findBy*'s default 1 s.
configure({ asyncUtilTimeout: 5000 });

// jsdom does not implement scrolling; the router's scroll restoration calls it on navigation.
window.scrollTo = () => undefined;

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});

// The app must not log errors: any console.error (a React warning, an error caught by a boundary)
// fails the test that caused it.
let consoleErrors: unknown[][] = [];
beforeEach(() => {
  consoleErrors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
});

afterEach(() => {
  cleanup();
  expect(consoleErrors, 'console.error was called').toEqual([]);
  server.resetHandlers();
  setCsrfToken(undefined);
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
});

afterAll(() => {
  server.close();
});
