// Collections: bill tagging and settlement. Before the salesman leaves, the
// accountant picks a beat, ticks its open bills and tags them to him: a
// collection sheet (outlet, bill, date, amount due, days overdue) to print
// or export. When he comes back the same screen settles it: an amount per
// bill by cash, cheque (number, bank, date) or UPI (reference); one click
// posts every receipt bill-wise in one transaction. Short-paid and unpaid
// bills stay open and untagged.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, newRequestId } from '../../api';
import { formatDate, formatInt, formatRupees, todayISO } from '../../format';
import { DateInput, MoneyInput } from '../../widgets/inputs';
import { Pager, PAGE, usePaged } from '../../widgets/Pager';
import { RefPicker } from '../../widgets/pickers';
import { ExportButton, exportFrom } from '../../widgets/ReportGrid';
import { ErrorNote, PageHeader, toast } from '../../widgets/ui';

interface Bill {
  invoice: string;
  outlet: string;
  outlet_name: string;
  date: string;
  due_date: string;
  total_paise: number;
  due_paise: number;
  days_overdue: number;
  collected_paise?: number;
  result?: string;
}

interface OpenBill extends Bill {
  sheet?: number;
}

interface Sheet {
  id: number;
  salesman: string;
  salesman_name: string;
  date: string;
  status: 'open' | 'settled';
  bills: Bill[];
  due_paise: number;
  collected_paise: number;
  receipts: string[];
  settled_on?: string;
}

interface SheetSummary {
  id: number;
  salesman: string;
  salesman_name: string;
  date: string;
  status: string;
  bills: number;
  due_paise: number;
  collected_paise: number;
}

type Mode = 'cash' | 'cheque' | 'upi';

/** What the accountant types against one bill. */
interface Entry {
  amount: number | null;
  mode: Mode;
  cheque_no: string;
  bank: string;
  cheque_date: string | null;
  reference: string;
}

const blank = (date: string): Entry => ({ amount: null, mode: 'cash', cheque_no: '', bank: '', cheque_date: date, reference: '' });

/** The sheet as the salesman carries it, on screen and on paper. */
function SheetTable({ s }: { s: Sheet }) {
  const settled = s.status === 'settled';
  return (
    <table className="mini" data-testid="collection-sheet">
      <thead>
        <tr>
          <th>Outlet</th><th>Bill</th><th>Date</th><th className="num">Amount due</th><th className="num">Days overdue</th>
          {settled ? <><th className="num">Collected</th><th>Result</th></> : <><th>Collected</th><th>Mode / cheque</th></>}
        </tr>
      </thead>
      <tbody>
        {s.bills.map((b) => (
          <tr key={b.invoice}>
            <td>{b.outlet} · {b.outlet_name}</td><td>{b.invoice}</td><td>{formatDate(b.date)}</td>
            <td className="num">{formatRupees(b.due_paise)}</td><td className="num">{b.days_overdue}</td>
            {settled ? <><td className="num">{formatRupees(b.collected_paise ?? 0)}</td><td>{b.result}</td></> : <><td className="write-in" /><td className="write-in" /></>}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colSpan={3}>{s.bills.length} bills</th><th className="num">{formatRupees(s.due_paise)}</th><th />
          {settled ? <><th className="num">{formatRupees(s.collected_paise)}</th><th /></> : <><th /><th /></>}
        </tr>
      </tfoot>
    </table>
  );
}

/** Settling: an amount and a mode per bill, posted in one go. */
function SettleForm({ s, onSettled }: { s: Sheet; onSettled: (s: Sheet) => void }) {
  const [date, setDate] = useState<string | null>(todayISO());
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One request_id per settlement, the same on every retry of it: a
  // settlement the server posted but whose answer was lost is answered, not
  // refused as settled twice.
  const requestId = useRef(newRequestId());
  const entry = (n: string) => entries[n] ?? blank(date ?? s.date);
  const set = (n: string, p: Partial<Entry>) => setEntries((e) => ({ ...e, [n]: { ...entry(n), ...p } }));
  const total = s.bills.reduce((t, b) => t + (entry(b.invoice).amount ?? 0), 0);

  async function settle() {
    setBusy(true);
    setError(null);
    const bills = s.bills
      .filter((b) => (entry(b.invoice).amount ?? 0) > 0)
      .map((b) => {
        const e = entry(b.invoice);
        const line: Record<string, unknown> = { invoice: b.invoice, amount_paise: e.amount, mode: e.mode };
        if (e.mode === 'cheque') Object.assign(line, { cheque_no: e.cheque_no, bank: e.bank, cheque_date: e.cheque_date });
        if (e.mode === 'upi') line.reference = e.reference;
        return line;
      });
    try {
      const out = await api.post<Sheet>(`/api/collections/${s.id}/settle`, { date: date ?? undefined, bills, request_id: requestId.current });
      toast(`Sheet ${s.id} settled: ${out.receipts.length} receipts, ${formatRupees(out.collected_paise)}`);
      onSettled(out);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="settle-form" data-testid="settle-form">
      <h3>Settle: what {s.salesman_name || s.salesman} brought back</h3>
      <div className="report-bar">
        <label>Receipt date <DateInput name="settle-date" value={date} onChange={setDate} /></label>
        <span>Collected <strong>{formatRupees(total)}</strong> of {formatRupees(s.due_paise)}</span>
      </div>
      <table className="mini">
        <thead>
          <tr><th>Bill</th><th>Outlet</th><th className="num">Due</th><th>Amount</th><th>Mode</th><th>Cheque no · bank · date / UPI ref</th></tr>
        </thead>
        <tbody>
          {s.bills.map((b, i) => {
            const e = entry(b.invoice);
            return (
              <tr key={b.invoice}>
                <td>{b.invoice}</td><td>{b.outlet_name}</td><td className="num">{formatRupees(b.due_paise)}</td>
                <td>
                  <MoneyInput name={`amount-${i}`} aria-label={`amount ${b.invoice}`} value={e.amount} onChange={(v) => set(b.invoice, { amount: v })} />
                  <button type="button" className="link" onClick={() => set(b.invoice, { amount: b.due_paise })}>full</button>
                </td>
                <td>
                  <select name={`mode-${i}`} aria-label={`mode ${b.invoice}`} value={e.mode} onChange={(ev) => set(b.invoice, { mode: ev.target.value as Mode })}>
                    <option value="cash">Cash</option><option value="cheque">Cheque</option><option value="upi">UPI</option>
                  </select>
                </td>
                <td>
                  {e.mode === 'cheque' && (
                    <>
                      <input name={`cheque-${i}`} aria-label={`cheque no ${b.invoice}`} placeholder="Cheque no" size={8} value={e.cheque_no} onChange={(ev) => set(b.invoice, { cheque_no: ev.target.value })} />
                      <input name={`bank-${i}`} aria-label={`bank ${b.invoice}`} placeholder="Bank" size={12} value={e.bank} onChange={(ev) => set(b.invoice, { bank: ev.target.value })} />
                      <DateInput name={`cheque-date-${i}`} aria-label={`cheque date ${b.invoice}`} value={e.cheque_date} onChange={(v) => set(b.invoice, { cheque_date: v })} />
                    </>
                  )}
                  {e.mode === 'upi' && (
                    <input name={`ref-${i}`} aria-label={`UPI reference ${b.invoice}`} placeholder="UPI reference" value={e.reference} onChange={(ev) => set(b.invoice, { reference: ev.target.value })} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorNote error={error} />
      <p className="muted">Bills left at ₹0 stay unpaid; every bill of the sheet is untagged when it is settled.</p>
      <button type="button" className="primary" disabled={busy} onClick={settle}>{busy ? 'Settling…' : 'Settle sheet'}</button>
    </section>
  );
}

export function Collections() {
  const [date, setDate] = useState(todayISO());
  const [beat, setBeat] = useState('');
  const [salesman, setSalesman] = useState('');
  const [open, setOpen] = useState<OpenBill[] | null>(null);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!beat) {
      setOpen(null);
      return;
    }
    let live = true;
    api.get<OpenBill[]>('/api/collections/open-bills', { beat, date }).then(
      (bs) => {
        if (!live) return;
        setOpen(bs);
        setTicked(new Set(bs.filter((b) => !b.sheet).map((b) => b.invoice)));
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [beat, date, reload]);

  const fetchPage = useCallback(
    (offset: number) => {
      void reload;
      return api.page<SheetSummary>('/api/collections', { limit: PAGE, offset });
    },
    [reload],
  );
  const { page, error: listError, setOffset } = usePaged(fetchPage);

  const chosen = useMemo(() => (open ?? []).filter((b) => ticked.has(b.invoice)), [open, ticked]);

  async function tag() {
    setError(null);
    try {
      const s = await api.post<Sheet>('/api/collections', { salesman, date, bills: chosen.map((b) => b.invoice) });
      toast(`Collection sheet ${s.id}: ${s.bills.length} bills tagged to ${s.salesman_name || s.salesman}`);
      setSheet(s);
      setReload((r) => r + 1);
    } catch (e) {
      setError(e);
    }
  }

  async function openSheet(id: number) {
    setError(null);
    try {
      setSheet(await api.get<Sheet>(`/api/collections/${id}`));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="page master collections">
      <PageHeader title="Collections" sub="Tag open bills to a salesman; settle what he brings back">
        {sheet && <ExportButton label="Sheet .xlsx" run={exportFrom(`/api/collections/${sheet.id}`, { format: 'xlsx' }, `collection-sheet-${sheet.id}.xlsx`)} />}
        {sheet && <button type="button" onClick={() => window.print()}>Print</button>}
      </PageHeader>
      <div className="report-bar">
        <label>Date <DateInput name="date" value={date} onChange={(v) => v && setDate(v)} /></label>
        <label>Beat <RefPicker kind="beats" name="beat" value={beat} onPick={(b) => setBeat(b.code)} onClear={() => setBeat('')} /></label>
        <label>Salesman <RefPicker kind="salesmen" name="salesman" value={salesman} onPick={(s) => setSalesman(s.code)} onClear={() => setSalesman('')} /></label>
        <button type="button" className="primary" disabled={!salesman || chosen.length === 0} onClick={tag}>
          Tag {chosen.length} bills ({formatRupees(chosen.reduce((t, b) => t + b.due_paise, 0))})
        </button>
      </div>
      <ErrorNote error={error} />
      {open && (
        <table className="mini" data-testid="open-bills">
          <thead>
            <tr><th /><th>Outlet</th><th>Bill</th><th>Date</th><th className="num">Due</th><th className="num">Days overdue</th><th>On sheet</th></tr>
          </thead>
          <tbody>
            {open.map((b) => (
              <tr key={b.invoice}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`tag ${b.invoice}`}
                    disabled={!!b.sheet}
                    checked={ticked.has(b.invoice)}
                    onChange={(e) => {
                      const next = new Set(ticked);
                      if (e.target.checked) next.add(b.invoice);
                      else next.delete(b.invoice);
                      setTicked(next);
                    }}
                  />
                </td>
                <td>{b.outlet} · {b.outlet_name}</td><td>{b.invoice}</td><td>{formatDate(b.date)}</td>
                <td className="num">{formatRupees(b.due_paise)}</td><td className="num">{b.days_overdue}</td><td>{b.sheet ? `#${b.sheet}` : ''}</td>
              </tr>
            ))}
            {open.length === 0 && <tr><td colSpan={7} className="muted">No open bills on this beat</td></tr>}
          </tbody>
        </table>
      )}
      {sheet && (
        <>
          <div className="dispatch-sheets print-area on-screen" data-sheet={sheet.id}>
            <h2>Collection sheet #{sheet.id} · {sheet.salesman} · {sheet.salesman_name} · {formatDate(sheet.date)} · {sheet.status}</h2>
            <SheetTable s={sheet} />
            {sheet.status === 'settled' && <p>Receipts: {sheet.receipts.join(', ') || 'none'}</p>}
          </div>
          {sheet.status === 'open' && (
            <SettleForm
              key={sheet.id}
              s={sheet}
              onSettled={(s) => {
                setSheet(s);
                setReload((r) => r + 1);
              }}
            />
          )}
        </>
      )}
      <section>
        <h3>Collection sheets <Pager page={page} onOffset={setOffset} noun="sheets" /></h3>
        <ErrorNote error={listError} />
        <table className="mini">
          <thead>
            <tr><th className="num">#</th><th>Date</th><th>Salesman</th><th>Status</th><th className="num">Bills</th><th className="num">Due</th><th className="num">Collected</th></tr>
          </thead>
          <tbody>
            {page?.rows.map((s) => (
              <tr key={s.id} className="clickable" onClick={() => openSheet(s.id)}>
                <td className="num">{s.id}</td><td>{formatDate(s.date)}</td><td>{s.salesman} · {s.salesman_name}</td><td>{s.status}</td>
                <td className="num">{formatInt(s.bills)}</td><td className="num">{formatRupees(s.due_paise)}</td><td className="num">{formatRupees(s.collected_paise)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
