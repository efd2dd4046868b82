import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { $api, api, asApiError } from '../../api/client';
import { answered, cursorPagesOptions, pageQuery } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows, Spinner } from '../../components/Loading';
import { useProjectPage } from '../../components/useProjectPage';
import { AssigneeFilter } from './AssigneeFilter';
import { InboxList } from './InboxList';
import { KeyboardHelp } from './KeyboardHelp';
import { hasFilters, STATUS_TABS, statusOf, withoutFilters, withStatus, type StatusTab } from './query';
import { isShortcut } from './shortcuts';
import './inbox.css';

type IssuePage = components['schemas']['IssuePage'];
type IssueCounts = components['schemas']['IssueCounts'];

const routeApi = getRouteApi('/_app/projects/$projectId/issues');

const PAGE_SIZE = 50;

export function issuePagesOptions(projectId: string, q: string | undefined) {
  const query = { ...(q ? { q } : {}), sparkline: '24h' as const };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/projects/{projectId}/issues', { params: { path: { projectId }, query } }).queryKey,
    async (cursor, signal): Promise<IssuePage> => {
      const { data } = await api.GET('/api/v1/projects/{projectId}/issues', {
        params: { path: { projectId }, query: { ...query, ...pageQuery(cursor, PAGE_SIZE) } },
        signal,
      });
      return answered(data, 'issues');
    },
  );
}

/** `/projects/:projectId/issues?q=`: the inbox. */
export function InboxPage() {
  const { projectId } = routeApi.useParams();
  const { q } = routeApi.useSearch();
  const navigate = useNavigate();
  const project = useProjectPage(projectId, 'Issues');
  const members = $api.useQuery('get', '/api/v1/projects/{projectId}/members', { params: { path: { projectId } } });
  const issues = useInfiniteQuery({ ...issuePagesOptions(projectId, q), placeholderData: keepPreviousData });
  const [text, setText] = useState(q ?? '');
  const [shownQ, setShownQ] = useState(q);
  const [helpOpen, setHelpOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  if (shownQ !== q) {
    // The URL changed (a tab, back/forward): the box follows it.
    setShownQ(q);
    setText(q ?? '');
  }

  const search = (next: string) => {
    const value = next.trim();
    void navigate({ to: '/projects/$projectId/issues', params: { projectId }, search: value ? { q: value } : {} });
  };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isShortcut(event)) return;
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (event.key === '?') {
        event.preventDefault();
        setHelpOpen(true);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => { document.removeEventListener('keydown', onKeyDown); };
  }, []);

  const error = issues.isError ? asApiError(issues.error) : undefined;
  const invalidQuery = error?.code === 'invalid_query' ? error : undefined;
  const firstPage = issues.data?.pages[0];
  const current = statusOf(firstPage?.query ?? q ?? '');
  const list = issues.data?.pages.flatMap((page) => page.issues) ?? [];

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
      <div className="inbox-filters">
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
              ref={searchRef}
              id="issue-search"
              type="search"
              className="input search__input"
              placeholder="is:unresolved level:error checkout"
              value={text}
              aria-invalid={invalidQuery ? true : undefined}
              aria-describedby={invalidQuery ? 'issue-search-error' : undefined}
              aria-keyshortcuts="/"
              onChange={(event) => { setText(event.currentTarget.value); }}
            />
          </div>
          {invalidQuery && (
            <p className="field__error" id="issue-search-error" role="alert">
              <Icon name="alert" size={14} /> {invalidQuery.message}
            </p>
          )}
        </form>
        <AssigneeFilter query={q ?? ''} members={members.data?.members ?? []} onChange={search} />
        <button
          type="button"
          className="btn btn--ghost inbox-help-button"
          aria-keyshortcuts="?"
          aria-haspopup="dialog"
          onClick={() => { setHelpOpen(true); }}
        >
          <kbd className="kbd" aria-hidden="true">
            ?
          </kbd>
          Keyboard shortcuts
        </button>
      </div>
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
      ) : error || !firstPage ? (
        invalidQuery ? null : (
          <ErrorNotice title="Could not load the issues." error={error} onRetry={() => void issues.refetch()} />
        )
      ) : list.length === 0 ? (
        <InboxEmpty
          projectId={projectId}
          query={q ?? ''}
          status={current}
          counts={firstPage.counts}
          onQuery={search}
        />
      ) : (
        <InboxList
          key={q ?? ''}
          projectId={projectId}
          issues={list}
          members={members.data?.members ?? []}
          membersLoading={members.isPending}
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
      {helpOpen && <KeyboardHelp onClose={() => { setHelpOpen(false); }} />}
    </div>
  );
}

const EMPTY_TITLES: Record<StatusTab, string> = {
  unresolved: 'Nothing unresolved',
  new: 'Nothing new today',
  resolved: 'No resolved issues',
  ignored: 'No ignored issues',
  archived: 'No archived issues',
  all: 'No issues',
};

/** What the inbox shows without issues, with the next step: set the project up, clear the filters, or look elsewhere. */
function InboxEmpty({
  projectId,
  query,
  status,
  counts,
  onQuery,
}: {
  projectId: string;
  query: string;
  status: StatusTab;
  counts: IssueCounts;
  onQuery: (query: string) => void;
}) {
  let content;
  if (hasFilters(query)) {
    content = (
      <EmptyState
        icon="search"
        title="No issues match this search"
        action={
          <button type="button" className="btn btn--secondary" onClick={() => { onQuery(withoutFilters(query)); }}>
            <Icon name="x" size={14} /> Clear filters
          </button>
        }
      >
        <p>Try another status, or fewer search terms and filters.</p>
      </EmptyState>
    );
  } else if (counts.all === 0) {
    content = (
      <EmptyState
        icon="checkCircle"
        title="No issues yet"
        action={
          <Link to="/projects/$projectId/setup" params={{ projectId }} className="btn btn--primary">
            <Icon name="key" size={14} /> Set up the project
          </Link>
        }
      >
        <p>
          Errors your application sends appear here. The project’s setup page has its API key and the snippet for
          your stack that sends the first one.
        </p>
      </EmptyState>
    );
  } else {
    content = (
      <EmptyState
        icon="checkCircle"
        title={EMPTY_TITLES[status]}
        action={
          <Link
            to="/projects/$projectId/issues"
            params={{ projectId }}
            search={{ q: withStatus(query, 'all') }}
            className="btn btn--secondary"
          >
            Show all issues
          </Link>
        }
      >
        <p>
          {counts.all === 1 ? 'The project’s one issue is' : `All ${String(counts.all)} of the project’s issues are`} in
          other tabs.
        </p>
      </EmptyState>
    );
  }
  return <div className="card">{content}</div>;
}
