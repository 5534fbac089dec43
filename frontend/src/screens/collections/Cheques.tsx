// Cheques: the register of cheques received. A cheque in hand is deposited;
// a deposited cheque the bank pays is cleared (and can no longer bounce);
// one the bank returns is bounced with its reason and the
// bank's charge: its bills owe again and the charge is due from the outlet
// (a CHB bill in its outstanding).

import { useCallback, useState } from 'react';
import { api } from '../../api';
import { formatDate, formatRupees, todayISO } from '../../format';
import { DateInput, MoneyInput } from '../../widgets/inputs';
import { Pager, PAGE, usePaged } from '../../widgets/Pager';
import { ErrorNote, PageHeader, toast } from '../../widgets/ui';

interface Cheque {
  number: string;
  date: string;
  outlet: string;
  amount_paise: number;
  reference: string;
  bank?: string;
  cheque_date?: string;
  allocations: { invoice: string; amount_paise: number }[];
  status: 'in_hand' | 'deposited' | 'cleared' | 'bounced';
  deposited_on?: string;
  cleared_on?: string;
  bounced_on?: string;
  bounce?: string;
}

const STATUS: Record<string, string> = { in_hand: 'In hand', deposited: 'Deposited', cleared: 'Cleared', bounced: 'Bounced' };

function BounceForm({ c, onDone }: { c: Cheque; onDone: () => void }) {
  const [date, setDate] = useState<string | null>(todayISO());
  const [reason, setReason] = useState('');
  const [charge, setCharge] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="report-bar" data-testid="bounce-form">
      <label>Returned on <DateInput name="bounce-date" value={date} onChange={setDate} /></label>
      <label>Reason <input name="bounce-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="funds insufficient" /></label>
      <label>Charge <MoneyInput name="bounce-charge" value={charge} onChange={setCharge} /></label>
      <button
        type="button"
        className="danger"
        onClick={async () => {
          try {
            const b = await api.post<{ number: string }>(`/api/cheques/${encodeURIComponent(c.number)}/bounce`, { date, reason, charge_paise: charge ?? 0 });
            toast(`Cheque ${c.reference} bounced: ${b.number}; its bills are open again`);
            onDone();
          } catch (e) {
            setError(e);
          }
        }}
      >
        Record bounce
      </button>
      <ErrorNote error={error} />
    </div>
  );
}

export function Cheques() {
  const [status, setStatus] = useState('');
  const [bouncing, setBouncing] = useState('');
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const fetchPage = useCallback(
    (offset: number) => {
      void reload;
      return api.page<Cheque>('/api/cheques', { status, limit: PAGE, offset });
    },
    [status, reload],
  );
  const { page, error: listError, setOffset } = usePaged(fetchPage);

  async function record(c: Cheque, what: 'deposit' | 'clear') {
    try {
      await api.post(`/api/cheques/${encodeURIComponent(c.number)}/${what}`, { date: todayISO() });
      toast(`Cheque ${c.reference} ${what === 'deposit' ? 'deposited' : 'cleared'}`);
      setReload((r) => r + 1);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="page master cheques">
      <PageHeader title="Cheques" sub="Deposit cheques in hand; record the ones the bank returns">
        <Pager page={page} onOffset={setOffset} noun="cheques" />
      </PageHeader>
      <div className="report-bar">
        <label>
          Status{' '}
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option><option value="in_hand">In hand</option><option value="deposited">Deposited</option><option value="cleared">Cleared</option><option value="bounced">Bounced</option>
          </select>
        </label>
        {page && (
          <span className="muted" data-testid="cheque-totals">
            {page.total} cheques, {formatRupees(page.totals.amount_paise ?? 0)}
            {status === '' &&
              Object.keys(STATUS)
                .filter((s) => page.totals[s])
                .map((s) => ` · ${STATUS[s]} ${page.totals[s]} (${formatRupees(page.totals[s + '_paise'] ?? 0)})`)
                .join('')}
          </span>
        )}
      </div>
      <ErrorNote error={error ?? listError} />
      <table className="mini" data-testid="cheques">
        <thead>
          <tr>
            <th>Receipt</th><th>Date</th><th>Outlet</th><th>Cheque</th><th>Bank</th><th>Cheque date</th><th className="num">Amount</th><th>Bills</th><th>Status</th><th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((c) => (
            <tr key={c.number}>
              <td>{c.number}</td><td>{formatDate(c.date)}</td><td>{c.outlet}</td><td>{c.reference}</td><td>{c.bank}</td><td>{formatDate(c.cheque_date)}</td>
              <td className="num">{formatRupees(c.amount_paise)}</td><td>{c.allocations.map((a) => a.invoice).join(', ')}</td>
              <td>
                {STATUS[c.status]}
                {c.cleared_on ? ` ${formatDate(c.cleared_on)}` : c.deposited_on && ` ${formatDate(c.deposited_on)}`}
                {c.bounce && ` · ${c.bounce}`}
              </td>
              <td>
                {c.status === 'in_hand' && <button type="button" onClick={() => record(c, 'deposit')}>Deposit</button>}
                {c.status === 'deposited' && <button type="button" onClick={() => record(c, 'clear')}>Cleared</button>}
                {c.status === 'deposited' && <button type="button" onClick={() => setBouncing(bouncing === c.number ? '' : c.number)}>Bounced…</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page?.rows
        .filter((c) => c.number === bouncing && c.status === 'deposited')
        .map((c) => (
          <section key={c.number}>
            <h3>Cheque {c.reference} of {c.outlet} ({formatRupees(c.amount_paise)}) returned by the bank</h3>
            <BounceForm
              c={c}
              onDone={() => {
                setBouncing('');
                setReload((r) => r + 1);
              }}
            />
          </section>
        ))}
    </div>
  );
}
