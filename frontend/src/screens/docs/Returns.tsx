// Sales return (credit note) against an invoice: type the invoice number,
// give a quantity and condition per line; saleable goes back to its batch,
// damaged or expired to the damaged godown. A line that earned a scheme's
// free goods says what happens to the free pieces the kept quantity no
// longer earns: they come back with the goods, or the outlet keeps them and
// their value is deducted from the credit (free_recovered 0).

import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { api } from '../../api';
import { formatAmount, formatDate, formatInt, todayISO } from '../../format';
import { DateInput, Field } from '../../widgets/inputs';
import { PageHeader } from '../../widgets/ui';
import { navigate } from '../../router';
import { useCtrlS, useDocSave } from './common';
import { useKeyQueue } from '../../widgets/keyqueue';
import type { Invoice, SalesReturn } from '../../types';

const CONDITIONS = ['saleable', 'damaged', 'expired'];

export function Returns({ invoice: initial = '' }: { invoice?: string }) {
  const [number, setNumber] = useState(initial);
  const [inv, setInv] = useState<Invoice | null>(null);
  const [loadError, setLoadError] = useState('');
  const [date, setDate] = useState(todayISO());
  const [reason, setReason] = useState('');
  const [qty, setQty] = useState<Record<number, string>>({});
  const [cond, setCond] = useState<Record<number, string>>({});
  const [keepFree, setKeepFree] = useState<Record<number, boolean>>({});
  const [sent, setSent] = useState<number[]>([]); // invoice line of each line sent, for the error's row
  const [freeNote, setFreeNote] = useState('');
  const { busy, errors, saved, save } = useDocSave('returns', 'Credit note');
  const qtyBoxes = useRef(new Map<number, HTMLInputElement | null>());
  const saveRef = useRef<HTMLButtonElement>(null);

  const keys = useKeyQueue();

  /** Loads the invoice; with hold, keys typed meanwhile wait for the quantities. */
  async function load(n: string, hold = false) {
    setInv(null);
    setLoadError('');
    if (!n.trim()) return;
    if (hold) keys.hold();
    try {
      const i = await api.invoices.get(n.trim().toUpperCase());
      // Render the lines now and put the cursor in the first quantity, so
      // the next key typed is a quantity, never more of the invoice number.
      flushSync(() => {
        setInv(i);
        setNumber(i.number);
        setQty({});
        setCond({});
        setKeepFree({});
      });
      const first = i.lines.find((l) => !l.free);
      if (first) qtyBoxes.current.get(first.line)?.focus();
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      if (hold) keys.release();
    }
  }
  const loadInitial = useEffectEvent((n: string) => void load(n));
  useEffect(() => {
    if (initial) loadInitial(initial);
  }, [initial]);

  /** The free rows a line earned (a scheme's free goods). */
  const freeOf = (line: number) => inv?.lines.filter((x) => x.free && x.for_line === line) ?? [];

  async function submit() {
    if (!inv || busy) return;
    const chosen = inv.lines.filter((l) => !l.free && Number(qty[l.line] || 0) > 0);
    const lines = chosen.map((l) => ({
      line: l.line, item: l.item, qty: Number(qty[l.line]), condition: cond[l.line] || 'saleable',
      ...(keepFree[l.line] ? { free_recovered: 0 } : {}),
    }));
    setSent(chosen.map((l) => l.line));
    setFreeNote('');
    const doc = (await save({ invoice: inv.number, date, reason, lines })) as SalesReturn | null;
    if (doc) {
      setFreeNote(freeWords(doc));
      setQty({});
      setKeepFree({});
      setReason('');
    }
  }
  useCtrlS(submit);

  return (
    <div className="page">
      <PageHeader title="Sales return (credit note)" sub="Against a posted invoice; quantities beyond what was sold are refused">
        {saved && <a className="last-inv" href={'#/credit-notes/' + encodeURIComponent(saved.number)} title="Open the last saved credit note">Last: {saved.number}</a>}
        <button type="button" onClick={() => navigate('/credit-notes')}>Credit notes</button>
      </PageHeader>
      <div className="card doc-head">
        <Field label="Invoice number" name="invoice" error={loadError || errors.field.invoice}>
          <input autoFocus name="invoice" value={number} placeholder="SI/26-27/000123" onChange={(e) => setNumber(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && load(number, true)} onBlur={() => number.trim().toUpperCase() !== inv?.number && load(number)} />
        </Field>
        <Field label="Return date" name="date" error={errors.field.date}>
          <DateInput name="date" value={date} onChange={(d) => d && setDate(d)} />
        </Field>
        <Field label="Reason" name="reason" error={errors.field.reason}>
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Damaged in transit" />
        </Field>
        {inv && <div className="field"><label>Outlet</label><div>{inv.outlet_name} ({inv.outlet}) · {formatDate(inv.date)}</div></div>}
      </div>
      {errors.banner && <div className="note error" role="alert">{errors.banner}</div>}
      {freeNote && <div className="note" role="status">{freeNote}</div>}
      {inv && (
        <div className="card">
          <table className="mini">
            <thead>
              <tr><th>#</th><th>Item</th><th className="num">Sold</th><th className="num">Rate</th><th className="num">Return qty</th><th>Condition</th><th>Free goods no longer earned</th></tr>
            </thead>
            <tbody>
              {inv.lines.filter((l) => !l.free).map((l, k) => (
                <tr key={l.line} className={errors.line !== undefined && sent[errors.line] === l.line ? 'has-error' : undefined}>
                  <td>{l.line}</td>
                  <td>{l.item} · {l.name}{errors.line !== undefined && sent[errors.line] === l.line && <div className="bad">{errors.lineText}</div>}</td>
                  <td className="num">{formatInt(l.qty)}</td>
                  <td className="num">{formatAmount(l.rate_paise)}</td>
                  <td className="num" style={{ width: 110 }}>
                    <input
                      ref={(el) => {
                        qtyBoxes.current.set(l.line, el);
                      }}
                      onKeyDown={(e) => {
                        // Enter walks the quantity boxes, then on to Save.
                        if (e.key !== 'Enter' || e.ctrlKey) return;
                        e.preventDefault();
                        const sold = inv.lines.filter((x) => !x.free);
                        const next = sold[k + 1];
                        if (next) qtyBoxes.current.get(next.line)?.focus();
                        else saveRef.current?.focus();
                      }}
                      onFocus={(e) => e.currentTarget.select()}
                      name={`qty-${l.line}`} className="num" inputMode="numeric" value={qty[l.line] ?? ''} onChange={(e) => setQty((q) => ({ ...q, [l.line]: e.target.value.replace(/\D/g, '') }))} />
                  </td>
                  <td style={{ width: 140 }}>
                    <select name={`condition-${l.line}`} value={cond[l.line] ?? 'saleable'} onChange={(e) => setCond((c) => ({ ...c, [l.line]: e.target.value }))}>
                      {CONDITIONS.map((c) => <option key={c}>{c}</option>)}
                    </select>
                  </td>
                  <td style={{ width: 220 }}>
                    {freeOf(l.line).length > 0 ? (
                      <select name={`free-${l.line}`} value={keepFree[l.line] ? 'kept' : 'back'} onChange={(e) => setKeepFree((f) => ({ ...f, [l.line]: e.target.value === 'kept' }))}
                        title={`${freeOf(l.line).map((f) => `${formatInt(f.qty)} ${f.item} free (${f.scheme})`).join(', ')}: the pieces the kept quantity no longer earns`}>
                        <option value="back">come back with the goods</option>
                        <option value="kept">kept: deduct their value</option>
                      </select>
                    ) : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="doc-actions" style={{ marginTop: 12 }}>
            <button ref={saveRef} type="button" className="primary" disabled={busy} onClick={submit}>{busy ? 'Saving…' : 'Save credit note'} <kbd>Ctrl+S</kbd></button>
          </div>
        </div>
      )}
    </div>
  );
}

/** What a saved credit note did with the free goods, in the clerk's words. */
function freeWords(cn: SalesReturn): string {
  const parts: string[] = [];
  for (const l of cn.lines) {
    if (!l.free_due) continue;
    const back = l.free_recovered ?? 0;
    let s = `line ${l.invoice_line}: ${formatInt(l.free_due)} free no longer earned, ${formatInt(back)} back in stock`;
    if (l.free_deducted_paise) s += `, ${formatInt(l.free_due - back)} kept: ₹${formatAmount(l.free_deducted_paise)} deducted`;
    parts.push(s);
  }
  return parts.length ? `${cn.number} free goods — ${parts.join('; ')}` : '';
}
