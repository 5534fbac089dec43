// The money receipt as printed (A4 or A5): number and date, the outlet that
// paid, the mode (cash, cheque, UPI, bank) with its reference, the amount in
// figures and words, the bills it settles with the amount set against each,
// and a signature block.

import { formatAmount, formatDate } from '../../format';
import { AmountWords, PartyBlock, PrintHeader, PrintSheet, SignatureBlock } from './PrintParts';
import type { PaperSize } from './PrintParts';
import type { Company, Outlet, Receipt } from '../../types';

export const MODE_LABEL: Record<string, string> = { cash: 'Cash', cheque: 'Cheque', upi: 'UPI', bank: 'Bank transfer' };
const REF_LABEL: Record<string, string> = { cheque: 'Cheque no.', upi: 'UPI ref. / UTR', bank: 'UTR / reference' };

export function ReceiptPrint({ rc, outlet, company, size = 'A4', billDates }: {
  rc: Receipt; outlet: Outlet | null; company: Company; size?: PaperSize; billDates?: Record<string, string>;
}) {
  const allocs = rc.allocations ?? [];
  return (
    <PrintSheet size={size} doc={rc.number} kind="receipt">
      <PrintHeader company={company} title="RECEIPT">
        <div>No. <strong>{rc.number}</strong></div>
        <div>Date <strong>{formatDate(rc.date)}</strong></div>
      </PrintHeader>
      <PartyBlock label="Received from" name={outlet?.name || rc.outlet} code={rc.outlet} address={outlet?.address} gstin={outlet?.gstin} state={outlet?.state_code} />
      <section className="ip-receipt">
        <p className="ip-received">
          Received with thanks from <strong>{outlet?.name || rc.outlet}</strong> the sum of <strong>₹ {formatAmount(rc.amount_paise)}</strong> by{' '}
          <strong>{MODE_LABEL[rc.mode] ?? rc.mode}</strong>
          {rc.reference ? <> ({REF_LABEL[rc.mode] ?? 'Reference'} <strong>{rc.reference}</strong>)</> : null}.
        </p>
        <table className="ip-lines">
          <thead>
            <tr><th>#</th><th>Bill settled</th><th>Bill date</th><th className="num">Amount ₹</th></tr>
          </thead>
          <tbody>
            {allocs.map((a, i) => (
              <tr key={a.invoice}>
                <td>{i + 1}</td><td>{a.invoice}</td><td>{billDates?.[a.invoice] ? formatDate(billDates[a.invoice]) : ''}</td><td className="num">{formatAmount(a.amount_paise)}</td>
              </tr>
            ))}
            {rc.on_account_paise > 0 && (
              <tr><td>{allocs.length + 1}</td><td>On account (advance)</td><td /><td className="num">{formatAmount(rc.on_account_paise)}</td></tr>
            )}
            {allocs.length === 0 && rc.on_account_paise <= 0 && <tr><td colSpan={4} className="muted">No bills settled</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="ip-foot">
        <AmountWords words={rc.amount_in_words ?? ''}>
          <div>Mode: {MODE_LABEL[rc.mode] ?? rc.mode}{rc.reference ? ` · ${REF_LABEL[rc.mode] ?? 'Reference'} ${rc.reference}` : ''}</div>
        </AmountWords>
        <table className="ip-totals">
          <tbody>
            <tr><td>Against bills</td><td className="num">{formatAmount(rc.amount_paise - rc.on_account_paise)}</td></tr>
            <tr><td>On account</td><td className="num">{formatAmount(rc.on_account_paise)}</td></tr>
            <tr className="ip-grand"><td>Received ₹</td><td className="num">{formatAmount(rc.amount_paise)}</td></tr>
          </tbody>
        </table>
      </section>
      <SignatureBlock company={company} note={rc.mode === 'cheque' ? 'Subject to realisation of the cheque.' : undefined} />
    </PrintSheet>
  );
}
