/**
 * The system under test: the real `logister` binary (web app embedded) against a fresh PostgreSQL
 * database. Used by global-setup.ts; nothing here is Playwright-specific.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The PostgreSQL the tests use, as for the Go tests (TEST_DATABASE_URL overrides it). */
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  baseURL: string;
  setupToken: string;
  databaseName: string;
  logFile: string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

function psql(adminURL: string, sql: string): void {
  const result = spawnSync('psql', [adminURL, '-v', 'ON_ERROR_STOP=1', '-Atqc', sql], { encoding: 'utf8' });
  if (result.error) throw new Error(`psql could not run (is the PostgreSQL client installed?): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr.trim()}`);
}

async function waitReady(baseURL: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`logister exited (code ${String(child.exitCode)}) before becoming ready; see ${logFile}`);
    }
    try {
      const response = await fetch(`${baseURL}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`logister was not ready within 60 s; see ${logFile}`);
}

/**
 * Creates a database, starts `logister serve` on a free port with a known setup token, and waits
 * until it is ready. `stop` ends the server (SIGTERM, then SIGKILL) and drops the database.
 */
export async function startServer(): Promise<RunningServer> {
  const binary = process.env.LOGISTER_E2E_BINARY ?? path.join(REPO_ROOT, 'bin', 'logister');
  if (!existsSync(binary)) {
    throw new Error(`${binary} does not exist: build it with 'make build' (or run 'make test-e2e').`);
  }
  const adminURL = process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  const databaseName = `logister_e2e_${randomBytes(6).toString('hex')}`;
  const databaseURL = new URL(adminURL);
  databaseURL.pathname = `/${databaseName}`;
  psql(adminURL, `CREATE DATABASE ${databaseName}`);

  const port = await freePort();
  const baseURL = `http://127.0.0.1:${String(port)}`;
  const setupToken = `e2e_setup_${randomBytes(12).toString('hex')}`;
  const outputDir = path.join(import.meta.dirname, '.output');
  mkdirSync(outputDir, { recursive: true });
  const logFile = path.join(outputDir, 'server.log');
  const log = createWriteStream(logFile);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'logister-e2e-'));

  const child = spawn(binary, ['serve'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      DATABASE_URL: databaseURL.toString(),
      LOGISTER_LISTEN_ADDR: `127.0.0.1:${String(port)}`,
      LOGISTER_PUBLIC_URL: baseURL,
      LOGISTER_SETUP_TOKEN: setupToken,
      LOGISTER_INSTANCE_NAME: 'Acme Logister',
      LOGISTER_DATA_DIR: dataDir,
      LOGISTER_SHUTDOWN_TIMEOUT: '2s',
      // The journeys name their client in X-Forwarded-For (fixtures.ts).
      LOGISTER_TRUSTED_PROXIES: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
    psql(adminURL, `DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  };

  try {
    await waitReady(baseURL, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, setupToken, databaseName, logFile, stop };
}
