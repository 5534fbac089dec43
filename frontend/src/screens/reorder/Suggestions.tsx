// The next order to the brand: pick the brand, the days of cover and the
// sales window; the book suggests whole cases per SKU (stock without
// near-expiry goods, average daily sales, target cover). The clerk edits
// the cases and places the order: it is kept in the book as a purchase
// order (subtracted from suggestions until received or closed) and exported
// as the brand's order sheet. When the brand's invoice arrives he makes the
// GRN from it (the placed order is kept as his draft "purchase-order"; the
// Purchase screen offers to fill its lines and links the GRN to the order).

import { useMemo, useRef, useState } from 'react';
import { api, ApiError, newRequestId, saveFile } from '../../api';
import { formatDate, formatInt } from '../../format';
import { navigate } from '../../router';
import { useCached } from '../../store';
import type { Suggestion } from '../../types';
import { Field } from '../../widgets/inputs';
import { PageHeader, toast } from '../../widgets/ui';

/** The order kept for the GRN: the brand and its lines in base units, and the purchase order placed. */
export interface KeptOrder {
  brand: string;
  on: string;
  lines: { item: string; qty: number }[];
  number?: string;
}
export const ORDER_DRAFT = 'purchase-order';

export function Suggestions() {
  const items = useCached('items');
  const brands = useMemo(() => [...new Set((items ?? []).filter((i) => i.active).map((i) => i.brand))].sort(), [items]);
  const [brand, setBrand] = useState('');
  const [cover, setCover] = useState('');
  const [windowDays, setWindowDays] = useState('30');
  const [s, setS] = useState<Suggestion | null>(null);
  const [cases, setCases] = useState<Record<string, string>>({});
  // Each SKU's own target of days of cover ('' = none: the brand's or the company's).
  const [skuCover, setSkuCover] = useState<Record<string, string>>({});
  const [keptCover, setKeptCover] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [placed, setPlaced] = useState<KeptOrder | null>(null);
  const requestId = useRef(newRequestId());

  async function suggest() {
    const b = brand || brands[0];
    if (!b) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.purchaseSuggestions.get({ brand: b, cover_days: cover || undefined, window_days: windowDays || undefined, limit: '10000' });
      setBrand(b);
      setS(r);
      setCases(Object.fromEntries(r.rows.map((l) => [l.item, String(l.suggested_cases)])));
      const own = Object.fromEntries(r.rows.map((l) => [l.item, l.cover_from === 'item' ? String(l.cover_days) : '']));
      setSkuCover(own);
      setKeptCover(own);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
      setS(null);
    } finally {
      setBusy(false);
    }
  }

  const order = useMemo(() => (s ? s.rows.map((l) => ({ item: l.item, qty: Number(cases[l.item] || 0) * l.case_size })) : []), [s, cases]);
  const totalCases = s ? s.rows.reduce((n, l) => n + Number(cases[l.item] || 0), 0) : 0;
  const totalUnits = order.reduce((n, l) => n + l.qty, 0);

  async function exportSheet() {
    if (!s) return;
    try {
      await saveFile(await api.purchaseSuggestions.sheet(s.brand, order));
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  // Placing the order keeps it in the book (the next suggestion subtracts
  // it), exports the brand's sheet and keeps it for the GRN. One request_id
  // per order, the same on every retry of it, so a placement whose answer
  // was lost is answered, not placed twice.
  async function placeOrder() {
    if (!s || busy) return;
    const lines = order.filter((l) => l.qty > 0);
    if (lines.length === 0) {
      toast('Nothing to order: every line is 0 cases', 'error');
      return;
    }
    setBusy(true);
    try {
      const po = await api.purchaseOrders.place(s.brand, lines, requestId.current);
      requestId.current = newRequestId();
      const kept: KeptOrder = { brand: po.brand, on: po.date, lines: po.lines.map((l) => ({ item: l.item, qty: l.qty })), number: po.number };
      await api.drafts.put(ORDER_DRAFT, kept);
      setPlaced(kept);
      toast(`Order ${po.number} placed on ${po.brand}`);
      await saveFile(await api.purchaseOrders.sheet(po.number)).catch((e) => toast(e instanceof Error ? e.message : String(e), 'error'));
    } catch (e) {
      // The order placed under this id had other lines: the message names
      // it, and the next Place order is a new order.
      if (e instanceof ApiError && e.field === 'request_id') requestId.current = newRequestId();
      toast(e instanceof Error ? e.message : String(e), 'error');
    } finally {
      setBusy(false);
    }
    await suggest();
  }

  async function makeGRN() {
    if (!placed) return;
    await api.drafts.put(ORDER_DRAFT, placed);
    navigate('/purchases');
  }

  const changedCover = Object.keys(skuCover).filter((k) => (skuCover[k] ?? '') !== (keptCover[k] ?? ''));
  async function saveSkuCovers() {
    try {
      for (const item of changedCover) await api.put('/api/purchase-suggestions/cover', { item, days: Number(skuCover[item] || 0) });
      toast(`${changedCover.length} SKU ${changedCover.length === 1 ? 'target' : 'targets'} kept`);
      await suggest();
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  async function saveBrandCover() {
    if (!s || !cover) return;
    try {
      await api.put('/api/purchase-suggestions/cover', { brand: s.brand, days: Number(cover) });
      toast(`${s.brand}: ${cover} days of cover kept as the brand's target`);
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  return (
    <div className="page">
      <PageHeader title="Order to the brand" sub="Suggested from sales, stock and what is already on order: edit the cases, place the order, make the GRN when the invoice comes" />
      <form className="card doc-head" onSubmit={(e) => { e.preventDefault(); void suggest(); }}>
        <Field label="Brand" name="brand" htmlFor="sg-brand" error={error?.field === 'brand' ? error.message : undefined}>
          <select id="sg-brand" name="brand" autoFocus value={brand} onChange={(e) => setBrand(e.target.value)}>
            {brands.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </Field>
        <Field label="Days of cover" name="cover_days" htmlFor="sg-cover" hint="empty: the SKU's, the brand's or the company's" error={error?.field === 'cover_days' ? error.message : undefined}>
          <input id="sg-cover" name="cover_days" inputMode="numeric" value={cover} onChange={(e) => setCover(e.target.value.replace(/\D/g, ''))} />
        </Field>
        <Field label="Sales window (days)" name="window_days" htmlFor="sg-window" error={error?.field === 'window_days' ? error.message : undefined}>
          <input id="sg-window" name="window_days" inputMode="numeric" value={windowDays} onChange={(e) => setWindowDays(e.target.value.replace(/\D/g, ''))} />
        </Field>
        <div className="field">
          <label>&nbsp;</label>
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Working…' : 'Suggest'} <kbd>Enter</kbd></button>
        </div>
      </form>
      {error && !error.field && <div className="note error" role="alert">{error.message}</div>}
      {s && (
        <div className="card">
          <p className="muted" data-testid="suggestion-note">
            {s.brand} · {formatDate(s.on)} · sales of the last {s.window_days} days · stock expiring within {s.near_expiry_days} days left out
            {' · '}{s.pending_orders ? s.note : <strong>{s.note}</strong>}
          </p>
          <table className="mini" data-testid="suggestion">
            <thead>
              <tr>
                <th>Item</th><th>Name</th><th>Brand SKU</th><th className="num">Case</th><th className="num">Stock</th><th className="num">On order</th><th className="num">Near expiry</th>
                <th className="num">Sold</th><th className="num">Avg/day</th><th className="num">Cover days</th><th className="num">SKU target</th><th className="num">Target</th>
                <th className="num">Suggested</th><th className="num">Order cases</th><th className="num">Units</th>
              </tr>
            </thead>
            <tbody>
              {s.rows.map((l) => (
                <tr key={l.item} data-item={l.item}>
                  <td className="mono">{l.item}</td><td>{l.name}</td><td className="mono">{l.brand_code}</td>
                  <td className="num">{formatInt(l.case_size)}</td><td className="num">{formatInt(l.stock)}</td><td className="num" data-testid="on-order">{formatInt(l.on_order)}</td><td className="num">{formatInt(l.near_expiry_qty)}</td>
                  <td className="num">{formatInt(l.sold)}</td><td className="num">{l.avg_daily.toFixed(2)}</td>
                  <td className="num" title={`from the ${l.cover_from}`}>{l.cover_days}</td>
                  <td className="num">
                    <input
                      className="num"
                      name={`cover-${l.item}`}
                      aria-label={`Days of cover for ${l.item} alone`}
                      inputMode="numeric"
                      size={3}
                      placeholder="—"
                      value={skuCover[l.item] ?? ''}
                      onChange={(e) => setSkuCover((c) => ({ ...c, [l.item]: e.target.value.replace(/\D/g, '') }))}
                    />
                  </td>
                  <td className="num">{formatInt(l.target_qty)}</td>
                  <td className="num">{formatInt(l.suggested_cases)} cs</td>
                  <td className="num">
                    <input
                      className="num"
                      name={`cases-${l.item}`}
                      aria-label={`Cases of ${l.item} to order`}
                      inputMode="numeric"
                      size={5}
                      value={cases[l.item] ?? ''}
                      onChange={(e) => setCases((c) => ({ ...c, [l.item]: e.target.value.replace(/\D/g, '') }))}
                      onFocus={(e) => e.currentTarget.select()}
                    />
                  </td>
                  <td className="num">{formatInt(Number(cases[l.item] || 0) * l.case_size)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={13}>{s.total} SKUs</td>
                <td className="num" data-testid="total-cases">{formatInt(totalCases)} cs</td>
                <td className="num" data-testid="total-units">{formatInt(totalUnits)}</td>
              </tr>
            </tfoot>
          </table>
          <div className="doc-actions">
            {changedCover.length > 0 && <button type="button" onClick={() => void saveSkuCovers()}>Keep the SKU targets</button>}
            {cover && <button type="button" onClick={() => void saveBrandCover()}>Keep {cover} days as {s.brand}'s target</button>}
            <button type="button" onClick={() => void exportSheet()}>Export order .xlsx</button>
            {placed && <button type="button" onClick={() => void makeGRN()} data-testid="placed-order">Make the GRN from {placed.number}</button>}
            <button type="button" className="primary" disabled={busy} onClick={() => void placeOrder()}>Place order</button>
          </div>
        </div>
      )}
    </div>
  );
}
