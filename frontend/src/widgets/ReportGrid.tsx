// A backend report ({columns, rows, totals}) in the shared DataGrid: typed
// cells (₹ with Indian grouping, quantities, %, DD-MM-YYYY), a totals row,
// and an export button that asks the backend for the same report as .xlsx.
// Also the small helpers every list-with-export uses.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { download, saveFile } from '../api';
import type { Query } from '../api';
import { formatAmount, formatBp, formatDate, formatInt } from '../format';
import { DataGrid } from './DataGrid';
import { Pager } from './Pager';
import type { Column } from './DataGrid';
import { toast } from './ui';
import { buildXlsx, XLSX_TYPE } from './xlsx';
import type { XCell } from './xlsx';

export interface ReportColumn {
  key: string;
  title: string;
  type: 'money' | 'qty' | 'int' | 'percent' | 'date' | 'text' | 'bool' | string;
  total?: boolean;
}

export interface ReportData {
  name: string;
  title: string;
  from?: string;
  to?: string;
  columns: ReportColumn[];
  rows: unknown[][];
  /** Rows of the whole filter (rows may be one page of them). */
  count: number;
  total?: number;
  offset?: number;
  limit?: number;
  totals: Record<string, unknown>;
}

type Row = { _i: number; cells: unknown[] };

/** Formats one report cell by its column type. */
export function formatCell(type: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  switch (type) {
    case 'money':
      return formatAmount(Number(v));
    case 'qty':
    case 'int':
      return formatInt(Number(v));
    case 'percent':
      return formatBp(Number(v));
    case 'date':
      return formatDate(String(v));
    case 'bool':
      return v ? 'Yes' : '';
    default:
      return String(v);
  }
}

const numeric = (t: string) => t === 'money' || t === 'qty' || t === 'int' || t === 'percent';

/** A column as wide as its content (title and the first few hundred cells), so an invoice number or a GSTIN is never cut. */
let measure: CanvasRenderingContext2D | null | undefined;
function textWidth(t: string, bold = false): number {
  if (measure === undefined) {
    measure = document.createElement('canvas').getContext('2d');
    const cs = getComputedStyle(document.body);
    if (measure) measure.font = `${cs.fontSize} ${cs.fontFamily}`;
  }
  if (!measure) return t.length * 8;
  const plain = measure.font;
  if (bold) measure.font = '600 ' + plain; // the heading
  const w = measure.measureText(t).width;
  measure.font = plain;
  return w;
}

function fitWidth(c: ReportColumn, i: number, rows: unknown[][]): number {
  let px = textWidth(c.title, true) + 14; // the sort arrow
  for (let k = 0; k < Math.min(rows.length, 400); k++) px = Math.max(px, textWidth(formatCell(c.type, rows[k][i])));
  return Math.min(c.type === 'text' ? 260 : 160, Math.max(44, Math.ceil(px) + 22));
}

/**
 * Columns a narrow screen hides first, in order: a code whose name stands
 * beside it, then the detail an accountant opens the .xlsx for. Columns not
 * named here go last, rightmost first; the first two never go.
 */
const HIDE_FIRST = ['line', 'outlet', 'item', 'hsn', 'free', 'doc_type', 'gst_rate_bp', 'cgst_paise', 'sgst_paise', 'igst_paise',
  'free_value_paise', 'rate_paise', 'discount_paise', 'scheme_discount_paise', 'gross_paise', 'salesman', 'beat',
  'credit_days', 'credit_limit_paise', 'batch', 'godown'];
const NAMED = new Map([['outlet', 'outlet_name'], ['item', 'item_name']]);

/**
 * Which columns show: every one the user has not unticked, less what must go
 * for the rest to fit `room` px without sideways scrolling (the user's own
 * ticks stay even then). The export always carries every column.
 */
export function fitColumns(cols: ReportColumn[], widths: number[], room: number, chosen: Record<string, boolean>): boolean[] {
  const show = cols.map((c) => chosen[c.key] !== false);
  if (room <= 0) return show;
  const keys = new Set(cols.map((c) => c.key));
  let used = widths.reduce((s, w, i) => s + (show[i] ? w : 0), 0);
  const order: number[] = [];
  for (const k of HIDE_FIRST) {
    const i = cols.findIndex((c) => c.key === k);
    if (i < 0 || (NAMED.has(k) && !keys.has(NAMED.get(k)!))) continue;
    order.push(i);
  }
  for (let i = cols.length - 1; i >= 2; i--) if (!order.includes(i)) order.push(i);
  for (const i of order) {
    if (used <= room) break;
    if (!show[i] || chosen[cols[i].key] === true || i < 2) continue;
    show[i] = false;
    used -= widths[i];
  }
  return show;
}

export function ReportGrid({ report, search, label, onActivate, onView, onOffset }: {
  report: ReportData;
  search?: string;
  label?: string;
  onActivate?: (cells: unknown[]) => void;
  onView?: (rows: unknown[][]) => void;
  /** Steps to another page when the report came a page at a time. */
  onOffset?: (offset: number) => void;
}) {
  const all = report.total ?? report.count;
  const rows: Row[] = useMemo(() => report.rows.map((cells, i) => ({ _i: i, cells })), [report]);
  const widths = useMemo(() => report.columns.map((c, i) => fitWidth(c, i, report.rows)), [report]);
  // The room the grid has; columns that would not fit are hidden (ticked back in the footer's chooser).
  const box = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setRoom(el.clientWidth - 2 - 16); // the grid's border and its scrollbar gutter
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, []);
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const show = useMemo(() => fitColumns(report.columns, widths, room, chosen), [report, widths, room, chosen]);
  const showKey = show.join();
  const columns: Column<Row>[] = useMemo(
    () =>
      report.columns.flatMap((c, i) => (show[i] ? [{
        key: c.key,
        title: c.title,
        width: widths[i],
        align: numeric(c.type) ? ('right' as const) : undefined,
        value: (r: Row) => r.cells[i] as string | number | boolean | null,
        text: (r: Row) => formatCell(c.type, r.cells[i]),
      }] : [])),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [report, widths, showKey],
  );
  const hidden = show.filter((s) => !s).length;
  const [view, setView] = useState<Row[]>(rows);
  const onViewRef = useRef(onView);
  useEffect(() => {
    onViewRef.current = onView;
  });
  const viewChanged = useCallback((v: Row[]) => {
    setView(v);
    onViewRef.current?.(v.map((r) => r.cells));
  }, []);
  const filtered = view.length !== rows.length;
  // Totals: the backend's over every row; when the grid filters, the sum of what is shown.
  const totals = report.columns.map((c, i) => {
    if (!c.total) return null;
    const v = filtered ? view.reduce((s, r) => s + Number(r.cells[i] ?? 0), 0) : report.totals[c.key];
    return v === undefined ? null : { title: c.title, text: formatCell(c.type, v) };
  });
  return (
    <div className="report-grid" ref={box}>
    <DataGrid
      label={label ?? report.title}
      rows={rows}
      columns={columns}
      rowKey={(r) => String(r._i)}
      search={search}
      onActivate={onActivate ? (r) => onActivate(r.cells) : undefined}
      onView={viewChanged}
      rowCount={all}
      footer={
        <span className="report-totals" data-testid="report-totals">
          {onOffset && all > report.rows.length ? (
            <Pager page={{ total: all, offset: report.offset ?? 0, limit: report.limit || report.rows.length, rows: report.rows }} onOffset={onOffset} />
          ) : all > report.rows.length ? (
            // The grid's own footer counts the rows; say only that more exist.
            <span>first {formatInt(report.rows.length)} of {formatInt(all)}</span>
          ) : null}
          {totals.map((t, i) => t && (
            <span key={i}>{t.title} <strong>{t.text}</strong></span>
          ))}
          {filtered && <span className="muted">totals of the filtered rows</span>}
          {hidden > 0 || Object.keys(chosen).length > 0 ? (
            <details className="col-chooser" data-testid="column-chooser">
              <summary>{report.columns.length - hidden} of {report.columns.length} columns</summary>
              <div className="col-chooser-list">
                <div className="muted">Hidden to fit the screen; Export to Excel has them all.</div>
                {report.columns.map((c, i) => (
                  <label key={c.key}>
                    <input type="checkbox" checked={show[i]} onChange={(e) => setChosen((m) => ({ ...m, [c.key]: e.target.checked }))} /> {c.title}
                  </label>
                ))}
              </div>
            </details>
          ) : null}
        </span>
      }
      emptyText="No rows for this period and filters"
    />
    </div>
  );
}

/** A button that runs a download and reports what happened. */
export function ExportButton({ run, label = 'Export to Excel', title }: { run: () => Promise<string>; label?: string; title?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      title={title ?? 'Save as .xlsx'}
      onClick={async () => {
        setBusy(true);
        try {
          const name = await run();
          if (name) toast(`Saved ${name}`);
        } catch (e) {
          toast(e instanceof Error ? e.message : String(e), 'error');
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? 'Exporting…' : label}
    </button>
  );
}

/** Exports a backend report (or any GET file endpoint). */
export const exportFrom = (path: string, q?: Query, name?: string) => () => download(path, q, name);

/** Exports rows built on screen (drill-downs) through the small writer. */
export function exportRows(file: string, header: string[], rows: XCell[][], money: boolean[] = []): Promise<string> {
  const bytes = buildXlsx(file.replace(/\.xlsx$/, ''), header, rows, money);
  return saveFile({ name: file, type: XLSX_TYPE, bytes });
}

/** A labelled figure used by the tiles and summaries. */
export function Figure({ label, value, sub }: { label: string; value: ReactNode; sub?: ReactNode }) {
  return (
    <div className="figure">
      <span>{label}</span>
      <strong>{value}</strong>
      {sub && <small>{sub}</small>}
    </div>
  );
}
