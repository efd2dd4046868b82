import { expect, test } from './fixtures';
import { projectWithKey } from './session';

/**
 * The inbox's triage journey: three errors arrive through the real HTTP API, two are selected with
 * the keyboard and a checkbox and resolved together, the status tabs count them, `?` shows the
 * keyboard shortcuts, `e` resolves the focused issue, the assignee filter round-trips through the
 * URL, and one issue is ignored for 24 hours.
 */

/** An error event of the HTTP API, as an SDK sends it. */
function errorEvent(exception: string, message: string, frame: string) {
  return {
    event: {
      event_type: 'error',
      message: `${exception}: ${message}`,
      occurred_at: new Date().toISOString(),
      context: {
        environment: 'production',
        release: '2.3.0',
        exception: { class: exception, backtrace: [frame, "app/controllers/checkout_controller.rb:18:in 'create'"] },
      },
    },
  };
}

const ERRORS = [
  errorEvent('NoMethodError', "undefined method 'amount' for nil", "app/models/payment.rb:31:in 'amount'"),
  errorEvent('ActiveRecord::RecordNotFound', "Couldn't find Coupon with 'code'=SPRING", "app/models/coupon.rb:9:in 'find_code'"),
  errorEvent('Timeout::Error', 'execution expired', "app/services/tax_service.rb:44:in 'rate_for'"),
];

test('triage: select issues with the keyboard and checkboxes, resolve them together, see the shortcuts', async ({
  page,
  request,
  setupToken,
  snap,
}) => {
  let projectId = '';

  await test.step('a project with a key, and three different errors sent with the HTTP API', async () => {
    const created = await projectWithKey(page.request, setupToken, { name: 'Checkout', integrationKind: 'ruby' });
    projectId = created.projectId;
    const { key } = created;
    for (const event of ERRORS) {
      const sent = await request.post('/api/v1/ingest_events', { headers: { Authorization: `Bearer ${key}` }, data: event });
      expect(sent.status(), await sent.text()).toBe(201);
    }
  });

  const tabs = page.getByRole('navigation', { name: 'Issue status' });
  const list = page.getByRole('list', { name: 'Issues' });

  await test.step('the inbox lists the three; j, x and a checkbox select two', async () => {
    await page.goto(`/projects/${projectId}/issues`);
    await expect(list.getByRole('listitem')).toHaveCount(3);
    await expect(tabs.getByRole('link', { name: 'Unresolved 3' })).toBeVisible();

    // The newest comes first: Timeout::Error, then RecordNotFound, then NoMethodError.
    await page.keyboard.press('j');
    await expect(list.getByRole('link', { name: /Timeout::Error/ })).toBeFocused();
    await page.keyboard.press('x');
    await expect(page.getByRole('checkbox', { name: /^Select Timeout::Error/ })).toBeChecked();
    await page.getByRole('checkbox', { name: /^Select NoMethodError/ }).check();
    await expect(page.getByRole('checkbox', { name: 'Select all issues on this page' })).toHaveJSProperty('indeterminate', true);

    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await expect(bar).toContainText('2 selected');
    await expect(page.getByText('2 of 3 selected')).toBeVisible();
    await snap(page, '30-inbox-selection');
  });

  await test.step('Resolve in the bulk bar resolves both; the tabs count them', async () => {
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Resolved 2 issues');
    await expect(page.getByRole('region', { name: 'Bulk actions' })).toBeHidden();
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list.getByRole('link', { name: /RecordNotFound/ })).toBeVisible();
    await expect(tabs.getByRole('link', { name: 'Unresolved 1' })).toBeVisible();
    await expect(tabs.getByRole('link', { name: 'Resolved 2' })).toBeVisible();
    await expect(tabs.getByRole('link', { name: 'All 3' })).toBeVisible();
    await snap(page, '31-inbox-bulk-done');
  });

  await test.step('? shows the keyboard shortcuts; Escape closes them', async () => {
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await expect(dialog).toContainText('Resolve the selected issues, or the focused one');
    await snap(page, '32-keyboard-help');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  await test.step('e resolves the focused issue; the assignee filter edits the query', async () => {
    await page.keyboard.press('j');
    await page.keyboard.press('e');
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Resolved 1 issue');
    await expect(tabs.getByRole('link', { name: 'Resolved 3' })).toBeVisible();
    await expect(page.getByText('Nothing unresolved')).toBeVisible();

    await tabs.getByRole('link', { name: /^All/ }).click();
    await expect(list.getByRole('listitem')).toHaveCount(3);
    await page.getByRole('combobox', { name: 'Assignee' }).selectOption({ label: 'Me' });
    await expect(page).toHaveURL(/q=is%3Aall(\+|%20)assigned%3Ame$/);
    await expect(page.getByText('No issues match this search')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page.getByRole('combobox', { name: 'Assignee' })).toHaveValue('');
    await expect(list.getByRole('listitem')).toHaveCount(3);
  });

  await test.step('Ignore for 24 hours snoozes the selection', async () => {
    await page.getByRole('checkbox', { name: /^Select NoMethodError/ }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Ignore' }).click();
    await page.getByRole('menuitem', { name: 'For 24 hours' }).click();
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Ignored 1 issue for 24 hours');
    await expect(tabs.getByRole('link', { name: 'Ignored 1' })).toBeVisible();
    await expect(tabs.getByRole('link', { name: 'Resolved 2' })).toBeVisible();
  });
});
