/**
 * The session's CSRF token, kept in memory only (never in storage a script of another origin
 * could read). It is set whenever the app learns the session: sign-in, sign-up with an
 * invitation, setup, and every `GET /api/v1/session`. The API client sends it as `X-CSRF-Token`
 * on every state-changing request.
 */
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function getCsrfToken(): string | undefined {
  return csrfToken;
}
