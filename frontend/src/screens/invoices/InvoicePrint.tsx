// The GST tax invoice as printed (A4 or A5): supplier and recipient with
// GSTINs, number and date, place of supply, reverse charge, HSN, quantity
// (in cases and pieces where the item comes in cases), rate, taxable value,
// tax split, free goods, total quantity, total in figures and words,
// signature block. The header, party block, totals, words and signature are
// the shared print parts.
//
// The invoice is laid out in pages: the rows are measured once, then dealt
// to pages of the chosen paper, each page carrying the header (number, date,
// party), "continued" and "Page x of y"; the totals close the last page.
// Item names wrap to at most two lines. "All three copies" prints the
// original, duplicate and triplicate in one run.

import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { formatAmount, formatDate, formatInt, formatStamp } from '../../format';
import { useCached } from '../../store';
import { AmountWords, IrnBlock, LinesTable, PartyBlock, PrintHeader, PrintSheet, SignatureBlock, TaxCells, TotalsFoot, printDocument, stateName } from '../print/PrintParts';
import type { PaperSize } from '../print/PrintParts';
import type { Company, Invoice, InvoiceLine } from '../../types';

/** The copies a tax invoice is made in (Rule 48 of the CGST Rules). */
export const COPIES = ['Original for Recipient', 'Duplicate for Transporter', 'Triplicate for Supplier'];
/** The choice that prints the three copies in one run. */
export const ALL_COPIES = 'All three copies';

/** "2 cs + 6 pcs" for 30 pieces in cases of 12; "" when the item has no case size or it is less than a case. */
export function inCases(qty: number, caseSize: number | undefined): string {
  if (!caseSize || caseSize <= 1 || Math.abs(qty) < caseSize) return '';
  const cs = Math.trunc(qty / caseSize);
  const pcs = qty - cs * caseSize;
  return `${formatInt(cs)} cs${pcs ? ` + ${formatInt(pcs)} pcs` : ''}`;
}

/**
 * Deals rows (their heights, px) to pages with room px for rows; the last
 * page must also hold the tail (totals, words, signature): when it cannot,
 * its last row goes over to a page of its own with the tail.
 */
export function dealRows(heights: number[], room: number, tail: number): number[][] {
  const pages: number[][] = [[]];
  let used = 0;
  heights.forEach((h, i) => {
    if (used + h > room && pages[pages.length - 1].length > 0) {
      pages.push([]);
      used = 0;
    }
    pages[pages.length - 1].push(i);
    used += h;
  });
  const last = pages[pages.length - 1];
  if (last.length > 1 && used + tail > room) pages.push([last.pop()!]);
  return pages;
}

export function InvoicePrint({ inv, company, size = 'A4', copy = COPIES[0] }: { inv: Invoice; company: Company; size?: PaperSize; copy?: string }) {
  const items = useCached('items');
  const caseOf = useMemo(() => new Map((items ?? []).map((i) => [i.code, i.case_size])), [items]);
  const copies = copy === ALL_COPIES ? COPIES : [copy];
  const [pages, setPages] = useState<number[][] | null>(null);
  const measure = useRef<HTMLElement>(null);
  const layout = `${inv.number}|${inv.status}|${inv.irn_status ?? ''}|${size}|${caseOf.size}`;
  const [measured, setMeasured] = useState('');

  // Measure the whole invoice on one sheet of the paper, then deal its rows to pages.
  useLayoutEffect(() => {
    if (measured === layout) return;
    const el = measure.current;
    const body = el?.querySelector('.ip-lines tbody');
    const tail = el?.querySelector('.ip-tail');
    const foot = el?.querySelector('.ip-pagefoot');
    if (!el || !body || !tail || !foot) return;
    const cs = getComputedStyle(el);
    const top = el.getBoundingClientRect().top + parseFloat(cs.paddingTop);
    const content = el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    const b = body.getBoundingClientRect();
    const heights = [...body.querySelectorAll(':scope > tr')].map((r) => r.getBoundingClientRect().height);
    const tailH = tail.getBoundingClientRect().bottom - b.bottom;
    const footH = foot.getBoundingClientRect().height + 6;
    const continued = 16; // the "continued from page n" line on later pages
    setPages(dealRows(heights, content - (b.top - top) - footH - continued - 4, tailH));
    setMeasured(layout);
  }, [layout, measured]);

  const all = inv.lines.map((_, i) => i);
  return (
    <>
      {/* Measured off-screen in the page body, so it is laid out even where the print area is hidden (billing's Ctrl+P). */}
      {measured !== layout && createPortal(
        <div className="ip-measure" aria-hidden="true">
          <InvoicePage inv={inv} company={company} size={size} copy={copies[0]} rows={all} page={0} of={1} caseOf={caseOf} sheet={measure} />
        </div>,
        document.body,
      )}
      {measured === layout && pages && copies.map((c) => pages.map((rows, p) => (
        <InvoicePage key={c + p} inv={inv} company={company} size={size} copy={c} rows={rows} page={p} of={pages.length} caseOf={caseOf} />
      )))}
    </>
  );
}

/** One page of one copy: the header and party on every page, its rows, the totals on the last. */
function InvoicePage({ inv, company, size, copy, rows, page, of, caseOf, sheet }: {
  inv: Invoice; company: Company; size: PaperSize; copy: string; rows: number[]; page: number; of: number;
  caseOf: Map<string, number>; sheet?: React.Ref<HTMLElement>;
}) {
  const inter = inv.inter_state;
  const cancelled = inv.status === 'cancelled';
  const last = page === of - 1;
  return (
    <PrintSheet size={size} doc={inv.number} kind="invoice" stamp={cancelled ? 'CANCELLED' : undefined} paged={{ page: page + 1, pages: of, copy }} sheetRef={sheet}>
      <PrintHeader company={company} title="TAX INVOICE">
        <div className="ip-copy">{copy}</div>
        <div>No. <strong>{inv.number}</strong></div>
        <div>Date <strong>{formatDate(inv.date)}</strong></div>
        <div>Place of supply {stateName(inv.place_of_supply)}</div>
        <div>Reverse charge: No</div>
        {inv.irn && (inv.irn_status === 'active' || inv.irn_status === 'cancelled') && (
          <IrnBlock irn={inv.irn} ackNo={inv.ack_no} ackDate={inv.ack_date} cancelled={inv.irn_status === 'cancelled'}
            qr={inv.irn_status === 'active' && page === 0 ? `/api/invoices/${encodeURIComponent(inv.number)}/qr` : undefined} />
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
        <div className="ip-pageno">Page {page + 1} of {of}</div>
      </PrintHeader>
      <PartyBlock label="Bill to" name={inv.outlet_name} code={inv.outlet} address={inv.outlet_address} gstin={inv.outlet_gstin} state={inv.place_of_supply}>
        {inv.beat && <div className="muted">Beat {inv.beat}{inv.salesman ? ` · Salesman ${inv.salesman}` : ''}</div>}
      </PartyBlock>
      {page > 0 && <div className="ip-cont">… continued from page {page}</div>}
      <LinesTable cols={['Qty', 'MRP', 'Rate', 'Disc', 'Taxable']} inter={inter}>
        {rows.map((i) => <LineRow key={i} n={i + 1} l={inv.lines[i]} inter={inter} caseSize={caseOf.get(inv.lines[i].item)} />)}
      </LinesTable>
      {last && <InvoiceTail inv={inv} company={company} caseOf={caseOf} />}
      <div className="ip-spacer" />
      <div className="ip-pagefoot">
        <span>{inv.number} · {formatDate(inv.date)} · {inv.outlet_name}</span>
        <span>{last ? '' : `continued on page ${page + 2} …`}</span>
        <strong>Page {page + 1} of {of}</strong>
      </div>
    </PrintSheet>
  );
}

function LineRow({ n, l, inter, caseSize }: { n: number; l: InvoiceLine; inter: boolean; caseSize?: number }) {
  const cases = inCases(l.qty, caseSize);
  return (
    <tr className={l.free ? 'free' : undefined}>
      <td>{n}</td>
      <td>
        <div className="ip-name">{l.name || l.item}{l.free && <span className="ip-free"> — FREE ({l.scheme})</span>}</div>
        {l.batches && l.batches.length > 0 && (
          <div className="ip-batch">Batch {l.batches.map((b) => `${b.batch}${b.expiry ? ' exp ' + formatDate(b.expiry) : ''}`).join(', ')}</div>
        )}
      </td>
      <td>{l.hsn}</td>
      <td className="num">
        {cases || `${formatInt(l.qty)} ${l.unit ?? ''}`}
        {cases && <div className="ip-batch">{formatInt(l.qty)} {l.unit ?? 'PCS'}</div>}
      </td>
      <td className="num">{formatAmount(l.mrp_paise)}</td>
      <td className="num">{formatAmount(l.rate_paise)}</td>
      <td className="num">{formatAmount(l.discount_paise + l.scheme_discount_paise)}</td>
      <td className="num">{formatAmount(l.taxable_paise)}</td>
      <TaxCells l={l} inter={inter} />
      <td className="num">{formatAmount(l.total_paise)}</td>
    </tr>
  );
}

/** Total quantity, the amount in words, the tax totals and the signature: the close of the last page. */
function InvoiceTail({ inv, company, caseOf }: { inv: Invoice; company: Company; caseOf: Map<string, number> }) {
  const cancelled = inv.status === 'cancelled';
  const qty = inv.lines.reduce((s, l) => s + l.qty, 0);
  const free = inv.lines.reduce((s, l) => s + (l.free ? l.qty : 0), 0);
  let cases = 0;
  let loose = 0;
  for (const l of inv.lines) {
    const c = caseOf.get(l.item) ?? 0;
    if (c > 1) {
      cases += Math.trunc(l.qty / c);
      loose += l.qty % c;
    } else loose += l.qty;
  }
  const words: ReactNode = (
    <AmountWords words={inv.amount_in_words}>
      {inv.bill_schemes && inv.bill_schemes.length > 0 && (
        <div className="ip-schemes">Schemes: {inv.bill_schemes.map((s) => s.explanation || s.scheme).join('; ')}</div>
      )}
      {cancelled && inv.cancellation && <div className="ip-cancel">Cancelled {formatDate(inv.cancellation.date)} by {inv.cancellation.by} at {formatStamp(inv.cancellation.at)}: {inv.cancellation.reason}</div>}
    </AmountWords>
  );
  return (
    <div className="ip-tail">
      <div className="ip-totqty" data-testid="total-qty">
        Total quantity <strong>{formatInt(qty)}</strong>
        {cases > 0 && ` (${formatInt(cases)} cs + ${formatInt(loose)} pcs)`}
        {free > 0 && ` · of which free ${formatInt(free)}`}
        {` · ${formatInt(inv.lines.length)} lines`}
      </div>
      <TotalsFoot words={words} t={inv} inter={inv.inter_state} />
      <SignatureBlock company={company} note={<>Goods once sold are subject to the terms agreed. E.&amp;O.E.</>} />
    </div>
  );
}

/** Prints one invoice through the system dialog (also "Save as PDF"). */
export const printInvoice = printDocument;
