// Invoices: a list by date range and search; Enter opens one, printable,
// cancellable (the number is kept), with a link to book a return against it.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../api';
import { useSession } from '../../context';
import { addDays, formatAmount, formatDate, formatInt, formatStamp, todayISO } from '../../format';
import { navigate } from '../../router';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column, DataGridHandle } from '../../widgets/DataGrid';
import { DateInput, Field } from '../../widgets/inputs';
import { PAGE, Pager, usePaged } from '../../widgets/Pager';
import { ErrorNote, Modal, PageHeader, toast } from '../../widgets/ui';
import { ALL_COPIES, COPIES, InvoicePrint, printInvoice } from './InvoicePrint';
import type { Invoice, InvoiceSummary } from '../../types';

const columns: Column<InvoiceSummary>[] = [
  { key: 'number', title: 'Number', width: 160 },
  { key: 'date', title: 'Date', width: 100, text: (r) => formatDate(r.date) },
  { key: 'outlet', title: 'Outlet', width: 110 },
  { key: 'outlet_name', title: 'Outlet name', flex: 2 },
  { key: 'lines', title: 'Lines', width: 64, align: 'right' },
  { key: 'taxable_paise', title: 'Taxable ₹', width: 120, align: 'right', text: (r) => formatAmount(r.taxable_paise) },
  { key: 'total_paise', title: 'Total ₹', width: 120, align: 'right', text: (r) => formatAmount(r.total_paise) },
  {
    key: 'status', title: 'Status', width: 100,
    render: (r) => (
      <span
        className={'status status-' + r.status}
        title={r.cancellation ? `Cancelled ${formatDate(r.cancellation.date)} by ${r.cancellation.by} at ${formatStamp(r.cancellation.at)}: ${r.cancellation.reason}` : undefined}
      >
        {r.status}
      </span>
    ),
  },
];

export function Invoices() {
  const [from, setFrom] = useState(addDays(todayISO(), -30));
  const [to, setTo] = useState(todayISO());
  const [q, setQ] = useState('');
  const gridRef = useRef<DataGridHandle>(null);
  const fetchPage = useCallback((offset: number) => api.invoices.page({ from, to, q, limit: PAGE, offset }), [from, to, q]);
  const { page, error, setOffset } = usePaged<InvoiceSummary>(fetchPage);
  const rows = page?.rows;

  const t = page?.totals ?? {};

  return (
    <div className="page master">
      <PageHeader title="Invoices" sub="Sales invoices; Enter opens one">
        <DateInput aria-label="From" value={from} onChange={(d) => d && setFrom(d)} />
        <span className="muted">to</span>
        <DateInput aria-label="To" value={to} onChange={(d) => d && setTo(d)} />
        <input
          className="search"
          type="search"
          autoFocus // F3 lands here: type a number or an outlet, ↓ into the list
          placeholder="Number, outlet code or name"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => (e.key === 'ArrowDown' || e.key === 'Enter') && gridRef.current?.focus()}
        />
        <button type="button" className="primary" onClick={() => navigate('/billing')}>New invoice <kbd>F2</kbd></button>
      </PageHeader>
      <ErrorNote error={error} />
      <div className="master-body">
        <DataGrid
          gridRef={gridRef}
          label="Invoices"
          rows={rows ?? []}
          loading={rows === undefined}
          columns={columns}
          rowKey={(r) => r.number}
          onActivate={(r) => navigate('/invoices/' + encodeURIComponent(r.number))}
          rowClass={(r) => (r.status === 'cancelled' ? 'dg-muted' : undefined)}
          rowCount={page?.total}
          footer={
            <span className="report-totals" data-testid="list-totals">
              <Pager page={page} onOffset={setOffset} noun="invoices" />
              <span>Live invoices <strong>{formatInt(t.invoices ?? 0)}</strong>, total <strong>₹ {formatAmount(t.total_paise ?? 0)}</strong>{t.cancelled ? ` · ${formatInt(t.cancelled)} cancelled` : ''}</span>
            </span>
          }
          emptyText="No invoices in this period"
        />
      </div>
    </div>
  );
}

export function InvoiceView({ number }: { number: string }) {
  const { company, me } = useSession();
  const [inv, setInv] = useState<Invoice | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [size, setSize] = useState<'A4' | 'A5'>('A4');
  const [copy, setCopy] = useState<string>(COPIES[0]);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [cancelError, setCancelError] = useState('');
  // An earlier day's invoice: did the goods leave? ('' not answered yet)
  const [goodsLeft, setGoodsLeft] = useState<'' | 'no' | 'yes'>('');
  const [askGoods, setAskGoods] = useState(false);

  useEffect(() => {
    api.invoices.get(number).then(setInv, setError);
  }, [number]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && (e.key === 'p' || e.key === 'P')) {
        e.preventDefault();
        printInvoice();
      } else if (e.key === 'Escape' && !cancelling) {
        navigate('/invoices');
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cancelling]);

  async function cancel() {
    try {
      const c = await api.invoices.cancel(number, reason, goodsLeft === '' ? undefined : goodsLeft === 'yes');
      setInv(c);
      setCancelling(false);
      toast(`${number} cancelled; its number is kept`);
    } catch (e) {
      if (e instanceof ApiError && e.field === 'goods_left' && goodsLeft === '') {
        setAskGoods(true); // the book's day is later than the invoice's
        return;
      }
      setCancelError(e instanceof ApiError ? e.message : String(e));
    }
  }
  const earlier = askGoods || (!!inv && inv.date < todayISO());
  const mustReturn = earlier && goodsLeft === 'yes';
  const canCancel = !!reason.trim() && (!earlier || goodsLeft === 'no');

  const mayCancel = me.role !== 'viewer' && inv?.status === 'posted';
  return (
    <div className="page">
      <PageHeader title={`Invoice ${number}`} sub={inv ? `${inv.outlet_name} · ${formatDate(inv.date)} · ${inv.status}` : undefined}>
        <button type="button" onClick={() => navigate('/invoices')}>Back <kbd>Esc</kbd></button>
        <select aria-label="Paper size" value={size} onChange={(e) => setSize(e.target.value as 'A4' | 'A5')} style={{ width: 80 }}>
          <option>A4</option>
          <option>A5</option>
        </select>
        <select aria-label="Copy" value={copy} onChange={(e) => setCopy(e.target.value)} style={{ width: 200 }}>
          {[...COPIES, ALL_COPIES].map((c) => <option key={c}>{c}</option>)}
        </select>
        <button type="button" onClick={printInvoice} disabled={!inv}>Print / PDF <kbd>Ctrl+P</kbd></button>
        {inv?.status === 'posted' && (
          <button type="button" onClick={() => navigate('/returns/' + encodeURIComponent(number))}>Sales return</button>
        )}
        {inv?.status === 'posted' && (
          <button type="button" onClick={() => navigate('/ewaybill/' + encodeURIComponent(number))}>e-Way bill</button>
        )}
        {mayCancel && <button type="button" className="danger" onClick={() => setCancelling(true)}>Cancel invoice</button>}
      </PageHeader>
      <ErrorNote error={error} />
      {inv?.credit_override && (
        <p className="note warn" data-testid="invoice-credit-override">
          Billed past a credit stop by <strong>{inv.credit_override.by}</strong>
          {inv.credit_override.at ? ` at ${formatStamp(inv.credit_override.at)}` : ''}: {inv.credit_override.reason}
          {inv.credit_override.broken?.length ? ` (${inv.credit_override.broken.join('; ')})` : ''}
        </p>
      )}
      {inv && (
        <div className="print-area on-screen">
          <InvoicePrint inv={inv} company={company} size={size} copy={copy} />
        </div>
      )}
      {cancelling && (
        <Modal
          title={`Cancel ${number}`}
          onClose={() => setCancelling(false)}
          footer={
            <>
              <button type="button" onClick={() => setCancelling(false)}>Keep it</button>
              {mustReturn ? (
                <button type="button" className="primary" onClick={() => navigate('/returns/' + encodeURIComponent(number))}>Open sales return</button>
              ) : (
                <button type="button" className="primary" onClick={cancel} disabled={!canCancel}>Cancel invoice</button>
              )}
            </>
          }
        >
          <p className="muted">For an invoice whose goods never left: it counts nowhere from its own date, stock goes back on that date and the number stays used. Posted invoices are never edited or deleted.</p>
          {earlier && (
            <fieldset className="field" data-field="goods_left">
              <legend>This invoice is of {formatDate(inv?.date ?? '')}. Did the goods leave the godown?</legend>
              <label><input type="radio" name="goods_left" checked={goodsLeft === 'no'} onChange={() => setGoodsLeft('no')} /> No, they never left</label>
              <label><input type="radio" name="goods_left" checked={goodsLeft === 'yes'} onChange={() => setGoodsLeft('yes')} /> Yes, they went out</label>
              {mustReturn && <p className="muted">Goods that left come back by a sales return (credit note), dated the day they come back.</p>}
            </fieldset>
          )}
          <Field label="Reason" name="reason" error={cancelError}>
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && canCancel && cancel()} />
          </Field>
        </Modal>
      )}
    </div>
  );
}
