import { expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';

/**
 * What the journeys share: the instance's administrator, who the first journey to run creates
 * through the setup link (any journey may run first, or alone), and small API helpers.
 */

/** The instance's administrator, the same account in every journey. */
export const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

/** The body of `response`, which must have `status`. */
export async function json<T>(response: APIResponse, status: number): Promise<T> {
  expect(response.status(), await response.text()).toBe(status);
  return (await response.json()) as T;
}

/**
 * Signs the administrator in through `api` (a page's request context shares the page's cookies),
 * claiming the setup link first on a fresh instance. Returns the session's CSRF token.
 */
export async function signInAdminAPI(api: APIRequestContext, setupToken: string): Promise<string> {
  const instance = await json<{ setupRequired: boolean }>(await api.get('/api/v1/instance'), 200);
  const session = instance.setupRequired
    ? await json<{ csrfToken: string }>(await api.post(`/api/v1/setup/${setupToken}`, { data: ADMIN }), 201)
    : await json<{ csrfToken: string }>(
        await api.post('/api/v1/auth/sign-in', { data: { email: ADMIN.email, password: ADMIN.password } }),
        200,
      );
  return session.csrfToken;
}

/**
 * Signs the administrator in through `api` and creates a project with an API key named
 * "Production": what a journey that sends telemetry through the HTTP API starts from.
 */
export async function projectWithKey(
  api: APIRequestContext,
  setupToken: string,
  project: { name: string; integrationKind: string },
): Promise<{ projectId: string; key: string }> {
  const headers = { 'X-CSRF-Token': await signInAdminAPI(api, setupToken) };
  const { id } = await json<{ id: string }>(await api.post('/api/v1/projects', { headers, data: project }), 201);
  const { key } = await json<{ key: string }>(
    await api.post(`/api/v1/projects/${id}/api-keys`, { headers, data: { name: 'Production' } }),
    201,
  );
  return { projectId: id, key };
}

/** Fills the sign-in form, which must be open on `page`, and submits it. */
export async function fillSignIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs the administrator in through the pages, as a person would: the setup page on a fresh
 * instance, else the sign-in form. Ends signed in on the home page.
 */
export async function signInAdmin(page: Page, setupToken: string): Promise<void> {
  const instance = await json<{ setupRequired: boolean }>(await page.request.get('/api/v1/instance'), 200);
  if (instance.setupRequired) {
    await page.goto(`/setup/${setupToken}`);
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('E-mail address').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
  } else {
    await page.goto('/sign-in');
    await fillSignIn(page, ADMIN);
  }
  await expect(page.getByRole('button', { name: /^Account menu for / })).toBeVisible();
}

/** The first link to this app's `path` in the newest outbox message to `to` about `subject`. */
export async function linkFromOutbox(admin: Page, to: string, subject: string, path: string): Promise<string> {
  await admin.goto('/admin/mail');
  const message = admin.getByRole('listitem').filter({ hasText: to }).filter({ hasText: subject }).first();
  await message.locator('summary').click();
  const href = await message.getByRole('link', { name: new RegExp(`/${path}/`) }).getAttribute('href');
  expect(href).toMatch(new RegExp(`/${path}/[A-Za-z0-9_-]{16,}$`));
  return href ?? '';
}
