import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type ConsoleMessage,
  type Page,
} from '@playwright/test';
import path from 'node:path';

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

/** A failed request the journey expects (Chromium logs each one as a console error). */
export interface ExpectedHttpError {
  status: number;
  path: string;
}

/** Collects the console errors and page errors of every browser context of one test. */
class ConsoleWatch {
  /** The session probe's 401 (GET /api/v1/session while signed out) is always expected. */
  readonly expected: ExpectedHttpError[] = [{ status: 401, path: '/api/v1/session' }];
  readonly problems: string[] = [];

  watch(context: BrowserContext): void {
    const onConsole = (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const failed = FAILED_RESOURCE.exec(message.text());
      if (failed) {
        const { pathname } = new URL(message.location().url);
        if (this.expected.some((e) => e.status === Number(failed[1]) && e.path === pathname)) return;
      }
      this.problems.push(`console error: ${message.text()} (${message.location().url})`);
    };
    const watchPage = (page: Page) => {
      page.on('console', onConsole);
      page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    };
    context.pages().forEach(watchPage);
    context.on('page', watchPage);
  }
}

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})/;

interface Fixtures {
  /** The setup token the server was started with (LOGISTER_SETUP_TOKEN). */
  setupToken: string;
  consoleWatch: ConsoleWatch;
  /**
   * Requests this test expects to fail (say, a wrong password's 401). Any other console error or
   * page error, in any of the test's browser contexts, fails the test.
   */
  expectHttpErrors: (...errors: ExpectedHttpError[]) => void;
  /** Saves a 1280×800 screenshot of the page as e2e/screenshots/<name>.png. */
  snap: (page: Page, name: string) => Promise<void>;
  /** Opens another browser context (another person) on the server, watched like the test's own. */
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e run starts with global-setup.ts`);
  return value;
}

/** How many journeys this worker has started: each gets a client address of its own. */
let journeys = 0;

export const test = base.extend<Fixtures>({
  // The server's address is known only once global-setup has started it.
  baseURL: async ({}, use) => {
    await use(env('E2E_BASE_URL'));
  },
  // Each journey's requests come from a client address of its own, through the loopback proxy the
  // server trusts (server.ts), so per-client limits (10 sign-ins a minute) count journeys apart,
  // as they would count different people, however fast the suite runs.
  extraHTTPHeaders: async ({}, use) => {
    journeys += 1;
    await use({ 'X-Forwarded-For': `198.51.100.${String((journeys % 250) + 1)}` });
  },
  setupToken: async ({}, use) => {
    await use(env('E2E_SETUP_TOKEN'));
  },
  consoleWatch: [
    async ({ context }, use) => {
      const watch = new ConsoleWatch();
      watch.watch(context);
      await use(watch);
      expect(watch.problems, 'the pages logged errors').toEqual([]);
    },
    { auto: true },
  ],
  expectHttpErrors: async ({ consoleWatch }, use) => {
    await use((...errors) => {
      consoleWatch.expected.push(...errors);
    });
  },
  newContext: async ({ browser, baseURL, viewport, extraHTTPHeaders, consoleWatch }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ baseURL, viewport, extraHTTPHeaders, ...options });
      consoleWatch.watch(context);
      contexts.push(context);
      return context;
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
  snap: async ({}, use) => {
    await use(async (page, name) => {
      await page.screenshot({
        path: path.join(SCREENSHOTS, `${name}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
    });
  },
});

export { expect };
