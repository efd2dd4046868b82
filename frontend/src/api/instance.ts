import { $api } from './client';

/**
 * The public instance facts (name, version, health, whether setup is needed). One cache entry
 * serves the top bar, the tab title and the pages that show them.
 */
export function useInstance() {
  return $api.useQuery('get', '/api/v1/instance', undefined, { staleTime: 60_000 });
}
