import { Spinner } from '../components/Loading';

/** The part of an infinite query that "Load more" needs. */
interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Load more" under a cursor-paginated list, while there is more. */
export function LoadMore({ query, label = 'Load more' }: { query: Pages; label?: string }) {
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
        {label}
      </button>
    </div>
  );
}
