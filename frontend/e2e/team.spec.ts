import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN, fillSignIn, linkFromOutbox, signInAdmin } from './session';

/**
 * A team forms around a project: the administrator invites a new address as viewer from the
 * project's settings, the invitee signs up from the mailed link and finds the project read-only,
 * then the administrator promotes them, manages the project's API keys and its rate limits.
 *
 * It runs alone or after accounts.spec.ts on the same server: it sets the instance up only when
 * no administrator exists yet, with the same administrator as that journey.
 */
test.describe.configure({ mode: 'serial' });

const INVITEE = { name: 'Katherine Johnson', email: 'katherine@example.com', password: 'orbital-mechanics-1962' };
const PROJECT = 'Payments';

function settingsTab(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name });
}

test('the administrator invites a viewer from the project settings, promotes them, and manages keys and limits', async ({
  page,
  context,
  setupToken,
  newContext,
  snap,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  let projectId = '';

  await test.step('the administrator creates a project and opens its settings', async () => {
    await signInAdmin(page, setupToken);
    await page.goto('/projects/new');
    const form = page.getByRole('form', { name: 'New project' });
    await form.getByLabel('Name').fill(PROJECT);
    await form.getByLabel('Integration').selectOption('python');
    await form.getByLabel(/Description/).fill('Card payments and refunds');
    await form.getByRole('button', { name: 'Create project' }).click();
    await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/setup$/);
    projectId = /\/projects\/([0-9a-f-]{36})\//.exec(page.url())?.[1] ?? '';

    await page.goto(`/projects/${projectId}/settings`);
    const general = page.getByRole('form', { name: 'General settings' });
    await expect(general.getByLabel('Name')).toHaveValue(PROJECT);
    await expect(general.getByLabel('Integration')).toHaveValue('python');
    await expect(page.getByText('Your role:')).toContainText('Owner');
    await general.getByLabel(/Description/).fill('Card payments, refunds and payouts');
    await general.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved')).toBeVisible();
    await snap(page, '60-settings-general');
  });

  await test.step('Settings → Members: a new address is invited as viewer', async () => {
    await settingsTab(page, 'Members').click();
    await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/settings/members$`));
    const members = page.getByRole('table', { name: 'Members' });
    await expect(members.getByRole('row', { name: new RegExp(ADMIN.email) })).toContainText('Owner');
    const form = page.getByRole('form', { name: 'Add a member' });
    await form.getByLabel('E-mail address').fill(INVITEE.email);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByText(`Invitation sent to ${INVITEE.email}`)).toBeVisible();
    await expect(page.getByText('There is no account with this address yet.', { exact: false })).toBeVisible();
    const invitations = page.getByRole('table', { name: 'Pending invitations' });
    await expect(invitations.getByRole('row', { name: new RegExp(INVITEE.email) })).toContainText('Viewer');
    await invitations.scrollIntoViewIfNeeded();
    await snap(page, '61-settings-members');
  });

  const invitationLink = await test.step('the invitation link is in the mail outbox', async () => {
    const admin = await context.newPage();
    const link = await linkFromOutbox(admin, INVITEE.email, `You are invited to ${PROJECT}`, 'invitations');
    await admin.close();
    return link;
  });

  await test.step('the invitee signs up from the link, signs in again, and finds the project read-only', async () => {
    const invitee = await (await newContext()).newPage();
    await invitee.goto(invitationLink);
    await expect(invitee.getByRole('heading', { name: 'You are invited' })).toBeVisible();
    await expect(invitee.getByText(INVITEE.email)).toBeVisible();
    await invitee.getByRole('link', { name: 'Create your account' }).click();
    await expect(invitee.getByLabel('E-mail address')).toHaveValue(INVITEE.email);
    await invitee.getByLabel('Your name').fill(INVITEE.name);
    await invitee.getByLabel('Password', { exact: true }).fill(INVITEE.password);
    await invitee.getByRole('button', { name: 'Create account' }).click();
    await expect(invitee.getByText(`Welcome, ${INVITEE.name}`).first()).toBeVisible();

    await invitee.getByRole('button', { name: /^Account menu for / }).click();
    await invitee.getByRole('menu').getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(invitee).toHaveURL(/\/sign-in$/);
    await fillSignIn(invitee, INVITEE);
    await expect(invitee).toHaveURL(/\/$/);
    await expect(invitee.getByRole('main').getByRole('link', { name: PROJECT, exact: true }).first()).toBeVisible();

    await invitee.getByRole('button', { name: 'Switch project' }).click();
    const project = invitee.getByRole('menu').getByRole('menuitem', { name: PROJECT });
    await expect(project).toBeVisible();
    await snap(invitee, '62-invitee-projects');
    await project.click();
    await expect(invitee).toHaveURL(new RegExp(`/projects/${projectId}/issues`));
    await expect(invitee.getByRole('heading', { level: 1, name: 'Issues' })).toBeVisible();

    await invitee.goto(`/projects/${projectId}/settings`);
    const general = invitee.getByRole('form', { name: 'General settings' });
    await expect(general.getByLabel('Name')).toHaveValue(PROJECT);
    await expect(general.getByLabel('Name')).not.toBeEditable();
    await expect(general.getByLabel('Integration')).toBeDisabled();
    await expect(general.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
    await expect(invitee.getByText('change these settings; you are a viewer', { exact: false })).toBeVisible();
    await settingsTab(invitee, 'Members').click();
    await expect(invitee.getByRole('table', { name: 'Members' }).getByRole('row', { name: new RegExp(INVITEE.email) })).toContainText(
      'Viewer',
    );
    await expect(invitee.getByRole('form', { name: 'Add a member' })).toHaveCount(0);
    await settingsTab(invitee, 'API keys').click();
    await expect(invitee.getByText('see and manage API keys; you are a viewer', { exact: false })).toBeVisible();
    await settingsTab(invitee, 'Danger zone').click();
    await expect(invitee.getByText('archive, restore or delete it; you are a viewer', { exact: false })).toBeVisible();
  });

  await test.step('the administrator makes the invitee an admin', async () => {
    await page.reload();
    const members = page.getByRole('table', { name: 'Members' });
    await expect(members.getByRole('row', { name: new RegExp(INVITEE.email) })).toBeVisible();
    await expect(page.getByText('No pending invitations')).toBeVisible();
    await members.getByLabel(`Role of ${INVITEE.email}`).selectOption('admin');
    await expect(page.getByText(`${INVITEE.name} is now an admin`)).toBeVisible();
    await page.reload();
    await expect(page.getByRole('table', { name: 'Members' }).getByLabel(`Role of ${INVITEE.email}`)).toHaveValue('admin');
  });

  await test.step('Settings → API keys: a key is shown once, then revoked', async () => {
    await settingsTab(page, 'API keys').click();
    await expect(page.getByText('No API keys')).toBeVisible();
    await page.getByRole('button', { name: 'New API key' }).click();
    const form = page.getByRole('form', { name: 'New API key' });
    await form.getByLabel('Name').fill('Production');
    await form.getByRole('button', { name: 'Create API key' }).click();
    const panel = page.getByRole('region', { name: 'New API key' });
    const field = panel.getByLabel('New API key');
    await expect(field).toHaveValue(/^logister_[0-9a-f]{48}$/);
    const key = await field.inputValue();
    await panel.getByRole('button', { name: 'Copy' }).click();
    await expect(panel.getByText('Copied')).toBeVisible();
    const keys = page.getByRole('table', { name: 'API keys' });
    await expect(keys.getByRole('row', { name: /Production/ })).toContainText('Active');
    await snap(page, '63-settings-keys');

    await panel.getByRole('button', { name: 'Done' }).click();
    await expect(page.locator('body')).not.toContainText(key);
    await keys.getByRole('button', { name: 'Revoke Production' }).click();
    await page.getByRole('dialog', { name: 'Revoke “Production”?' }).getByRole('button', { name: 'Revoke API key' }).click();
    await expect(page.getByText('API key revoked')).toBeVisible();
    await expect(keys.getByRole('row', { name: /Production/ })).toContainText('Revoked');
    await expect(keys.getByRole('button', { name: 'Revoke Production' })).toHaveCount(0);
  });

  await test.step('instance admin: the project’s rate limits get an override', async () => {
    await page.goto('/admin/projects');
    await page.getByLabel('Search projects').fill(PROJECT);
    const row = page.getByRole('table', { name: 'Projects' }).getByRole('row', { name: new RegExp(PROJECT) });
    await expect(row).toContainText(ADMIN.email);
    await row.getByRole('button', { name: `Rate limits of ${PROJECT}` }).click();
    const dialog = page.getByRole('dialog', { name: `Rate limits of ${PROJECT}` });
    const form = dialog.getByRole('form', { name: 'Rate limit overrides' });
    await form.getByLabel(/Window length/).fill('100000');
    await form.getByRole('button', { name: 'Save overrides' }).click();
    await expect(form.getByText(/Enter a whole number from 1 to 86,400/)).toBeVisible();
    await form.getByLabel(/Window length/).fill('30');
    await form.getByLabel(/Submissions per window/).fill('500');
    await form.getByRole('button', { name: 'Save overrides' }).click();
    await expect(page.getByText(`Rate limits of ${PROJECT} saved`)).toBeVisible();
    const effective = dialog.getByRole('table', { name: 'Limits in effect' });
    await expect(effective.getByRole('row', { name: /Submissions/ })).toContainText('500');
    await expect(effective.getByRole('row', { name: /Window/ })).toContainText('30 s');
    await snap(page, '64-admin-rate-limits');
  });
});
