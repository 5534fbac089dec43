// The owner's morning screen: yesterday against the same weekday last week,
// the month so far against last month, primary received, stock value and
// days of cover, overstocked and near-expiry items, scheme spend,
// collections, Tally and head office. Every figure opens the list behind it
// (sales drill from brand to SKU, beat, salesman, outlet), and every list
// exports to Excel.

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../../api';
import { formatDate, formatInt, formatPaise, formatRupees } from '../../format';
import { navigate } from '../../router';
import { Chart } from '../../widgets/Chart';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column } from '../../widgets/DataGrid';
import { ExportButton, exportRows, formatCell, ReportGrid } from '../../widgets/ReportGrid';
import type { ReportData } from '../../widgets/ReportGrid';
import { ErrorNote, PageHeader } from '../../widgets/ui';

interface Period { from: string; to: string; invoices: number; taxable_paise: number; total_paise: number }
interface Compare { now: Period; before: Period; change_bp: number | null }
interface Flag { items: number; qty: number; value_paise: number }
interface UploadStatus {
  configured: boolean;
  last_success: string | null;
  waiting: number;
  pending_rows: number;
  data_age_hours: number | null;
  last_error?: string;
}
export interface DashboardView {
  date: string;
  yesterday: Compare;
  month_to_date: Compare;
  primary_qty: number;
  primary_value_paise: number;
  stock_qty: number;
  stock_value_paise: number;
  days_of_cover: number | null;
  overstocked: Flag;
  near_expiry: Flag;
  scheme_spend_paise: number;
  collections: { outlets: number; outstanding_paise: number; overdue_paise: number; overdue_outlets: number };
  near_expiry_days: number;
  overstock_days: number;
  tally: { waiting: number; posted: number | null; failed: number | null };
  head_office: UploadStatus | null;
}
interface SalesRow {
  key: string; name: string; invoices: number; outlets: number; qty: number; free_qty: number;
  taxable_paise: number; tax_paise: number; total_paise: number; scheme_paise: number;
}

type Dim = 'brand' | 'item' | 'beat' | 'salesman' | 'outlet';
const DIMS: [Dim, string][] = [['brand', 'Brand'], ['item', 'SKU'], ['beat', 'Beat'], ['salesman', 'Salesman'], ['outlet', 'Outlet']];

/** What the drill panel shows. */
type Drill =
  | { kind: 'sales'; title: string; from: string; to: string; by: Dim; brand?: string }
  | { kind: 'report'; title: string; report: string; q: Record<string, string>; keep?: (cells: unknown[], r: ReportData) => boolean };

function change(bp: number | null | undefined): { text: string; cls: string } {
  if (bp === null || bp === undefined) return { text: 'no sales to compare', cls: 'muted' };
  const pct = (bp / 100).toFixed(1);
  return bp >= 0 ? { text: `▲ ${pct}%`, cls: 'ok-text' } : { text: `▼ ${pct.replace('-', '')}%`, cls: 'bad' };
}

function ago(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const h = Math.round((Date.now() - new Date(iso).getTime()) / 3600000);
  return h < 1 ? 'within the hour' : h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}

function Tile({ id, title, value, raw, sub, extra, onOpen, tone }: {
  id: string; title: string; value: string; raw?: number | null; sub?: ReactNode; extra?: ReactNode;
  onOpen: () => void; tone?: 'warn' | 'bad' | '';
}) {
  return (
    <button type="button" className={'tile' + (tone ? ' tile-' + tone : '')} data-testid={'tile-' + id} data-value={raw ?? ''} onClick={onOpen}>
      <span className="tile-title">{title}</span>
      <strong className="tile-value">{value}</strong>
      {sub && <span className="tile-sub">{sub}</span>}
      {extra && <span className="tile-sub">{extra}</span>}
    </button>
  );
}

export function Dashboard() {
  const [d, setD] = useState<DashboardView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [brands, setBrands] = useState<SalesRow[]>([]);
  const [trend, setTrend] = useState<{ days: string[]; now: number[]; before: number[] } | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);

  const load = useCallback(() => {
    api.get<DashboardView>('/api/dashboard').then(setD, setError);
  }, []);
  useEffect(() => {
    load();
    const t = setInterval(load, 60000);
    return () => clearInterval(t);
  }, [load]);

  useEffect(() => {
    if (!d) return;
    const m = d.month_to_date;
    api.get<SalesRow[]>('/api/dashboard/sales', { by: 'brand', from: m.now.from, to: m.now.to }).then(setBrands, setError);
    // Daily totals: this month against last month, day by day.
    Promise.all([
      api.get<ReportData>('/api/reports/invoice-register', { from: m.now.from, to: m.now.to }),
      api.get<ReportData>('/api/reports/invoice-register', { from: m.before.from, to: m.before.to }),
    ]).then(([a, b]) => {
      const sum = (r: ReportData) => {
        const di = r.columns.findIndex((c) => c.key === 'date');
        const ti = r.columns.findIndex((c) => c.key === 'total_paise');
        const by = new Map<number, number>();
        for (const row of r.rows) {
          const day = Number(String(row[di]).slice(8, 10));
          by.set(day, (by.get(day) ?? 0) + Number(row[ti] ?? 0));
        }
        return by;
      };
      const na = sum(a);
      const nb = sum(b);
      const n = Number(m.now.to.slice(8, 10));
      const days = Array.from({ length: n }, (_, i) => String(i + 1));
      setTrend({ days, now: days.map((_, i) => Math.round((na.get(i + 1) ?? 0) / 100)), before: days.map((_, i) => Math.round((nb.get(i + 1) ?? 0) / 100)) });
    }, setError);
  }, [d]);

  const brandOption = useMemo(() => ({
    grid: { left: 90, right: 16, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatRupees(v * 100) },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => (v >= 100000 ? v / 100000 + 'L' : v >= 1000 ? v / 1000 + 'k' : String(v)) } },
    yAxis: { type: 'category', inverse: true, data: brands.slice(0, 10).map((b) => b.name || b.key) },
    series: [{ type: 'bar', data: brands.slice(0, 10).map((b) => Math.round(b.total_paise / 100)), itemStyle: { color: '#2563eb' }, barMaxWidth: 18 }],
  }), [brands]);
  const trendOption = useMemo(() => ({
    grid: { left: 56, right: 16, top: 30, bottom: 24 },
    legend: { top: 0, data: ['This month', 'Last month'] },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatRupees(v * 100) },
    xAxis: { type: 'category', data: trend?.days ?? [] },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => (v >= 100000 ? v / 100000 + 'L' : v >= 1000 ? v / 1000 + 'k' : String(v)) } },
    series: [
      { name: 'This month', type: 'line', smooth: true, data: trend?.now ?? [], itemStyle: { color: '#2563eb' }, areaStyle: { opacity: 0.08 } },
      { name: 'Last month', type: 'line', smooth: true, data: trend?.before ?? [], itemStyle: { color: '#94a3b8' }, lineStyle: { type: 'dashed' } },
    ],
  }), [trend]);

  if (!d) return <div className="page"><PageHeader title="Dashboard" /><ErrorNote error={error} />{!error && <p className="muted">Reading the book…</p>}</div>;

  const y = d.yesterday;
  const m = d.month_to_date;
  const yc = change(y.change_bp);
  const mc = change(m.change_bp);
  const ms = m.now.from;
  const ho = d.head_office;
  const recon = (title: string, keep?: (cells: unknown[], r: ReportData) => boolean, extra: Record<string, string> = {}): Drill =>
    ({ kind: 'report', title, report: 'reconciliation', q: { from: ms, to: d.date, ...extra }, keep });
  const col = (r: ReportData, key: string) => r.columns.findIndex((c) => c.key === key);

  return (
    <div className="page dashboard">
      <PageHeader title="Dashboard" sub={`${formatDate(d.date)} · figures as the book stands now`}>
        <button type="button" onClick={load}>Refresh</button>
      </PageHeader>
      <ErrorNote error={error} />
      <div className="tiles">
        <Tile id="yesterday" title={`Yesterday (${formatDate(y.now.from)})`} value={formatRupees(y.now.total_paise)} raw={y.now.total_paise}
          sub={<><span className={yc.cls}>{yc.text}</span> vs {formatRupees(y.before.total_paise)} on {formatDate(y.before.from)}</>}
          extra={`${formatInt(y.now.invoices)} invoices`}
          onOpen={() => setDrill({ kind: 'sales', title: `Sales on ${formatDate(y.now.from)}`, from: y.now.from, to: y.now.to, by: 'brand' })} />
        <Tile id="mtd" title="Month to date" value={formatRupees(m.now.total_paise)} raw={m.now.total_paise}
          sub={<><span className={mc.cls}>{mc.text}</span> vs {formatRupees(m.before.total_paise)} ({formatDate(m.before.from)}–{formatDate(m.before.to)})</>}
          extra={`${formatInt(m.now.invoices)} invoices`}
          onOpen={() => setDrill({ kind: 'sales', title: `Sales ${formatDate(m.now.from)} to ${formatDate(m.now.to)}`, from: m.now.from, to: m.now.to, by: 'brand' })} />
        <Tile id="primary" title="Primary received this month" value={formatRupees(d.primary_value_paise)} raw={d.primary_value_paise}
          sub={`${formatInt(d.primary_qty)} pcs received`}
          onOpen={() => setDrill(recon('Received this month', (c, r) => Number(c[col(r, 'received')]) > 0))} />
        <Tile id="stock" title="Stock value" value={formatRupees(d.stock_value_paise)} raw={d.stock_value_paise}
          sub={d.days_of_cover === null ? 'no sales to measure cover' : `${formatInt(d.days_of_cover)} days of cover`}
          extra={`${formatInt(d.stock_qty)} pcs`}
          onOpen={() => setDrill({ kind: 'report', title: 'Stock with batches and expiry', report: 'stock-summary', q: { as_of: d.date } })} />
        <Tile id="overstocked" title={`Overstocked (> ${d.overstock_days} days)`} value={formatRupees(d.overstocked.value_paise)} raw={d.overstocked.value_paise}
          sub={`${formatInt(d.overstocked.items)} items · ${formatInt(d.overstocked.qty)} pcs`} tone={d.overstocked.items ? 'warn' : ''}
          onOpen={() => setDrill(recon('Overstocked items', undefined, { overstock: 'true' }))} />
        <Tile id="near-expiry" title={`Near expiry (≤ ${d.near_expiry_days} days)`} value={formatRupees(d.near_expiry.value_paise)} raw={d.near_expiry.value_paise}
          sub={`${formatInt(d.near_expiry.items)} items · ${formatInt(d.near_expiry.qty)} pcs`} tone={d.near_expiry.items ? 'warn' : ''}
          onOpen={() => setDrill(recon('Near-expiry items', (c, r) => Number(c[col(r, 'near_expiry_qty')]) > 0 && Number(c[col(r, 'closing')]) > 0))} />
        <Tile id="schemes" title="Scheme spend this month" value={formatRupees(d.scheme_spend_paise)} raw={d.scheme_spend_paise}
          sub="discount + free goods value"
          onOpen={() => setDrill({ kind: 'report', title: 'Scheme claims this month', report: 'scheme-claims', q: { from: ms, to: d.date } })} />
        <Tile id="collections" title="Collections due" value={formatRupees(d.collections.outstanding_paise)} raw={d.collections.outstanding_paise}
          sub={<span className={d.collections.overdue_paise ? 'bad' : ''}>{formatRupees(d.collections.overdue_paise)} overdue · {formatInt(d.collections.overdue_outlets)} outlets</span>}
          extra={`${formatInt(d.collections.outlets)} outlets owe`} tone={d.collections.overdue_paise ? 'bad' : ''}
          onOpen={() => setDrill({ kind: 'report', title: 'Outstanding and ageing', report: 'outstanding', q: { as_of: d.date } })} />
        <Tile id="tally" title="Tally" value={`${formatInt(d.tally.waiting)} waiting`} raw={d.tally.waiting}
          sub={`${d.tally.posted === null ? '—' : formatInt(d.tally.posted)} posted · ${d.tally.failed === null ? '—' : formatInt(d.tally.failed)} failed`}
          tone={d.tally.failed ? 'bad' : ''} onOpen={() => navigate('/tally')} />
        <Tile id="head-office" title="Head office" value={ho?.configured ? ago(ho.last_success) : 'not set up'} raw={ho?.data_age_hours ?? null}
          sub={ho ? `${formatInt(ho.waiting)} batches waiting · data age ${ho.data_age_hours === null ? '—' : ho.data_age_hours + ' h'}` : 'upload state unknown'}
          tone={ho?.last_error ? 'bad' : ''} onOpen={() => navigate('/upload')} />
      </div>
      <div className="charts">
        <section className="card">
          <h2>Sales trend <span className="muted">· daily, with GST</span></h2>
          <Chart label="Sales trend" option={trendOption} />
        </section>
        <section className="card">
          <h2>By brand <span className="muted">· month to date, click a bar for its SKUs</span></h2>
          <Chart label="Sales by brand" option={brandOption} onClick={(name) => {
            const b = brands.find((x) => (x.name || x.key) === name);
            if (b) setDrill({ kind: 'sales', title: `${b.name} · month to date`, from: m.now.from, to: m.now.to, by: 'item', brand: b.key });
          }} />
        </section>
      </div>
      {drill && <DrillPanel drill={drill} setDrill={setDrill} onClose={() => setDrill(null)} />}
    </div>
  );
}

function DrillPanel({ drill, setDrill, onClose }: { drill: Drill; setDrill: (d: Drill) => void; onClose: () => void }) {
  return (
    <section className="card drill" aria-label="Drill-down" data-testid="drill">
      <div className="drill-head">
        <h2>{drill.title}{drill.kind === 'sales' && drill.brand ? ` · ${drill.brand}` : ''}</h2>
        {drill.kind === 'sales' && (
          <div className="seg" role="tablist">
            {DIMS.map(([k, label]) => (
              <button key={k} type="button" className={drill.by === k ? 'on' : ''} onClick={() => setDrill({ ...drill, by: k, brand: k === 'brand' ? undefined : drill.brand })}>{label}</button>
            ))}
          </div>
        )}
        <button type="button" className="ghost" onClick={onClose} aria-label="Close">✕</button>
      </div>
      {drill.kind === 'sales' ? <SalesDrill drill={drill} setDrill={setDrill} /> : <ReportDrill drill={drill} />}
    </section>
  );
}

function SalesDrill({ drill, setDrill }: { drill: Extract<Drill, { kind: 'sales' }>; setDrill: (d: Drill) => void }) {
  const [rows, setRows] = useState<SalesRow[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<SalesRow[]>([]);
  useEffect(() => {
    setRows(undefined);
    api.get<SalesRow[]>('/api/dashboard/sales', { by: drill.by, from: drill.from, to: drill.to, brand: drill.brand }).then((r) => setRows(r ?? []), setError);
  }, [drill]);
  const dimLabel = DIMS.find(([k]) => k === drill.by)?.[1] ?? drill.by;
  const columns: Column<SalesRow>[] = useMemo(() => [
    { key: 'key', title: dimLabel, width: 130 },
    { key: 'name', title: 'Name', flex: 3 },
    { key: 'invoices', title: 'Invoices', width: 80, align: 'right', text: (r) => formatInt(r.invoices) },
    { key: 'outlets', title: 'Outlets', width: 74, align: 'right', text: (r) => formatInt(r.outlets) },
    { key: 'qty', title: 'Qty', width: 80, align: 'right', text: (r) => formatInt(r.qty) },
    { key: 'free_qty', title: 'Free', width: 64, align: 'right', text: (r) => formatInt(r.free_qty) },
    { key: 'taxable_paise', title: 'Taxable ₹', width: 120, align: 'right', text: (r) => formatCell('money', r.taxable_paise) },
    { key: 'tax_paise', title: 'GST ₹', width: 110, align: 'right', text: (r) => formatCell('money', r.tax_paise) },
    { key: 'total_paise', title: 'Total ₹', width: 120, align: 'right', text: (r) => formatCell('money', r.total_paise) },
    { key: 'scheme_paise', title: 'Scheme ₹', width: 100, align: 'right', text: (r) => formatCell('money', r.scheme_paise) },
  ], [dimLabel]);
  const sum = (k: keyof SalesRow) => view.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  return (
    <>
      <div className="drill-tools">
        <span className="muted">{drill.by === 'brand' ? 'Enter or double-click a brand for its SKUs' : `${formatDate(drill.from)} to ${formatDate(drill.to)}`}</span>
        <ExportButton run={() => exportRows(`sales-by-${drill.by}${drill.brand ? '-' + drill.brand : ''}-${drill.from}-${drill.to}.xlsx`,
          columns.map((c) => c.title),
          view.map((r) => [r.key, r.name, r.invoices, r.outlets, r.qty, r.free_qty, r.taxable_paise, r.tax_paise, r.total_paise, r.scheme_paise]),
          [false, false, false, false, false, false, true, true, true, true])} />
      </div>
      <ErrorNote error={error} />
      <div className="drill-grid">
        <DataGrid
          label={`Sales by ${dimLabel}`}
          rows={rows ?? []}
          loading={rows === undefined}
          columns={columns}
          rowKey={(r) => r.key}
          onView={setView}
          onActivate={drill.by === 'brand' ? (r) => setDrill({ ...drill, by: 'item', brand: r.key }) : undefined}
          footer={<span className="report-totals"><span>{formatInt(view.length)} rows</span><span>Taxable <strong>{formatPaise(sum('taxable_paise'))}</strong></span><span>Total <strong>{formatPaise(sum('total_paise'))}</strong></span></span>}
        />
      </div>
    </>
  );
}

function ReportDrill({ drill }: { drill: Extract<Drill, { kind: 'report' }> }) {
  const [rep, setRep] = useState<ReportData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<unknown[][]>([]);
  useEffect(() => {
    setRep(null);
    api.get<ReportData>(`/api/reports/${drill.report}`, drill.q).then((r) => {
      if (drill.keep) {
        const rows = r.rows.filter((c) => drill.keep?.(c, r));
        const totals: Record<string, unknown> = {};
        r.columns.forEach((c, i) => {
          if (c.total) totals[c.key] = rows.reduce((s, row) => s + Number(row[i] ?? 0), 0);
        });
        setRep({ ...r, rows, count: rows.length, totals });
      } else setRep(r);
    }, setError);
  }, [drill]);
  return (
    <>
      <div className="drill-tools">
        <span className="muted">
          {rep ? `${rep.title}${rep.from ? ` · ${formatDate(rep.from)} to ${formatDate(rep.to)}` : ''}` : 'Loading…'} ·{' '}
          <a href={`#/reports/${drill.report}?${new URLSearchParams(drill.q).toString()}`}>open in Reports</a>
        </span>
        {rep && (
          <ExportButton run={() => exportRows(`${drill.report}-${drill.q.to ?? drill.q.as_of ?? ''}.xlsx`, rep.columns.map((c) => c.title),
            view.map((row) => row.map((v, i) => (rep.columns[i].type === 'bool' ? Boolean(v) : (v as string | number | null)))),
            rep.columns.map((c) => c.type === 'money'))} />
        )}
      </div>
      <ErrorNote error={error} />
      <div className="drill-grid">{rep && <ReportGrid report={rep} onView={setView} />}</div>
    </>
  );
}

