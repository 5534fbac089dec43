// The pieces every printed document shares (tax invoice, credit note,
// receipt): the sheet in A4 or A5, the supplier header with the document's
// title and number, the party block, the tax totals, the amount in words and
// the signature block. Shown on screen inside .print-area; @media print hides
// everything else, so the system dialog (and "Save as PDF") prints the sheet.

import { useEffect, useState } from 'react';
import type { ReactNode, Ref } from 'react';
import { api } from '../../api';
import { STATES, formatAmount, formatBp } from '../../format';
import type { Company, Totals } from '../../types';

export type PaperSize = 'A4' | 'A5';

/**
 * The paper: one document, A4 or A5; data-doc names it for tests and styles.
 * A paged document (the tax invoice) is one sheet per page, each naming its
 * page, page count and copy.
 */
export function PrintSheet({ size, doc, kind, stamp, paged, sheetRef, children }: {
  size: PaperSize; doc: string; kind: string; stamp?: string; children: ReactNode;
  paged?: { page: number; pages: number; copy: string }; sheetRef?: Ref<HTMLElement>;
}) {
  return (
    <article ref={sheetRef} className={'invoice-print' + (paged ? ' paged' : '') + ' doc-' + kind + ' size-' + size} data-doc={doc}
      data-invoice={kind === 'invoice' ? doc : undefined} data-page={paged?.page} data-pages={paged?.pages} data-copy={paged?.copy}>
      {/* The print dialog opens on the chosen paper. */}
      <style>{`@media print { @page { size: ${size}; margin: 0; } }`}</style>
      {stamp && <div className="stamp">{stamp}</div>}
      {children}
    </article>
  );
}

/** The e-invoice's IRN and acknowledgement, with the signed QR where given. */
export function IrnBlock({ irn, ackNo, ackDate, cancelled, qr }: { irn: string; ackNo?: string | number; ackDate?: string; cancelled?: boolean; qr?: string }) {
  return (
    <div className="ip-irn">
      <div>IRN <span className="mono">{irn}</span></div>
      <div>Ack No. {ackNo} · Ack Date {ackDate}{cancelled ? ' · IRN CANCELLED' : ''}</div>
      {qr && <SignedQR path={qr} />}
    </div>
  );
}

/** The lines table: #, Item, HSN, then the document's own columns, the tax columns and Amount. */
export function LinesTable({ cols, inter, children }: { cols: string[]; inter: boolean; children: ReactNode }) {
  return (
    <table className="ip-lines">
      <thead>
        <tr>
          <th>#</th><th>Item</th><th>HSN</th>
          {cols.map((c) => <th key={c} className="num">{c}</th>)}
          <TaxHeads inter={inter} />
          <th className="num">Amount</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** The close of the document: the amount in words (with its notes) beside the tax totals. */
export function TotalsFoot({ words, t, inter, totalLabel }: { words: ReactNode; t: Totals; inter: boolean; totalLabel?: string }) {
  return (
    <section className="ip-foot">
      {words}
      <TaxTotals t={t} inter={inter} totalLabel={totalLabel} />
    </section>
  );
}

/** Supplier (the company) on the left; the title and the document's particulars on the right. */
export function PrintHeader({ company, title, children }: { company: Company; title: string; children: ReactNode }) {
  return (
    <header className="ip-head">
      <div>
        <div className="ip-company">{company.name}</div>
        <div className="ip-addr">{company.address}</div>
        <div>GSTIN {company.gstin || '—'} · State {stateName(company.state_code)}</div>
        {company.phone && <div>Phone {company.phone}</div>}
      </div>
      <div className="ip-title">
        <div className="ip-doc">{title}</div>
        {children}
      </div>
    </header>
  );
}

/** The recipient: name and code, address, GSTIN (or unregistered) and state. */
export function PartyBlock({ label, name, code, address, gstin, state, children }: {
  label: string; name: string; code?: string; address?: string; gstin?: string; state?: string; children?: ReactNode;
}) {
  return (
    <section className="ip-party">
      <div className="ip-label">{label}</div>
      <div className="ip-party-name">{name}{code && name !== code ? ` (${code})` : ''}</div>
      {address && <div className="ip-addr">{address}</div>}
      <div>GSTIN {gstin || 'Unregistered'}{state ? ` · State ${stateName(state)}` : ''}</div>
      {children}
    </section>
  );
}

/** Taxable value, CGST+SGST (or IGST), round-off and the total in figures. */
export function TaxTotals({ t, inter, totalLabel = 'Total ₹' }: { t: Totals; inter: boolean; totalLabel?: string }) {
  return (
    <table className="ip-totals">
      <tbody>
        <tr><td>Taxable value</td><td className="num">{formatAmount(t.taxable_paise)}</td></tr>
        {inter ? (
          <tr><td>IGST</td><td className="num">{formatAmount(t.igst_paise)}</td></tr>
        ) : (
          <>
            <tr><td>CGST</td><td className="num">{formatAmount(t.cgst_paise)}</td></tr>
            <tr><td>SGST</td><td className="num">{formatAmount(t.sgst_paise)}</td></tr>
          </>
        )}
        <tr><td>Round-off</td><td className="num">{formatAmount(t.round_off_paise)}</td></tr>
        <tr className="ip-grand"><td>{totalLabel}</td><td className="num">{formatAmount(t.total_paise)}</td></tr>
      </tbody>
    </table>
  );
}

/** The amount in words (Indian style) with any notes under it. */
export function AmountWords({ words, children }: { words: string; children?: ReactNode }) {
  return (
    <div className="ip-words">
      <div className="ip-label">Amount in words</div>
      <div className="ip-words-text">{words}</div>
      {children}
    </div>
  );
}

/** The footer: a note on the left, "For <company> … Authorised signatory" on the right. */
export function SignatureBlock({ company, note, receiver }: { company: Company; note?: ReactNode; receiver?: string }) {
  return (
    <footer className="ip-sign">
      <div className="muted">
        {note}
        {receiver && <div className="ip-receiver">{receiver}</div>}
      </div>
      <div className="ip-sig">For {company.name}<br /><br /><br />Authorised signatory</div>
    </footer>
  );
}

export function stateName(code: string): string {
  return `${code} ${STATES[code] ?? ''}`.trim();
}

/** CGST and SGST are each half the GST rate: 18 → "9", 0.25 → "0.125". */
function halfRate(bp: number): string {
  return bp % 2 === 0 ? formatBp(bp / 2) : String(bp / 200);
}

/** A4 / A5 choice shown beside every Print button. */
export function PaperSelect({ size, onChange }: { size: PaperSize; onChange: (s: PaperSize) => void }) {
  return (
    <select aria-label="Paper size" value={size} onChange={(e) => onChange(e.target.value as PaperSize)} style={{ width: 80 }}>
      <option>A4</option>
      <option>A5</option>
    </select>
  );
}

/** Prints the document on screen through the system dialog (also "Save as PDF"). */
export function printDocument() {
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

/** The tax columns' headings of a line table: IGST, or CGST and SGST with their rates. */
export function TaxHeads({ inter }: { inter: boolean }) {
  return inter ? (
    <><th className="num">IGST %</th><th className="num">IGST</th></>
  ) : (
    <><th className="num">CGST %</th><th className="num">CGST</th><th className="num">SGST %</th><th className="num">SGST</th></>
  );
}

interface TaxedLine {
  gst_rate_bp: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
}

/** One line's tax cells, matching TaxHeads. */
export function TaxCells({ l, inter }: { l: TaxedLine; inter: boolean }) {
  return inter ? (
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
  );
}

/** The IRP's signed QR code, as the portal signed it, drawn by the server. */
export function SignedQR({ path }: { path: string }) {
  const [png, setPng] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.get<{ png: string }>(path).then((r) => live && setPng(r.png), () => live && setPng(null));
    return () => {
      live = false;
    };
  }, [path]);
  return png ? <img className="ip-qr" src={png} alt="Signed QR code of the e-invoice" data-testid="signed-qr" /> : null;
}
