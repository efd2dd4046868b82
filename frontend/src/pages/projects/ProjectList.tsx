import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { $api } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { RelativeTime } from '../../components/Time';
import { integrationLabel } from './integrations';

type State = 'active' | 'archived';

/** The home page's list of the user's projects, active or archived, each linking to its inbox. */
export function ProjectList() {
  const [state, setState] = useState<State>('active');
  const projects = $api.useQuery('get', '/api/v1/projects', { params: { query: { state } } });

  return (
    <div className="project-list">
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Show projects">
          {(['active', 'archived'] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="btn btn--small btn--ghost"
              aria-pressed={state === value}
              onClick={() => { setState(value); }}
            >
              {value === 'active' ? 'Active' : 'Archived'}
            </button>
          ))}
        </div>
        <Link to="/projects/new" className="btn btn--primary">
          <Icon name="plus" size={14} /> New project
        </Link>
      </div>
      {projects.isPending ? (
        <SkeletonRows label="Loading projects" />
      ) : projects.isError ? (
        <ErrorNotice title="Could not load your projects." error={projects.error} onRetry={() => void projects.refetch()} />
      ) : projects.data.projects.length === 0 ? (
        state === 'active' ? (
          <EmptyState
            icon="folder"
            title="Create your first project"
            action={
              <Link to="/projects/new" className="btn btn--primary">
                <Icon name="plus" size={14} /> New project
              </Link>
            }
          >
            <p>A project collects the errors of one application. Create one, then send it events with an API key.</p>
          </EmptyState>
        ) : (
          <EmptyState icon="folder" title="No archived projects" />
        )
      ) : (
        <ul className="projects">
          {projects.data.projects.map((project) => (
            <li key={project.id} className="projects__item">
              <Link to="/projects/$projectId/issues" params={{ projectId: project.id }} className="projects__name">
                {project.name}
              </Link>
              <span className="muted small">
                {integrationLabel(project.integrationKind)} · {project.slug} · created <RelativeTime iso={project.createdAt} />
              </span>
              {project.description && <span className="small">{project.description}</span>}
              {!project.archived && (project.access === 'owner' || project.access === 'admin') && (
                <Link to="/projects/$projectId/setup" params={{ projectId: project.id }} className="small">
                  Setup and API keys
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
