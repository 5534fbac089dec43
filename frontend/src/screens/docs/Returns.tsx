// Sales return (credit note) against an invoice: type the invoice number,
// give a quantity and condition per line; saleable goes back to its batch,
// damaged or expired to the damaged godown.

import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { api } from '../../api';
import { formatAmount, formatDate, formatInt, todayISO } from '../../format';
import { DateInput, Field } from '../../widgets/inputs';
import { PageHeader } from '../../widgets/ui';
import { navigate } from '../../router';
import { useCtrlS, useDocSave } from './common';
import { useKeyQueue } from '../../widgets/keyqueue';
import type { Invoice } from '../../types';

const CONDITIONS = ['saleable', 'damaged', 'expired'];

export function Returns({ invoice: initial = '' }: { invoice?: string }) {
  const [number, setNumber] = useState(initial);
  const [inv, setInv] = useState<Invoice | null>(null);
  const [loadError, setLoadError] = useState('');
  const [date, setDate] = useState(todayISO());
  const [reason, setReason] = useState('');
  const [qty, setQty] = useState<Record<number, string>>({});
  const [cond, setCond] = useState<Record<number, string>>({});
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
      });
      const first = i.lines.find((l) => !l.free);
      if (first) qtyBoxes.current.get(first.line)?.focus();
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      if (hold) keys.release();
    }
  }
  useEffect(() => {
    if (initial) void load(initial);
  }, [initial]);

  async function submit() {
    if (!inv || busy) return;
    const lines = inv.lines
      .filter((l) => !l.free && Number(qty[l.line] || 0) > 0)
      .map((l) => ({ line: l.line, item: l.item, qty: Number(qty[l.line]), condition: cond[l.line] || 'saleable' }));
    if (await save({ invoice: inv.number, date, reason, lines })) {
      setQty({});
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
      {inv && (
        <div className="card">
          <table className="mini">
            <thead>
              <tr><th>#</th><th>Item</th><th className="num">Sold</th><th className="num">Rate</th><th className="num">Return qty</th><th>Condition</th></tr>
            </thead>
            <tbody>
              {inv.lines.filter((l) => !l.free).map((l, k) => (
                <tr key={l.line} className={errors.line === k ? 'has-error' : undefined}>
                  <td>{l.line}</td>
                  <td>{l.item} · {l.name}{errors.line === k && <div className="bad">{errors.lineText}</div>}</td>
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
