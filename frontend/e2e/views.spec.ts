import { expect, test } from './fixtures';
import { projectWithKey } from './session';

/**
 * The project views: a log, a transaction, the spans of one trace, a check-in and a deployment
 * arrive through the real HTTP ingestion API; then the home dashboard sums them up, the events
 * feed filters them through the URL, the trace opens as a waterfall, a monitor is paused and
 * resumed, and the deployment links to GitHub.
 */

const TRACE_ID = '7a3f9c2e4b1d8e6f0a5c3b2d1e4f6a8c';
const COMMIT = '9fceb02d0ae598e95dc970b74767f19372d61af8';

/** What an SDK sends (shapes from shared/spec/sdk-wire-examples), dated a moment ago. */
function payloads() {
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const common = { environment: 'production', release: '3.1.0', service: 'storefront' };
  const rootStart = now - 5_000;
  const span = (spanId: string, name: string, kind: string, offsetMs: number, durationMs: number, parent?: string) => ({
    event: {
      event_type: 'span',
      level: 'info',
      message: name,
      name,
      occurred_at: new Date(rootStart + offsetMs).toISOString(),
      trace_id: TRACE_ID,
      span_id: spanId,
      ...(parent ? { parent_span_id: parent } : {}),
      kind,
      status: 'ok',
      duration_ms: durationMs,
      started_at: new Date(rootStart + offsetMs).toISOString(),
      ended_at: new Date(rootStart + offsetMs + durationMs).toISOString(),
      context: {
        ...common,
        trace_id: TRACE_ID,
        span_id: spanId,
        ...(parent ? { parent_span_id: parent } : {}),
        span_kind: kind,
        ...(kind === 'db' ? { db: { system: 'postgresql', statement: 'SELECT * FROM carts WHERE id = $1' } } : {}),
      },
    },
  });
  return {
    log: {
      event: {
        event_type: 'log',
        level: 'warning',
        message: 'Payment provider answered slowly',
        occurred_at: at(20_000),
        context: {
          ...common,
          logger: 'payments',
          provider: 'acme-pay',
          api_token: 'should-be-redacted',
          request: { method: 'POST', path: '/checkout', url: 'https://shop.example.com/checkout' },
          tags: { region: 'eu-west-1' },
        },
      },
    },
    transaction: {
      event: {
        event_type: 'transaction',
        level: 'info',
        message: 'POST /checkout',
        occurred_at: at(5_000),
        context: {
          ...common,
          transaction_name: 'POST /checkout',
          duration_ms: 412.5,
          trace_id: TRACE_ID,
          http: { status_code: 200 },
          request: { method: 'POST', path: '/checkout' },
        },
      },
    },
    spans: [
      span('a1b2c3d4e5f60001', 'POST /checkout', 'server', 0, 400),
      span('a1b2c3d4e5f60002', 'SELECT carts', 'db', 20, 60, 'a1b2c3d4e5f60001'),
      span('a1b2c3d4e5f60003', 'POST acme-pay /charges', 'http', 100, 250, 'a1b2c3d4e5f60001'),
      span('a1b2c3d4e5f60004', 'render receipt', 'internal', 360, 30, 'a1b2c3d4e5f60001'),
    ],
    checkIn: {
      check_in: {
        slug: 'nightly-invoices',
        status: 'ok',
        environment: 'production',
        release: '3.1.0',
        checked_at: at(60_000),
        expected_interval_seconds: 86_400,
        context: common,
      },
    },
    deployment: {
      deployment: {
        release: '3.1.0',
        environment: 'production',
        repository: 'acme/storefront',
        commit_sha: COMMIT,
        branch: 'main',
        deployed_at: at(120_000),
        pull_request_number: 128,
      },
    },
  };
}

test('project views: dashboard, events, a trace waterfall, monitors and deployments', async ({
  page,
  request,
  setupToken,
  snap,
}) => {
  let projectId = '';

  await test.step('a project with a key; telemetry sent through the real HTTP API', async () => {
    const created = await projectWithKey(page.request, setupToken, { name: 'Storefront', integrationKind: 'javascript' });
    projectId = created.projectId;
    const { key } = created;
    const auth = { Authorization: `Bearer ${key}` };
    const data = payloads();
    for (const event of [data.log, data.transaction, ...data.spans]) {
      const sent = await request.post('/api/v1/ingest_events', { headers: auth, data: event });
      expect(sent.status(), await sent.text()).toBe(201);
    }
    const checkIn = await request.post('/api/v1/check_ins', { headers: auth, data: data.checkIn });
    expect(checkIn.status(), await checkIn.text()).toBe(201);
    const deployment = await request.post('/api/v1/deployments', { headers: auth, data: data.deployment });
    expect(deployment.status(), await deployment.text()).toBe(201);
  });

  await test.step('the home dashboard sums up the project', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    // The administrator's other journeys' projects count too: at least this project's one of each.
    const byType = page.getByRole('list', { name: 'Events in the last 24 hours by type' });
    for (const type of ['Logs', 'Transactions', 'Check-ins']) {
      await expect(byType.getByRole('listitem').filter({ hasText: type })).toContainText(/[1-9]/);
    }
    await expect(page.locator('[data-chart-ready]')).toBeVisible();
    const projects = page.getByRole('region', { name: 'Projects' });
    await expect(projects.getByRole('link', { name: 'Storefront' })).toHaveAttribute('href', `/projects/${projectId}/issues`);
    await snap(page, '50-dashboard');
  });

  await test.step('the events feed filters through the URL and opens an event', async () => {
    await page.goto(`/projects/${projectId}/events`);
    const nav = page.getByRole('navigation', { name: 'Project' });
    await expect(nav.getByRole('link', { name: 'Events' })).toHaveAttribute('aria-current', 'page');
    const table = page.getByRole('table', { name: 'Events, newest first' });
    await expect(table.getByRole('link', { name: 'POST /checkout' })).toBeVisible();
    await expect(table.getByRole('link', { name: 'Payment provider answered slowly' })).toBeVisible();
    await snap(page, '51-events');

    await page.getByRole('navigation', { name: 'Event type' }).getByRole('link', { name: 'Logs' }).click();
    await expect(page).toHaveURL(/type=log/);
    await expect(table.getByRole('link', { name: 'POST /checkout' })).toBeHidden();
    await page.getByLabel('Search events').fill('nothing like this');
    await expect(page).toHaveURL(/q=nothing/);
    await expect(page.getByText('No events match these filters')).toBeVisible();
    await page.getByLabel('Search events').fill('slowly');
    await expect(page).toHaveURL(/q=slowly/);

    await table.getByRole('link', { name: 'Payment provider answered slowly' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Payment provider answered slowly' })).toBeVisible();
    const context = page.getByLabel('Context JSON');
    await expect(context).toContainText('"provider": "acme-pay"');
    await expect(context).not.toContainText('should-be-redacted');
    await expect(page.getByRole('region', { name: 'Request' })).toContainText('/checkout');
  });

  await test.step('the trace opens as a waterfall; a span shows its attributes', async () => {
    await page.goto(`/projects/${projectId}/traces`);
    await page.getByRole('link', { name: 'POST /checkout' }).click();
    const spans = page.getByRole('list', { name: 'Spans' });
    await expect(spans.getByRole('listitem')).toHaveCount(4);
    await spans.getByRole('button', { name: /SELECT carts/ }).click();
    const detail = page.getByRole('region', { name: 'SELECT carts' });
    await expect(detail.getByLabel('Span attributes')).toContainText('SELECT * FROM carts');
    await spans.getByRole('button', { name: /POST acme-pay/ }).hover();
    await snap(page, '52-trace');
  });

  await test.step('an admin pauses and resumes a monitor', async () => {
    await page.goto(`/projects/${projectId}/monitors`);
    const row = page.getByRole('row', { name: /nightly-invoices/ });
    await expect(row.getByText('OK', { exact: true })).toBeVisible();
    await row.getByRole('button', { name: 'Pause nightly-invoices' }).click();
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Paused nightly-invoices');
    await expect(row.getByText('Paused', { exact: true })).toBeVisible();
    await row.getByRole('button', { name: 'Resume nightly-invoices' }).click();
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Resumed nightly-invoices');
    await expect(row.getByText('OK', { exact: true })).toBeVisible();
    await snap(page, '53-monitors');
  });

  await test.step('deployments link to the commit and the pull request', async () => {
    await page.goto(`/projects/${projectId}/deployments`);
    const row = page.getByRole('row', { name: /3\.1\.0/ });
    await expect(row.getByRole('link', { name: 'Commit 9fceb02 (opens in a new tab)' })).toHaveAttribute(
      'href',
      `https://github.com/acme/storefront/commit/${COMMIT}`,
    );
    await expect(row.getByRole('link', { name: /Pull request #128/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/storefront/pull/128',
    );
    await page.getByLabel('Repository').fill('acme/other');
    await expect(page).toHaveURL(/repository=acme%2Fother|repository=acme\/other/);
    await expect(page.getByText('No deployments match these filters')).toBeVisible();
    await page.getByLabel('Repository').fill('acme/storefront');
    await expect(row).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'deployment' })).toHaveText('1 deployment match');
    await snap(page, '54-deployments');
  });
});
