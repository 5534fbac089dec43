// Lists and views of posted documents, laid out as Invoices is: a date range
// and a party filter over the DataGrid, Enter opens one, Esc goes back, and
// the printable ones (credit notes, receipts) print with Ctrl+P in A4 or A5.
//   /credit-notes[/number]   sales returns (credit notes)
//   /receipt-register[/n]    receipts
//   /purchase-register[/n]   purchases (GRN)

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../../api';
import { useSession } from '../../context';
import { addDays, formatAmount, formatBp, formatDate, formatInt, todayISO } from '../../format';
import { navigate } from '../../router';
import { useCached } from '../../store';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column, DataGridHandle } from '../../widgets/DataGrid';
import { DateInput } from '../../widgets/inputs';
import { PAGE, Pager, usePaged } from '../../widgets/Pager';
import type { Paged } from '../../widgets/Pager';
import { OutletPicker } from '../../widgets/pickers';
import { ErrorNote, PageHeader } from '../../widgets/ui';
import { CreditNotePrint } from '../print/CreditNotePrint';
import { MODE_LABEL, ReceiptPrint } from '../print/ReceiptPrint';
import { PaperSelect, printDocument } from '../print/PrintParts';
import type { PaperSize } from '../print/PrintParts';
import type { Invoice, Outlet, Purchase, Receipt, SalesReturn } from '../../types';

const enc = encodeURIComponent;

/** Esc goes back; Ctrl+P prints when print is given. */
function useViewKeys(back: string, print?: () => void) {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && (e.key === 'p' || e.key === 'P')) {
        if (!print) return;
        e.preventDefault();
        print();
      } else if (e.key === 'Escape' && !e.defaultPrevented) {
        navigate(back);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [back, print]);
}

interface ListProps<T> {
  title: string;
  sub: string;
  path: string;
  /** The party filter: an outlet (picker) or a supplier (typed GSTIN or name). */
  party: 'outlet' | 'supplier';
  load: (q: { from: string; to: string; party: string; offset: number }) => Promise<Paged<T>>;
  columns: Column<T>[];
  rowKey: (r: T) => string;
  /** The key in the page's totals (the whole filter's) shown in the footer. */
  totalKey: string;
  totalLabel: string;
  newLabel: string;
  newPath: string;
  empty: string;
}

function DocList<T>(p: ListProps<T>) {
  const [from, setFrom] = useState(addDays(todayISO(), -30));
  const [to, setTo] = useState(todayISO());
  const [party, setParty] = useState('');
  const gridRef = useRef<DataGridHandle>(null);
  const { load } = p;
  const fetchPage = useCallback((offset: number) => load({ from, to, party, offset }), [load, from, to, party]);
  const { page, error, setOffset } = usePaged<T>(fetchPage);
  const rows = page?.rows;

  const total = page?.totals?.[p.totalKey] ?? 0;
  return (
    <div className="page master">
      <PageHeader title={p.title} sub={p.sub}>
        <DateInput aria-label="From" value={from} onChange={(d) => d && setFrom(d)} />
        <span className="muted">to</span>
        <DateInput aria-label="To" value={to} onChange={(d) => d && setTo(d)} />
        {p.party === 'outlet' ? (
          <span className="doc-party-filter">
            <OutletPicker name="outlet-filter" value={party} placeholder="All outlets" onPick={(o) => { setParty(o.code); gridRef.current?.focus(); }} onClear={() => setParty('')} />
          </span>
        ) : (
          <input className="search" type="search" name="supplier-filter" placeholder="Supplier GSTIN or name" value={party} onChange={(e) => setParty(e.target.value)}
            onKeyDown={(e) => (e.key === 'ArrowDown' || e.key === 'Enter') && gridRef.current?.focus()} />
        )}
        <button type="button" className="primary" onClick={() => navigate(p.newPath)}>{p.newLabel}</button>
      </PageHeader>
      <ErrorNote error={error} />
      <div className="master-body">
        <DataGrid
          gridRef={gridRef}
          label={p.title}
          rows={rows ?? []}
          loading={rows === undefined}
          columns={p.columns}
          rowKey={p.rowKey}
          onActivate={(r) => navigate(p.path + '/' + enc(p.rowKey(r)))}
          rowCount={page?.total}
          footer={
            <span className="report-totals" data-testid="list-totals">
              <Pager page={page} onOffset={setOffset} />
              <span>{p.totalLabel} <strong>₹ {formatAmount(total)}</strong></span>
            </span>
          }
          emptyText={p.empty}
        />
      </div>
    </div>
  );
}

/** Outlet names for the lists, which carry codes only. */
function useOutletNames(): (code: string) => string {
  const outlets = useCached('outlets');
  const byCode = useMemo(() => new Map((outlets ?? []).map((o) => [o.code, o.name])), [outlets]);
  return useCallback((c: string) => byCode.get(c) ?? '', [byCode]);
}

// ── Credit notes ─────────────────────────────────────────────────────────

const loadReturns = (q: { from: string; to: string; party: string; offset: number }) =>
  api.page<SalesReturn>('/api/sales-returns', { from: q.from, to: q.to, outlet: q.party, limit: PAGE, offset: q.offset });

export function CreditNotes() {
  const outletName = useOutletNames();
  const columns: Column<SalesReturn>[] = useMemo(() => [
    { key: 'number', title: 'Number', width: 160 },
    { key: 'date', title: 'Date', width: 100, text: (r) => formatDate(r.date) },
    { key: 'invoice', title: 'Against invoice', width: 160 },
    { key: 'outlet', title: 'Outlet', width: 100 },
    { key: 'outlet_name', title: 'Outlet name', flex: 2, value: (r) => outletName(r.outlet) },
    { key: 'reason', title: 'Reason', flex: 2 },
    { key: 'taxable_paise', title: 'Taxable ₹', width: 110, align: 'right', text: (r) => formatAmount(r.taxable_paise) },
    { key: 'total_paise', title: 'Credit ₹', width: 110, align: 'right', text: (r) => formatAmount(r.total_paise) },
  ], [outletName]);
  return (
    <DocList<SalesReturn> title="Credit notes" sub="Sales returns; Enter opens one to print" path="/credit-notes" party="outlet"
      load={loadReturns} columns={columns} rowKey={(r) => r.number} totalKey="total_paise" totalLabel="Credit"
      newLabel="New sales return" newPath="/returns" empty="No credit notes in this period" />
  );
}

export function CreditNoteView({ number }: { number: string }) {
  const { company } = useSession();
  const [cn, setCn] = useState<SalesReturn | null>(null);
  const [inv, setInv] = useState<Invoice | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [size, setSize] = useState<PaperSize>('A4');
  useEffect(() => {
    api.get<SalesReturn>(`/api/returns/${enc(number)}`).then(
      (c) => {
        setCn(c);
        // The invoice it reverses gives the recipient as billed and its date.
        api.invoices.get(c.invoice).then(setInv, setError);
      },
      setError,
    );
  }, [number]);
  useViewKeys('/credit-notes', cn ? printDocument : undefined);
  return (
    <div className="page">
      <PageHeader title={`Credit note ${number}`} sub={cn ? `${inv?.outlet_name ?? cn.outlet} · ${formatDate(cn.date)} · against ${cn.invoice}` : undefined}>
        <button type="button" onClick={() => navigate('/credit-notes')}>Back <kbd>Esc</kbd></button>
        <PaperSelect size={size} onChange={setSize} />
        <button type="button" onClick={printDocument} disabled={!cn}>Print / PDF <kbd>Ctrl+P</kbd></button>
        {cn && <button type="button" onClick={() => navigate('/invoices/' + enc(cn.invoice))}>Open invoice</button>}
      </PageHeader>
      <ErrorNote error={error} />
      {cn && (
        <div className="print-area on-screen">
          <CreditNotePrint cn={cn} inv={inv} company={company} size={size} />
        </div>
      )}
    </div>
  );
}

// ── Receipts ─────────────────────────────────────────────────────────────

const loadReceipts = (q: { from: string; to: string; party: string; offset: number }) =>
  api.page<Receipt>('/api/receipts', { from: q.from, to: q.to, outlet: q.party, limit: PAGE, offset: q.offset });

export function ReceiptRegister() {
  const outletName = useOutletNames();
  const columns: Column<Receipt>[] = useMemo(() => [
    { key: 'number', title: 'Number', width: 160 },
    { key: 'date', title: 'Date', width: 100, text: (r) => formatDate(r.date) },
    { key: 'outlet', title: 'Outlet', width: 100 },
    { key: 'outlet_name', title: 'Outlet name', flex: 2, value: (r) => outletName(r.outlet) },
    { key: 'mode', title: 'Mode', width: 110, value: (r) => MODE_LABEL[r.mode] ?? r.mode },
    { key: 'reference', title: 'Reference', width: 130 },
    { key: 'bills', title: 'Bills', width: 64, align: 'right', value: (r) => r.allocations?.length ?? 0 },
    { key: 'amount_paise', title: 'Amount ₹', width: 120, align: 'right', text: (r) => formatAmount(r.amount_paise) },
  ], [outletName]);
  return (
    <DocList<Receipt> title="Receipt register" sub="Collections; Enter opens one to print" path="/receipt-register" party="outlet"
      load={loadReceipts} columns={columns} rowKey={(r) => r.number} totalKey="amount_paise" totalLabel="Received"
      newLabel="New receipt" newPath="/receipts" empty="No receipts in this period" />
  );
}

export function ReceiptView({ number }: { number: string }) {
  const { company } = useSession();
  const [rc, setRc] = useState<Receipt | null>(null);
  const [outlet, setOutlet] = useState<Outlet | null>(null);
  const [billDates, setBillDates] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [size, setSize] = useState<PaperSize>('A4');
  useEffect(() => {
    api.get<Receipt>(`/api/receipts/${enc(number)}`).then(
      (r) => {
        setRc(r);
        api.outlets.get(r.outlet).then(setOutlet, () => undefined);
        const bills = r.allocations ?? [];
        Promise.all(bills.map((a) => api.invoices.get(a.invoice).then((i) => [a.invoice, i.date] as const, () => [a.invoice, ''] as const)))
          .then((pairs) => setBillDates(Object.fromEntries(pairs)));
      },
      setError,
    );
  }, [number]);
  useViewKeys('/receipt-register', rc ? printDocument : undefined);
  return (
    <div className="page">
      <PageHeader title={`Receipt ${number}`} sub={rc ? `${outlet?.name ?? rc.outlet} · ${formatDate(rc.date)} · ${MODE_LABEL[rc.mode] ?? rc.mode}` : undefined}>
        <button type="button" onClick={() => navigate('/receipt-register')}>Back <kbd>Esc</kbd></button>
        <PaperSelect size={size} onChange={setSize} />
        <button type="button" onClick={printDocument} disabled={!rc}>Print / PDF <kbd>Ctrl+P</kbd></button>
      </PageHeader>
      <ErrorNote error={error} />
      {rc && (
        <div className="print-area on-screen">
          <ReceiptPrint rc={rc} outlet={outlet} company={company} size={size} billDates={billDates} />
        </div>
      )}
    </div>
  );
}

// ── Purchases (GRN) ──────────────────────────────────────────────────────

const loadPurchases = (q: { from: string; to: string; party: string; offset: number }) =>
  api.page<Purchase>('/api/purchases', { from: q.from, to: q.to, supplier: q.party, limit: PAGE, offset: q.offset });

const purchaseColumns: Column<Purchase>[] = [
  { key: 'number', title: 'GRN', width: 150 },
  { key: 'date', title: 'Date', width: 100, text: (r) => formatDate(r.date) },
  { key: 'supplier_invoice_no', title: 'Supplier invoice', width: 150 },
  { key: 'supplier', title: 'Supplier', flex: 2 },
  { key: 'supplier_gstin', title: 'GSTIN', width: 150 },
  { key: 'lines', title: 'Lines', width: 64, align: 'right', value: (r) => r.lines?.length ?? 0 },
  { key: 'taxable_paise', title: 'Taxable ₹', width: 120, align: 'right', text: (r) => formatAmount(r.taxable_paise) },
  { key: 'total_paise', title: 'Total ₹', width: 120, align: 'right', text: (r) => formatAmount(r.total_paise) },
];

export function PurchaseRegister() {
  return (
    <DocList<Purchase> title="Purchase register" sub="Goods received (GRN); Enter opens one" path="/purchase-register" party="supplier"
      load={loadPurchases} columns={purchaseColumns} rowKey={(r) => r.number} totalKey="total_paise" totalLabel="Purchases"
      newLabel="New GRN" newPath="/purchases" empty="No purchases in this period" />
  );
}

export function PurchaseView({ number }: { number: string }) {
  const [p, setP] = useState<Purchase | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Purchase>(`/api/purchases/${enc(number)}`).then(setP, setError);
  }, [number]);
  useViewKeys('/purchase-register');
  const inter = p?.inter_state ?? false;
  return (
    <div className="page">
      <PageHeader title={`GRN ${number}`} sub={p ? `${p.supplier || p.supplier_gstin || 'Supplier'} · invoice ${p.supplier_invoice_no} · ${formatDate(p.date)}` : undefined}>
        <button type="button" onClick={() => navigate('/purchase-register')}>Back <kbd>Esc</kbd></button>
      </PageHeader>
      <ErrorNote error={error} />
      {p && (
        <div className="card" data-doc={p.number}>
          <div className="tiles-row">
            <Fig label="Supplier">{p.supplier || '—'}</Fig>
            <Fig label="GSTIN">{p.supplier_gstin || '—'}</Fig>
            <Fig label="Supplier invoice">{p.supplier_invoice_no}</Fig>
            <Fig label="Godown">{p.godown}</Fig>
            <Fig label="Posted">{p.posted_by} · {formatDate(p.posted_at?.slice(0, 10))}</Fig>
          </div>
          <table className="mini">
            <thead>
              <tr>
                <th>#</th><th>Item</th><th>HSN</th><th>Batch</th><th>Expiry</th><th className="num">MRP</th><th className="num">Qty</th><th className="num">Rate</th>
                <th className="num">Taxable</th><th className="num">GST %</th>
                {inter ? <th className="num">IGST</th> : <><th className="num">CGST</th><th className="num">SGST</th></>}
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {p.lines.map((l, i) => (
                <tr key={i}>
                  <td>{l.line || i + 1}</td><td>{l.item} · {l.name}</td><td>{l.hsn}</td><td>{l.batch}</td><td>{formatDate(l.expiry)}</td>
                  <td className="num">{formatAmount(l.mrp_paise)}</td><td className="num">{formatInt(l.qty)}</td><td className="num">{formatAmount(l.rate_paise)}</td>
                  <td className="num">{formatAmount(l.taxable_paise)}</td><td className="num">{formatBp(l.gst_rate_bp)}</td>
                  {inter ? <td className="num">{formatAmount(l.igst_paise)}</td> : <><td className="num">{formatAmount(l.cgst_paise)}</td><td className="num">{formatAmount(l.sgst_paise)}</td></>}
                  <td className="num">{formatAmount(l.total_paise)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={8}><strong>Total</strong></td>
                <td className="num">{formatAmount(p.taxable_paise)}</td><td />
                {inter ? <td className="num">{formatAmount(p.igst_paise)}</td> : <><td className="num">{formatAmount(p.cgst_paise)}</td><td className="num">{formatAmount(p.sgst_paise)}</td></>}
                <td className="num"><strong>{formatAmount(p.total_paise)}</strong></td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </div>
  );
}

function Fig({ label, children }: { label: string; children: ReactNode }) {
  return <div><span className="muted">{label}</span><strong>{children}</strong></div>;
}
