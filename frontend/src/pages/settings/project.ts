import type { QueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { ApiError, asApiError } from '../../api/errors';
import type { components } from '../../api/schema.gen';

export type Project = components['schemas']['Project'];
/** What the caller may do in a project: `viewer` < `admin` < `owner`. */
export type Access = Project['access'];

const RANK: Record<Access, number> = { viewer: 1, admin: 2, owner: 3 };

/** Whether the caller's access to `project` is at least `needed`. */
export function hasAccess(project: Project, needed: Access): boolean {
  return RANK[project.access] >= RANK[needed];
}

export const ROLE_LABELS: Record<Access, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };

/** The roles a member (not the owner) can have, for pickers. */
export const MEMBER_ROLES: readonly { value: 'admin' | 'viewer'; label: string }[] = [
  { value: 'viewer', label: 'Viewer: reads and triages issues' },
  { value: 'admin', label: 'Admin: also manages settings, members and keys' },
];

export function isMemberRole(value: string): value is 'admin' | 'viewer' {
  return value === 'admin' || value === 'viewer';
}

/**
 * Why the caller cannot do something: "Only the project's admins and its owner can manage API
 * keys; you are a viewer."
 */
export function needsRole(project: Project, needed: Access, what: string): string {
  const who = needed === 'owner' ? 'the project’s owner' : 'the project’s admins and its owner';
  return `Only ${who} can ${what}; you are ${project.access === 'admin' ? 'an admin' : 'a viewer'}.`;
}

/** The project the settings pages are about, loaded by their layout. */
export const SettingsProjectContext = createContext<Project | null>(null);

/** The project of the settings page (only under SettingsLayout, which loads it first). */
export function useSettingsProject(): Project {
  const project = useContext(SettingsProjectContext);
  if (!project) throw new Error('useSettingsProject needs the SettingsLayout');
  return project;
}

/** Messages for the error codes the settings pages meet, where the server's own words need more help. */
const MESSAGES: Partial<Record<string, string>> = {
  insufficient_role: 'Your role in this project does not allow this. Ask an admin or the owner of the project.',
  not_found: 'It no longer exists, or you are no longer a member of this project. Reload the page.',
  project_archived: 'The project is archived: the owner must restore it first.',
  deletion_requested: 'The project is being deleted; it cannot be changed.',
};

/**
 * The API's error as the settings pages show it: 403 and 404 in words a person can act on, the
 * server's own (already specific) message for 409s such as `already_member`, and 422 field
 * errors kept for the form kit to show next to their inputs.
 */
export function settingsError(error: unknown): ApiError {
  const apiError = asApiError(error);
  const message = MESSAGES[apiError.code] ?? (apiError.status === 404 ? MESSAGES.not_found : undefined);
  if (message === undefined) return apiError;
  return new ApiError({
    status: apiError.status,
    code: apiError.code,
    message,
    requestId: apiError.requestId,
    errors: apiError.errors,
    fields: apiError.fields,
    retryAfter: apiError.retryAfter,
  });
}

/** The `projectId` path parameter of an openapi-react-query key's init (`{params: {path: {projectId}}}`). */
function keyProjectId(init: unknown): unknown {
  if (typeof init !== 'object' || init === null || !('params' in init)) return undefined;
  const { params } = init;
  if (typeof params !== 'object' || params === null || !('path' in params)) return undefined;
  const { path } = params;
  if (typeof path !== 'object' || path === null || !('projectId' in path)) return undefined;
  return path.projectId;
}

/**
 * Drops every cached query about the project (after leaving or deleting it, so nothing refetches
 * what is now a 404) and refreshes the project lists.
 */
export async function forgetProject(queryClient: QueryClient, projectId: string): Promise<void> {
  queryClient.removeQueries({ predicate: (query) => keyProjectId(query.queryKey[2]) === projectId });
  await queryClient.invalidateQueries({
    predicate: (query) => {
      const path = query.queryKey[1];
      return path === '/api/v1/projects' || path === '/api/v1/admin/projects';
    },
  });
}
