import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { $api, api } from '../../api/client';
import { cursorPagesOptions } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows, Spinner } from '../../components/Loading';
import { RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
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
        params: { query: { ...query, ...(cursor ? { cursor } : {}), limit: PAGE_SIZE } },
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
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => { clearTimeout(timer.current); }, []);

  return (
    <>
      <div className="toolbar">
        <div className="search">
          <Icon name="search" size={15} />
          <label htmlFor="project-search" className="visually-hidden">
            Search projects
          </label>
          <input
            id="project-search"
            type="search"
            className="input search__input"
            placeholder="Name, slug, id or owner’s e-mail"
            defaultValue={q}
            maxLength={254}
            onChange={(event) => {
              const value = event.currentTarget.value.trim();
              clearTimeout(timer.current);
              timer.current = setTimeout(() => {
                void navigate({ to: '/admin/projects', search: value ? { q: value } : {}, replace: true });
              }, SEARCH_DELAY_MS);
            }}
          />
        </div>
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
      <div className="table-wrap">
        <table className="table" aria-label="Projects">
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col">Owner</th>
              <th scope="col">Members</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
      {projects.hasNextPage && (
        <div className="table-more">
          <button
            type="button"
            className="btn btn--secondary"
            disabled={projects.isFetchingNextPage}
            onClick={() => void projects.fetchNextPage()}
          >
            {projects.isFetchingNextPage && <Spinner size={14} />}
            Load more projects
          </button>
        </div>
      )}
      {limiting && <RateLimitsDialog project={limiting} onClose={() => { setLimiting(null); }} />}
    </div>
  );
}
