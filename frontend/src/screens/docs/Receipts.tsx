// Money received from an outlet (cash, cheque, UPI, bank): pick the outlet,
// see its open bills and ageing, type the amount. The bills are allocated
// bill by bill, as Tally's bill-wise habit has it: oldest first is only the
// suggestion; tick a bill or type what it gets; what is left stays on account.

import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api';
import { formatAmount, formatDate, formatRupees, todayISO } from '../../format';
import { DateInput, Field, MoneyInput } from '../../widgets/inputs';
import { OutletPicker } from '../../widgets/pickers';
import { PageHeader, toast } from '../../widgets/ui';
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
  const saveRef = useRef<HTMLButtonElement>(null);
  const billBoxes = useRef(new Map<string, HTMLInputElement | null>());
  // Per bill what this receipt sets against it; null while the oldest-first
  // suggestion stands (until the accountant ticks or types).
  const [chosen, setChosen] = useState<Record<string, number> | null>(null);
  const bills = useMemo(() => out?.bills ?? [], [out]);
  const suggested = useMemo(() => {
    const m: Record<string, number> = {};
    let left = amount ?? 0;
    for (const b of [...bills].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))) {
      const take = Math.min(b.due_paise, Math.max(0, left));
      if (take > 0) m[b.invoice] = take;
      left -= take;
    }
    return m;
  }, [bills, amount]);
  const alloc = chosen ?? suggested;
  const allocated = Object.values(alloc).reduce((a, v) => a + (v || 0), 0);
  const left = (amount ?? 0) - allocated;
  const overBill = bills.find((b) => (alloc[b.invoice] ?? 0) > b.due_paise);
  const setBill = (inv: string, v: number | null) => setChosen({ ...alloc, [inv]: v ?? 0 });

  useEffect(() => {
    setOut(null);
    setChosen(null);
    if (outlet) api.outstanding.of(outlet.code).then(setOut, () => undefined);
  }, [outlet, saved]);

  async function submit() {
    if (!outlet || busy) return;
    if (left < 0) {
      toast(`The bills get ${formatRupees(allocated)}, more than the ${formatRupees(amount ?? 0)} received: lower a bill's amount`, 'error');
      return;
    }
    if (overBill) {
      toast(`${overBill.invoice}: ${formatRupees(alloc[overBill.invoice])} is more than the ${formatRupees(overBill.due_paise)} due`, 'error');
      billBoxes.current.get(overBill.invoice)?.focus();
      return;
    }
    const allocations = bills.filter((b) => (alloc[b.invoice] ?? 0) > 0).map((b) => ({ invoice: b.invoice, amount_paise: alloc[b.invoice] }));
    const ok = await save({
      outlet: outlet.code, date, mode, amount_paise: amount ?? 0, ...(reference ? { reference } : {}),
      allocations, on_account: true,
    });
    if (ok) {
      setAmount(null);
      setReference('');
      setOutlet(null);
      setChosen(null);
      setTimeout(() => outletRef.current?.focus(), 0);
    }
  }
  useCtrlS(submit);

  return (
    <div className="page">
      <PageHeader title="Receipt" sub="Collections set against the outlet's bills bill by bill (oldest first suggested); the rest stays on account">
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
          else if (bills.length) billBoxes.current.get(bills[0].invoice)?.focus(); // on to the bills
          else saveRef.current?.focus();
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
          <table className="mini receipt-bills" data-testid="receipt-bills">
            <thead>
              <tr>
                <th aria-label="Settle"></th><th>Invoice</th><th>Date</th><th>Due</th><th className="num">Days</th><th className="num">Bill ₹</th>
                <th className="num">Due ₹</th><th className="num">This receipt ₹</th><th className="num">Left due ₹</th>
              </tr>
            </thead>
            <tbody>
              {bills.map((b, k) => {
                const a = alloc[b.invoice] ?? 0;
                return (
                  <tr key={b.invoice} className={(b.overdue ? 'bad' : '') + (a > b.due_paise ? ' has-error' : '')} data-bill={b.invoice}>
                    <td>
                      <input
                        type="checkbox"
                        name={`tick-${k + 1}`}
                        aria-label={`Settle ${b.invoice}`}
                        checked={a > 0}
                        onChange={(e) => setBill(b.invoice, e.target.checked ? Math.min(b.due_paise, Math.max(0, (amount ?? 0) - allocated)) || b.due_paise : 0)}
                      />
                    </td>
                    <td className="mono">{b.invoice}</td><td>{formatDate(b.date)}</td><td>{formatDate(b.due_date)}</td>
                    <td className="num">{b.days}</td><td className="num">{formatAmount(b.total_paise)}</td><td className="num">{formatAmount(b.due_paise)}</td>
                    <td className="num" style={{ width: 140 }}>
                      <MoneyInput
                        inputRef={(el) => {
                          billBoxes.current.set(b.invoice, el);
                        }}
                        name={`bill-${k + 1}`}
                        aria-label={`Amount against ${b.invoice}`}
                        value={a || null}
                        onChange={(v) => setBill(b.invoice, v)}
                        onKeyDown={(e) => {
                          if (e.key !== 'Enter' || e.ctrlKey) return;
                          e.preventDefault();
                          const next = bills[k + 1];
                          if (next) billBoxes.current.get(next.invoice)?.focus();
                          else saveRef.current?.focus();
                        }}
                      />
                    </td>
                    <td className="num">{formatAmount(Math.max(0, b.due_paise - a))}</td>
                  </tr>
                );
              })}
              {bills.length === 0 && <tr><td colSpan={9} className="muted">No open bills: the whole amount stays on account</td></tr>}
            </tbody>
          </table>
          <div className="receipt-sum" data-testid="receipt-sum">
            Against bills <strong>{formatRupees(allocated)}</strong> · on account <strong className={left < 0 ? 'bad' : ''}>{formatRupees(left)}</strong>
            {chosen ? (
              <button type="button" className="link" onClick={() => setChosen(null)}>Oldest first again</button>
            ) : (
              <span className="muted"> · suggested oldest first: tick or type per bill to change</span>
            )}
          </div>
        </div>
      )}
      <div className="doc-actions">
        <button ref={saveRef} type="button" className="primary" disabled={busy || !outlet} onClick={submit}>{busy ? 'Saving…' : 'Save receipt'} <kbd>Ctrl+S</kbd></button>
      </div>
    </div>
  );
}
