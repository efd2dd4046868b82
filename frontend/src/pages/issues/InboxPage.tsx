import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { $api, api, asApiError } from '../../api/client';
import { cursorPagesOptions } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows, Spinner } from '../../components/Loading';
import { RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { LevelBadge } from './levels';
import { STATUS_TABS, statusOf, withStatus } from './query';
import { Sparkline } from './Sparkline';

type IssueSummary = components['schemas']['IssueSummary'];
type IssuePage = components['schemas']['IssuePage'];

const routeApi = getRouteApi('/_app/projects/$projectId/issues');

const PAGE_SIZE = 50;

export function issuePagesOptions(projectId: string, q: string | undefined) {
  const query = { ...(q ? { q } : {}), sparkline: '24h' as const };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/projects/{projectId}/issues', { params: { path: { projectId }, query } }).queryKey,
    async (cursor, signal): Promise<IssuePage> => {
      const { data } = await api.GET('/api/v1/projects/{projectId}/issues', {
        params: { path: { projectId }, query: { ...query, ...(cursor ? { cursor } : {}), limit: PAGE_SIZE } },
        signal,
      });
      if (!data) throw new Error('The issues answer was empty.');
      return data;
    },
  );
}

/** `/projects/:projectId/issues?q=`: the inbox. */
export function InboxPage() {
  const { projectId } = routeApi.useParams();
  const { q } = routeApi.useSearch();
  const navigate = useNavigate();
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  useDocumentTitle(project.data ? `Issues · ${project.data.name}` : 'Issues');
  const issues = useInfiniteQuery({ ...issuePagesOptions(projectId, q), placeholderData: keepPreviousData });
  const [text, setText] = useState(q ?? '');
  const [shownQ, setShownQ] = useState(q);
  if (shownQ !== q) {
    // The URL changed (a tab, back/forward): the box follows it.
    setShownQ(q);
    setText(q ?? '');
  }

  const search = (next: string) => {
    const value = next.trim();
    void navigate({ to: '/projects/$projectId/issues', params: { projectId }, search: value ? { q: value } : {} });
  };

  const error = issues.isError ? asApiError(issues.error) : undefined;
  const invalidQuery = error?.code === 'invalid_query' ? error : undefined;
  const firstPage = issues.data?.pages[0];
  const current = statusOf(firstPage?.query ?? q ?? '');

  return (
    <div className="page">
      <div className="page__header page__header--tabs">
        <div>
          <p className="page__eyebrow">
            <Icon name="folder" size={14} /> {project.data?.name ?? 'Project'}
          </p>
          <h1 className="page__title">Issues</h1>
        </div>
        <Link to="/projects/$projectId/setup" params={{ projectId }} className="btn btn--secondary">
          <Icon name="key" size={14} /> Setup
        </Link>
      </div>
      <form
        role="search"
        className="inbox-search"
        onSubmit={(event) => {
          event.preventDefault();
          search(text);
        }}
      >
        <div className="search">
          <Icon name="search" size={15} />
          <label htmlFor="issue-search" className="visually-hidden">
            Search issues
          </label>
          <input
            id="issue-search"
            type="search"
            className="input search__input"
            placeholder="is:unresolved level:error checkout"
            value={text}
            aria-invalid={invalidQuery ? true : undefined}
            aria-describedby={invalidQuery ? 'issue-search-error' : undefined}
            onChange={(event) => { setText(event.currentTarget.value); }}
          />
        </div>
        {invalidQuery && (
          <p className="field__error" id="issue-search-error" role="alert">
            <Icon name="alert" size={14} /> {invalidQuery.message}
          </p>
        )}
      </form>
      <nav className="tabs" aria-label="Issue status">
        {STATUS_TABS.map((tab) => (
          <Link
            key={tab.value}
            to="/projects/$projectId/issues"
            params={{ projectId }}
            search={{ q: withStatus(q ?? '', tab.value) }}
            className={tab.value === current && !invalidQuery ? 'tabs__tab is-active' : 'tabs__tab'}
            aria-current={tab.value === current && !invalidQuery ? 'page' : undefined}
          >
            {tab.label}{' '}
            {firstPage && <span className="tabs__count">{firstPage.counts[tab.value]}</span>}
          </Link>
        ))}
      </nav>
      {!issues.data && !error ? (
        <SkeletonRows rows={5} label="Loading issues" />
      ) : error || !issues.data ? (
        invalidQuery ? null : (
          <ErrorNotice title="Could not load the issues." error={error} onRetry={() => void issues.refetch()} />
        )
      ) : (
        <IssueList
          projectId={projectId}
          issues={issues.data.pages.flatMap((page) => page.issues)}
          filtered={Boolean(q)}
          more={
            issues.hasNextPage ? (
              <div className="table-more">
                <button
                  type="button"
                  className="btn btn--secondary"
                  disabled={issues.isFetchingNextPage}
                  onClick={() => void issues.fetchNextPage()}
                >
                  {issues.isFetchingNextPage && <Spinner size={14} />}
                  Load more
                </button>
              </div>
            ) : null
          }
        />
      )}
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function IssueList({
  projectId,
  issues,
  filtered,
  more,
}: {
  projectId: string;
  issues: readonly IssueSummary[];
  filtered: boolean;
  more: ReactNode;
}) {
  const navigate = useNavigate();
  const [selected, setSelected] = useState(-1);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (event.key === 'j' || event.key === 'k') {
        event.preventDefault();
        const delta = event.key === 'j' ? 1 : -1;
        const next = Math.min(issues.length - 1, Math.max(0, selected + delta));
        setSelected(next);
        links.current[next]?.focus();
      } else if (event.key === 'Enter' && !(event.target instanceof HTMLAnchorElement) && !(event.target instanceof HTMLButtonElement)) {
        const issue = issues[selected];
        if (issue) {
          event.preventDefault();
          void navigate({ to: '/projects/$projectId/issues/$issueId', params: { projectId, issueId: issue.id } });
        }
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => { document.removeEventListener('keydown', onKeyDown); };
  }, [issues, selected, navigate, projectId]);

  if (issues.length === 0) {
    return (
      <div className="card">
        <EmptyState icon="checkCircle" title={filtered ? 'No issues match this search' : 'No issues here'}>
          <p>{filtered ? 'Try another status or fewer search terms.' : 'Errors your application sends appear here.'}</p>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="card card--flush">
      <p className="visually-hidden">Press j and k to move between issues, Enter to open one.</p>
      <ol className="issues" aria-label="Issues">
        {issues.map((issue, index) => (
          <li
            key={issue.id}
            className={index === selected ? 'issue-row is-selected' : 'issue-row'}
            aria-current={index === selected ? 'true' : undefined}
          >
            <div className="issue-row__main">
              <Link
                to="/projects/$projectId/issues/$issueId"
                params={{ projectId, issueId: issue.id }}
                className="issue-row__title"
                ref={(element) => { links.current[index] = element; }}
                onFocus={() => { setSelected(index); }}
              >
                {issue.title}
              </Link>
              <span className="issue-row__meta small muted">
                {issue.subtitle && <span>{issue.subtitle}</span>}
                <LevelBadge level={issue.level} />
                <span>{issue.environment}</span>
                <span>
                  last seen <RelativeTime iso={issue.lastSeenAt} />
                </span>
                {issue.assignee && <span>assigned to {issue.assignee.name}</span>}
              </span>
            </div>
            {issue.sparkline && issue.sparkline.length > 0 && (
              <Sparkline values={issue.sparkline} label="Occurrences over the last 24 hours" />
            )}
            <span className="issue-row__count" title="Occurrences">
              {issue.occurrenceCount}
            </span>
          </li>
        ))}
      </ol>
      {more}
    </div>
  );
}
