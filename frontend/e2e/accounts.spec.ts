import type { BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN, linkFromOutbox } from './session';

/**
 * The account journeys, in order against one server: the first administrator sets the instance
 * up, then a second person signs up and is confirmed through the administrator's mail outbox.
 */
test.describe.configure({ mode: 'serial' });

const MEMBER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };
const INVITEE = { name: 'Linus Torvalds', email: 'linus@example.com', password: 'penguins-all-the-way' };

/**
 * The administrator's signed-in browser state (the session cookie), saved by the first journey so
 * later ones need not sign in again: sign-in is rate limited per client (10 a minute).
 */
let adminState: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openAccountMenu(page: Page) {
  await page.getByRole('button', { name: /^Account menu for / }).click();
  return page.getByRole('menu');
}

/** The signed-in administrator, in a browser context of their own. */
async function adminPage(newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>): Promise<Page> {
  if (!adminState) throw new Error('the first journey did not sign the administrator in');
  const context = await newContext({ storageState: adminState });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  return page;
}

test('the first administrator sets up the instance, creates a token, signs out and in again', async ({
  page,
  context,
  setupToken,
  baseURL,
  request,
  snap,
  expectHttpErrors,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  await test.step('a fresh instance sends visitors to sign-in, which points at the setup link', async () => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByText('No administrator yet')).toBeVisible();
    await snap(page, '01-sign-in-before-setup');
  });

  await test.step('the setup link creates the administrator, who lands signed in', async () => {
    await page.goto(`/setup/${setupToken}`);
    await expect(page.getByRole('heading', { name: 'Set up Acme Logister' })).toBeVisible();
    await snap(page, '02-setup');
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('E-mail address').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();

    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.getByText('Create your first project')).toBeVisible();
    await expect(page.getByRole('banner').getByRole('link', { name: 'Acme Logister' })).toBeVisible();
    await snap(page, '03-home');
  });

  await test.step('the setup link is used up', async () => {
    const answer = await request.get(`/api/v1/setup/${setupToken}`);
    expect(answer.status()).toBe(410);
  });

  let plaintext = '';
  await test.step('profile: a new token is shown once, with a copy button, and works', async () => {
    const menu = await openAccountMenu(page);
    await menu.getByRole('menuitem', { name: 'Profile and tokens' }).click();
    await expect(page.getByRole('heading', { level: 1, name: ADMIN.name })).toBeVisible();
    await expect(page.getByText('No personal access tokens')).toBeVisible();
    await snap(page, '04-profile');

    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('form', { name: 'New token' });
    await form.getByLabel('Name').fill('CI deploy');
    await form.getByLabel('Scope').selectOption('write');
    await form.getByLabel('Expires after').selectOption('90');
    await form.getByRole('button', { name: 'Create token' }).click();

    const panel = page.getByRole('region', { name: 'New token' });
    const field = panel.getByLabel('New token');
    await expect(field).toHaveValue(/^logister_pat_[0-9a-f]{64}$/);
    plaintext = await field.inputValue();
    await panel.getByRole('button', { name: 'Copy' }).click();
    await expect(panel.getByText('Copied')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(plaintext);
    await expect(page.getByRole('row', { name: /CI deploy/ })).toContainText('write');
    await snap(page, '05-token-created');

    await panel.getByRole('button', { name: 'Done' }).click();
    await expect(panel).toBeHidden();
    await expect(page.locator('body')).not.toContainText(plaintext);

    const session = await request.get('/api/v1/session', { headers: { Authorization: `Bearer ${plaintext}` } });
    expect(session.status()).toBe(200);
    expect(await session.json()).toMatchObject({ method: 'token', scope: 'write', user: { email: ADMIN.email } });
  });

  await test.step('the dark theme', async () => {
    const toggle = page.getByRole('button', { name: /^Theme: / });
    await toggle.click(); // system → light
    await toggle.click(); // light → dark
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await snap(page, '06-profile-dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByRole('button', { name: /^Theme: / }).click(); // dark → system
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });

  await test.step('admin pages', async () => {
    const menu = await openAccountMenu(page);
    await menu.getByRole('menuitem', { name: 'Instance admin' }).click();
    await expect(page.getByRole('row', { name: new RegExp(ADMIN.email) })).toContainText('(you)');
    await snap(page, '07-admin-users');
    await page.getByRole('link', { name: 'Instance' }).click();
    await expect(page.getByText('Open: anyone can create an account')).toBeVisible();
    await expect(page.getByRole('row', { name: /PostgreSQL/ })).toContainText('OK');
    await snap(page, '08-admin-instance');
  });

  await test.step('sign out, a wrong password, and signing in again', async () => {
    const menu = await openAccountMenu(page);
    await menu.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByText('Signed out')).toBeVisible();
    // Signed out, the profile is out of reach.
    await page.goto('/profile');
    await expect(page).toHaveURL(/\/sign-in\?redirect=%2Fprofile$/);

    expectHttpErrors({ status: 401, path: '/api/v1/auth/sign-in' });
    await signIn(page, { email: ADMIN.email, password: 'not-the-password' });
    await expect(page.getByRole('alert')).toContainText('Could not sign in.');
    await snap(page, '09-sign-in-error');

    await signIn(page, ADMIN);
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByRole('row', { name: /CI deploy/ })).toBeVisible();
    adminState = await context.storageState();
  });

  expect(baseURL).toBeTruthy();
});

test('a new user signs up, is confirmed through the mail outbox, and signs in', async ({
  page,
  newContext,
  baseURL,
  snap,
  expectHttpErrors,
}) => {
  await test.step('sign up: a confirmation link is mailed', async () => {
    await page.goto('/sign-up');
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await snap(page, '10-sign-up');
    await page.getByLabel('Your name').fill(MEMBER.name);
    await page.getByLabel('E-mail address').fill(MEMBER.email);
    await page.getByLabel('Password', { exact: true }).fill(MEMBER.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Check your mailbox' })).toBeVisible();
    await snap(page, '11-sign-up-mailed');
  });

  await test.step('an unconfirmed account cannot sign in yet', async () => {
    expectHttpErrors({ status: 403, path: '/api/v1/auth/sign-in' });
    await page.getByRole('link', { name: 'Go to sign in' }).click();
    await expect(page.getByLabel('E-mail address')).toHaveValue(MEMBER.email);
    await page.getByLabel('Password', { exact: true }).fill(MEMBER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('Could not sign in.');
    await expect(page.getByRole('link', { name: 'Send a new confirmation link' })).toBeVisible();
  });

  let confirmLink = '';
  await test.step('the administrator finds the confirmation link in the mail outbox', async () => {
    const admin = await adminPage(newContext);
    await admin.goto('/admin/users');
    await expect(admin.getByRole('row', { name: new RegExp(MEMBER.email) })).toContainText('Unconfirmed');
    confirmLink = await linkFromOutbox(admin, MEMBER.email, 'Confirm your e-mail address', 'confirm');
    expect(confirmLink.startsWith(`${baseURL ?? ''}/confirm/`)).toBe(true);
    await snap(admin, '12-admin-mail');
  });

  await test.step('the link confirms the address; then sign-in works', async () => {
    await page.goto(confirmLink);
    await expect(page.getByRole('heading', { name: 'Your e-mail address is confirmed' })).toBeVisible();
    await snap(page, '13-confirmed');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await expect(page.getByLabel('E-mail address')).toHaveValue(MEMBER.email);
    await page.getByLabel('Password', { exact: true }).fill(MEMBER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText(`Welcome, ${MEMBER.name}.`)).toBeVisible();
  });

  await test.step('a member has no admin pages', async () => {
    const menu = await openAccountMenu(page);
    await expect(menu.getByRole('menuitem')).toHaveText(['Profile and tokens', 'Sign out']);
    await page.keyboard.press('Escape');
    await page.goto('/admin/users');
    await expect(page.getByText('You do not have access to this page')).toBeVisible();
    await snap(page, '14-member-no-admin');
  });
});

test('an invited person creates their account from the invitation link', async ({ page, newContext, snap }) => {
  let invitationLink = '';
  await test.step('the administrator invites them; the link is in the outbox', async () => {
    const admin = await adminPage(newContext);
    await admin.goto('/admin/users');
    await admin.getByRole('button', { name: 'Invite someone' }).click();
    const form = admin.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('E-mail address').fill(INVITEE.email);
    await snap(admin, '15-admin-invite');
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect(admin.getByText(`Invitation sent to ${INVITEE.email}`)).toBeVisible();
    invitationLink = await linkFromOutbox(admin, INVITEE.email, 'You are invited', 'invitations');
  });

  await test.step('the invitation page leads to sign-up for the invited address, signed in at once', async () => {
    await page.goto(invitationLink);
    await expect(page.getByRole('heading', { name: 'You are invited' })).toBeVisible();
    await expect(page.getByText(INVITEE.email)).toBeVisible();
    await snap(page, '16-invitation');
    await page.getByRole('link', { name: 'Create your account' }).click();
    await expect(page.getByLabel('E-mail address')).toHaveValue(INVITEE.email);
    await page.getByLabel('Your name').fill(INVITEE.name);
    await page.getByLabel('Password', { exact: true }).fill(INVITEE.password);
    await snap(page, '17-sign-up-invited');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText(`Welcome, ${INVITEE.name}.`)).toBeVisible();
  });
});

test('a forgotten password is reset through the mailed link', async ({ page, newContext, snap }) => {
  const newPassword = 'first-compiler-A-0';
  await test.step('ask for a reset link', async () => {
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
    await page.getByLabel('E-mail address').fill(MEMBER.email);
    await snap(page, '18-forgot-password');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your mailbox' })).toBeVisible();
  });

  let resetLink = '';
  await test.step('the administrator passes the link on', async () => {
    const admin = await adminPage(newContext);
    resetLink = await linkFromOutbox(admin, MEMBER.email, 'Reset your password', 'reset-password');
  });

  await test.step('the link sets a new password, which then signs in', async () => {
    await page.goto(resetLink);
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await snap(page, '19-reset-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByText('Password changed')).toBeVisible();
    await signIn(page, { email: MEMBER.email, password: newPassword });
    await expect(page.getByText(`Welcome, ${MEMBER.name}.`)).toBeVisible();
  });
});

test('the administrator creates a project, sends an error with its key, and triages it to a regression', async ({
  newContext,
  request,
  snap,
}) => {
  const admin = await adminPage(newContext);
  const errorEvent = (release: string) => ({
    event: {
      event_type: 'error',
      message: "NoMethodError: undefined method 'total' for nil",
      occurred_at: new Date().toISOString(),
      context: {
        environment: 'production',
        release,
        exception: {
          class: 'NoMethodError',
          backtrace: ["app/models/cart.rb:12:in 'total'", "app/controllers/carts_controller.rb:5:in 'show'"],
        },
      },
    },
  });
  let key = '';

  await test.step('a new project, and its key shown once on the setup page', async () => {
    await admin.goto('/projects/new');
    const form = admin.getByRole('form');
    await form.getByLabel('Name').fill('Web shop');
    await form.getByLabel('Integration').selectOption({ index: 0 });
    await form.getByRole('button', { name: 'Create project' }).click();
    await expect(admin.getByText(/Waiting for the first event/)).toBeVisible();
    await admin.getByRole('button', { name: 'Create API key' }).click();
    key = await admin.getByRole('textbox', { name: 'API key' }).inputValue();
    expect(key).toMatch(/^logister_[0-9a-f]{48}$/);
    await snap(admin, '20-project-setup');
  });

  await test.step('an error sent with the real HTTP API shows up, and the setup page says so', async () => {
    const sent = await request.post('/api/v1/ingest_events', {
      headers: { Authorization: `Bearer ${key}` },
      data: errorEvent('1.0.0'),
    });
    expect(sent.status()).toBe(201);
    await admin.getByRole('link', { name: 'Open the inbox' }).click();
    await expect(admin.getByRole('link', { name: /undefined method 'total' for nil/ })).toBeVisible();
    await snap(admin, '21-inbox');
  });

  await test.step('open it, assign it to me, resolve it', async () => {
    await admin.getByRole('link', { name: /undefined method 'total' for nil/ }).click();
    await expect(admin.getByRole('list', { name: 'Frames of NoMethodError' })).toBeVisible();
    const actions = admin.getByRole('group', { name: 'Issue actions' });
    await actions.getByRole('button', { name: /Assign to me/ }).click();
    await expect(actions.getByRole('button', { name: /Unassign/ })).toBeVisible();
    await actions.getByRole('button', { name: 'Resolve' }).click();
    await expect(actions.getByRole('button', { name: 'Reopen' })).toBeVisible();
    await snap(admin, '22-issue-resolved');
  });

  await test.step('the same error again reopens it as a regression', async () => {
    const again = await request.post('/api/v1/ingest_events', {
      headers: { Authorization: `Bearer ${key}` },
      data: errorEvent('1.0.1'),
    });
    expect(again.status()).toBe(201);
    await admin.reload();
    const actions = admin.getByRole('group', { name: 'Issue actions' });
    await expect(actions.getByRole('button', { name: 'Resolve' })).toBeVisible();
    await expect(admin.getByText('1.0.1').first()).toBeVisible();
    await snap(admin, '23-issue-regressed');
  });
});
