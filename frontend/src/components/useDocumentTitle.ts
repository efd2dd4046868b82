import { useEffect } from 'react';
import { useInstance } from '../api/instance';

/** Sets the tab title to "<page> · <instance name>". */
export function useDocumentTitle(page: string): void {
  const name = useInstance().data?.name ?? 'Logister';
  useEffect(() => {
    document.title = page ? `${page} · ${name}` : name;
  }, [page, name]);
}
