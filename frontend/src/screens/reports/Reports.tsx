// Reports: pick one (sales register, item-/outlet-/beat-/salesman-wise,
// stock with batches and expiry, reconciliation, scheme claims, outstanding
// and ageing, outstanding bill by bill, HSN-wise GST summary), a period or an as-of day, filters on
// its text columns; the grid sorts and filters 100,000 rows; Export to Excel
// asks the backend for the very same report as .xlsx.

import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { navigate } from '../../router';
import { formatDate, todayISO } from '../../format';
import { DateInput } from '../../widgets/inputs';
import { ExportButton, exportFrom, ReportGrid } from '../../widgets/ReportGrid';
import type { ReportColumn, ReportData } from '../../widgets/ReportGrid';
import { ErrorNote, PageHeader } from '../../widgets/ui';

interface ReportInfo {
  name: string;
  title: string;
  period: boolean;
  columns: ReportColumn[];
}

/** The order a distributor reads them in. */
const ORDER = ['sales-register', 'invoice-register', 'item-sales', 'outlet-sales', 'brand-sales', 'beat-sales', 'salesman-sales',
  'stock-summary', 'reconciliation', 'scheme-claims', 'outstanding', 'outstanding-bills', 'hsn-summary'];

/**
 * Rows per page: the server counts and totals the whole report, the screen
 * holds a page. The grid draws only the rows in view, so a page is as long
 * as a busy quarter's register (the browser test scrolls 10,000 rows).
 */
const REPORT_PAGE = 10000;

/** Text columns worth a filter box per report (exact match on the backend). */
const FILTERS = ['outlet', 'beat', 'salesman', 'item', 'brand', 'godown', 'hsn', 'scheme', 'batch'];

/**
 * Enter (or a double click) on a row of the outstanding reports opens that
 * outlet's ledger: the bills and receipts behind the figure.
 */
function ledgerOpener(report: ReportData): ((cells: unknown[]) => void) | undefined {
  if (report.name !== 'outstanding' && report.name !== 'outstanding-bills') return undefined;
  const i = report.columns.findIndex((c) => c.key === 'outlet');
  if (i < 0) return undefined;
  return (cells) => {
    const outlet = String(cells[i] ?? '');
    if (outlet) navigate('/outlet-ledger/' + encodeURIComponent(outlet));
  };
}

function monthStart(iso: string): string {
  return iso.slice(0, 8) + '01';
}

/** Reads #/reports/NAME?from=…&to=… so the dashboard can link into a report. */
function fromHash(): { name?: string; q: URLSearchParams } {
  const h = window.location.hash.replace(/^#/, '');
  const [path, query] = h.split('?');
  const name = path.startsWith('/reports/') ? decodeURIComponent(path.slice('/reports/'.length)) : undefined;
  return { name, q: new URLSearchParams(query ?? '') };
}

export function Reports() {
  const today = todayISO();
  const initial = useMemo(fromHash, []);
  const [list, setList] = useState<ReportInfo[]>([]);
  const [name, setName] = useState(initial.name ?? 'sales-register');
  const [from, setFrom] = useState(initial.q.get('from') ?? monthStart(today));
  const [to, setTo] = useState(initial.q.get('to') ?? initial.q.get('as_of') ?? today);
  const [filters, setFilters] = useState<Record<string, string>>(() => {
    const f: Record<string, string> = {};
    initial.q.forEach((v, k) => {
      if (k !== 'from' && k !== 'to' && k !== 'as_of') f[k] = v;
    });
    return f;
  });
  const [report, setReport] = useState<ReportData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);

  useEffect(() => {
    api.get<ReportInfo[]>('/api/reports').then(
      (l) => setList([...l].sort((a, b) => (ORDER.indexOf(a.name) + 99) % 99 - (ORDER.indexOf(b.name) + 99) % 99)),
      setError,
    );
  }, []);

  const info = list.find((r) => r.name === name);
  const filterKeys = (info?.columns ?? []).filter((c) => FILTERS.includes(c.key)).map((c) => c.key);
  const query = useMemo(() => {
    const q: Record<string, string> = info?.period === false ? { as_of: to } : { from, to };
    for (const k of filterKeys) if (filters[k]?.trim()) q[k] = filters[k].trim();
    return q;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [info, from, to, filters, filterKeys.join(',')]);

  // The hash says which report and period is on screen, so Back from an
  // outlet's ledger (or a reload) comes back to it. Replaced, not pushed:
  // changing a date is not a step to go back through.
  useEffect(() => {
    if (!info) return;
    const h = `#/reports/${encodeURIComponent(name)}?${new URLSearchParams(query)}`;
    if (window.location.hash !== h) window.history.replaceState(window.history.state, '', h);
  }, [info, name, query]);

  // A new report or filter starts again at the first (newest) page.
  useEffect(() => setOffset(0), [name, query]);

  useEffect(() => {
    if (!info) return;
    let live = true;
    setLoading(true);
    setError(null);
    const t = setTimeout(() => {
      api.get<ReportData>(`/api/reports/${encodeURIComponent(name)}`, { ...query, limit: REPORT_PAGE, offset }).then(
        (r) => live && setReport(r),
        (e) => {
          if (!live) return;
          setError(e);
          setReport(null);
        },
      ).finally(() => live && setLoading(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [name, info, query, offset]);

  return (
    <div className="page master reports">
      <PageHeader
        title="Reports"
        sub={report ? `${report.title} · ${report.from ? `${formatDate(report.from)} to ${formatDate(report.to)}` : `as of ${formatDate(report.to ?? to)}`}` : 'Pick a report'}
      >
        <input className="search" type="search" placeholder="Search rows…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <ExportButton run={exportFrom(`/api/reports/${encodeURIComponent(name)}`, { ...query, format: 'xlsx' }, `${name}.xlsx`)} />
      </PageHeader>
      <div className="report-bar">
        <label>
          Report
          <select name="report" value={name} onChange={(e) => setName(e.target.value)} aria-label="Report">
            {list.map((r) => <option key={r.name} value={r.name}>{r.title}</option>)}
          </select>
        </label>
        {info?.period !== false ? (
          <>
            <label>From <DateInput name="from" value={from} onChange={(v) => v && setFrom(v)} /></label>
            <label>To <DateInput name="to" value={to} onChange={(v) => v && setTo(v)} /></label>
          </>
        ) : (
          <label>As of <DateInput name="as_of" value={to} onChange={(v) => v && setTo(v)} /></label>
        )}
        {filterKeys.map((k) => (
          <label key={k}>
            {k[0].toUpperCase() + k.slice(1)}
            <input
              name={'filter-' + k}
              value={filters[k] ?? ''}
              placeholder="all"
              size={10}
              onChange={(e) => setFilters((f) => ({ ...f, [k]: e.target.value }))}
            />
          </label>
        ))}
        {loading && <span className="muted">Loading…</span>}
      </div>
      <ErrorNote error={error} />
      <div className="master-body single">
        {report && <ReportGrid key={report.name} report={report} search={search} onOffset={setOffset} onActivate={ledgerOpener(report)} />}
      </div>
    </div>
  );
}
