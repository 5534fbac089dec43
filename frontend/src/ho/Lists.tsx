// The per-distributor lists: stock on hand and days of cover (overstocked
// first and flagged), upload freshness (late first and flagged), scheme cost
// per scheme × distributor, and claims on evidence with the leakage.

import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { formatAmount, formatDate, formatInt, formatPaise } from '../format';
import { DataGrid } from '../widgets/DataGrid';
import type { Column } from '../widgets/DataGrid';
import { ho } from './api';
import type { ClaimFlag, Cover, Fresh, LeakageTotal, Period, SchemeRow, SchemesBy } from './api';
import { allRows, exportXlsx, formatDateTime, useLoad } from './util';
import type { Loaded } from './util';
import { Pager, usePaging } from './Pager';
import type { Paging } from './Pager';

function Head({ title, sub, children }: { title: string; sub?: ReactNode; children?: ReactNode }) {
  return (
    <div className="ho-list-head">
      <div>
        <h1>{title}</h1>
        {sub && <div className="muted">{sub}</div>}
      </div>
      <div className="ho-actions">{children}</div>
    </div>
  );
}

function Failed({ error }: { error: unknown }) {
  if (!error) return null;
  return <div className="note error" role="alert">{error instanceof Error ? error.message : String(error)}</div>;
}

/** A whole-number input applied on Enter or blur. */
function NumberSetting({ id, label, value, onChange, unit }: { id: string; label: string; value: number; onChange: (n: number) => void; unit: string }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const apply = () => {
    const n = Number(text);
    if (/^\d+$/.test(text) && n !== value) onChange(n);
    else setText(String(value));
  };
  return (
    <span className="ho-inline">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="ho-num" inputMode="numeric" value={text} onChange={(e) => setText(e.target.value.trim())} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} />
      <span className="muted">{unit}</span>
    </span>
  );
}

const cov = (c: Cover) => (c.days_of_cover === null ? (c.stock_qty > 0 ? 'no sales' : '—') : formatInt(c.days_of_cover));

export function StockCover({ period, threshold, setThreshold, open }: {
  period: Period;
  threshold: number;
  setThreshold: (n: number) => void;
  open: (c: Cover) => void;
}) {
  const key = 'stock|' + period.from + '|' + period.to + '|' + threshold;
  const paging = usePaging(key);
  const load = (offset: number, limit: number) => ho.stock(period, threshold, { offset, limit });
  const report = useLoad(key + '|' + paging.offset + '|' + paging.limit, () => load(paging.offset, paging.limit));
  const r = report.data;
  const t = r?.totals ?? {};
  const columns: Column<Cover>[] = useMemo(() => [
    { key: 'code', title: 'Distributor', width: 120 },
    { key: 'region', title: 'Region', width: 120 },
    { key: 'stock_date', title: 'Stock as of', width: 100, text: (c) => formatDate(c.stock_date) },
    { key: 'stock_qty', title: 'Stock qty', width: 100, align: 'right', text: (c) => formatInt(c.stock_qty) },
    { key: 'stock_value_paise', title: 'Stock value ₹', width: 140, align: 'right', text: (c) => formatAmount(c.stock_value_paise) },
    { key: 'sold_qty', title: 'Sold qty (period)', width: 120, align: 'right', text: (c) => formatInt(c.sold_qty) },
    { key: 'days_of_cover', title: 'Days of cover', width: 110, align: 'right', text: cov },
    {
      key: 'overstocked', title: 'Status', flex: 1, value: (c) => (c.overstocked ? 'Overstocked' : 'OK'),
      render: (c) => (c.overstocked ? <span className="ho-flag over">Overstocked</span> : <span className="muted">OK</span>),
    },
  ], []);
  return (
    <div className="ho-list">
      <Head
        title="Stock on hand and days of cover"
        sub={r && <>Stock on the last day up to {formatDate(r.period.to)}; cover = stock ÷ average daily sales over {formatDate(r.period.from)} – {formatDate(r.period.to)}. <strong>{formatInt(r.overstocked)}</strong> of {formatInt(r.total_rows)} overstocked · all of them: stock <strong data-testid="stock-total">{formatPaise(t.stock_value_paise ?? 0)}</strong>, qty {formatInt(t.stock_qty)}, sold {formatInt(t.sold_qty)}.</>}
      >
        <NumberSetting id="ho-threshold" label="Overstocked above" value={threshold} onChange={setThreshold} unit="days" />
        <Pager total={r?.total_rows} paging={paging} id="pager-stock" label="distributors" />
        <button type="button" disabled={!r?.distributors.length} onClick={() => r && void allRows((o, l) => load(o, l).then((x) => ({ rows: x.distributors, total_rows: x.total_rows }))).then((all) => exportXlsx(`stock-cover-${r.period.to}.xlsx`,
          ['Distributor', 'Region', 'Stock as of', 'Stock qty', 'Stock value ₹', 'Sold qty', 'Days of cover', 'Overstocked'],
          all.map((c) => [c.code, c.region, formatDate(c.stock_date), c.stock_qty, c.stock_value_paise, c.sold_qty, c.days_of_cover, c.overstocked]),
          [false, false, false, false, true]))}>Export to Excel</button>
      </Head>
      <Failed error={report.error} />
      <div className="ho-grid">
        <DataGrid rows={r?.distributors ?? []} columns={columns} rowKey={(c) => c.code} loading={report.loading} label="Stock and cover"
          onActivate={open} rowClass={(c) => (c.overstocked ? 'ho-row-over' : undefined)}
          footer={<span className="ho-hint">Enter: the distributor’s beats</span>} emptyText="No distributors registered" />
      </div>
    </div>
  );
}

export function Freshness({ report, lateHours, setLateHours, open }: {
  report: Loaded<Fresh[]>;
  lateHours: number;
  setLateHours: (n: number) => void;
  open: (f: Fresh) => void;
}) {
  const rows = report.data ?? [];
  const late = rows.filter((f) => f.late).length;
  const columns: Column<Fresh>[] = useMemo(() => [
    { key: 'code', title: 'Distributor', width: 120 },
    { key: 'region', title: 'Region', width: 120 },
    { key: 'last_upload', title: 'Last upload (IST)', width: 150, text: (f) => (f.last_upload ? formatDateTime(f.last_upload) : 'never') },
    { key: 'lag_hours', title: 'Lag (hours)', width: 100, align: 'right', text: (f) => (f.lag_hours === null ? '' : formatInt(f.lag_hours)) },
    { key: 'data_to', title: 'Data up to', width: 100, text: (f) => formatDate(f.data_to) },
    { key: 'last_batch_id', title: 'Last batch', flex: 2 },
    {
      key: 'conflicts', title: 'Conflicts', width: 110, align: 'right', value: (f) => f.conflicts ?? 0,
      render: (f) => (f.conflicts ? <span className="ho-flag late" title={f.last_conflict}>{formatInt(f.conflicts)} conflict{f.conflicts === 1 ? '' : 's'}</span> : ''),
    },
    {
      key: 'late', title: 'Status', width: 120, value: (f) => (f.late ? 'Late' : 'On time'),
      render: (f) => (f.late ? <span className="ho-flag late">{f.last_upload ? 'Late' : 'Never uploaded'}</span> : <span className="ho-flag ok">On time</span>),
    },
  ], []);
  return (
    <div className="ho-list">
      <Head title="Upload freshness" sub={report.data && <><strong>{formatInt(late)}</strong> of {formatInt(rows.length)} distributors late (no upload within {lateHours} hours). Late ones are listed first.{rows.some((f) => f.conflicts) && <> <strong className="ho-flag late">Conflicts:</strong> a distributor sent a sale under a number already held with other content (not counted; ask them): {rows.filter((f) => f.conflicts).map((f) => `${f.code}: ${f.last_conflict}`).join('; ')}</>}</>}>
        <NumberSetting id="ho-late" label="Late after" value={lateHours} onChange={setLateHours} unit="hours" />
        <button type="button" disabled={!rows.length} onClick={() => exportXlsx('upload-freshness.xlsx',
          ['Distributor', 'Region', 'Last upload (IST)', 'Lag hours', 'Data up to', 'Last batch', 'Late'],
          rows.map((f) => [f.code, f.region, formatDateTime(f.last_upload), f.lag_hours, formatDate(f.data_to), f.last_batch_id ?? '', f.late]))}>Export to Excel</button>
      </Head>
      <Failed error={report.error} />
      <div className="ho-grid">
        <DataGrid rows={rows} columns={columns} rowKey={(f) => f.code} loading={report.loading} label="Upload freshness"
          onActivate={open} rowClass={(f) => (f.late ? 'ho-row-late' : undefined)}
          footer={<span className="ho-hint">Enter: the distributor’s beats</span>} emptyText="No distributors registered" />
      </div>
    </div>
  );
}

const SCHEMES_BY: { by: SchemesBy; label: string }[] = [
  { by: '', label: 'Scheme × distributor' },
  { by: 'scheme', label: 'By scheme' },
  { by: 'distributor', label: 'By distributor' },
];

export function Schemes({ period }: { period: Period }) {
  const [by, setBy] = useState<SchemesBy>('');
  const key = 'schemes|' + period.from + '|' + period.to + '|' + by;
  const paging = usePaging(key);
  const load = (offset: number, limit: number) => ho.schemes(period, by, { offset, limit });
  const data = useLoad(key + '|' + paging.offset + '|' + paging.limit, () => load(paging.offset, paging.limit));
  const rep = data.data && data.data.by === by ? data.data : undefined;
  const rows = rep?.rows ?? [];
  const t = rep?.totals ?? {};
  const columns: Column<SchemeRow>[] = useMemo(() => [
    ...(by !== 'distributor' ? [{ key: 'scheme_code', title: 'Scheme', width: 140 }] : []),
    ...(by !== 'scheme' ? [{ key: 'distributor_code', title: 'Distributor', width: 120 }] : []),
    { key: 'redemptions', title: 'Redemptions', width: 110, align: 'right', text: (r) => formatInt(r.redemptions) },
    { key: 'free_qty', title: 'Free qty', width: 100, align: 'right', text: (r) => formatInt(r.free_qty) },
    { key: 'discount_paise', title: 'Discount ₹', width: 130, align: 'right', text: (r) => formatAmount(r.discount_paise) },
    { key: 'cost_paise', title: 'Cost ₹', flex: 1, align: 'right', text: (r) => formatAmount(r.cost_paise) },
  ] as Column<SchemeRow>[], [by]);
  return (
    <div className="ho-list">
      <Head title="Scheme cost and redemptions" sub={<>{formatDate(period.from)} – {formatDate(period.to)} · {formatInt(t.redemptions)} redemptions · cost <strong data-testid="schemes-total">{formatPaise(t.cost_paise ?? 0)}</strong> (all {formatInt(rep?.total_rows)} rows)</>}>
        <span className="ho-inline">
          <label htmlFor="ho-schemes-by" className="muted">Rows</label>
          <select id="ho-schemes-by" value={by} onChange={(e) => setBy(e.target.value as SchemesBy)}>
            {SCHEMES_BY.map((o) => <option key={o.by} value={o.by}>{o.label}</option>)}
          </select>
        </span>
        <Pager total={rep?.total_rows} paging={paging} id="pager-schemes" />
        <button type="button" disabled={!rows.length} onClick={() => void allRows(load).then((all) => exportXlsx(`scheme-cost-${period.from}-${period.to}.xlsx`,
          ['Scheme', 'Distributor', 'Redemptions', 'Free qty', 'Discount ₹', 'Cost ₹'],
          all.map((r) => [r.scheme_code, r.distributor_code, r.redemptions, r.free_qty, r.discount_paise, r.cost_paise]), [false, false, false, false, true, true]))}>Export to Excel</button>
      </Head>
      <Failed error={data.error} />
      <div className="ho-grid">
        <DataGrid rows={rows} columns={columns} rowKey={(r) => r.scheme_code + '|' + r.distributor_code} loading={data.loading} label="Scheme cost" emptyText="No scheme redemptions uploaded in this period" />
      </div>
    </div>
  );
}

const REASONS: Record<string, string> = {
  no_invoice_line: 'No invoice line',
  scheme_not_on_line: 'Scheme not on the line',
  free_qty_not_on_line: 'Free qty not billed',
  ineligible_outlet: 'Ineligible outlet',
  outside_dates: 'Outside the scheme dates',
  above_entitlement: 'Above entitlement',
  budget_exceeded: 'Budget exceeded',
};

function LeakTable({ title, rows, keyTitle, total, paging, id }: { title: string; rows: LeakageTotal[]; keyTitle: string; total?: number; paging: Paging; id: string }) {
  return (
    <div className="card ho-leak">
      <div className="ho-leak-head">
        <h2>{title}</h2>
        <Pager total={total} paging={paging} id={id} keys={false} />
      </div>
      <table className="ho-table">
        <thead>
          <tr><th>{keyTitle}</th><th className="num">Redemptions</th><th className="num">Flagged</th><th className="num">Claimed ₹</th><th className="num">Leakage ₹</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.leakage_paise ? 'ho-row-late' : undefined}>
              <td>{r.key}</td>
              <td className="num">{formatInt(r.redemptions)}</td>
              <td className="num">{formatInt(r.flagged)}</td>
              <td className="num">{formatAmount(r.claimed_paise)}</td>
              <td className="num"><strong>{formatAmount(r.leakage_paise)}</strong></td>
            </tr>
          ))}
          {!rows.length && <tr><td colSpan={5} className="muted">No redemptions in this period.</td></tr>}
        </tbody>
      </table>
    </div>
  );
}

export function Claims({ period }: { period: Period }) {
  const key = 'claims|' + period.from + '|' + period.to;
  // Each list pages on its own; the page size is the flags list's.
  const flagPaging = usePaging(key);
  const limit = flagPaging.limit;
  const schemePaging = usePaging(key + '|' + limit);
  const distPaging = usePaging(key + '|' + limit);
  const ask = { limit, by_scheme_offset: schemePaging.offset, by_distributor_offset: distPaging.offset, flags_offset: flagPaging.offset };
  const data = useLoad(key + '|' + JSON.stringify(ask), () => ho.claims(period, ask));
  const c = data.data;
  const fixed = (p: Paging): Paging => ({ ...p, limit, setLimit: flagPaging.setLimit });
  const columns: Column<ClaimFlag>[] = useMemo(() => [
    { key: 'distributor_code', title: 'Distributor', width: 110 },
    { key: 'scheme_code', title: 'Scheme', width: 120 },
    { key: 'invoice_no', title: 'Invoice', width: 140 },
    { key: 'invoice_date', title: 'Date', width: 96, text: (f) => formatDate(f.invoice_date) },
    { key: 'outlet_code', title: 'Outlet', width: 100 },
    { key: 'reason', title: 'Flag', width: 170, text: (f) => REASONS[f.reason] ?? f.reason },
    { key: 'detail', title: 'Detail', flex: 2 },
    { key: 'claimed_paise', title: 'Claimed ₹', width: 110, align: 'right', text: (f) => formatAmount(f.claimed_paise) },
    { key: 'leakage_paise', title: 'Leakage ₹', width: 110, align: 'right', text: (f) => formatAmount(f.leakage_paise) },
  ], []);
  return (
    <div className="ho-list">
      <Head
        title="Claims on evidence"
        sub={c && <>Every redemption {formatDate(c.from)} – {formatDate(c.to)} checked against the uploaded invoice lines{c.rules_checked ? ' and the schemes head office issued' : ' (load the issued schemes with vitaran headoffice schemes --file to check the rules too)'}. {formatInt(c.totals.redemptions)} redemptions claimed <strong>{formatPaise(c.claimed_paise)}</strong>; {formatInt(c.totals.flagged)} flagged, leakage <strong className={c.leakage_paise ? 'ho-err' : ''}>{formatPaise(c.leakage_paise)}</strong>.</>}
      >
        <Pager total={c?.pages.flags.total_rows} paging={flagPaging} id="pager-flags" label="flags" />
        <button type="button" disabled={!c?.flags.length} onClick={() => c && void allRows((o, l) => ho.claims(period, { limit: l, flags_offset: o }).then((x) => ({ rows: x.flags, total_rows: x.pages.flags.total_rows }))).then((all) => exportXlsx(`claim-flags-${c.from}-${c.to}.xlsx`,
          ['Distributor', 'Scheme', 'Redemption', 'Invoice', 'Date', 'Outlet', 'Flag', 'Detail', 'Claimed ₹', 'Leakage ₹'],
          all.map((f) => [f.distributor_code, f.scheme_code, f.redemption_id, f.invoice_no, formatDate(f.invoice_date), f.outlet_code, REASONS[f.reason] ?? f.reason, f.detail ?? '', f.claimed_paise, f.leakage_paise]),
          [false, false, false, false, false, false, false, false, true, true]))}>Export flags to Excel</button>
      </Head>
      <Failed error={data.error} />
      <div className="ho-leaks">
        <LeakTable title="Leakage by scheme" keyTitle="Scheme" rows={c?.by_scheme ?? []} total={c?.pages.by_scheme.total_rows} paging={fixed(schemePaging)} id="pager-by-scheme" />
        <LeakTable title="Leakage by distributor" keyTitle="Distributor" rows={c?.by_distributor ?? []} total={c?.pages.by_distributor.total_rows} paging={fixed(distPaging)} id="pager-by-distributor" />
      </div>
      <div className="ho-grid">
        <DataGrid rows={c?.flags ?? []} columns={columns} rowKey={(f) => f.distributor_code + '|' + f.redemption_id + '|' + f.reason} loading={data.loading}
          label="Flagged redemptions" emptyText="No redemption is flagged: every claim is supported by the uploaded invoices" />
      </div>
    </div>
  );
}
