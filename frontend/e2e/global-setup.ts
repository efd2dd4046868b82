import { existsSync } from 'node:fs';
import { CHROMIUM } from './chromium';
import { startServer } from './server';

/**
 * Starts the server for the whole run and hands its address and setup token to the tests through
 * the environment (workers inherit it). The returned function is Playwright's global teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it ('apt-get install chromium', as .ci/services does) or set E2E_CHROMIUM.`,
    );
  }
  const server = await startServer();
  process.env.E2E_BASE_URL = server.baseURL;
  process.env.E2E_SETUP_TOKEN = server.setupToken;
  console.log(`logister at ${server.baseURL} (database ${server.databaseName}, log ${server.logFile})`);
  return server.stop;
}
