import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { $api, api } from '../../api/client';
import { cursorPagesOptions, pageQuery } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SkeletonRows } from '../../components/Loading';
import { RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { DebouncedSearch } from '../../lists/filters';
import { LoadMore } from '../../lists/LoadMore';
import { RateLimitsDialog } from './RateLimitsDialog';

type AdminProject = components['schemas']['AdminProject'];
type State = 'all' | 'active' | 'archived';

const routeApi = getRouteApi('/_app/admin/projects');

const SEARCH_DELAY_MS = 250;
const PAGE_SIZE = 50;

/** Pages of every project, newest first, filtered by `q` (name, slug, id or owner's address) and state. */
export function adminProjectsOptions(q: string | undefined, state: State) {
  const query = { ...(q ? { q } : {}), state };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/admin/projects', { params: { query } }).queryKey,
    async (cursor, signal) => {
      const { data } = await api.GET('/api/v1/admin/projects', {
        params: { query: { ...query, ...pageQuery(cursor, PAGE_SIZE) } },
        signal,
      });
      return data ?? { projects: [] };
    },
  );
}

const STATES: readonly { value: State; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'archived', label: 'Archived' },
];

/** `/admin/projects`: every project of the instance, searchable, with its public API rate limits. */
export function ProjectsPage() {
  useDocumentTitle('Projects');
  const { q } = routeApi.useSearch();
  const navigate = useNavigate();
  const [state, setState] = useState<State>('all');

  return (
    <>
      <div className="toolbar">
        <DebouncedSearch
          id="project-search"
          label="Search projects"
          placeholder="Name, slug, id or owner’s e-mail"
          maxLength={254}
          delayMs={SEARCH_DELAY_MS}
          value={q}
          onCommit={(value) => {
            void navigate({ to: '/admin/projects', search: value ? { q: value } : {}, replace: true });
          }}
        />
        <div className="segmented" role="group" aria-label="Show projects">
          {STATES.map((option) => (
            <button
              key={option.value}
              type="button"
              className="btn btn--small btn--ghost"
              aria-pressed={state === option.value}
              onClick={() => { setState(option.value); }}
            >
              {option.label}
            </button>
          ))}
        </div>
      </div>
      <ProjectTable q={q} state={state} />
    </>
  );
}

function ProjectTable({ q, state }: { q: string | undefined; state: State }) {
  const projects = useInfiniteQuery({ ...adminProjectsOptions(q, state), placeholderData: keepPreviousData });
  const [limiting, setLimiting] = useState<AdminProject | null>(null);

  if (projects.isPending) return <SkeletonRows rows={5} label="Loading projects" />;
  if (projects.isError) {
    return <ErrorNotice title="Could not load the projects." error={projects.error} onRetry={() => void projects.refetch()} />;
  }
  const rows = projects.data.pages.flatMap((page) => page.projects);
  if (rows.length === 0) {
    return (
      <div className="card">
        <EmptyState icon="folder" title={q ? `No project matches “${q}”` : 'No projects yet'}>
          {q && <p>Search looks in names and slugs, and matches a whole id or owner’s e-mail address.</p>}
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="card card--flush">
      <DataTable label="Projects" columns={['Project', 'Owner', 'Members', 'State', 'Created']} actions>
        {rows.map((project) => (
          <tr key={project.id}>
            <th scope="row">
              <span className="user-cell__name">
                <Link to="/projects/$projectId/settings" params={{ projectId: project.id }}>
                  {project.name}
                </Link>
              </span>
              <span className="user-cell__email">{project.slug}</span>
            </th>
            <td>
              {project.owner ? (
                <>
                  <span className="user-cell__name">{project.owner.name}</span>
                  <span className="user-cell__email">{project.owner.email}</span>
                </>
              ) : (
                <span className="muted">No owner</span>
              )}
            </td>
            <td>{project.memberCount}</td>
            <td>
              {project.deletionRequestedAt ? (
                <span className="badge badge--danger">Being deleted</span>
              ) : project.archived ? (
                <span className="badge badge--warning">Archived</span>
              ) : (
                <span className="badge badge--success">Active</span>
              )}
            </td>
            <td>
              <RelativeTime iso={project.createdAt} />
            </td>
            <td className="table__actions">
              <button
                type="button"
                className="btn btn--secondary btn--small"
                aria-label={`Rate limits of ${project.name}`}
                onClick={() => { setLimiting(project); }}
              >
                Rate limits
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      <LoadMore query={projects} label="Load more projects" />
      {limiting && <RateLimitsDialog project={limiting} onClose={() => { setLimiting(null); }} />}
    </div>
  );
}
