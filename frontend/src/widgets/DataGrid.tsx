// DataGrid: the one table widget. Sticky header, keyboard cursor (arrows,
// PageUp/PageDown, Home/End, Enter to open), click-to-sort headers, a filter
// row, a quick search across columns, and virtual scrolling: only the rows in
// view are in the DOM, so 100,000 rows scroll as smoothly as 100.

import { memo, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode, Ref } from 'react';
import { flushSync } from 'react-dom';

export interface Column<T> {
  key: string;
  title: string;
  /** Fixed width in px; columns without one share the rest (min 80px). */
  width?: number;
  /** Flex share for columns without a fixed width (default 1). */
  flex?: number;
  align?: 'left' | 'right' | 'center';
  /** Value for sorting, filtering and the default cell. Default: row[key]. */
  value?: (row: T) => string | number | boolean | null | undefined;
  render?: (row: T) => ReactNode;
  /** Text used for the filter row (default: String(value)). */
  text?: (row: T) => string;
  filterable?: boolean;
  sortable?: boolean;
}

export interface DataGridHandle {
  focus(): void;
  /** Moves the cursor to the first row with this key. */
  select(key: string): void;
}

interface Props<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  onActivate?: (row: T) => void;
  onCursor?: (row: T | undefined) => void;
  /** Words that must all appear in some column (quick search). */
  search?: string;
  rowHeight?: number;
  showFilters?: boolean;
  emptyText?: ReactNode;
  loading?: boolean;
  rowClass?: (row: T) => string | undefined;
  footer?: ReactNode;
  label?: string;
  gridRef?: Ref<DataGridHandle>;
  /** Fires with the rows after filter and sort (for counts, totals, export). */
  onView?: (rows: T[]) => void;
  /** Rows in the whole set when rows is one page of it (server paging). */
  rowCount?: number;
}

type Sort = { key: string; dir: 1 | -1 } | null;

const OVERSCAN = 8;
/**
 * The drawn window moves in blocks of this many rows: a scroll within a block
 * redraws nothing (the overscan covers it), so the grid renders a few times a
 * screenful, not on every scroll event.
 */
const BLOCK = 8;

function cellValue<T>(c: Column<T>, row: T): string | number | boolean | null | undefined {
  if (c.value) return c.value(row);
  return (row as Record<string, unknown>)[c.key] as string | number | boolean | null | undefined;
}

function cellText<T>(c: Column<T>, row: T): string {
  if (c.text) return c.text(row);
  const v = cellValue(c, row);
  return v === null || v === undefined ? '' : String(v);
}

interface RowProps {
  row: unknown;
  i: number;
  rowKey: string;
  cur: boolean;
  extra?: string;
  top: number;
  height: number;
  template: string;
  columns: Column<unknown>[];
  onPick: (i: number) => void;
  onOpen: (i: number) => void;
}

/**
 * One drawn row. Memoised: scrolling draws only the rows that come into
 * view, and moving the cursor redraws only the two rows it leaves and
 * enters, so a 10,000-row grid keeps its frames short.
 */
const GridRow = memo(function GridRow({ row, i, rowKey, cur, extra, top, height, template, columns, onPick, onOpen }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={i + 2}
      aria-selected={cur}
      data-key={rowKey}
      className={'dg-row' + (cur ? ' dg-cur' : '') + (i % 2 ? ' dg-odd' : '') + (extra ? ' ' + extra : '')}
      style={{ top, height, gridTemplateColumns: template }}
      onMouseDown={() => onPick(i)}
      onDoubleClick={() => onOpen(i)}
    >
      {columns.map((c) => (
        <div key={c.key} role="gridcell" className={'dg-cell dg-' + (c.align ?? 'left')}>
          {c.render ? c.render(row) : cellText(c, row)}
        </div>
      ))}
    </div>
  );
});

export function DataGrid<T>(props: Props<T>) {
  const {
    rows, columns, rowKey, onActivate, onCursor, search = '', rowHeight = 28, showFilters = true,
    emptyText = 'Nothing to show', loading, rowClass, footer, label, gridRef, onView, rowCount,
  } = props;
  const [sort, setSort] = useState<Sort>(null);
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [cursor, setCursor] = useState(0);
  const [block, setBlock] = useState(0); // scrollTop / rowHeight / BLOCK, rounded down
  const [viewH, setViewH] = useState(400);
  const bodyRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const left = useRef(0);
  const drawn = useRef(0); // the block drawn, read by the scroll handler without a render

  // Filter, then sort. Text is lower-cased once per row per pass.
  const view = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    const active = Object.entries(filters).filter(([, v]) => v.trim() !== '');
    const colByKey = new Map(columns.map((c) => [c.key, c]));
    let out = rows;
    if (words.length || active.length) {
      out = rows.filter((r) => {
        for (const [k, v] of active) {
          const c = colByKey.get(k);
          if (c && !cellText(c, r).toLowerCase().includes(v.trim().toLowerCase())) return false;
        }
        if (words.length) {
          const hay = columns.map((c) => cellText(c, r)).join(' ').toLowerCase();
          for (const w of words) if (!hay.includes(w)) return false;
        }
        return true;
      });
    }
    if (sort) {
      const c = colByKey.get(sort.key);
      if (c) {
        const keyed = out.map((r) => ({ r, v: cellValue(c, r) }));
        keyed.sort((a, b) => {
          const x = a.v;
          const y = b.v;
          if (x === y) return 0;
          if (x === null || x === undefined || x === '') return 1;
          if (y === null || y === undefined || y === '') return -1;
          if (typeof x === 'number' && typeof y === 'number') return (x - y) * sort.dir;
          return (String(x) < String(y) ? -1 : 1) * sort.dir;
        });
        out = keyed.map((k) => k.r);
      }
    }
    return out;
  }, [rows, columns, search, filters, sort]);

  useEffect(() => {
    onView?.(view);
  }, [view, onView]);

  const n = view.length;
  const cur = n === 0 ? -1 : Math.min(cursor, n - 1);

  useEffect(() => {
    onCursor?.(cur >= 0 ? view[cur] : undefined);
  }, [cur, view, onCursor]);

  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewH(el.clientHeight));
    ro.observe(el);
    setViewH(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const scrollToRow = useCallback(
    (i: number) => {
      const el = bodyRef.current;
      if (!el || i < 0) return;
      const top = i * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [rowHeight],
  );

  const moveTo = useCallback(
    (i: number) => {
      const j = Math.max(0, Math.min(n - 1, i));
      setCursor(j);
      scrollToRow(j);
    },
    [n, scrollToRow],
  );

  useImperativeHandle(
    gridRef,
    () => ({
      focus: () => bodyRef.current?.focus(),
      select: (key: string) => {
        const i = view.findIndex((r) => rowKey(r) === key);
        if (i >= 0) moveTo(i);
      },
    }),
    [view, rowKey, moveTo],
  );

  const page = Math.max(1, Math.floor(viewH / rowHeight) - 1);

  function onKeyDown(e: React.KeyboardEvent) {
    switch (e.key) {
      case 'ArrowDown': moveTo(cur + 1); break;
      case 'ArrowUp': moveTo(cur - 1); break;
      case 'PageDown': moveTo(cur + page); break;
      case 'PageUp': moveTo(cur - page); break;
      case 'Home': moveTo(0); break;
      case 'End': moveTo(n - 1); break;
      case 'Enter':
        if (cur >= 0 && onActivate) onActivate(view[cur]);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  function toggleSort(key: string) {
    setSort((s) => (!s || s.key !== key ? { key, dir: 1 } : s.dir === 1 ? { key, dir: -1 } : null));
  }

  // Stable for the memoised rows: the latest view and onActivate, read when a row is double-clicked.
  const latest = useRef({ view, onActivate });
  useEffect(() => {
    latest.current = { view, onActivate };
  });
  const open = useCallback((i: number) => {
    const { view, onActivate } = latest.current;
    if (view[i] !== undefined) onActivate?.(view[i]);
  }, []);

  const template = columns
    .map((c) => (c.width ? `${c.width}px` : `minmax(80px, ${c.flex ?? 1}fr)`))
    .join(' ');
  const minWidth = columns.reduce((s, c) => s + (c.width ?? 80), 0);

  const first = Math.max(0, block * BLOCK - OVERSCAN);
  const last = Math.min(n, (block + 1) * BLOCK + Math.ceil(viewH / rowHeight) + OVERSCAN);
  const visible: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const r = view[i];
    const k = rowKey(r);
    visible.push(
      <GridRow key={k} row={r} i={i} rowKey={k} cur={i === cur} extra={rowClass?.(r)} top={i * rowHeight} height={rowHeight}
        template={template} columns={columns as Column<unknown>[]} onPick={setCursor} onOpen={open} />,
    );
  }

  return (
    <div className="dg" role="grid" aria-label={label} aria-rowcount={(rowCount !== undefined && n === rows.length ? rowCount : n) + 1}>
      <div className="dg-head" ref={headRef}>
        <div className="dg-head-inner" style={{ gridTemplateColumns: template, minWidth }} role="row">
          {columns.map((c) => {
            const s = sort?.key === c.key ? sort.dir : 0;
            return (
              <button
                key={c.key}
                type="button"
                role="columnheader"
                aria-sort={s === 1 ? 'ascending' : s === -1 ? 'descending' : 'none'}
                className={'dg-th dg-' + (c.align ?? 'left')}
                onClick={() => c.sortable !== false && toggleSort(c.key)}
                tabIndex={-1}
                title={c.sortable !== false ? 'Sort' : undefined}
              >
                <span>{c.title}</span>
                <span className="dg-sort">{s === 1 ? '▲' : s === -1 ? '▼' : ''}</span>
              </button>
            );
          })}
        </div>
        {showFilters && (
          <div className="dg-filters" style={{ gridTemplateColumns: template, minWidth }}>
            {columns.map((c) =>
              c.filterable === false ? (
                <div key={c.key} />
              ) : (
                <input
                  key={c.key}
                  className="dg-filter"
                  placeholder="filter"
                  aria-label={`Filter ${c.title}`}
                  value={filters[c.key] ?? ''}
                  onChange={(e) => {
                    setFilters((f) => ({ ...f, [c.key]: e.target.value }));
                    setCursor(0);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowDown' || e.key === 'Enter') {
                      e.preventDefault();
                      bodyRef.current?.focus();
                    }
                  }}
                />
              ),
            )}
          </div>
        )}
      </div>
      <div
        className="dg-body"
        ref={bodyRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          // Both offsets are read first, while the layout is clean: a read
          // after the rows change would force a layout inside the handler.
          const t = e.currentTarget;
          const b = Math.floor(t.scrollTop / rowHeight / BLOCK);
          const x = t.scrollLeft;
          // Only a sideways scroll moves the heading (writing it on every scroll costs a layout).
          if (headRef.current && x !== left.current) headRef.current.scrollLeft = left.current = x;
          if (b === drawn.current) return;
          drawn.current = b;
          // The new block is drawn in this scroll event, so its rows are laid
          // out once, in the frame that shows them, not in a task of their
          // own between frames (where the next scroll event's read of
          // scrollTop had to lay them out first, and the frame came a
          // frame late).
          flushSync(() => setBlock(b));
        }}
      >
        <div className="dg-canvas" style={{ height: n * rowHeight, minWidth }}>
          {visible}
        </div>
        {n === 0 && <div className="dg-empty">{loading ? 'Loading…' : emptyText}</div>}
      </div>
      <div className="dg-foot">
        <span>
          {loading ? 'Loading…' : `${n.toLocaleString('en-IN')} ${n === 1 ? 'row' : 'rows'}`}
          {n !== rows.length && !loading ? ` of ${rows.length.toLocaleString('en-IN')}` : ''}
          {rowCount !== undefined && rowCount > rows.length && !loading ? ' on this page' : ''}
        </span>
        {footer}
        <span className="dg-hint">↑↓ move · Enter open · click a heading to sort</span>
      </div>
    </div>
  );
}
