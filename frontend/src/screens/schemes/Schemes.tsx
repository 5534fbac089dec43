// Trade schemes: the list, a form per kind (percent, flat, buy X get Y,
// quantity slabs, value slabs, invoice value, combo) with the backend's
// field errors on the fields, the brand's circular imported with a dry run,
// and per scheme its claim (outlet-wise, invoice-wise, totals, Excel) and
// performance against the previous period of equal length.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, download } from '../../api';
import { formatBp, formatDate, formatInt, formatPaise, todayISO } from '../../format';
import { useSession } from '../../context';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column } from '../../widgets/DataGrid';
import { DateInput, Field, MoneyInput, PercentInput } from '../../widgets/inputs';
import { KeyForm } from '../../widgets/form';
import { ExportButton } from '../../widgets/ReportGrid';
import { ErrorNote, Modal, PageHeader, toast } from '../../widgets/ui';
import { ImportFlow } from '../import/ImportFlow';

type Kind = 'percent' | 'flat' | 'buy_x_get_y' | 'qty_slab' | 'value_slab' | 'invoice_value' | 'combo';
const KINDS: [Kind, string][] = [
  ['percent', 'Percent discount'], ['flat', 'Flat ₹ per unit'], ['buy_x_get_y', 'Buy X get Y free'], ['qty_slab', 'Quantity slabs'],
  ['value_slab', 'Value slabs'], ['invoice_value', 'Invoice value'], ['combo', 'Combo (buy together)'],
];
interface Slab { min_qty?: number; min_value_paise?: number; discount_bp?: number; amount_paise?: number; free_qty?: number }
interface ComboPart { item: string; qty: number }
export interface Scheme {
  code: string; name: string; kind: Kind; valid_from: string; valid_to: string;
  items?: string[]; brands?: string[]; categories?: string[]; channels?: string[]; beats?: string[]; states?: string[]; outlets?: string[];
  exclusive: boolean; priority: number;
  min_qty?: number; max_qty?: number; min_value_paise?: number; max_value_paise?: number;
  budget_paise?: number; budget_free_qty?: number; per_outlet_cap_paise?: number; per_outlet_cap_qty?: number;
  discount_bp?: number; amount_paise?: number; buy_qty?: number; free_qty?: number; free_item?: string;
  slabs?: Slab[]; combo?: ComboPart[];
}
interface Totals { free_qty: number; discount_paise: number; free_value_paise: number; value_paise: number; redemptions: number }
interface Claim { scheme: string; name: string; from: string; to: string; total: Totals; outlets: ({ outlet: string } & Totals)[]; invoices: ({ invoice: string; date: string; outlet: string } & Totals)[] }
interface Perf {
  scheme: string; from: string; to: string; prev_from: string; prev_to: string; outlets: number; cost_paise: number; qty: number; value_paise: number;
  prev_qty: number; prev_value_paise: number; uplift_qty: number; uplift_paise: number; cost_bp: number; cost_per_extra_unit_paise: number;
}

const kindLabel = (k: string) => KINDS.find(([x]) => x === k)?.[1] ?? k;

function benefit(s: Scheme): string {
  switch (s.kind) {
    case 'percent': return `${formatBp(s.discount_bp)}% off`;
    case 'flat': return `${formatPaise(s.amount_paise)} off per unit`;
    case 'buy_x_get_y': return `${s.buy_qty ?? 0}+${s.free_qty ?? 0}${s.free_item ? ' of ' + s.free_item : ''}`;
    case 'combo': return `${(s.combo ?? []).map((c) => `${c.qty}×${c.item}`).join(' + ')}`;
    default: return `${(s.slabs ?? []).length} slabs`;
  }
}

export function Schemes() {
  const { canWrite } = useSession();
  const [list, setList] = useState<Scheme[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [search, setSearch] = useState('');
  const [edit, setEdit] = useState<{ s: Scheme; isNew: boolean } | null>(null);
  const [importing, setImporting] = useState(false);
  const [open, setOpen] = useState<Scheme | null>(null);
  const load = useCallback(() => api.get<Scheme[]>('/api/schemes').then((l) => setList(l ?? []), setError), []);
  useEffect(() => {
    void load();
  }, [load]);
  const today = todayISO();
  const columns: Column<Scheme>[] = useMemo(() => [
    { key: 'code', title: 'Code', width: 120 },
    { key: 'name', title: 'Name', flex: 3 },
    { key: 'kind', title: 'Kind', width: 140, text: (s) => kindLabel(s.kind) },
    { key: 'benefit', title: 'Benefit', width: 150, value: benefit },
    { key: 'scope', title: 'Scope', flex: 2, value: (s) => [...(s.items ?? []), ...(s.brands ?? []), ...(s.categories ?? [])].join(', ') || 'all items' },
    { key: 'valid_from', title: 'From', width: 100, text: (s) => formatDate(s.valid_from) },
    { key: 'valid_to', title: 'To', width: 100, text: (s) => formatDate(s.valid_to) },
    { key: 'state', title: 'State', width: 90, value: (s) => (s.valid_to < today ? 'ended' : s.valid_from > today ? 'upcoming' : 'running') },
  ], [today]);
  const blank: Scheme = { code: '', name: '', kind: 'buy_x_get_y', valid_from: today, valid_to: today.slice(0, 8) + '28', exclusive: false, priority: 0, buy_qty: 10, free_qty: 1 };
  return (
    <div className="page master">
      <PageHeader title="Schemes" sub="Enter on a scheme opens its claim and performance">
        <input className="search" type="search" placeholder="Search schemes…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <button type="button" onClick={() => download('/api/schemes/template.xlsx', undefined, 'scheme-circular-template.xlsx').catch((e) => toast(e.message, 'error'))}>Circular template</button>
        {canWrite && <button type="button" onClick={() => setImporting(true)}>Import circular…</button>}
        {canWrite && <button type="button" className="primary" onClick={() => setEdit({ s: blank, isNew: true })}>New scheme</button>}
      </PageHeader>
      <ErrorNote error={error} />
      <div className="master-body single">
        <DataGrid label="Schemes" rows={list ?? []} loading={list === undefined} columns={columns} rowKey={(s) => s.code} search={search}
          onActivate={setOpen} emptyText="No schemes yet: create one or import the brand's circular" />
      </div>
      {edit && <SchemeForm initial={edit.s} isNew={edit.isNew} onClose={() => setEdit(null)} onSaved={() => { setEdit(null); void load(); }} />}
      {importing && (
        <Modal title="Import the brand's scheme circular" onClose={() => setImporting(false)} width={860}>
          <ImportFlow path="/api/schemes/import" templatePath="/api/schemes/template.xlsx" templateName="scheme-circular-template.xlsx" onCommitted={() => void load()} />
        </Modal>
      )}
      {open && (
        <SchemeDetail scheme={open} onClose={() => setOpen(null)} onEdit={canWrite ? () => { setEdit({ s: open, isNew: false }); setOpen(null); } : undefined} />
      )}
    </div>
  );
}

const list2text = (l?: string[]) => (l ?? []).join(', ');
const text2list = (t: string) => t.split(',').map((x) => x.trim()).filter(Boolean);

function SchemeForm({ initial, isNew, onClose, onSaved }: { initial: Scheme; isNew: boolean; onClose: () => void; onSaved: () => void }) {
  const [s, setS] = useState<Scheme>(initial);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Scheme>(k: K, v: Scheme[K]) => setS((x) => ({ ...x, [k]: v }));
  const num = (v: string) => (v.trim() === '' ? undefined : Math.trunc(Number(v)));
  const err = (k: string) => errs[k];
  const slabErr = Object.entries(errs).filter(([k]) => k.startsWith('slabs') || k.startsWith('combo')).map(([k, v]) => `${k}: ${v}`).join('; ');

  async function save() {
    setBusy(true);
    setErrs({});
    setFormError('');
    try {
      if (isNew) await api.post('/api/schemes', s);
      else await api.put(`/api/schemes/${encodeURIComponent(s.code)}`, s);
      toast(`Scheme ${s.code} saved`);
      onSaved();
    } catch (e) {
      if (e instanceof ApiError) {
        const fields = (e.body as { fields?: { field: string; reason: string }[] } | null)?.fields;
        const m: Record<string, string> = {};
        for (const f of fields ?? []) m[f.field] = f.reason;
        if (!fields && e.field) m[e.field] = e.status === 409 ? 'see the note above' : e.message;
        setErrs(m);
        // 409: the scheme was redeemed and its terms are frozen (or the
        // code is taken): the whole refusal, with what to do, goes on top
        if (e.status === 409 || !Object.keys(m).length) setFormError(e.message);
      } else setFormError(String(e));
    } finally {
      setBusy(false);
    }
  }
  const slabs = s.slabs ?? [];
  const setSlab = (i: number, patch: Slab) => set('slabs', slabs.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const isSlab = s.kind === 'qty_slab' || s.kind === 'value_slab' || s.kind === 'invoice_value';
  return (
    <Modal title={isNew ? 'New scheme' : `Scheme ${s.code}`} onClose={onClose} width={820}
      footer={<><button type="button" onClick={onClose}>Cancel</button><button type="button" className="primary" disabled={busy} onClick={save}>Save <kbd>Ctrl+S</kbd></button></>}>
      <KeyForm className="form-grid cols-3" onSubmit={save}>
        {formError && <div className="note error wide" role="alert">{formError}</div>}
        {!isNew && !formError && <div className="note wide">Once an invoice has redeemed this scheme only its name, end date, budgets and caps can change: for new terms, end it and create a new scheme.</div>}
        <Field label="Code" error={err('code')} name="code"><input name="code" value={s.code} disabled={!isNew} onChange={(e) => set('code', e.target.value.toUpperCase())} /></Field>
        <Field label="Name" error={err('name')} name="name"><input name="name" value={s.name} onChange={(e) => set('name', e.target.value)} /></Field>
        <Field label="Kind" error={err('kind')} name="kind">
          <select name="kind" value={s.kind} onChange={(e) => set('kind', e.target.value as Kind)}>
            {KINDS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}
          </select>
        </Field>
        <Field label="Valid from" error={err('valid_from')} name="valid_from"><DateInput name="valid_from" value={s.valid_from} onChange={(v) => set('valid_from', v ?? '')} /></Field>
        <Field label="Valid to" error={err('valid_to')} name="valid_to"><DateInput name="valid_to" value={s.valid_to} onChange={(v) => set('valid_to', v ?? '')} /></Field>
        <Field label="Priority" error={err('priority')} name="priority" hint="higher applies first">
          <input name="priority" className="num" value={s.priority} onChange={(e) => set('priority', num(e.target.value) ?? 0)} />
        </Field>

        <div className="form-section wide">Benefit</div>
        {s.kind === 'percent' && (
          <Field label="Discount %" error={err('discount_bp')} name="discount_bp"><PercentInput name="discount_bp" value={s.discount_bp} onChange={(v) => set('discount_bp', v ?? undefined)} /></Field>
        )}
        {s.kind === 'flat' && (
          <Field label="₹ off per unit" error={err('amount_paise')} name="amount_paise"><MoneyInput name="amount_paise" value={s.amount_paise} onChange={(v) => set('amount_paise', v ?? undefined)} /></Field>
        )}
        {(s.kind === 'buy_x_get_y' || s.kind === 'combo') && (
          <>
            {s.kind === 'buy_x_get_y' && (
              <Field label="Buy (pcs)" error={err('buy_qty')} name="buy_qty"><input name="buy_qty" className="num" value={s.buy_qty ?? ''} onChange={(e) => set('buy_qty', num(e.target.value))} /></Field>
            )}
            <Field label="Free (pcs)" error={err('free_qty')} name="free_qty"><input name="free_qty" className="num" value={s.free_qty ?? ''} onChange={(e) => set('free_qty', num(e.target.value))} /></Field>
            <Field label="Free item (blank: the same item)" error={err('free_item')} name="free_item"><input name="free_item" value={s.free_item ?? ''} onChange={(e) => set('free_item', e.target.value.toUpperCase() || undefined)} /></Field>
          </>
        )}
        {s.kind === 'combo' && (
          <>
            <Field label="Discount % on the set" error={err('discount_bp')} name="discount_bp"><PercentInput name="discount_bp" value={s.discount_bp} onChange={(v) => set('discount_bp', v ?? undefined)} /></Field>
            <Field label="Parts (ITEM:qty, …)" error={err('combo')} name="combo" wide>
              <input name="combo" value={(s.combo ?? []).map((c) => `${c.item}:${c.qty}`).join(', ')}
                onChange={(e) => set('combo', text2list(e.target.value).map((p) => { const [item, q] = p.split(':'); return { item: item.trim().toUpperCase(), qty: Number(q ?? 1) || 1 }; }))} />
            </Field>
          </>
        )}
        {isSlab && (
          <div className="wide" data-field="slabs">
            {slabs.map((sl, i) => (
              <div className="slab-row" key={i}>
                <span className="muted">Slab {i + 1}: from</span>
                {s.kind === 'qty_slab'
                  ? <input aria-label={`Slab ${i + 1} min qty`} className="num" placeholder="pcs" value={sl.min_qty ?? ''} onChange={(e) => setSlab(i, { min_qty: num(e.target.value) })} />
                  : <MoneyInput aria-label={`Slab ${i + 1} min value`} value={sl.min_value_paise} onChange={(v) => setSlab(i, { min_value_paise: v ?? undefined })} />}
                <span className="muted">→ %</span>
                <PercentInput aria-label={`Slab ${i + 1} discount`} value={sl.discount_bp} onChange={(v) => setSlab(i, { discount_bp: v ?? undefined })} />
                <span className="muted">or ₹</span>
                <MoneyInput aria-label={`Slab ${i + 1} amount`} value={sl.amount_paise} onChange={(v) => setSlab(i, { amount_paise: v ?? undefined })} />
                {s.kind !== 'value_slab' && <><span className="muted">or free</span><input aria-label={`Slab ${i + 1} free qty`} className="num" value={sl.free_qty ?? ''} onChange={(e) => setSlab(i, { free_qty: num(e.target.value) })} /></>}
                <button type="button" className="ghost" onClick={() => set('slabs', slabs.filter((_, j) => j !== i))} aria-label="Remove slab">✕</button>
              </div>
            ))}
            <button type="button" onClick={() => set('slabs', [...slabs, {}])}>Add slab</button>
            {s.kind === 'invoice_value' && (
              <Field label="Free item for the bill (optional)" error={err('free_item')} name="free_item"><input value={s.free_item ?? ''} onChange={(e) => set('free_item', e.target.value.toUpperCase() || undefined)} /></Field>
            )}
          </div>
        )}
        {slabErr && <div className="note error wide">{slabErr}</div>}

        <div className="form-section wide">Scope (comma-separated; empty means all)</div>
        {(['items', 'brands', 'categories', 'channels', 'beats', 'states', 'outlets'] as const).map((k) => (
          <Field key={k} label={k[0].toUpperCase() + k.slice(1)} error={err(k)} name={k}>
            <input name={k} value={list2text(s[k])} onChange={(e) => set(k, text2list(e.target.value))} />
          </Field>
        ))}
        <Field label="Exclusive" name="exclusive" hint="never combines with another scheme">
          <label className="check"><input type="checkbox" checked={s.exclusive} onChange={(e) => set('exclusive', e.target.checked)} /> exclusive</label>
        </Field>

        <div className="form-section wide">Limits and caps (blank: none)</div>
        <Field label="Min qty" error={err('min_qty')} name="min_qty"><input className="num" value={s.min_qty ?? ''} onChange={(e) => set('min_qty', num(e.target.value))} /></Field>
        <Field label="Max qty" error={err('max_qty')} name="max_qty"><input className="num" value={s.max_qty ?? ''} onChange={(e) => set('max_qty', num(e.target.value))} /></Field>
        <Field label="Min value" error={err('min_value_paise')} name="min_value_paise"><MoneyInput value={s.min_value_paise} onChange={(v) => set('min_value_paise', v ?? undefined)} /></Field>
        <Field label="Max value" error={err('max_value_paise')} name="max_value_paise"><MoneyInput value={s.max_value_paise} onChange={(v) => set('max_value_paise', v ?? undefined)} /></Field>
        <Field label="Budget ₹" error={err('budget_paise')} name="budget_paise"><MoneyInput value={s.budget_paise} onChange={(v) => set('budget_paise', v ?? undefined)} /></Field>
        <Field label="Budget free pcs" error={err('budget_free_qty')} name="budget_free_qty"><input className="num" value={s.budget_free_qty ?? ''} onChange={(e) => set('budget_free_qty', num(e.target.value))} /></Field>
        <Field label="Per-outlet cap ₹" error={err('per_outlet_cap_paise')} name="per_outlet_cap_paise"><MoneyInput value={s.per_outlet_cap_paise} onChange={(v) => set('per_outlet_cap_paise', v ?? undefined)} /></Field>
        <Field label="Per-outlet cap pcs" error={err('per_outlet_cap_qty')} name="per_outlet_cap_qty"><input className="num" value={s.per_outlet_cap_qty ?? ''} onChange={(e) => set('per_outlet_cap_qty', num(e.target.value))} /></Field>
      </KeyForm>
    </Modal>
  );
}

function SchemeDetail({ scheme, onClose, onEdit }: { scheme: Scheme; onClose: () => void; onEdit?: () => void }) {
  const [tab, setTab] = useState<'outlets' | 'invoices' | 'performance'>('outlets');
  const [from, setFrom] = useState(scheme.valid_from);
  const [to, setTo] = useState(scheme.valid_to < todayISO() ? scheme.valid_to : todayISO());
  const [claim, setClaim] = useState<Claim | null>(null);
  const [perf, setPerf] = useState<Perf | null>(null);
  const [error, setError] = useState<unknown>(null);
  const code = encodeURIComponent(scheme.code);
  useEffect(() => {
    setError(null);
    api.get<Claim>(`/api/schemes/${code}/claim`, { from, to }).then(setClaim, setError);
    api.get<Perf>(`/api/schemes/${code}/performance`, { from, to }).then(setPerf, () => setPerf(null));
  }, [code, from, to]);
  const t = claim?.total;
  return (
    <Modal title={`${scheme.code} · ${scheme.name}`} onClose={onClose} width={980}
      footer={<>{onEdit && <button type="button" onClick={onEdit}>Edit scheme</button>}<ExportButton label="Claim statement (.xlsx)" run={() => download(`/api/schemes/${code}/claim.xlsx`, { from, to }, `${scheme.code}-claim.xlsx`)} /></>}>
      <div className="report-bar">
        <span className="muted">{kindLabel(scheme.kind)} · {benefit(scheme)} · valid {formatDate(scheme.valid_from)} to {formatDate(scheme.valid_to)}</span>
        <label>From <DateInput value={from} onChange={(v) => v && setFrom(v)} /></label>
        <label>To <DateInput value={to} onChange={(v) => v && setTo(v)} /></label>
      </div>
      <ErrorNote error={error} />
      {t && (
        <div className="figures" data-testid="claim-totals">
          <div className="figure"><span>Redemptions</span><strong>{formatInt(t.redemptions)}</strong></div>
          <div className="figure"><span>Free pcs</span><strong>{formatInt(t.free_qty)}</strong></div>
          <div className="figure"><span>Discount</span><strong>{formatPaise(t.discount_paise)}</strong></div>
          <div className="figure"><span>Free goods value</span><strong>{formatPaise(t.free_value_paise)}</strong></div>
          <div className="figure"><span>Claim value</span><strong>{formatPaise(t.value_paise)}</strong></div>
        </div>
      )}
      <div className="tabs">
        {(['outlets', 'invoices', 'performance'] as const).map((k) => <button key={k} type="button" className={tab === k ? 'on' : ''} onClick={() => setTab(k)}>{k === 'outlets' ? 'Outlet-wise' : k === 'invoices' ? 'Invoice-wise' : 'Performance'}</button>)}
      </div>
      {tab !== 'performance' && claim && (
        <div className="errors-table">
          <table className="mini">
            <thead><tr>{tab === 'invoices' && <><th>Invoice</th><th>Date</th></>}<th>Outlet</th><th className="num">Redemptions</th><th className="num">Free pcs</th><th className="num">Discount</th><th className="num">Free value</th><th className="num">Claim</th></tr></thead>
            <tbody>
              {(tab === 'outlets' ? claim.outlets.map((r) => ({ ...r, invoice: '', date: '' })) : claim.invoices).map((r, i) => (
                <tr key={i}>
                  {tab === 'invoices' && <><td className="mono">{r.invoice}</td><td>{formatDate(r.date)}</td></>}
                  <td>{r.outlet}</td><td className="num">{formatInt(r.redemptions)}</td><td className="num">{formatInt(r.free_qty)}</td>
                  <td className="num">{formatPaise(r.discount_paise)}</td><td className="num">{formatPaise(r.free_value_paise)}</td><td className="num">{formatPaise(r.value_paise)}</td>
                </tr>
              ))}
              {t && <tr className="total-row"><td colSpan={tab === 'invoices' ? 3 : 1}><strong>Total</strong></td><td className="num">{formatInt(t.redemptions)}</td><td className="num">{formatInt(t.free_qty)}</td><td className="num">{formatPaise(t.discount_paise)}</td><td className="num">{formatPaise(t.free_value_paise)}</td><td className="num"><strong>{formatPaise(t.value_paise)}</strong></td></tr>}
            </tbody>
          </table>
        </div>
      )}
      {tab === 'performance' && (perf ? (
        <div className="figures">
          <div className="figure"><span>Cost</span><strong>{formatPaise(perf.cost_paise)}</strong><small>{formatBp(perf.cost_bp)}% of sales</small></div>
          <div className="figure"><span>Sales in period</span><strong>{formatPaise(perf.value_paise)}</strong><small>{formatInt(perf.qty)} pcs · {formatInt(perf.outlets)} outlets</small></div>
          <div className="figure"><span>Previous period</span><strong>{formatPaise(perf.prev_value_paise)}</strong><small>{formatDate(perf.prev_from)}–{formatDate(perf.prev_to)} · {formatInt(perf.prev_qty)} pcs</small></div>
          <div className="figure"><span>Uplift</span><strong className={perf.uplift_paise < 0 ? 'bad' : 'ok-text'}>{formatPaise(perf.uplift_paise)}</strong><small>{formatInt(perf.uplift_qty)} pcs</small></div>
          <div className="figure"><span>Cost per extra piece</span><strong>{perf.uplift_qty > 0 ? formatPaise(perf.cost_per_extra_unit_paise) : '—'}</strong></div>
        </div>
      ) : <p className="muted">No performance figures for this period.</p>)}
    </Modal>
  );
}
