import { $api, api } from '../../api/client';
import { cursorPagesOptions, pageQuery } from '../../api/queries';

/** Pages of users, newest first, optionally filtered by `q` (in e-mail or name). */
export function adminUsersOptions(q: string | undefined) {
  const init = { params: { query: q ? { q } : {} } };
  return cursorPagesOptions($api.queryOptions('get', '/api/v1/admin/users', init).queryKey, async (cursor, signal) => {
    const { data } = await api.GET('/api/v1/admin/users', {
      params: { query: { ...(q ? { q } : {}), ...pageQuery(cursor, 50) } },
      signal,
    });
    return data ?? { users: [] };
  });
}

/** Pages of the mail outbox, newest first. */
export function adminMailOptions() {
  return cursorPagesOptions($api.queryOptions('get', '/api/v1/admin/mail').queryKey, async (cursor, signal) => {
    const { data } = await api.GET('/api/v1/admin/mail', {
      params: { query: { ...pageQuery(cursor, 25) } },
      signal,
    });
    return data ?? { messages: [] };
  });
}
