// The GST tax invoice as printed (A4 or A5): supplier and recipient with
// GSTINs, number and date, place of supply, HSN, quantity, rate, taxable value,
// tax split, free goods, total in figures and words, signature block.
// Shown on screen inside .print-area; @media print hides everything else.

import { STATES, formatAmount, formatBp, formatDate, formatInt } from '../../format';
import type { Company, Invoice } from '../../types';

export function InvoicePrint({ inv, company, size = 'A4' }: { inv: Invoice; company: Company; size?: 'A4' | 'A5' }) {
  const inter = inv.inter_state;
  const cancelled = inv.status === 'cancelled';
  return (
    <article className={'invoice-print size-' + size} data-invoice={inv.number}>
      {cancelled && <div className="stamp">CANCELLED</div>}
      <header className="ip-head">
        <div>
          <div className="ip-company">{company.name}</div>
          <div className="ip-addr">{company.address}</div>
          <div>GSTIN {company.gstin || '—'} · State {company.state_code} {STATES[company.state_code] ?? ''}</div>
          {company.phone && <div>Phone {company.phone}</div>}
        </div>
        <div className="ip-title">
          <div className="ip-doc">TAX INVOICE</div>
          <div>No. <strong>{inv.number}</strong></div>
          <div>Date <strong>{formatDate(inv.date)}</strong></div>
          <div>Place of supply {inv.place_of_supply} {STATES[inv.place_of_supply] ?? ''}</div>
        </div>
      </header>
      <section className="ip-party">
        <div className="ip-label">Bill to</div>
        <div className="ip-party-name">{inv.outlet_name} ({inv.outlet})</div>
        {inv.outlet_address && <div className="ip-addr">{inv.outlet_address}</div>}
        <div>GSTIN {inv.outlet_gstin || 'Unregistered'} · State {inv.place_of_supply} {STATES[inv.place_of_supply] ?? ''}</div>
        {inv.beat && <div className="muted">Beat {inv.beat}{inv.salesman ? ` · Salesman ${inv.salesman}` : ''}</div>}
      </section>
      <table className="ip-lines">
        <thead>
          <tr>
            <th>#</th><th>Item</th><th>HSN</th><th className="num">Qty</th><th className="num">MRP</th><th className="num">Rate</th>
            <th className="num">Disc</th><th className="num">Taxable</th>
            {inter ? (
              <><th className="num">IGST %</th><th className="num">IGST</th></>
            ) : (
              <><th className="num">CGST %</th><th className="num">CGST</th><th className="num">SGST %</th><th className="num">SGST</th></>
            )}
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
              {inter ? (
                <>
                  <td className="num">{formatBp(l.gst_rate_bp)}</td>
                  <td className="num">{formatAmount(l.igst_paise)}</td>
                </>
              ) : (
                <>
                  <td className="num">{halfRate(l.gst_rate_bp)}</td>
                  <td className="num">{formatAmount(l.cgst_paise)}</td>
                  <td className="num">{halfRate(l.gst_rate_bp)}</td>
                  <td className="num">{formatAmount(l.sgst_paise)}</td>
                </>
              )}
              <td className="num">{formatAmount(l.total_paise)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="ip-foot">
        <div className="ip-words">
          <div className="ip-label">Amount in words</div>
          <div>{inv.amount_in_words}</div>
          {inv.bill_schemes && inv.bill_schemes.length > 0 && (
            <div className="ip-schemes">Schemes: {inv.bill_schemes.map((s) => s.explanation || s.scheme).join('; ')}</div>
          )}
          {cancelled && inv.cancellation && <div className="ip-cancel">Cancelled {formatDate(inv.cancellation.date)}: {inv.cancellation.reason}</div>}
        </div>
        <table className="ip-totals">
          <tbody>
            <tr><td>Taxable value</td><td className="num">{formatAmount(inv.taxable_paise)}</td></tr>
            {inter ? (
              <tr><td>IGST</td><td className="num">{formatAmount(inv.igst_paise)}</td></tr>
            ) : (
              <>
                <tr><td>CGST</td><td className="num">{formatAmount(inv.cgst_paise)}</td></tr>
                <tr><td>SGST</td><td className="num">{formatAmount(inv.sgst_paise)}</td></tr>
              </>
            )}
            <tr><td>Round-off</td><td className="num">{formatAmount(inv.round_off_paise)}</td></tr>
            <tr className="ip-grand"><td>Total ₹</td><td className="num">{formatAmount(inv.total_paise)}</td></tr>
          </tbody>
        </table>
      </section>
      <footer className="ip-sign">
        <div className="muted">Goods once sold are subject to the terms agreed. E.&amp;O.E.</div>
        <div className="ip-sig">For {company.name}<br /><br /><br />Authorised signatory</div>
      </footer>
    </article>
  );
}

/** CGST and SGST are each half the GST rate: 18 → "9", 0.25 → "0.125". */
function halfRate(bp: number): string {
  return bp % 2 === 0 ? formatBp(bp / 2) : String(bp / 200);
}

/** Prints one invoice through the system dialog (also "Save as PDF"). */
export function printInvoice() {
  document.body.classList.add('printing');
  const done = () => {
    document.body.classList.remove('printing');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  setTimeout(() => {
    window.print();
    setTimeout(done, 500);
  }, 50);
}
