// The GST tax invoice as printed (A4 or A5): supplier and recipient with
// GSTINs, number and date, place of supply, HSN, quantity, rate, taxable value,
// tax split, free goods, total in figures and words, signature block. The
// header, party block, totals, words and signature are the shared print parts.

import { formatAmount, formatDate, formatInt, formatStamp } from '../../format';
import { AmountWords, PartyBlock, PrintHeader, PrintSheet, SignatureBlock, SignedQR, TaxCells, TaxHeads, TaxTotals, printDocument, stateName } from '../print/PrintParts';
import type { PaperSize } from '../print/PrintParts';
import type { Company, Invoice } from '../../types';

/** The copies a tax invoice is made in (Rule 48 of the CGST Rules). */
export const COPIES = ['Original for Recipient', 'Duplicate for Transporter', 'Triplicate for Supplier'];

export function InvoicePrint({ inv, company, size = 'A4', copy = COPIES[0] }: { inv: Invoice; company: Company; size?: PaperSize; copy?: string }) {
  const inter = inv.inter_state;
  const cancelled = inv.status === 'cancelled';
  return (
    <PrintSheet size={size} doc={inv.number} kind="invoice" stamp={cancelled ? 'CANCELLED' : undefined}>
      <PrintHeader company={company} title="TAX INVOICE">
        <div className="ip-copy">{copy}</div>
        <div>No. <strong>{inv.number}</strong></div>
        <div>Date <strong>{formatDate(inv.date)}</strong></div>
        <div>Place of supply {stateName(inv.place_of_supply)}</div>
        {inv.irn && (inv.irn_status === 'active' || inv.irn_status === 'cancelled') && (
          <div className="ip-irn">
            <div>IRN <span className="mono">{inv.irn}</span></div>
            <div>Ack No. {inv.ack_no} · Ack Date {inv.ack_date}{inv.irn_status === 'cancelled' ? ' · IRN CANCELLED' : ''}</div>
            {inv.irn_status === 'active' && <SignedQR path={`/api/invoices/${encodeURIComponent(inv.number)}/qr`} />}
          </div>
        )}
        {inv.irn_status && inv.irn_status !== 'active' && inv.irn_status !== 'not_required' && inv.irn_status !== 'cancelled' && (
          <div className="ip-irn muted">e-invoice: IRN {inv.irn_status}{inv.irn_error ? ` — ${inv.irn_error}` : ''}</div>
        )}
        {inv.ewaybill && (
          <div className="ip-ewb">
            e-Way Bill No. <strong>{inv.ewaybill.ewb_no}</strong> · {formatDate(inv.ewaybill.ewb_date)} · valid until {formatDate(inv.ewaybill.valid_until)}
            {inv.ewaybill.vehicle_no ? ` · vehicle ${inv.ewaybill.vehicle_no}` : ''}
          </div>
        )}
      </PrintHeader>
      <PartyBlock label="Bill to" name={inv.outlet_name} code={inv.outlet} address={inv.outlet_address} gstin={inv.outlet_gstin} state={inv.place_of_supply}>
        {inv.beat && <div className="muted">Beat {inv.beat}{inv.salesman ? ` · Salesman ${inv.salesman}` : ''}</div>}
      </PartyBlock>
      <table className="ip-lines">
        <thead>
          <tr>
            <th>#</th><th>Item</th><th>HSN</th><th className="num">Qty</th><th className="num">MRP</th><th className="num">Rate</th>
            <th className="num">Disc</th><th className="num">Taxable</th>
            <TaxHeads inter={inter} />
            <th className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {inv.lines.map((l, i) => (
            <tr key={i} className={l.free ? 'free' : undefined}>
              <td>{i + 1}</td>
              <td>
                {l.name || l.item}
                {l.free && <span className="ip-free"> — FREE ({l.scheme})</span>}
                {l.batches && l.batches.length > 0 && (
                  <div className="ip-batch">Batch {l.batches.map((b) => `${b.batch}${b.expiry ? ' exp ' + formatDate(b.expiry) : ''}`).join(', ')}</div>
                )}
              </td>
              <td>{l.hsn}</td>
              <td className="num">{formatInt(l.qty)} {l.unit ?? ''}</td>
              <td className="num">{formatAmount(l.mrp_paise)}</td>
              <td className="num">{formatAmount(l.rate_paise)}</td>
              <td className="num">{formatAmount(l.discount_paise + l.scheme_discount_paise)}</td>
              <td className="num">{formatAmount(l.taxable_paise)}</td>
              <TaxCells l={l} inter={inter} />
              <td className="num">{formatAmount(l.total_paise)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="ip-foot">
        <AmountWords words={inv.amount_in_words}>
          {inv.bill_schemes && inv.bill_schemes.length > 0 && (
            <div className="ip-schemes">Schemes: {inv.bill_schemes.map((s) => s.explanation || s.scheme).join('; ')}</div>
          )}
          {cancelled && inv.cancellation && <div className="ip-cancel">Cancelled {formatDate(inv.cancellation.date)} by {inv.cancellation.by} at {formatStamp(inv.cancellation.at)}: {inv.cancellation.reason}</div>}
        </AmountWords>
        <TaxTotals t={inv} inter={inter} />
      </section>
      <SignatureBlock company={company} note={<>Goods once sold are subject to the terms agreed. E.&amp;O.E.</>} />
    </PrintSheet>
  );
}

/** Prints one invoice through the system dialog (also "Save as PDF"). */
export const printInvoice = printDocument;
