// Goods in (GRN) against the brand's invoice: supplier invoice number and
// date, then lines of item, batch, expiry, MRP, cases + pieces, rate.

import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { formatAmount, formatDate, todayISO } from '../../format';
import { caches } from '../../store';
import type { KeptOrder } from '../reorder/Suggestions';
import { ORDER_DRAFT } from '../reorder/Suggestions';
import { DateInput, Field } from '../../widgets/inputs';
import { LineEditor, lineQty, newLine } from '../../widgets/LineEditor';
import type { Line, LineCol } from '../../widgets/LineEditor';
import { PageHeader } from '../../widgets/ui';
import { navigate } from '../../router';
import { useCtrlS, useDocSave } from './common';

const cols: LineCol[] = [
  { key: 'batch', title: 'Batch', kind: 'text', width: 110 },
  { key: 'expiry', title: 'Expiry', kind: 'date', width: 110 },
  { key: 'mrp_paise', title: 'MRP', kind: 'money', width: 100 },
  { key: 'cs', title: 'Cs', kind: 'cs', width: 64 },
  { key: 'pcs', title: 'Pcs', kind: 'pcs', width: 72 },
  { key: 'rate_paise', title: 'Rate', kind: 'money', width: 100 },
];

export function Purchases() {
  const [inv, setInv] = useState('');
  const [date, setDate] = useState(todayISO());
  const [gstin, setGstin] = useState('');
  const [supplier, setSupplier] = useState('');
  const [lines, setLines] = useState<Line[]>([newLine()]);
  const { busy, errors, saved, save } = useDocSave('purchases', 'GRN');
  const saveBtn = useRef<HTMLButtonElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  // An order to the brand kept by "Order to the brand": offered to fill the lines.
  const [order, setOrder] = useState<KeptOrder | null>(null);
  // The purchase order the GRN is made from ('' for none, or an order not placed).
  const [fromOrder, setFromOrder] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.drafts.get<KeptOrder>(ORDER_DRAFT).then((r) => live && r.draft?.lines?.length && setOrder(r.draft), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  async function fillFromOrder() {
    if (!order) return;
    const byCode = new Map((await caches.items.fetch()).map((it) => [it.code, it]));
    const ls = order.lines.flatMap((o) => {
      const it = byCode.get(o.item);
      if (!it) return [];
      const cs = it.case_size > 1 ? Math.floor(o.qty / it.case_size) : 0;
      const pcs = o.qty - cs * Math.max(it.case_size, 1);
      return [newLine({ item: it, mrp_paise: it.mrp_paise, cs: cs ? String(cs) : '', pcs: pcs ? String(pcs) : '' })];
    });
    setLines([...ls, newLine()]);
    if (!supplier.trim()) setSupplier(order.brand);
    setOrder(null);
    setFromOrder(order.number ?? '');
  }

  const body = () => ({
    supplier_invoice_no: inv.trim(),
    date,
    ...(gstin.trim() ? { supplier_gstin: gstin.trim().toUpperCase() } : {}),
    ...(supplier.trim() ? { supplier: supplier.trim() } : {}),
    ...(fromOrder ? { purchase_order: fromOrder } : {}),
    lines: lines.filter((l) => l.item).map((l) => ({
      item: l.item?.code, batch: String(l.batch ?? ''), expiry: String(l.expiry ?? ''), mrp_paise: Number(l.mrp_paise ?? 0),
      qty: lineQty(l), rate_paise: Number(l.rate_paise ?? 0),
    })),
  });
  async function submit() {
    if (busy) return;
    if (await save(body())) {
      if (fromOrder !== null) {
        setFromOrder(null);
        void api.drafts.del(ORDER_DRAFT).catch(() => undefined);
      }
      setInv('');
      setLines([newLine()]);
      firstRef.current?.focus();
    }
  }
  useCtrlS(submit);
  const total = lines.reduce((s, l) => s + lineQty(l) * Number(l.rate_paise ?? 0), 0);

  return (
    <div className="page">
      <PageHeader title="Purchase (GRN)" sub="Goods received against the brand's invoice; batches and expiry as printed">
        {saved && <a className="last-inv" href={'#/purchase-register/' + encodeURIComponent(saved.number)} title="Open the last saved GRN">Last: {saved.number}</a>}
        <button type="button" onClick={() => navigate('/purchase-register')}>Purchase register</button>
      </PageHeader>
      <div className="card doc-head">
        <Field label="Supplier invoice no." name="supplier_invoice_no" error={errors.field.supplier_invoice_no}>
          <input ref={firstRef} autoFocus name="supplier_invoice_no" value={inv} onChange={(e) => setInv(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget.closest('.doc-head')?.querySelectorAll('input')[1] as HTMLInputElement)?.focus()} />
        </Field>
        <Field label="Invoice date" name="date" error={errors.field.date}>
          <DateInput name="date" value={date} onChange={(d) => d && setDate(d)} />
        </Field>
        <Field label="Supplier GSTIN" name="supplier_gstin" error={errors.field.supplier_gstin} hint="Decides CGST+SGST or IGST input">
          <input name="supplier_gstin" maxLength={15} value={gstin} onChange={(e) => setGstin(e.target.value.toUpperCase())} />
        </Field>
        <Field label="Supplier" name="supplier" error={errors.field.supplier}>
          <input name="supplier" value={supplier} onChange={(e) => setSupplier(e.target.value)} />
        </Field>
      </div>
      {order && (
        <div className="bill-draft" role="status" data-testid="order-offer">
          <span>Order {order.number ? order.number + ' ' : ''}to {order.brand} of {formatDate(order.on)} · {order.lines.length} {order.lines.length === 1 ? 'line' : 'lines'}: fill the GRN with its items and quantities, then type batch, expiry and rate from the invoice</span>
          <button type="button" className="primary" onClick={() => void fillFromOrder()}>Fill from the order</button>
          <button type="button" onClick={() => { setOrder(null); void api.drafts.del(ORDER_DRAFT).catch(() => undefined); }}>Discard it</button>
        </div>
      )}
      {errors.banner && <div className="note error" role="alert">{errors.banner}</div>}
      <LineEditor
        cols={cols}
        lines={lines}
        setLines={setLines}
        onItem={(_, it) => ({ mrp_paise: it.mrp_paise })}
        onDone={() => saveBtn.current?.focus()}
        errorLine={errors.line}
        errorText={errors.lineText}
      />
      <div className="doc-actions">
        <span className="muted">Value before tax ₹ {formatAmount(total)}</span>
        <button ref={saveBtn} type="button" className="primary" disabled={busy} onClick={submit}>
          {busy ? 'Saving…' : 'Save GRN'} <kbd>Ctrl+S</kbd>
        </button>
      </div>
    </div>
  );
}
