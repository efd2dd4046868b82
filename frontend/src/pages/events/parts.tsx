import type { ReactNode } from 'react';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Loading';

/** The heading of a project page: the project's name above the title, and a line about the page. */
export function PageHeader({
  project,
  title,
  children,
  actions,
}: {
  project: string | undefined;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page__header">
      <div>
        <p className="page__eyebrow">
          <Icon name="folder" size={14} /> {project ?? 'Project'}
        </p>
        <h1 className="page__title">{title}</h1>
        {children && <p className="view-lead">{children}</p>}
      </div>
      {actions}
    </div>
  );
}

/** The part of an infinite query that "Load more" needs. */
interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Load more" under a cursor-paginated list, while there is more. */
export function LoadMore({ query }: { query: Pages }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="table-more">
      <button
        type="button"
        className="btn btn--secondary"
        disabled={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      >
        {query.isFetchingNextPage && <Spinner size={14} />}
        Load more
      </button>
    </div>
  );
}
