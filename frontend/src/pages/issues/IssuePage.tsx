import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { $api, asApiError } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { useCurrentUser } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { LevelBadge, StatusBadge } from './levels';

type Issue = components['schemas']['Issue'];
type IssueStatus = components['schemas']['IssueStatus'];
type StackException = components['schemas']['StackException'];
type StackFrame = components['schemas']['StackFrame'];

const routeApi = getRouteApi('/_app/projects/$projectId/issues/$issueId');

/** `/projects/:projectId/issues/:issueId`: the issue, its triage actions and the latest stack. */
export function IssuePage() {
  const { projectId, issueId } = routeApi.useParams();
  const issue = $api.useQuery('get', '/api/v1/projects/{projectId}/issues/{issueId}', {
    params: { path: { projectId, issueId } },
  });
  useDocumentTitle(issue.data?.title ?? 'Issue');

  return (
    <div className="page">
      <p className="page__eyebrow">
        <Link to="/projects/$projectId/issues" params={{ projectId }}>
          ← Issues
        </Link>
      </p>
      {issue.isPending ? (
        <SkeletonRows rows={4} label="Loading the issue" />
      ) : issue.isError ? (
        <ErrorNotice title="Could not load the issue." error={asApiError(issue.error)} onRetry={() => void issue.refetch()} />
      ) : (
        <IssueDetail projectId={projectId} issue={issue.data} />
      )}
    </div>
  );
}

const ACTIONS: readonly { status: IssueStatus; label: string; done: string; when: (s: IssueStatus) => boolean }[] = [
  { status: 'resolved', label: 'Resolve', done: 'Issue resolved', when: (s) => s === 'unresolved' },
  { status: 'ignored', label: 'Ignore', done: 'Issue ignored', when: (s) => s === 'unresolved' },
  { status: 'archived', label: 'Archive', done: 'Issue archived', when: (s) => s !== 'archived' },
  { status: 'unresolved', label: 'Reopen', done: 'Issue reopened', when: (s) => s !== 'unresolved' },
];

function IssueDetail({ projectId, issue }: { projectId: string; issue: Issue }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const toast = useToast();
  const path = { projectId, issueId: issue.id };
  const refresh = () => invalidatePath(queryClient, '/api/v1/projects/{projectId}/issues');
  const onError = (title: string) => (error: unknown) => {
    toast({ tone: 'error', title, description: asApiError(error).message });
  };
  const setStatus = $api.useMutation('post', '/api/v1/projects/{projectId}/issues/{issueId}/status', {
    onError: onError('Could not change the status'),
  });
  const setAssignee = $api.useMutation('put', '/api/v1/projects/{projectId}/issues/{issueId}/assignee', {
    onError: onError('Could not change the assignee'),
  });
  const busy = setStatus.isPending || setAssignee.isPending;
  const assignedToMe = issue.assignee?.id === me.id;

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title issue-title">{issue.title}</h1>
          <p className="page__subtitle badges">
            <StatusBadge status={issue.status} />
            <LevelBadge level={issue.level} />
            {issue.subtitle && <span>{issue.subtitle}</span>}
            <span>{issue.environment}</span>
          </p>
        </div>
        <div className="issue-actions" role="group" aria-label="Issue actions">
          {ACTIONS.filter((a) => a.when(issue.status)).map((action) => (
            <button
              key={action.status}
              type="button"
              className={action.status === 'resolved' ? 'btn btn--primary' : 'btn btn--secondary'}
              disabled={busy}
              onClick={() => {
                setStatus.mutate(
                  { params: { path }, body: { status: action.status } },
                  {
                    onSuccess: () => {
                      toast({ title: action.done });
                      void refresh();
                    },
                  },
                );
              }}
            >
              {action.label}
            </button>
          ))}
          <button
            type="button"
            className="btn btn--ghost"
            disabled={busy}
            onClick={() => {
              setAssignee.mutate(
                { params: { path }, body: { userId: assignedToMe ? null : me.id } },
                {
                  onSuccess: () => {
                    toast({ title: assignedToMe ? 'Issue unassigned' : 'Issue assigned to you' });
                    void refresh();
                  },
                },
              );
            }}
          >
            <Icon name="user" size={14} /> {assignedToMe ? 'Unassign' : 'Assign to me'}
          </button>
        </div>
      </div>
      <dl className="facts facts--compact issue-facts">
        <div>
          <dt>Occurrences</dt>
          <dd>{issue.occurrenceCount}</dd>
        </div>
        <div>
          <dt>First seen</dt>
          <dd>
            <RelativeTime iso={issue.firstSeenAt} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <RelativeTime iso={issue.lastSeenAt} />
          </dd>
        </div>
        <div>
          <dt>Assignee</dt>
          <dd>{issue.assignee ? issue.assignee.name : 'Nobody'}</dd>
        </div>
        {issue.introducedInRelease && (
          <div>
            <dt>First release</dt>
            <dd>{issue.introducedInRelease}</dd>
          </div>
        )}
        {issue.lastSeenRelease && (
          <div>
            <dt>Latest release</dt>
            <dd>{issue.lastSeenRelease}</dd>
          </div>
        )}
        {issue.resolvedInRelease && (
          <div>
            <dt>Resolved in</dt>
            <dd>{issue.resolvedInRelease}</dd>
          </div>
        )}
        {issue.regressedInRelease && (
          <div>
            <dt>Regressed in</dt>
            <dd>{issue.regressedInRelease}</dd>
          </div>
        )}
        {issue.reopenCount > 0 && (
          <div>
            <dt>Reopened</dt>
            <dd>{issue.reopenCount} times</dd>
          </div>
        )}
      </dl>
      <LatestEvent issue={issue} />
    </>
  );
}

function LatestEvent({ issue }: { issue: Issue }) {
  const [inAppOnly, setInAppOnly] = useState(true);
  const event = issue.latestEvent;
  if (!event) return null;
  const hasInApp = event.exceptions.some((e) => e.frames.some((f) => f.inApp));
  return (
    <section className="card" aria-labelledby="latest-event-heading">
      <div className="toolbar">
        <h2 id="latest-event-heading" className="card__title">
          Latest event <span className="muted small">{formatDateTime(event.occurredAt)}</span>
        </h2>
        {hasInApp && (
          <div className="segmented" role="group" aria-label="Frames">
            <button type="button" className="btn btn--small btn--ghost" aria-pressed={inAppOnly} onClick={() => { setInAppOnly(true); }}>
              In-app only
            </button>
            <button type="button" className="btn btn--small btn--ghost" aria-pressed={!inAppOnly} onClick={() => { setInAppOnly(false); }}>
              All frames
            </button>
          </div>
        )}
      </div>
      <p>{event.message}</p>
      {event.exceptions.map((exception, index) => (
        <ExceptionView key={index} exception={exception} inAppOnly={inAppOnly && hasInApp} />
      ))}
    </section>
  );
}

function location(frame: StackFrame): string {
  const parts = [frame.file ?? frame.module ?? '?'];
  if (frame.line !== undefined) parts.push(String(frame.line));
  if (frame.line !== undefined && frame.column !== undefined) parts.push(String(frame.column));
  return parts.join(':');
}

function ExceptionView({ exception, inAppOnly }: { exception: StackException; inAppOnly: boolean }) {
  const frames = inAppOnly ? exception.frames.filter((f) => f.inApp) : exception.frames;
  const hidden = exception.frames.length - frames.length;
  return (
    <div className="exception">
      <h3 className="exception__title">
        {exception.chained && <span className="muted small">{exception.chained}: </span>}
        <code>{exception.type}</code>: {exception.message}
      </h3>
      <ol className="frames" aria-label={`Frames of ${exception.type}`}>
        {frames.map((frame, index) => (
          <li key={index} className={frame.inApp ? 'frame frame--in-app' : 'frame'}>
            <code className="frame__function">{frame.function ?? '(anonymous)'}</code>{' '}
            <span className="frame__location">{location(frame)}</span>
            {frame.inApp && <span className="badge badge--accent">in app</span>}
            {frame.contextLine && (
              <pre className="code frame__context">
                <code>{frame.contextLine}</code>
              </pre>
            )}
          </li>
        ))}
      </ol>
      {hidden > 0 && (
        <p className="muted small">
          {hidden} library {hidden === 1 ? 'frame' : 'frames'} hidden.
        </p>
      )}
    </div>
  );
}
