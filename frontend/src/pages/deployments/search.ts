import type { components } from '../../api/schema.gen';
import { limited } from '../events/search';

export type DeploymentSource = components['schemas']['Deployment']['source'];

export const SOURCES: readonly { value: DeploymentSource; label: string }[] = [
  { value: 'api', label: 'API' },
  { value: 'telemetry', label: 'Telemetry' },
  { value: 'manual', label: 'Manual' },
];

/** The filters of the deployments list, as they appear in the URL. */
export interface DeploymentsSearch {
  repository?: string;
  environment?: string;
  source?: DeploymentSource;
  q?: string;
}

/** Validates `/projects/$projectId/deployments` search params: unknown sources are dropped. */
export function validateDeploymentsSearch(search: Record<string, unknown>): DeploymentsSearch {
  const result: DeploymentsSearch = {};
  const repository = limited(search, 'repository', 200);
  if (repository) result.repository = repository;
  const environment = limited(search, 'environment', 80);
  if (environment) result.environment = environment;
  const source = SOURCES.find((s) => s.value === search.source);
  if (source) result.source = source.value;
  const q = limited(search, 'q', 200);
  if (q) result.q = q;
  return result;
}
