// Server paging for every list: the backend answers one page of a filter
// ({rows, total, totals, offset, limit}) newest first, with the count and the
// totals of the whole filter; the pager says which rows are on screen and
// steps through the rest. No list stops silently at a fixed number of rows.

import { useCallback, useEffect, useState } from 'react';
import { formatInt } from '../format';

/** One page of a list, as every paged endpoint answers it. */
export interface Paged<T> {
  rows: T[];
  total: number;
  totals: Record<string, number>;
  offset: number;
  limit: number;
}

/** Rows per page the screens ask for. */
export const PAGE = 500;

/** "1–500 of 1,203 rows" with Newer / Older buttons. */
export function Pager({ page, onOffset, noun = 'rows' }: { page?: { total: number; offset: number; limit: number; rows: unknown[] }; onOffset: (o: number) => void; noun?: string }) {
  if (!page) return null;
  const { total, offset, limit } = page;
  const shown = page.rows.length;
  return (
    <span className="pager" data-testid="pager" data-total={total}>
      <span>
        {total > shown ? `${formatInt(shown ? offset + 1 : 0)}–${formatInt(offset + shown)} of ` : ''}
        <strong>{formatInt(total)}</strong> {noun}
      </span>
      {total > limit && (
        <>
          <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>‹ Newer</button>
          <button type="button" disabled={offset + shown >= total} onClick={() => onOffset(offset + limit)}>Older ›</button>
        </>
      )}
    </span>
  );
}

/**
 * A paged list's state: the page of `fetchPage` at the current offset,
 * loaded 200 ms after the last change, and its error. A new `fetchPage` (a
 * new filter) starts again at the newest page; a failed load shows no rows.
 */
export function usePaged<T>(fetchPage: (offset: number) => Promise<Paged<T>>) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Paged<T> | undefined>();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => setOffset(0), [fetchPage]);

  const load = useCallback(async () => {
    setPage(undefined);
    try {
      setPage(await fetchPage(offset));
      setError(null);
    } catch (e) {
      setError(e);
      setPage({ rows: [], total: 0, totals: {}, offset: 0, limit: PAGE });
    }
  }, [fetchPage, offset]);
  useEffect(() => {
    const t = setTimeout(load, 200);
    return () => clearTimeout(t);
  }, [load]);

  return { page, error, setOffset };
}
