// The national picture for the period: tiles (secondary, primary, stock and
// cover, scheme cost, overstocked, late, leakage), the secondary-vs-primary
// trend, the brand mix and the regions. Every tile opens the view behind it.

import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { formatBp, formatDate, formatInt, formatPaise } from '../format';
import { Chart } from '../widgets/Chart';
import { ho } from './api';
import type { Period, SeriesPoint, SeriesStep } from './api';
import type { ViewId } from './App';
import { MixChart } from './Drill';
import type { Flags } from './Drill';
import { compactRupees, useLoad } from './util';

function Tile({ label, value, sub, onOpen, tone, testId }: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  onOpen?: () => void;
  tone?: 'warn' | 'err' | 'ok';
  testId?: string;
}) {
  return (
    <button type="button" className={'ho-tile' + (tone ? ' ' + tone : '')} onClick={onOpen} disabled={!onOpen}>
      <span className="ho-tile-label">{label}</span>
      <strong data-testid={testId}>{value}</strong>
      {sub && <small>{sub}</small>}
    </button>
  );
}

/** The trend's step: days up to 62 days, then weeks, then months. */
export function stepFor(p: Period): SeriesStep {
  const days = Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86400000) + 1;
  return days <= 62 ? 'day' : days <= 366 ? 'week' : 'month';
}

function TrendChart({ period }: { period: Period }) {
  const step = stepFor(period);
  const data = useLoad('trend|' + period.from + '|' + period.to + '|' + step, () => ho.series(period, step));
  const option = useMemo(() => {
    const pts = data.data?.points ?? [];
    const label = (b: SeriesPoint) => (b.from === b.to ? formatDate(b.from).slice(0, 5) : formatDate(b.from).slice(0, 5) + '…');
    return {
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0, data: ['Secondary', 'Primary'] },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number) => formatPaise(Math.round(v * 100)),
      },
      xAxis: { type: 'category', data: pts.map(label) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compactRupees(v * 100) } },
      series: [
        { name: 'Primary', type: 'bar', data: pts.map((x) => x.primary_taxable_paise / 100), itemStyle: { color: '#c7d2fe' }, barMaxWidth: 18 },
        { name: 'Secondary', type: 'line', data: pts.map((x) => x.secondary_taxable_paise / 100), itemStyle: { color: '#4f46e5' }, symbolSize: 4, smooth: false },
      ],
    };
  }, [data.data]);
  return (
    <div className="card">
      <h2>Secondary vs primary, by {step} <span className="muted">(taxable value)</span></h2>
      {data.error ? <div className="note error">{(data.error as Error).message}</div> : null}
      {data.loading && !data.data ? <div className="muted ho-chart-wait">Loading…</div> : <Chart option={option} height={260} label="Secondary and primary sales over the period" />}
    </div>
  );
}

export function Overview({ period, flags, threshold, go }: {
  period: Period;
  flags: Flags;
  threshold: number;
  go: (v: ViewId, extra?: Record<string, unknown>) => void;
}) {
  const key = period.from + '|' + period.to;
  const sum = useLoad('summary|' + key, () => ho.summary(period));
  const brands = useLoad('brand|' + key, () => ho.drill('brand', period));
  const regions = useLoad('region|' + key, () => ho.drill('region', period));
  const claims = useLoad('claims|' + key, () => ho.claims(period, { limit: 1 }));
  const s = sum.data;
  const late = flags.fresh?.filter((f) => f.late) ?? [];
  const over = flags.stock?.distributors.filter((d) => d.overstocked) ?? [];
  return (
    <div className="ho-overview">
      {sum.error ? <div className="note error" role="alert">{(sum.error as Error).message}</div> : null}
      <div className="ho-tiles" aria-busy={sum.loading}>
        <Tile
          label="Secondary sales (taxable)"
          testId="national-secondary"
          value={s ? formatPaise(s.secondary.taxable_paise) : '…'}
          sub={s && `${formatInt(s.secondary.lines)} lines · qty ${formatInt(s.secondary.qty)} · tax ${formatPaise(s.secondary.tax_paise)}`}
          onOpen={() => go('geo', { geo: {} })}
        />
        <Tile
          label="Primary received (taxable)"
          testId="national-primary"
          value={s ? formatPaise(s.primary.taxable_paise) : '…'}
          sub={s && `${formatInt(s.primary.lines)} GRN lines · qty ${formatInt(s.primary.qty)}`}
          onOpen={() => go('brands', { brand: '' })}
        />
        <Tile
          label="Secondary ÷ primary"
          value={s ? (s.primary.taxable_paise ? formatBp(s.secondary_to_primary_bp) + '%' : '—') : '…'}
          sub={s && (s.secondary_to_primary_bp > 10000 ? 'selling out faster than buying in' : s.primary.taxable_paise ? 'buying in faster than selling out' : 'no primary in the period')}
        />
        <Tile
          label="Stock on hand"
          value={s ? formatPaise(s.stock_value_paise) : '…'}
          sub={s && `qty ${formatInt(s.stock_qty)} · ${s.days_of_cover === null ? 'no sales: cover unbounded' : formatInt(s.days_of_cover) + ' days of cover'}`}
          onOpen={() => go('stock')}
        />
        <Tile
          label={`Overstocked (> ${threshold} days)`}
          value={flags.stock ? formatInt(flags.stock.overstocked) + ' of ' + formatInt(flags.stock.total_rows) : '…'}
          sub={over.slice(0, 4).map((d) => d.code).join(', ') || 'none'}
          tone={flags.stock?.overstocked ? 'warn' : undefined}
          onOpen={() => go('stock')}
        />
        <Tile
          label="Late uploads"
          value={flags.fresh ? formatInt(late.length) + ' of ' + formatInt(flags.fresh.length) : '…'}
          sub={late.slice(0, 4).map((d) => d.code).join(', ') || 'everyone is up to date'}
          tone={late.length ? 'err' : flags.fresh ? 'ok' : undefined}
          onOpen={() => go('freshness')}
        />
        <Tile
          label="Scheme cost"
          value={s ? formatPaise(s.scheme_cost_paise) : '…'}
          sub={s && `${formatInt(s.scheme_redemptions)} redemptions`}
          onOpen={() => go('schemes')}
        />
        <Tile
          label="Claim leakage"
          value={claims.data ? formatPaise(claims.data.leakage_paise) : '…'}
          sub={claims.data && `of ${formatPaise(claims.data.claimed_paise)} claimed · ${formatInt(claims.data.totals.flagged)} flagged${claims.data.rules_checked ? '' : ' · rules not loaded'}`}
          tone={claims.data?.leakage_paise ? 'err' : undefined}
          onOpen={() => go('claims')}
        />
      </div>
      <div className="ho-charts">
        <TrendChart period={period} />
        <MixChart rows={brands.data?.rows ?? []} title="Brand mix" height={260} onPick={(b) => go('brands', { brand: b })} />
      </div>
      <div className="card ho-regions">
        <h2>Regions <span className="muted">— open one to drill to distributor, beat and outlet</span></h2>
        <table className="ho-table">
          <thead>
            <tr><th>Region</th><th className="num">Secondary ₹</th><th className="num">Primary ₹</th><th className="num">Lines</th><th className="num">Sec ÷ Pri</th></tr>
          </thead>
          <tbody>
            {(regions.data?.rows ?? []).map((r) => (
              <tr key={r.key}>
                <td><button type="button" className="link" onClick={() => go('geo', { geo: { region: r.key } })}>{r.key}</button></td>
                <td className="num">{formatPaise(r.secondary.taxable_paise)}</td>
                <td className="num">{formatPaise(r.primary_taxable_paise)}</td>
                <td className="num">{formatInt(r.secondary.lines)}</td>
                <td className="num">{r.primary_taxable_paise ? formatBp(Math.trunc((r.secondary.taxable_paise * 10000) / r.primary_taxable_paise)) + '%' : ''}</td>
              </tr>
            ))}
            {regions.data && !regions.data.rows.length && <tr><td colSpan={5} className="muted">No uploads yet.</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
