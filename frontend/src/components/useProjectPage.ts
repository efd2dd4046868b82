import { $api } from '../api/client';
import { useDocumentTitle } from './useDocumentTitle';

/** The project a page is about, with the tab title "<page> · <project name>" once it is loaded. */
export function useProjectPage(projectId: string, page: string) {
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  useDocumentTitle(project.data ? `${page} · ${project.data.name}` : page);
  return project;
}
