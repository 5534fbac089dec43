// The credit note as printed (A4 or A5), as the GST rules ask of one issued
// against a tax invoice: title, number and date, the invoice it reverses with
// its date, supplier and recipient with GSTINs and addresses, place of
// supply, HSN, quantity and unit, rate, taxable value, CGST/SGST or IGST with
// rates, the reason, the total in figures and words, and a signature block;
// and what happens to free goods the returned quantity no longer earns
// (returned with it, or kept and their value deducted).

import { formatAmount, formatDate, formatInt } from '../../format';
import { AmountWords, IrnBlock, LinesTable, PartyBlock, PrintHeader, PrintSheet, SignatureBlock, TaxCells, TotalsFoot, stateName } from './PrintParts';
import type { PaperSize } from './PrintParts';
import type { Company, Invoice, SalesReturn } from '../../types';

export function CreditNotePrint({ cn, inv, company, size = 'A4' }: { cn: SalesReturn; inv: Invoice | null; company: Company; size?: PaperSize }) {
  const inter = cn.inter_state;
  const pos = inv?.place_of_supply ?? company.state_code;
  const unitOf = (l: SalesReturn['lines'][number]) => inv?.lines.find((x) => x.line === l.invoice_line)?.unit ?? inv?.lines.find((x) => x.item === l.item)?.unit ?? '';
  return (
    <PrintSheet size={size} doc={cn.number} kind="credit-note">
      <PrintHeader company={company} title="CREDIT NOTE">
        <div>No. <strong>{cn.number}</strong></div>
        <div>Date <strong>{formatDate(cn.date)}</strong></div>
        <div>Against invoice <strong>{cn.invoice}</strong>{inv ? <> dated <strong>{formatDate(inv.date)}</strong></> : null}</div>
        <div>Place of supply {stateName(pos)}</div>
        {cn.irn && cn.irn_status === 'active' && (
          <IrnBlock irn={cn.irn} ackNo={cn.ack_no} ackDate={cn.ack_date} qr={`/api/returns/${encodeURIComponent(cn.number)}/qr`} />
        )}
      </PrintHeader>
      <PartyBlock label="Recipient (credit to)" name={inv?.outlet_name || cn.outlet} code={cn.outlet} address={inv?.outlet_address} gstin={inv?.outlet_gstin} state={pos} />
      <LinesTable cols={['Qty', 'Rate', 'Taxable']} inter={inter}>
        {cn.lines.map((l, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>
                {l.name || l.item}
                <div className="ip-batch">
                  {l.invoice_line ? `Invoice line ${l.invoice_line}` : ''}
                  {l.condition ? ` · ${l.condition}` : ''}
                  {l.batch ? ` · Batch ${l.batch}` : ''}
                </div>
                {l.free && <div className="ip-batch">Free goods back, worth ₹ {formatAmount(l.free_value_paise ?? 0)} (not credited)</div>}
                {!!l.free_due && (
                  <div className="ip-batch">
                    Free goods no longer earned: {formatInt(l.free_due)}
                    {' · '}returned {formatInt(l.free_recovered ?? 0)}
                    {l.free_deducted_paise ? ` · kept ${formatInt(l.free_due - (l.free_recovered ?? 0))}, ₹ ${formatAmount(l.free_deducted_paise)} deducted` : ''}
                  </div>
                )}
              </td>
              <td>{l.hsn}</td>
              <td className="num">{formatInt(l.qty)} {unitOf(l)}</td>
              <td className="num">{formatAmount(l.rate_paise)}</td>
              <td className="num">{formatAmount(l.taxable_paise)}</td>
              <TaxCells l={l} inter={inter} />
              <td className="num">{formatAmount(l.total_paise)}</td>
            </tr>
          ))}
      </LinesTable>
      <TotalsFoot t={cn} inter={inter} totalLabel="Credit ₹" words={
        <AmountWords words={cn.amount_in_words ?? ''}>
          <div className="ip-reason"><span className="ip-label">Reason</span> {cn.reason || '—'}</div>
          <div className="ip-settle">
            Adjusted against {cn.invoice}: ₹ {formatAmount(cn.settled_paise)}
            {cn.on_account_paise ? ` · held on account: ₹ ${formatAmount(cn.on_account_paise)}` : ''}
          </div>
          {!!cn.free_deducted_paise && (
            <div className="ip-settle">Free goods kept by the recipient and no longer earned: ₹ {formatAmount(cn.free_deducted_paise)} deducted from the taxable value above</div>
          )}
        </AmountWords>
      } />
      <SignatureBlock company={company} note={<>Tax charged on the original invoice is reduced by the amounts above. E.&amp;O.E.</>} receiver="Received by (recipient)" />
    </PrintSheet>
  );
}
