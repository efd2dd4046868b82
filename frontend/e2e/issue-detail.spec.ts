import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { ADMIN, signInAdmin } from './session';

/**
 * The issue page against the real server: an error sent as the SDKs send it (request context,
 * exception chain, tags, trace id), a log of the same trace and a deployment just before, all
 * through the public HTTP API; then each tab of the issue, a comment, a snooze and the export.
 *
 * It runs alone (its own fresh server) or after accounts.spec.ts (same server, whose setup link
 * is then used up): it signs in as that journey's administrator in the second case.
 */
test.describe.configure({ mode: 'serial' });

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const RELEASE = 'py-driver@1.2.3';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** What logister-python sends for an exception raised in a Flask view (see shared/spec/sdk-wire-examples). */
function flaskError(occurredAt: Date) {
  return {
    event: {
      event_type: 'error',
      level: 'error',
      message: 'card declined for amount 4200',
      occurred_at: occurredAt.toISOString(),
      fingerprint: 'payment-declined',
      context: {
        service: 'checkout',
        framework: 'flask',
        order_id: 991,
        tags: { area: 'checkout', plan: 'pro' },
        exception: {
          class: 'PaymentDeclinedError',
          qualified_class: 'shop.payments.PaymentDeclinedError',
          module: 'shop.payments',
          message: 'card declined for amount 4200',
          frames: [
            { filename: '/srv/app/shop/views.py', lineno: 101, name: 'checkout', line: 'charge_card(4200)' },
            {
              filename: '/srv/app/shop/payments.py',
              lineno: 97,
              name: 'charge_card',
              line: "raise PaymentDeclinedError(f\"card declined for amount {card['amount']}\") from inner",
            },
          ],
          backtrace: [
            'File "/srv/app/shop/views.py", line 101, in checkout',
            'File "/srv/app/shop/payments.py", line 97, in charge_card',
          ],
          cause: {
            class: 'KeyError',
            qualified_class: 'builtins.KeyError',
            module: 'builtins',
            message: "'missing'",
            frames: [{ filename: '/srv/app/shop/payments.py', lineno: 95, name: 'charge_card', line: '{}["missing"]' }],
            backtrace: ['File "/srv/app/shop/payments.py", line 95, in charge_card'],
          },
        },
        request: {
          method: 'POST',
          path: '/checkout',
          url: 'https://shop.example.com/checkout?step=2&coupon=SPRING',
          headers: {
            Host: 'shop.example.com',
            'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
            Cookie: 'session=abc123',
            'X-Request-Id': 'req-flask-1',
          },
          query_string: 'step=2&coupon=SPRING',
          endpoint: 'checkout',
          client_ip: '203.0.113.7',
        },
        environment: 'production',
        release: RELEASE,
        trace_id: TRACE_ID,
        request_id: 'req-flask-1',
        user_id: 'user-42',
        runtime: 'python',
        python_version: '3.11.2',
      },
    },
  };
}

/** A log line of the same request, a few seconds before the error. */
function relatedLog(occurredAt: Date) {
  return {
    event: {
      event_type: 'log',
      level: 'warning',
      message: 'payment gateway answered 402 for order 991',
      occurred_at: occurredAt.toISOString(),
      context: {
        service: 'checkout',
        logger: 'shop.payments',
        environment: 'production',
        release: RELEASE,
        trace_id: TRACE_ID,
        request_id: 'req-flask-1',
      },
    },
  };
}

function deployment(deployedAt: Date) {
  return {
    deployment: {
      release: RELEASE,
      environment: 'production',
      repository: 'acme/checkout-app',
      commit_sha: COMMIT,
      branch: 'main',
      deployed_at: deployedAt.toISOString(),
      pull_request_number: 17,
      pull_request_url: 'https://github.com/acme/checkout-app/pull/17',
      release_url: 'https://github.com/acme/checkout-app/releases/tag/v1.2.3',
      compare_url: 'https://github.com/acme/checkout-app/compare/v1.2.2...v1.2.3',
    },
  };
}

test('an error with its request, a related log and a deployment, through every tab of the issue', async ({
  page,
  request,
  setupToken,
  snap,
}) => {
  await signInAdmin(page, setupToken);

  let key = '';
  await test.step('a project and its key', async () => {
    await page.goto('/projects/new');
    const form = page.getByRole('form');
    await form.getByLabel('Name').fill('Checkout');
    await form.getByLabel('Integration').selectOption({ index: 0 });
    await form.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('button', { name: 'Create API key' }).click();
    key = await page.getByRole('textbox', { name: 'API key' }).inputValue();
    expect(key).toMatch(/^logister_[0-9a-f]{48}$/);
  });

  await test.step('a deployment, a log and the error, sent with the real HTTP API', async () => {
    const now = Date.now();
    const headers = { Authorization: `Bearer ${key}` };
    const sent = [
      await request.post('/api/v1/deployments', { headers, data: deployment(new Date(now - 12 * 60_000)) }),
      await request.post('/api/v1/ingest_events', { headers, data: relatedLog(new Date(now - 5_000)) }),
      await request.post('/api/v1/ingest_events', { headers, data: flaskError(new Date(now)) }),
    ];
    expect(sent.map((r) => r.status())).toEqual([201, 201, 201]);
  });

  await test.step('the stack: the exception chain, in-app frames', async () => {
    await page.getByRole('link', { name: 'Open the inbox' }).click();
    await page.getByRole('link', { name: /card declined for amount 4200/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('card declined');
    await expect(page.getByRole('tab', { name: 'Stack' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('list', { name: 'Frames of PaymentDeclinedError' })).toBeVisible();
    await expect(page.getByText('Caused by')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Frames of KeyError' })).toBeVisible();
    await snap(page, '40-issue-stack');
  });

  await test.step('the request: method, URL, headers (redacted) and query', async () => {
    await page.getByRole('tab', { name: 'Request' }).click();
    await expect(page).toHaveURL(/[?&]tab=request/);
    await expect(page.locator('.request__method')).toHaveText('POST');
    await expect(page.getByText('/checkout', { exact: true })).toBeVisible();
    const headers = page.getByRole('table', { name: 'Headers' });
    await expect(headers.getByRole('row', { name: /User-Agent/ })).toContainText('Firefox/140.0');
    await expect(headers.getByRole('row', { name: /Cookie/ })).not.toContainText('abc123');
    await expect(page.getByRole('table', { name: 'Query string' }).getByRole('row', { name: /coupon/ })).toContainText('SPRING');
    await expect(page.getByText('203.0.113.7')).toBeVisible();
    await snap(page, '41-issue-request');
  });

  await test.step('context and tags', async () => {
    await page.getByRole('tab', { name: 'Context & tags' }).click();
    await expect(page.getByRole('list', { name: 'Tags', exact: true })).toContainText('checkout');
    await expect(page.getByRole('list', { name: 'Context', exact: true })).toBeVisible();
  });

  await test.step('the occurrences: choosing one shows it in the stack tab', async () => {
    await page.getByRole('tab', { name: 'Occurrences' }).click();
    const occurrences = page.getByRole('list', { name: 'Occurrences' });
    await expect(occurrences.getByRole('listitem')).toHaveCount(1);
    await occurrences.getByRole('link').first().click();
    await expect(page).toHaveURL(/[?&]event=[0-9a-f-]{36}/);
    await expect(page.getByText('Chosen occurrence')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Frames of PaymentDeclinedError' })).toBeVisible();
  });

  await test.step('the related log, matched on the trace', async () => {
    await page.getByRole('tab', { name: 'Related logs' }).click();
    const logs = page.getByRole('list', { name: 'Related logs' });
    await expect(logs).toContainText('payment gateway answered 402 for order 991');
    await expect(page.getByText(/sharing the occurrence's .*trace id/)).toBeVisible();
  });

  await test.step('the deployment it started after', async () => {
    await page.getByRole('tab', { name: 'Deployment' }).click();
    await expect(page.getByText(/minutes? after/)).toBeVisible();
    await expect(page.getByRole('link', { name: '#17' })).toHaveAttribute('href', 'https://github.com/acme/checkout-app/pull/17');
    await expect(page.getByRole('link', { name: '0123456' })).toBeVisible();
    await snap(page, '43-issue-deployment');
  });

  await test.step("the assignee picker lists the project's owner", async () => {
    await page.getByRole('button', { name: 'Assignee: nobody' }).click();
    await expect(page.getByRole('menuitem', { name: new RegExp(`${ADMIN.name} \\(you\\)`) })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();
  });

  await test.step('a comment in the activity', async () => {
    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByRole('textbox', { name: 'Comment' }).fill('Declined cards should not raise: see the retry in 1.2.4.');
    await page.getByRole('textbox', { name: 'Comment' }).press('Control+Enter');
    const timeline = page.getByRole('list', { name: 'Activity' });
    await expect(timeline).toContainText('Declined cards should not raise');
    await expect(page.getByRole('textbox', { name: 'Comment' })).toHaveValue('');
  });

  await test.step('snoozed for 24 hours, which the activity records', async () => {
    await page.getByRole('button', { name: 'Ignore for a while' }).click();
    await page.getByRole('menuitem', { name: 'For 24 hours' }).click();
    await expect(page.getByText(/^Ignored until /)).toBeVisible();
    await expect(page.getByRole('list', { name: 'Activity' })).toContainText('ignored the issue');
    await snap(page, '42-issue-activity');
  });

  await test.step('the JSON export downloads under its own name', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^logister-error-[0-9a-f-]{36}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, unknown>;
    expect(exported).toMatchObject({ format: 'logister_error_group', version: 2 });
    expect(Array.isArray(exported.occurrences)).toBe(true);
  });
});
