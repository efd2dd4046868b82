import { getRouteApi, Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { $api, asApiError } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SkeletonRows } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ActivityPanel } from './detail/ActivityPanel';
import { ContextPanel } from './detail/ContextPanel';
import { DeploymentPanel } from './detail/DeploymentPanel';
import { IssueActions } from './detail/IssueActions';
import { OccurrencesPanel } from './detail/OccurrencesPanel';
import { RelatedLogsPanel } from './detail/RelatedLogsPanel';
import { RequestPanel } from './detail/RequestPanel';
import { ISSUE_TABS, type IssueTab } from './detail/search';
import { snoozeText } from './detail/snooze';
import { StackPanel } from './detail/StackPanel';
import { TabPanel, Tabs } from './detail/Tabs';
import './detail/detail.css';
import { LevelBadge, StatusBadge } from './levels';

type Issue = components['schemas']['Issue'];
type Event = components['schemas']['Event'];

const routeApi = getRouteApi('/_app/projects/$projectId/issues/$issueId');

/**
 * `/projects/:projectId/issues/:issueId?tab=&event=`: the issue, its triage actions, and tabs for
 * an occurrence's stack, request and context, the occurrences, related logs, the deployment it
 * started after, and its activity. `event` picks the occurrence the tabs show (the latest by
 * default).
 */
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

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="issue-stat">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function IssueDetail({ projectId, issue }: { projectId: string; issue: Issue }) {
  const { tab = 'stack', event: eventParam } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const snooze = snoozeText(issue.snooze, formatDateTime);
  const selectTab = (next: IssueTab) => {
    void navigate({ search: (prev) => ({ ...prev, tab: next === 'stack' ? undefined : next }) });
  };

  return (
    <>
      <div className="issue-header">
        <h1 className="page__title issue-title">{issue.title}</h1>
        <p className="page__subtitle badges">
          <StatusBadge status={issue.status} />
          {snooze && (
<span className="badge badge--snooze">{snooze}</span>
          )}
          <LevelBadge level={issue.level} />
          {issue.subtitle && <span>{issue.subtitle}</span>}
          <span>{issue.environment}</span>
        </p>
        <IssueActions projectId={projectId} issue={issue} />
      </div>
      <dl className="issue-stats">
        <Stat label="Occurrences">{issue.occurrenceCount.toLocaleString()}</Stat>
        <Stat label="First seen">
          <RelativeTime iso={issue.firstSeenAt} />
        </Stat>
        <Stat label="Last seen">
          <RelativeTime iso={issue.lastSeenAt} />
        </Stat>
        <Stat label="Assignee">{issue.assignee ? issue.assignee.name : 'Nobody'}</Stat>
        {issue.introducedInRelease && <Stat label="Introduced in">{issue.introducedInRelease}</Stat>}
        {issue.lastSeenRelease && <Stat label="Last seen in">{issue.lastSeenRelease}</Stat>}
        {issue.resolvedInRelease && <Stat label="Resolved in">{issue.resolvedInRelease}</Stat>}
        {issue.regressedInRelease && <Stat label="Regressed in">{issue.regressedInRelease}</Stat>}
        {issue.reopenCount > 0 && (
          <Stat label="Reopened">
            {issue.reopenCount} {issue.reopenCount === 1 ? 'time' : 'times'}
            {issue.lastReopenedAt && (
              <>
                , last <RelativeTime iso={issue.lastReopenedAt} />
              </>
            )}
          </Stat>
        )}
        {issue.regressionCount > 0 && (
          <Stat label="Regressions">
            {issue.regressionCount}
          </Stat>
        )}
      </dl>
      <div className="card card--tabs">
        <Tabs label="Issue details" idBase="issue" tabs={ISSUE_TABS} selected={tab} onSelect={selectTab} />
        <TabPanel idBase="issue" id={tab}>
          <TabContent projectId={projectId} issue={issue} tab={tab} eventId={eventParam} />
        </TabPanel>
      </div>
    </>
  );
}

function TabContent({
  projectId,
  issue,
  tab,
  eventId,
}: {
  projectId: string;
  issue: Issue;
  tab: IssueTab;
  eventId: string | undefined;
}) {
  switch (tab) {
    case 'stack':
      if (!eventId) {
        const latest = issue.latestEvent;
        if (!latest) return <NoOccurrence />;
        return (
          <>
            <EventBar tab={tab} occurredAt={latest.occurredAt} chosen={false} />
            <StackPanel message={latest.message} exceptions={latest.exceptions} />
          </>
        );
      }
      return (
        <SelectedEvent projectId={projectId} eventId={eventId} tab={tab}>
          {(event) => <StackPanel message={event.message} exceptions={event.exceptions} />}
        </SelectedEvent>
      );
    case 'request':
    case 'context': {
      const id = eventId ?? issue.latestEvent?.id;
      if (!id) return <NoOccurrence />;
      return (
        <SelectedEvent projectId={projectId} eventId={id} tab={tab} chosen={eventId !== undefined}>
          {(event) => (tab === 'request' ? <RequestPanel request={event.request} /> : <ContextPanel event={event} />)}
        </SelectedEvent>
      );
    }
    case 'occurrences':
      return <OccurrencesPanel projectId={projectId} issueId={issue.id} selectedId={eventId ?? issue.latestEvent?.id} />;
    case 'logs':
      if (!eventId) return <RelatedLogsPanel projectId={projectId} issueId={issue.id} eventId={undefined} />;
      return (
        <SelectedEvent projectId={projectId} eventId={eventId} tab={tab}>
          {() => <RelatedLogsPanel projectId={projectId} issueId={issue.id} eventId={eventId} />}
        </SelectedEvent>
      );
    case 'deployment':
      return <DeploymentPanel projectId={projectId} issueId={issue.id} />;
    case 'activity':
      return <ActivityPanel projectId={projectId} issueId={issue.id} />;
  }
}

function NoOccurrence() {
  return (
    <EmptyState icon="info" title="No occurrence kept">
      <p>The occurrences of this issue have been removed by the project&apos;s retention.</p>
    </EmptyState>
  );
}

/** Which occurrence the tab shows, with the way back to the latest and to the list. */
function EventBar({
  tab,
  occurredAt,
  release,
  environment,
  chosen,
}: {
  tab: IssueTab;
  occurredAt: string;
  release?: string | undefined;
  environment?: string | undefined;
  chosen: boolean;
}) {
  return (
    <div className="event-bar small">
      <span>
        <strong>{chosen ? 'Chosen occurrence' : 'Latest occurrence'}</strong>
        {' · '}
        {formatDateTime(occurredAt)}
        {release && <> · release {release}</>}
        {environment && <> · {environment}</>}
      </span>
      <span className="event-bar__links">
        {chosen && (
          <Link from="/projects/$projectId/issues/$issueId" to="." search={(prev) => ({ ...prev, tab, event: undefined })}>
            Show the latest
          </Link>
        )}
        <Link from="/projects/$projectId/issues/$issueId" to="." search={(prev) => ({ ...prev, tab: 'occurrences' })}>
          All occurrences
        </Link>
      </span>
    </div>
  );
}

/** Loads one occurrence (`getEvent`) and renders it with `children`, with its loading and error states. */
function SelectedEvent({
  projectId,
  eventId,
  tab,
  chosen = true,
  children,
}: {
  projectId: string;
  eventId: string;
  tab: IssueTab;
  chosen?: boolean;
  children: (event: Event) => ReactNode;
}) {
  const event = $api.useQuery('get', '/api/v1/projects/{projectId}/events/{eventId}', {
    params: { path: { projectId, eventId } },
  });
  if (event.isPending) return <SkeletonRows rows={4} label="Loading the occurrence" />;
  if (event.isError) {
    return <ErrorNotice title="Could not load the occurrence." error={event.error} onRetry={() => void event.refetch()} />;
  }
  return (
    <>
      <EventBar
        tab={tab}
        occurredAt={event.data.occurredAt}
        release={event.data.release}
        environment={event.data.environment}
        chosen={chosen}
      />
      {children(event.data)}
    </>
  );
}
