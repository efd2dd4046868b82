import type { components } from '../../api/schema.gen';

export type IntegrationKind = components['schemas']['IntegrationKind'];

/** Every integration kind of the schema's enum, with its label (typed, so a new kind fails the build). */
const LABELS: Record<IntegrationKind, string> = {
  http_api: 'HTTP API',
  ruby: 'Ruby',
  python: 'Python',
  javascript: 'JavaScript / TypeScript',
  dotnet: '.NET',
  cfml: 'CFML',
  cloudflare_pages: 'Cloudflare Pages',
  android: 'Android',
  ios: 'iOS',
};

export const INTEGRATION_KINDS: readonly { value: IntegrationKind; label: string }[] = Object.entries(LABELS).map(
  ([value, label]) => ({ value: value as IntegrationKind, label }),
);

export function isIntegrationKind(value: string): value is IntegrationKind {
  return value in LABELS;
}

export function integrationLabel(kind: IntegrationKind): string {
  return LABELS[kind];
}
