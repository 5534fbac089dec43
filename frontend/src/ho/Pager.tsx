// Every list the receiver answers is a page (limit, offset) with the whole
// filter's count and totals beside it: this is the page bar under a list's
// title — "rows 101–200 of 25,000", previous and next, and the page size.
// Alt+PageDown / Alt+PageUp turn the page from the keyboard.

import { useEffect, useState } from 'react';
import { formatInt } from '../format';

export const PAGE_SIZES = [10, 25, 100, 250, 1000];
export const DEFAULT_PAGE = 100;

export interface Paging {
  offset: number;
  limit: number;
  setOffset: (n: number) => void;
  setLimit: (n: number) => void;
}

/** A list's page; back to the first whenever the filter (key) changes. */
export function usePaging(key: string): Paging {
  const [limit, setLimitState] = useState(DEFAULT_PAGE);
  const [at, setAt] = useState({ key, offset: 0 });
  const offset = at.key === key ? at.offset : 0;
  return {
    offset,
    limit,
    setOffset: (n) => setAt({ key, offset: Math.max(0, n) }),
    setLimit: (n) => {
      setLimitState(n);
      setAt({ key, offset: 0 });
    },
  };
}

/** "rows x–y of N", ‹ previous, next ›, rows per page. */
export function Pager({ total, paging, id, label = 'rows', keys = true }: { total: number | undefined; paging: Paging; id: string; label?: string; keys?: boolean }) {
  const { offset, limit, setOffset, setLimit } = paging;
  const n = total ?? 0;
  const first = n ? offset + 1 : 0;
  const last = Math.min(offset + limit, n);
  const prev = offset > 0;
  const next = offset + limit < n;
  useEffect(() => {
    if (!keys) return undefined;
    function onKey(e: KeyboardEvent) {
      if (!e.altKey || (e.key !== 'PageDown' && e.key !== 'PageUp')) return;
      if (!document.getElementById(id)) return;
      e.preventDefault();
      if (e.key === 'PageDown' && next) setOffset(offset + limit);
      if (e.key === 'PageUp' && prev) setOffset(Math.max(0, offset - limit));
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys, id, next, prev, offset, limit, setOffset]);
  return (
    <div className="ho-pager" id={id} data-testid="pager">
      <span className="ho-pager-of" data-testid="pager-range">
        {label} {formatInt(first)}–{formatInt(last)} of {formatInt(n)}
      </span>
      <button type="button" disabled={!prev} onClick={() => setOffset(Math.max(0, offset - limit))} title="Alt+PageUp">‹ Previous</button>
      <button type="button" disabled={!next} onClick={() => setOffset(offset + limit)} title="Alt+PageDown">Next ›</button>
      <select aria-label="Rows per page" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
        {PAGE_SIZES.map((s) => <option key={s} value={s}>{s} a page</option>)}
      </select>
    </div>
  );
}
