// The head-office dashboard shell: login gate, period filter, the views as
// tabs (Alt+1…8), and the state a drill carries between them. The view and
// period live in the address (#/view?from&to) so a reload or a shared link
// opens the same picture.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { addDays, todayISO } from '../format';
import { ho, HoError, onLoginRequired } from './api';
import type { Period } from './api';
import { Login } from './Login';
import { PeriodBar } from './PeriodBar';
import { Overview } from './Overview';
import { BrandDrill, GeoDrill, SalesmanDrill } from './Drill';
import type { GeoPath } from './Drill';
import { Claims, Freshness, Schemes, StockCover } from './Lists';
import { useLoad } from './util';

export const VIEWS = [
  { id: 'overview', label: 'Overview' },
  { id: 'geo', label: 'Region → outlet' },
  { id: 'salesmen', label: 'Salesmen' },
  { id: 'brands', label: 'Brand → SKU' },
  { id: 'stock', label: 'Stock & cover' },
  { id: 'freshness', label: 'Freshness' },
  { id: 'schemes', label: 'Schemes' },
  { id: 'claims', label: 'Claims' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

interface Route {
  view: ViewId;
  period: Period;
  geo: GeoPath;
  brand: string;
  threshold: number;
  lateHours: number;
}

const defaultPeriod = (): Period => {
  const to = todayISO();
  return { from: addDays(to, -29), to };
};

function readRoute(): Route {
  const h = window.location.hash.replace(/^#\/?/, '');
  const [path, qs] = h.split('?');
  const q = new URLSearchParams(qs ?? '');
  const view = (VIEWS.find((v) => v.id === path)?.id ?? 'overview') as ViewId;
  const def = defaultPeriod();
  const iso = (s: string | null) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null);
  const num = (s: string | null, d: number) => (s && /^\d+$/.test(s) ? Number(s) : d);
  return {
    view,
    period: { from: iso(q.get('from')) ?? def.from, to: iso(q.get('to')) ?? def.to },
    geo: { region: q.get('region') ?? undefined, distributor: q.get('distributor') ?? undefined, beat: q.get('beat') ?? undefined },
    brand: q.get('brand') ?? '',
    threshold: num(q.get('threshold'), 30),
    lateHours: num(q.get('late_hours'), 36),
  };
}

function writeRoute(r: Route) {
  const q = new URLSearchParams({ from: r.period.from, to: r.period.to });
  if (r.geo.region) q.set('region', r.geo.region);
  if (r.geo.distributor) q.set('distributor', r.geo.distributor);
  if (r.geo.beat) q.set('beat', r.geo.beat);
  if (r.brand) q.set('brand', r.brand);
  if (r.threshold !== 30) q.set('threshold', String(r.threshold));
  if (r.lateHours !== 36) q.set('late_hours', String(r.lateHours));
  const next = `#/${r.view}?${q}`;
  if (window.location.hash !== next) window.history.replaceState(null, '', next);
}

export function HoApp() {
  const [user, setUser] = useState<string | null | undefined>(undefined); // undefined: checking
  const [route, setRoute] = useState<Route>(readRoute);

  useEffect(() => onLoginRequired(() => setUser(null)), []);
  useEffect(() => {
    // No "who am I" endpoint: a cheap authenticated call tells us.
    ho.freshness(36).then(
      () => setUser((u) => u ?? 'admin'),
      (e: unknown) => setUser(e instanceof HoError && e.status === 401 ? null : 'admin'),
    );
  }, []);
  useEffect(() => writeRoute(route), [route]);

  const patch = useCallback((p: Partial<Route>) => setRoute((r) => ({ ...r, ...p })), []);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= VIEWS.length) {
        e.preventDefault();
        patch({ view: VIEWS[n - 1].id });
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [patch]);

  if (user === undefined) return <div className="ho-loading muted">Loading…</div>;
  if (user === null) return <Login onIn={(u) => setUser(u)} />;
  return <Shell user={user} route={route} patch={patch} onOut={() => setUser(null)} />;
}

function Shell({ user, route, patch, onOut }: { user: string; route: Route; patch: (p: Partial<Route>) => void; onOut: () => void }) {
  const { view, period, threshold, lateHours } = route;
  const pkey = period.from + '|' + period.to;
  // Stock cover and freshness flag distributors in several views; load once.
  // Of the cover list, the counts and its first rows (overstocked first)
  // are enough here; the stock view and the drill ask for their own pages.
  const stock = useLoad('stock|' + pkey + '|' + threshold, () => ho.stock(period, threshold, { limit: 4 }));
  const fresh = useLoad('fresh|' + lateHours, () => ho.freshness(lateHours));
  const flags = useMemo(() => ({ stock: stock.data, fresh: fresh.data, threshold }), [stock.data, fresh.data, threshold]);
  const go = useCallback((v: ViewId, extra: Partial<Route> = {}) => patch({ view: v, ...extra }), [patch]);

  const lateCount = fresh.data?.filter((f) => f.late).length ?? 0;
  const overCount = stock.data?.overstocked ?? 0;

  return (
    <div className="ho">
      <header className="ho-top">
        <div className="ho-brand">
          <strong>Vitaran</strong> <span>head office</span>
        </div>
        <PeriodBar period={period} onChange={(p) => patch({ period: p })} />
        <div className="ho-user">
          <span className="muted">{user}</span>
          <button
            type="button"
            className="ghost"
            onClick={() => {
              ho.logout().finally(onOut);
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <nav className="ho-tabs" role="tablist" aria-label="Views">
        {VIEWS.map((v, i) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            aria-selected={view === v.id}
            className={view === v.id ? 'on' : ''}
            onClick={() => patch({ view: v.id })}
            title={`Alt+${i + 1}`}
          >
            {v.label}
            {v.id === 'freshness' && lateCount > 0 && <span className="ho-count late">{lateCount} late</span>}
            {v.id === 'stock' && overCount > 0 && <span className="ho-count over">{overCount} over</span>}
            <kbd>{i + 1}</kbd>
          </button>
        ))}
      </nav>
      <main className="ho-main" role="tabpanel" aria-label={VIEWS.find((v) => v.id === view)?.label}>
        {view === 'overview' && <Overview period={period} flags={flags} threshold={threshold} go={go} />}
        {view === 'geo' && <GeoDrill period={period} path={route.geo} setPath={(geo) => patch({ geo })} flags={flags} />}
        {view === 'salesmen' && <SalesmanDrill period={period} flags={flags} />}
        {view === 'brands' && <BrandDrill period={period} brand={route.brand} setBrand={(brand) => patch({ brand })} />}
        {view === 'stock' && (
          <StockCover
            period={period}
            threshold={threshold}
            setThreshold={(t) => patch({ threshold: t })}
            open={(d) => go('geo', { geo: { region: d.region, distributor: d.code } })}
          />
        )}
        {view === 'freshness' && (
          <Freshness
            report={fresh}
            lateHours={lateHours}
            setLateHours={(h) => patch({ lateHours: h })}
            open={(d) => go('geo', { geo: { region: d.region, distributor: d.code } })}
          />
        )}
        {view === 'schemes' && <Schemes period={period} />}
        {view === 'claims' && <Claims period={period} />}
      </main>
    </div>
  );
}
