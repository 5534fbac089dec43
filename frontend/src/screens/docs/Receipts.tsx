// Money received from an outlet (cash, cheque, UPI, bank): pick the outlet,
// see its open bills and ageing, type the amount; the backend allocates to
// the oldest bills unless told otherwise.

import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { formatAmount, formatDate, formatRupees, todayISO } from '../../format';
import { DateInput, Field, MoneyInput } from '../../widgets/inputs';
import { OutletPicker } from '../../widgets/pickers';
import { PageHeader } from '../../widgets/ui';
import { navigate } from '../../router';
import { useCtrlS, useDocSave } from './common';
import type { Outlet, OutletOutstanding } from '../../types';

const MODES = ['cash', 'cheque', 'upi', 'bank'];

export function Receipts() {
  const [outlet, setOutlet] = useState<Outlet | null>(null);
  const [out, setOut] = useState<OutletOutstanding | null>(null);
  const [date, setDate] = useState(todayISO());
  const [mode, setMode] = useState('cash');
  const [amount, setAmount] = useState<number | null>(null);
  const [reference, setReference] = useState('');
  const { busy, errors, saved, save } = useDocSave('receipts', 'Receipt');
  const amountRef = useRef<HTMLInputElement>(null);
  const outletRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setOut(null);
    if (outlet) api.outstanding.of(outlet.code).then(setOut, () => undefined);
  }, [outlet, saved]);

  async function submit() {
    if (!outlet || busy) return;
    const ok = await save({ outlet: outlet.code, date, mode, amount_paise: amount ?? 0, ...(reference ? { reference } : {}) });
    if (ok) {
      setAmount(null);
      setReference('');
      setOutlet(null);
      setTimeout(() => outletRef.current?.focus(), 0);
    }
  }
  useCtrlS(submit);

  return (
    <div className="page">
      <PageHeader title="Receipt" sub="Collections against an outlet's bills, oldest first">
        {saved && <a className="last-inv" href={'#/receipt-register/' + encodeURIComponent(saved.number)} title="Open the last saved receipt">Last: {saved.number}</a>}
        <button type="button" onClick={() => navigate('/receipt-register')}>Receipt register</button>
      </PageHeader>
      <div className="card doc-head" onKeyDown={(e) => {
        const t = e.target as HTMLElement;
        if (e.key === 'Enter' && !e.defaultPrevented && t.getAttribute('role') !== 'combobox') {
          e.preventDefault();
          const els = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('input,select'));
          const i = els.indexOf(t);
          if (i >= 0 && i < els.length - 1) els[i + 1].focus();
          else void submit();
        }
      }}>
        <Field label="Outlet" name="outlet" error={errors.field.outlet}>
          <OutletPicker inputRef={outletRef} autoFocus name="outlet" value={outlet?.code ?? ''} onPick={(o) => { setOutlet(o); setTimeout(() => amountRef.current?.focus(), 0); }} onClear={() => setOutlet(null)} />
        </Field>
        <Field label="Amount" name="amount_paise" error={errors.field.amount_paise}>
          <MoneyInput inputRef={amountRef} name="amount_paise" value={amount} onChange={setAmount} />
        </Field>
        <Field label="Mode" name="mode" error={errors.field.mode}>
          <select name="mode" value={mode} onChange={(e) => setMode(e.target.value)}>{MODES.map((m) => <option key={m} value={m}>{m.toUpperCase()}</option>)}</select>
        </Field>
        <Field label="Cheque no. / UTR" name="reference" error={errors.field.reference}>
          <input name="reference" value={reference} onChange={(e) => setReference(e.target.value)} />
        </Field>
        <Field label="Date" name="date" error={errors.field.date}>
          <DateInput name="date" value={date} onChange={(d) => d && setDate(d)} />
        </Field>
      </div>
      {errors.banner && <div className="note error" role="alert">{errors.banner}</div>}
      {out && (
        <div className="card">
          <div className="tiles-row">
            <div><span className="muted">Outstanding</span><strong>{formatRupees(out.outstanding_paise)}</strong></div>
            <div><span className="muted">Overdue</span><strong className={out.ageing.overdue_paise ? 'bad' : ''}>{formatRupees(out.ageing.overdue_paise)}</strong></div>
            <div><span className="muted">0–30 d</span><strong>{formatRupees(out.ageing.days_0_30_paise)}</strong></div>
            <div><span className="muted">31–60 d</span><strong>{formatRupees(out.ageing.days_31_60_paise)}</strong></div>
            <div><span className="muted">61–90 d</span><strong>{formatRupees(out.ageing.days_61_90_paise)}</strong></div>
            <div><span className="muted">90+ d</span><strong>{formatRupees(out.ageing.days_over_90_paise)}</strong></div>
            <div><span className="muted">On account</span><strong>{formatRupees(out.on_account_paise)}</strong></div>
          </div>
          <table className="mini">
            <thead><tr><th>Invoice</th><th>Date</th><th>Due</th><th className="num">Days</th><th className="num">Bill ₹</th><th className="num">Due ₹</th></tr></thead>
            <tbody>
              {out.bills.map((b) => (
                <tr key={b.invoice} className={b.overdue ? 'bad' : undefined}>
                  <td className="mono">{b.invoice}</td><td>{formatDate(b.date)}</td><td>{formatDate(b.due_date)}</td>
                  <td className="num">{b.days}</td><td className="num">{formatAmount(b.total_paise)}</td><td className="num">{formatAmount(b.due_paise)}</td>
                </tr>
              ))}
              {out.bills.length === 0 && <tr><td colSpan={6} className="muted">No open bills</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      <div className="doc-actions">
        <button type="button" className="primary" disabled={busy || !outlet} onClick={submit}>{busy ? 'Saving…' : 'Save receipt'} <kbd>Ctrl+S</kbd></button>
      </div>
    </div>
  );
}
