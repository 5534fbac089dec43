// Drill-downs over /api/ho/drill: national → region → distributor → beat →
// outlet, by salesman, and brand → SKU. Enter (or double-click) on a row goes
// one level down; Backspace or Alt+← goes back up; the breadcrumb jumps to
// any level above.

import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { formatAmount, formatInt, formatPaise, formatBp } from '../format';
import { DataGrid } from '../widgets/DataGrid';
import type { Column, DataGridHandle } from '../widgets/DataGrid';
import { Chart } from '../widgets/Chart';
import { ho } from './api';
import type { DrillBy, DrillFilter, DrillReport, DrillRow, Fresh, Period, StockReport } from './api';
import { allRows, compactRupees, exportXlsx, share, useLoad } from './util';
import type { Loaded } from './util';
import { Pager, usePaging } from './Pager';
import type { Paging } from './Pager';

export interface Flags {
  /** Stock cover: the counts of the whole list, and its first rows (overstocked first). */
  stock?: StockReport;
  fresh?: Fresh[];
  threshold?: number;
}

export interface GeoPath {
  region?: string;
  distributor?: string;
  beat?: string;
}

const TITLES: Record<DrillBy, string> = {
  region: 'Region', distributor: 'Distributor', beat: 'Beat', outlet: 'Outlet', salesman: 'Salesman', brand: 'Brand', sku: 'SKU',
};
const HAS_PRIMARY: Record<DrillBy, boolean> = {
  region: true, distributor: true, beat: false, outlet: false, salesman: false, brand: true, sku: true,
};
const HAS_NAME: Partial<Record<DrillBy, boolean>> = { distributor: true, outlet: true, sku: true };

/** The columns of a drill level; distributor rows also carry cover and lateness. */
function drillColumns(by: DrillBy, total: number, flags?: Flags): Column<DrillRow>[] {
  const cover = new Map((flags?.stock?.distributors ?? []).map((c) => [c.code, c]));
  const late = new Map((flags?.fresh ?? []).map((f) => [f.code, f]));
  const cols: Column<DrillRow>[] = [
    { key: 'key', title: TITLES[by], width: by === 'salesman' || by === 'beat' ? 170 : 130, value: (r) => r.key },
  ];
  if (HAS_NAME[by]) cols.push({ key: 'name', title: 'Name', flex: 2, value: (r) => r.name ?? '' });
  cols.push(
    { key: 'lines', title: 'Lines', width: 70, align: 'right', value: (r) => r.secondary.lines, text: (r) => formatInt(r.secondary.lines) },
    { key: 'qty', title: 'Qty', width: 84, align: 'right', value: (r) => r.secondary.qty, text: (r) => formatInt(r.secondary.qty) },
    { key: 'free', title: 'Free', width: 56, align: 'right', value: (r) => r.secondary.free_qty, text: (r) => formatInt(r.secondary.free_qty) },
    { key: 'disc', title: 'Discount ₹', width: 110, align: 'right', value: (r) => r.secondary.discount_paise, text: (r) => formatAmount(r.secondary.discount_paise) },
    { key: 'sec', title: 'Secondary ₹', width: 130, align: 'right', value: (r) => r.secondary.taxable_paise, text: (r) => formatAmount(r.secondary.taxable_paise) },
    { key: 'share', title: 'Share', width: 64, align: 'right', value: (r) => r.secondary.taxable_paise, text: (r) => share(r.secondary.taxable_paise, total) },
  );
  // Brand and SKU share the width with the mix chart: tax stays in the export.
  if (by !== 'brand' && by !== 'sku') {
    cols.push({ key: 'tax', title: 'Tax ₹', width: 110, align: 'right', value: (r) => r.secondary.tax_paise, text: (r) => formatAmount(r.secondary.tax_paise) });
  }
  if (HAS_PRIMARY[by]) {
    cols.push(
      { key: 'pri', title: 'Primary ₹', width: 130, align: 'right', value: (r) => r.primary_taxable_paise, text: (r) => formatAmount(r.primary_taxable_paise) },
      {
        key: 'ratio', title: 'Sec ÷ Pri', width: 76, align: 'right',
        value: (r) => (r.primary_taxable_paise ? Math.trunc((r.secondary.taxable_paise * 10000) / r.primary_taxable_paise) : null),
        text: (r) => (r.primary_taxable_paise ? formatBp(Math.trunc((r.secondary.taxable_paise * 10000) / r.primary_taxable_paise)) + '%' : ''),
      },
    );
  }
  if (by === 'distributor') {
    cols.push(
      {
        key: 'cover', title: 'Cover (days)', width: 90, align: 'right',
        value: (r) => cover.get(r.key)?.days_of_cover ?? null,
        text: (r) => { const c = cover.get(r.key); return c ? (c.days_of_cover === null ? (c.stock_qty > 0 ? 'no sales' : '') : formatInt(c.days_of_cover)) : ''; },
      },
      {
        key: 'flags', title: 'Flags', width: 140, sortable: false,
        value: (r) => [cover.get(r.key)?.overstocked ? 'overstocked' : '', late.get(r.key)?.late ? 'late' : ''].filter(Boolean).join(' '),
        render: (r) => (
          <span className="ho-flags">
            {cover.get(r.key)?.overstocked && <span className="ho-flag over">Overstocked</span>}
            {late.get(r.key)?.late && <span className="ho-flag late">Late</span>}
          </span>
        ),
      },
    );
  }
  return cols;
}

async function exportDrill(file: string, by: DrillBy, load: (offset: number, limit: number) => Promise<DrillReport>) {
  const rows = await allRows(load);
  const header = [TITLES[by], ...(HAS_NAME[by] ? ['Name'] : []), 'Lines', 'Qty', 'Free qty', 'Discount ₹', 'Secondary taxable ₹', 'Tax ₹', ...(HAS_PRIMARY[by] ? ['Primary taxable ₹'] : [])];
  const money = header.map((h) => h.endsWith('₹'));
  exportXlsx(file, header, rows.map((r) => [
    r.key, ...(HAS_NAME[by] ? [r.name ?? ''] : []), r.secondary.lines, r.secondary.qty, r.secondary.free_qty,
    r.secondary.discount_paise, r.secondary.taxable_paise, r.secondary.tax_paise, ...(HAS_PRIMARY[by] ? [r.primary_taxable_paise] : []),
  ]), money);
}

/** A breadcrumb of drill levels; the last is where we are. */
function Crumbs({ items }: { items: { label: string; go?: () => void }[] }) {
  return (
    <nav className="ho-crumbs" aria-label="Drill path">
      {items.map((c, i) => (
        <span key={i}>
          {i > 0 && <span className="ho-sep" aria-hidden>›</span>}
          {c.go && i < items.length - 1 ? (
            <button type="button" className="link" onClick={c.go}>{c.label}</button>
          ) : (
            <strong aria-current="location">{c.label}</strong>
          )}
        </span>
      ))}
    </nav>
  );
}

/** One drill level: header with totals, the grid, keyboard up/down the levels. */
function DrillLevel({ title, crumbs, by, data, paging, load, search, onOpen, onUp, flags, hint, side, exportName }: {
  title: string;
  crumbs: ReactNode;
  by: DrillBy;
  data: Loaded<DrillReport>;
  paging: Paging;
  /** A page of the same level, for the export (every page). */
  load: (offset: number, limit: number) => Promise<DrillReport>;
  search?: ReactNode;
  onOpen?: (r: DrillRow) => void;
  onUp?: () => void;
  flags?: Flags;
  hint: string;
  side?: ReactNode;
  exportName: string;
}) {
  const rep = data.data;
  const total = rep?.total.taxable_paise ?? 0;
  const columns = useMemo(() => drillColumns(by, total, flags), [by, total, flags]);
  const rows = rep && rep.by === by ? rep.rows : [];
  const grid = useRef<DataGridHandle>(null);
  const shown = rep && rep.by === by;
  useEffect(() => {
    if (shown && !data.loading) grid.current?.focus();
  }, [shown, data.loading, by]);
  const primary = rep?.totals?.primary_taxable_paise ?? 0;
  const count = shown ? rep.total_rows : 0;
  return (
    <section className="ho-drill" aria-label={title}>
      <div className="ho-drill-head">
        <div>
          {crumbs}
          <div className="ho-drill-sum" data-testid="drill-total">
            <span>{count ? formatInt(count) + ' ' + TITLES[by].toLowerCase() + (count === 1 ? '' : 's') : ''}</span>
            <span>Secondary <strong>{formatPaise(total)}</strong></span>
            {HAS_PRIMARY[by] && <span>Primary <strong>{formatPaise(primary)}</strong></span>}
            <span>Lines <strong>{formatInt(rep?.total.lines)}</strong></span>
            <span>Qty <strong>{formatInt(rep?.total.qty)}</strong></span>
          </div>
        </div>
        <div className="ho-actions">
          {search}
          <Pager total={shown ? rep.total_rows : undefined} paging={paging} id={'pager-' + by} label={TITLES[by].toLowerCase() + 's'} />
          {onUp && <button type="button" onClick={onUp} title="Backspace or Alt+←">↑ Up a level</button>}
          <button type="button" onClick={() => exportDrill(exportName, by, load)} disabled={!rows.length}>Export to Excel</button>
        </div>
      </div>
      {data.error ? <div className="note error" role="alert">{String((data.error as Error).message ?? data.error)}</div> : null}
      <div className={'ho-drill-body' + (side ? ' with-side' : '')}>
        <div
          className="ho-grid"
          onKeyDown={(e) => {
            const t = e.target as HTMLElement;
            if (t.tagName === 'INPUT') return;
            if (onUp && (e.key === 'Backspace' || (e.altKey && e.key === 'ArrowLeft'))) {
              e.preventDefault();
              onUp();
            }
          }}
        >
          <DataGrid
            rows={rows}
            columns={columns}
            rowKey={(r) => r.key}
            onActivate={onOpen}
            loading={data.loading}
            label={title}
            gridRef={grid}
            emptyText="No sales in this period"
            rowClass={(r) => {
              if (by !== 'distributor') return undefined;
              const over = flags?.stock?.distributors.find((c) => c.code === r.key)?.overstocked;
              const late = flags?.fresh?.find((f) => f.code === r.key)?.late;
              return [over ? 'ho-row-over' : '', late ? 'ho-row-late' : ''].filter(Boolean).join(' ') || undefined;
            }}
            footer={<span className="ho-hint">{hint}</span>}
          />
        </div>
        {side}
      </div>
    </section>
  );
}

const filterKey = (p: Period, by: DrillBy, f: DrillFilter) => [p.from, p.to, by, f.region, f.distributor, f.beat, f.brand].join('|');

/** One drill level's page: the search (q, on the server) and the page are the level's own. */
function useDrill(by: DrillBy, period: Period, f: DrillFilter) {
  const [search, setSearch] = useState({ key: '', q: '' });
  const key = filterKey(period, by, f);
  const q = search.key === key ? search.q : '';
  const paging = usePaging(key + '|' + q);
  const load = (offset: number, limit: number) => ho.drill(by, period, f, { offset, limit, q });
  const data = useLoad(key + '|' + q + '|' + paging.offset + '|' + paging.limit, () => load(paging.offset, paging.limit));
  return { data, paging, load, q, setQ: (v: string) => setSearch({ key, q: v }) };
}

/** A search box applied on Enter (the server searches the whole level). */
function Search({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <input id={id} className="ho-search" type="search" placeholder="Search code or name, Enter" aria-label="Search code or name" value={text}
      onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && onChange(text.trim())} onBlur={() => onChange(text.trim())} />
  );
}

/** National → region → distributor → beat → outlet. */
export function GeoDrill({ period, path, setPath, flags }: { period: Period; path: GeoPath; setPath: (p: GeoPath) => void; flags: Flags }) {
  const by: DrillBy = path.beat && path.distributor ? 'outlet' : path.distributor ? 'beat' : path.region ? 'distributor' : 'region';
  const f: DrillFilter = { region: path.region, distributor: path.distributor, beat: by === 'outlet' ? path.beat : undefined };
  const { data, paging, load, q, setQ } = useDrill(by, period, f);
  // A page of distributors carries the cover of those on it, asked by code.
  const codes = by === 'distributor' && data.data?.by === 'distributor' ? data.data.rows.map((r) => r.key) : [];
  const covers = useLoad('covers|' + period.from + '|' + period.to + '|' + flags.threshold + '|' + codes.join(','),
    () => (codes.length ? ho.stock(period, flags.threshold ?? 30, { limit: 1000 }, codes) : Promise.resolve(undefined)));
  const pageFlags = useMemo(() => ({ ...flags, stock: covers.data }), [flags, covers.data]);
  const up: Record<DrillBy, GeoPath | null> = {
    region: null,
    distributor: {},
    beat: { region: path.region },
    outlet: { region: path.region, distributor: path.distributor },
    salesman: null, brand: null, sku: null,
  };
  const items: { label: string; go?: () => void }[] = [{ label: 'National', go: () => setPath({}) }];
  if (path.region) items.push({ label: path.region, go: () => setPath({ region: path.region }) });
  if (path.distributor) items.push({ label: path.distributor, go: () => setPath({ region: path.region, distributor: path.distributor }) });
  if (path.beat && path.distributor) items.push({ label: path.beat });
  const open = (r: DrillRow) => {
    if (by === 'region') setPath({ region: r.key });
    else if (by === 'distributor') setPath({ region: path.region, distributor: r.key });
    else if (by === 'beat') setPath({ ...path, beat: r.key });
  };
  const upTo = up[by];
  return (
    <DrillLevel
      title={`Secondary by ${TITLES[by].toLowerCase()}`}
      crumbs={<Crumbs items={items} />}
      by={by}
      data={data}
      paging={paging}
      load={load}
      search={<Search id="ho-drill-q" value={q} onChange={setQ} />}
      flags={pageFlags}
      onOpen={by === 'outlet' ? undefined : open}
      onUp={upTo ? () => setPath(upTo) : undefined}
      exportName={`secondary-by-${by}-${period.from}-${period.to}.xlsx`}
      hint={by === 'outlet' ? 'Outlets of this beat · Backspace: up' : `Enter: open the ${TITLES[by === 'region' ? 'distributor' : by === 'distributor' ? 'beat' : 'outlet'].toLowerCase()}s · Backspace: up`}
    />
  );
}

/** Secondary by salesman (rep), nationally or for one distributor. */
export function SalesmanDrill({ period, flags }: { period: Period; flags: Flags }) {
  const codes = (flags.fresh ?? []).map((f) => f.code);
  const [dist, setDist] = useState('');
  const f: DrillFilter = { distributor: dist || undefined };
  const { data, paging, load, q, setQ } = useDrill('salesman', period, f);
  return (
    <DrillLevel
      title="Secondary by salesman"
      crumbs={
        <div className="ho-inline">
          <strong>Salesmen</strong>
          <label htmlFor="ho-sm-dist" className="muted">Distributor</label>
          <select id="ho-sm-dist" value={dist} onChange={(e) => setDist(e.target.value)}>
            <option value="">All (code/salesman)</option>
            {codes.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </div>
      }
      by="salesman"
      data={data}
      paging={paging}
      load={load}
      search={<Search id="ho-drill-q" value={q} onChange={setQ} />}
      exportName={`secondary-by-salesman-${period.from}-${period.to}.xlsx`}
      hint="Salesmen are each distributor's own codes"
    />
  );
}

/** Brand → SKU, with the brand mix as a chart beside it. */
export function BrandDrill({ period, brand, setBrand }: { period: Period; brand: string; setBrand: (b: string) => void }) {
  const by: DrillBy = brand ? 'sku' : 'brand';
  const f: DrillFilter = { brand: brand || undefined };
  const { data, paging, load, q, setQ } = useDrill(by, period, f);
  const rows = data.data && data.data.by === by ? data.data.rows : [];
  const items: { label: string; go?: () => void }[] = [{ label: 'All brands', go: () => setBrand('') }];
  if (brand) items.push({ label: brand });
  return (
    <DrillLevel
      title={brand ? `SKUs of ${brand}` : 'Secondary by brand'}
      crumbs={<Crumbs items={items} />}
      by={by}
      data={data}
      paging={paging}
      load={load}
      search={<Search id="ho-drill-q" value={q} onChange={setQ} />}
      onOpen={by === 'brand' ? (r) => setBrand(r.key) : undefined}
      onUp={brand ? () => setBrand('') : undefined}
      exportName={`secondary-by-${by}-${period.from}-${period.to}.xlsx`}
      hint={brand ? 'Backspace: all brands' : 'Enter or click a bar: the brand’s SKUs'}
      side={<MixChart rows={rows} title={brand ? 'SKU mix' : 'Brand mix'} onPick={brand ? undefined : setBrand} />}
    />
  );
}

/** Secondary vs primary per brand (or SKU), biggest first, top 12. */
export function MixChart({ rows, title, onPick, height = 360 }: { rows: DrillRow[]; title: string; onPick?: (key: string) => void; height?: number }) {
  const option = useMemo(() => {
    const top = rows.slice(0, 12).reverse();
    return {
    animation: false,
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0, data: ['Secondary', 'Primary'] },
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => formatPaise(Math.round(v * 100)),
    },
    xAxis: { type: 'value', splitNumber: 3, axisLabel: { hideOverlap: true, formatter: (v: number) => compactRupees(v * 100) } },
    yAxis: { type: 'category', data: top.map((r) => r.key), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      { name: 'Secondary', type: 'bar', data: top.map((r) => r.secondary.taxable_paise / 100), itemStyle: { color: '#4f46e5' } },
      { name: 'Primary', type: 'bar', data: top.map((r) => r.primary_taxable_paise / 100), itemStyle: { color: '#a5b4fc' } },
    ],
    };
  }, [rows]);
  return (
    <div className="card ho-side">
      <h2>{title}</h2>
      {rows.length ? (
        <Chart option={option} height={height} label={`${title}: secondary and primary taxable value`} onClick={onPick} />
      ) : (
        <div className="muted">Nothing sold in this period.</div>
      )}
    </div>
  );
}
