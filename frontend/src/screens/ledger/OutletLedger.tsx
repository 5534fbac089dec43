// The outlet's account: every invoice, credit note, receipt and cheque
// bounce with the balance after it, oldest first like a statement, for a
// period (what came before it is the opening), paged with the totals of
// the whole period. Opened from the outlet list (Alt+L on an outlet) or by
// typing the outlet's code; Enter on a line opens its document, Esc goes
// back to the outlets.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { addDays, formatAmount, formatDate, todayISO } from '../../format';
import { navigate, previousPath } from '../../router';
import type { Column, DataGridHandle } from '../../widgets/DataGrid';
import { DataGrid } from '../../widgets/DataGrid';
import { DateInput } from '../../widgets/inputs';
import { Pager, PAGE, usePaged } from '../../widgets/Pager';
import { ErrorNote, PageHeader } from '../../widgets/ui';
import type { Outlet } from '../../types';

interface LedgerEntry {
  date: string;
  kind: 'invoice' | 'sales_return' | 'receipt' | 'cheque_bounce';
  number: string;
  narration: string;
  debit_paise: number;
  credit_paise: number;
  balance_paise: number;
}

const KIND: Record<string, string> = { invoice: 'Invoice', sales_return: 'Credit note', receipt: 'Receipt', cheque_bounce: 'Cheque bounce' };

/** Where a line's document opens. */
const OPEN: Record<string, string> = { invoice: '/invoices/', sales_return: '/credit-notes/', receipt: '/receipt-register/', cheque_bounce: '' };

const money = (p: number) => (p ? formatAmount(p) : '');

const columns: Column<LedgerEntry>[] = [
  { key: 'date', title: 'Date', width: 96, text: (r) => formatDate(r.date) },
  { key: 'kind', title: 'Type', width: 110, text: (r) => KIND[r.kind] ?? r.kind },
  { key: 'number', title: 'Number', width: 150 },
  { key: 'narration', title: 'Narration', flex: 3 },
  { key: 'debit_paise', title: 'Debit ₹', width: 110, align: 'right', text: (r) => money(r.debit_paise) },
  { key: 'credit_paise', title: 'Credit ₹', width: 110, align: 'right', text: (r) => money(r.credit_paise) },
  { key: 'balance_paise', title: 'Balance ₹', width: 120, align: 'right', text: (r) => formatAmount(r.balance_paise) },
];

export function OutletLedger({ outlet }: { outlet?: string }) {
  const [code, setCode] = useState(outlet ?? '');
  const [from, setFrom] = useState(addDays(todayISO(), -90));
  const [to, setTo] = useState(todayISO());
  const [info, setInfo] = useState<Outlet | null>(null);
  const gridRef = useRef<DataGridHandle>(null);

  useEffect(() => {
    setInfo(null);
    if (outlet) api.outlets.get(outlet).then(setInfo, () => undefined);
  }, [outlet]);

  const fetchPage = useCallback(
    (offset: number) =>
      outlet
        ? api.page<LedgerEntry>(`/api/outlets/${encodeURIComponent(outlet)}/ledger`, { from, to, order: 'oldest', limit: PAGE, offset })
        : Promise.resolve({ rows: [], total: 0, totals: {}, offset: 0, limit: PAGE }),
    [outlet, from, to],
  );
  const { page, error, setOffset } = usePaged<LedgerEntry>(fetchPage);
  const t = page?.totals ?? {};

  // Keyboard first: the outlet's lines take the focus once, as they arrive.
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current && page?.rows.length) {
      focused.current = true;
      gridRef.current?.focus();
    }
  }, [page]);

  // Back goes to the report the ledger was opened from (outstanding), else to the outlets.
  const [back] = useState(() => (previousPath().startsWith('/reports/') ? previousPath() : '/outlets'));
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === 'Escape') navigate(back);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [back]);

  return (
    <div className="page master">
      <PageHeader title={outlet ? `Ledger ${outlet}` : 'Outlet ledger'} sub={info ? info.name : 'Type an outlet code and press Enter'}>
        <input
          name="ledger-outlet"
          aria-label="Outlet code"
          placeholder="Outlet code"
          value={code}
          autoFocus={!outlet}
          style={{ flex: '0 0 110px' }}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          onKeyDown={(e) => e.key === 'Enter' && code.trim() && navigate('/outlet-ledger/' + encodeURIComponent(code.trim()))}
        />
        <DateInput aria-label="From" name="ledger-from" value={from} onChange={(d) => d && setFrom(d)} />
        <span className="muted">to</span>
        <DateInput aria-label="To" name="ledger-to" value={to} onChange={(d) => d && setTo(d)} />
        <button type="button" onClick={() => navigate(back)}>Back <kbd>Esc</kbd></button>
      </PageHeader>
      <ErrorNote error={error} />
      {outlet && (
        <div className="master-body">
          <DataGrid
            gridRef={gridRef}
            label={`Ledger of ${outlet}`}
            rows={page?.rows ?? []}
            loading={page === undefined}
            columns={columns}
            rowKey={(r) => r.kind + ':' + r.number + ':' + r.date}
            rowCount={page?.total}
            onActivate={(r) => OPEN[r.kind] && navigate(OPEN[r.kind] + encodeURIComponent(r.number))}
            footer={
              <span className="report-totals" data-testid="ledger-totals">
                <Pager page={page} onOffset={setOffset} noun="entries" />
                <span>
                  Opening <strong>₹ {formatAmount(t.opening_paise ?? 0)}</strong> · Debit <strong>₹ {formatAmount(t.debit_paise ?? 0)}</strong> · Credit{' '}
                  <strong>₹ {formatAmount(t.credit_paise ?? 0)}</strong> · Closing <strong>₹ {formatAmount(t.closing_paise ?? 0)}</strong>
                </span>
              </span>
            }
            emptyText={`Nothing on ${outlet}'s account from ${formatDate(from)} to ${formatDate(to)}`}
          />
        </div>
      )}
    </div>
  );
}
