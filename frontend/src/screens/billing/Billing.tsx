// The sales-invoice screen, keyboard only, as a Tally or Marg clerk expects:
// Outlet → item → cases → pieces → rate → discount → next row; Enter on an
// empty item row goes to the totals; Ctrl+S saves, Ctrl+P saves and prints,
// Esc steps back, ? shows the keys. Every change asks the backend for a
// preview (debounced) so totals, taxes, schemes and warnings are live, and
// never block typing: they are decided at save.
//
// Nothing typed is lost: the bill in progress is kept as a draft in the book
// (per user, /api/drafts/invoice) as it is typed, and the screen offers to
// resume it after leaving, a reload or a restart. Saving refuses a line with
// an item and no quantity, naming it. Focus moves synchronously (flushSync),
// so keys typed at scanner speed land in the cell they were meant for.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { api, ApiError, newRequestId } from '../../api';
import { useSession } from '../../context';
import { formatAmount, formatBp, formatDate, formatInt, formatPaise, formatRupees, formatStamp, todayISO } from '../../format';
import { navigate } from '../../router';
import { allRoutes } from '../../routes';
import { caches, useCached } from '../../store';
import { DateInput } from '../../widgets/inputs';
import { LineEditor, lineQty, newLine } from '../../widgets/LineEditor';
import type { Line, LineCol, LineEditorHandle, LineLook } from '../../widgets/LineEditor';
import { OutletPicker } from '../../widgets/pickers';
import { Modal, toast } from '../../widgets/ui';
import { InvoicePrint, printInvoice } from '../invoices/InvoicePrint';
import type { Credit, Invoice, InvoiceIn, Item, LastRate, Outlet, OutletOutstanding, Warning } from '../../types';

type Col = 'item' | 'cs' | 'pcs' | 'rate' | 'disc';

/** A line of the bill: what was typed in the shared line editor. */
interface Row extends Line {
  cs: string;
  pcs: string;
  rate: number | null; // paise per base unit
  disc: number | null; // basis points
}

/** The invoice's own look of the shared grid (styles.css .bl-*). */
const BILL_LOOK: LineLook = { table: 'bill-lines', row: 'bl-row', head: 'bl-head', group: 'bl-group' };

const emptyRow = (): Row => newLine({ cs: '', pcs: '', rate: null, disc: null }) as Row;

/** What the book keeps of a bill in progress: codes and what was typed. */
interface DraftRow {
  item: string;
  cs: string;
  pcs: string;
  rate: number | null;
  disc: number | null;
}
interface BillDraft {
  outlet: string;
  date: string;
  rows: DraftRow[];
}
const DRAFT = 'invoice';

/** The draft of the form, or null when nothing has been typed. */
function draftOf(outlet: Outlet | null, date: string, rows: Row[]): BillDraft | null {
  const rs = rows
    .filter((r) => r.item || r.cs || r.pcs)
    .map((r) => ({ item: r.item?.code ?? '', cs: r.cs, pcs: r.pcs, rate: r.rate, disc: r.disc }));
  if (!outlet && rs.length === 0) return null;
  return { outlet: outlet?.code ?? '', date, rows: rs };
}

/** "BRT-12P1: 12+1 …", never "BRT-12P1: BRT-12P1: …" when the explanation names its scheme already. */
const schemeText = (s: { scheme: string; explanation: string }) =>
  s.explanation.startsWith(s.scheme) ? s.explanation : `${s.scheme}: ${s.explanation}`;

const qtyCol = (r: Row): Col => (r.item && r.item.case_size > 1 ? 'cs' : 'pcs');

const qtyOf = (r: Row): number => lineQty(r);

/** Rows that go to the backend, with their row index. */
function sendable(rows: Row[]): { idx: number; row: Row }[] {
  return rows.map((row, idx) => ({ idx, row })).filter(({ row }) => row.item && qtyOf(row) > 0);
}

function bodyOf(outlet: Outlet, date: string, rows: Row[]): InvoiceIn {
  return {
    outlet: outlet.code,
    date,
    lines: sendable(rows).map(({ row }) => {
      const l: InvoiceIn['lines'][number] = { item: (row.item as Item).code, qty: qtyOf(row) };
      if (row.rate !== null && row.rate !== row.item?.price_paise) l.rate_paise = row.rate;
      if (row.disc) l.discount_bp = row.disc;
      return l;
    }),
  };
}

/** "lines[2].qty" → {line: 2, field: "qty"} (0-based index into what was sent). */
function lineField(field?: string): { line: number; field: string } | null {
  const m = /^lines\[(\d+)\](?:\.(\w+))?/.exec(field ?? '');
  return m ? { line: Number(m[1]), field: m[2] ?? 'item' } : null;
}

/** The credit limits an outlet has, in a few words: "limit ₹50,000.00 · 3 bills · 30 days". */
function limitsText(c: Credit): string {
  const parts: string[] = [];
  if (c.limit_paise > 0) parts.push(`limit ${formatRupees(c.limit_paise)}${c.temp_until ? ` (temporary, to ${formatDate(c.temp_until)})` : ''}, ${formatRupees(c.available_paise)} available`);
  if (c.limit_bills > 0) parts.push(`${c.open_bills} of ${c.limit_bills} bills open`);
  if (c.limit_days > 0) parts.push(`oldest bill ${c.oldest_days} of ${c.limit_days} days`);
  return parts.length ? parts.join(' · ') : 'limit none';
}

const CREDIT_KINDS = new Set(['credit_limit', 'credit_bills', 'credit_days', 'overdue']);

/** Roles that may bill past a credit stop (the backend's CreditOverriders). */
const OVERRIDERS = new Set(['admin']);

export function Billing() {
  const { company, canWrite, me } = useSession();
  const mayOverride = OVERRIDERS.has(me.role);
  const outlets = useCached('outlets');
  const stock = useCached('stock');
  const [outlet, setOutlet] = useState<Outlet | null>(null);
  const [beat, setBeat] = useState('');
  const [lastOutlet, setLastOutlet] = useState('');
  const [date, setDate] = useState(todayISO());
  const [rows, setRows] = useState<Row[]>([emptyRow()]);
  const [preview, setPreview] = useState<Invoice | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [outstanding, setOutstanding] = useState<OutletOutstanding | null>(null);
  const [credit, setCredit] = useState<Credit | null>(null);
  // The reason an admin gave to bill past a credit stop (sent with the save).
  const [override, setOverride] = useState<string | null>(null);
  const [askOverride, setAskOverride] = useState(false);
  const [overrideText, setOverrideText] = useState('');
  // What this outlet got last time, per item code (one key each on the server).
  const [lastRates, setLastRates] = useState<Map<string, LastRate>>(new Map());
  const [saving, setSaving] = useState(false);
  const [last, setLast] = useState<Invoice | null>(null);
  const [printing, setPrinting] = useState<Invoice | null>(null);
  const [showKeys, setShowKeys] = useState(false);
  const [atTotals, setAtTotals] = useState(false);
  const editor = useRef<LineEditorHandle>(null);
  const outletRef = useRef<HTMLInputElement>(null);
  const totalsRef = useRef<HTMLDivElement>(null);
  const resumeRef = useRef<HTMLButtonElement>(null);
  const seq = useRef(0);
  const [rowError, setRowError] = useState<{ key: number; message: string } | null>(null);

  // The draft kept in the book: offered on arrival, then kept as typed.
  const [offer, setOffer] = useState<{ draft: BillDraft; savedAt?: string } | null>(null);
  const [draftReady, setDraftReady] = useState(false);
  // The bill's request_id: the same on every retry of its save (docs/API.md, Retries).
  const requestId = useRef(newRequestId());
  const draftSent = useRef(''); // the JSON the book holds ('' = none)
  const draftPending = useRef<BillDraft | null | undefined>(undefined); // undefined: nothing to send
  const draftTimer = useRef<number | undefined>(undefined);
  const draftChain = useRef<Promise<unknown>>(Promise.resolve());
  const current = useRef({ outlet, date, rows });
  const outletCode = useRef('');
  outletCode.current = outlet?.code ?? '';
  current.current = { outlet, date, rows };

  const flushDraft = useCallback((leaving: boolean) => {
    window.clearTimeout(draftTimer.current);
    const d = draftPending.current;
    if (d === undefined) return;
    draftPending.current = undefined;
    draftSent.current = d ? JSON.stringify(d) : '';
    if (leaving) return api.drafts.keep(DRAFT, d);
    draftChain.current = draftChain.current
      .then(() => (d ? api.drafts.put(DRAFT, d) : api.drafts.del(DRAFT)))
      .catch(() => {
        draftSent.current = '?'; // send again on the next change
      });
  }, []);

  useEffect(() => {
    if (!canWrite) return;
    let live = true;
    api.drafts.get<BillDraft>(DRAFT).then(
      (r) => {
        if (!live) return;
        const d = r.draft;
        if (d && (d.outlet || d.rows?.length)) {
          draftSent.current = JSON.stringify(d);
          setOffer({ draft: { outlet: d.outlet ?? '', date: d.date ?? '', rows: d.rows ?? [] }, savedAt: r.saved_at });
        }
        setDraftReady(true);
      },
      () => live && setDraftReady(true),
    );
    return () => {
      live = false;
    };
  }, [canWrite]);

  // Keep the draft as it is typed (while a kept one waits to be resumed,
  // it stays untouched in the book).
  useEffect(() => {
    if (!draftReady || offer || !canWrite) return;
    const d = draftOf(outlet, date, rows);
    if ((d ? JSON.stringify(d) : '') === draftSent.current) {
      draftPending.current = undefined;
      window.clearTimeout(draftTimer.current);
      return;
    }
    draftPending.current = d;
    window.clearTimeout(draftTimer.current);
    draftTimer.current = window.setTimeout(() => flushDraft(false), 250);
  }, [outlet, date, rows, draftReady, offer, canWrite, flushDraft]);

  // Leaving the screen (F-keys, the menu) or the page (reload, close) sends
  // what is pending at once, and says the bill is kept.
  useEffect(() => {
    const onHide = () => flushDraft(true);
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onHide);
      flushDraft(false);
      const c = current.current;
      if (draftOf(c.outlet, c.date, c.rows)) toast('The bill in progress is kept: Sales Invoice offers to resume it');
    };
  }, [flushDraft]);

  // A kept draft offered on an untouched form takes the cursor: Enter resumes.
  useEffect(() => {
    const c = current.current;
    if (offer && !draftOf(c.outlet, c.date, c.rows)) resumeRef.current?.focus();
  }, [offer]);

  // The line editor moves the cursor (at once when the cell is there).
  const focusCell = useCallback((id: number, c: Col) => {
    setAtTotals(false);
    editor.current?.focus(id, c);
  }, []);

  // Live preview, debounced; only the latest answer counts.
  const sendRows = useMemo(() => sendable(rows), [rows]);
  useEffect(() => {
    if (!outlet || sendRows.length === 0) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    const my = ++seq.current;
    const t = setTimeout(async () => {
      try {
        const p = await api.invoices.preview(bodyOf(outlet, date, rows));
        if (my === seq.current) {
          setPreview(p);
          setPreviewError(null);
        }
      } catch (e) {
        if (my === seq.current) setPreviewError(e instanceof ApiError ? e : new ApiError(0, String(e)));
      }
    }, 120);
    return () => clearTimeout(t);
  }, [outlet, date, rows, sendRows]);

  // Outstanding and credit state of the chosen outlet.
  useEffect(() => {
    setOutstanding(null);
    setCredit(null);
    setOverride(null);
    if (!outlet) return;
    let live = true;
    api.outstanding.of(outlet.code, date).then((o) => live && setOutstanding(o), () => undefined);
    api.outstanding.credit(outlet.code, date).then((c) => live && setCredit(c), () => undefined);
    return () => {
      live = false;
    };
  }, [outlet, date]);

  // The last rate of each picked item for this outlet, fetched once per item.
  const pickedItems = useMemo(() => [...new Set(rows.map((r) => r.item?.code).filter((c): c is string => Boolean(c)))].join(','), [rows]);
  const asked = useRef(new Set<string>());
  useEffect(() => {
    asked.current = new Set();
    setLastRates(new Map());
  }, [outlet]);
  useEffect(() => {
    if (!outlet || !pickedItems) return;
    const code0 = outlet.code;
    for (const code of pickedItems.split(',')) {
      if (asked.current.has(code)) continue;
      asked.current.add(code);
      api.outstanding.lastRate(code0, code).then(
        (r) => setLastRates((m) => (r.outlet !== outletCode.current ? m : new Map(m).set(code, r))),
        () => undefined,
      );
    }
  }, [outlet, pickedItems]);

  // The next shops on the remembered beat, starting after the last one billed.
  const beatSuggest = useMemo(() => {
    if (!beat || !outlets) return undefined;
    const list = outlets.filter((o) => o.beat === beat && o.active);
    const i = list.findIndex((o) => o.code === lastOutlet);
    return i < 0 ? list : [...list.slice(i + 1), ...list.slice(0, i + 1)];
  }, [beat, outlets, lastOutlet]);

  // Map preview lines (and their free rows, schemes, warnings) to our rows.
  const perRow = useMemo(() => {
    const m = new Map<number, { line?: Invoice['lines'][number]; free: Invoice['lines']; warnings: Warning[]; near: string[]; error?: string }>();
    const get = (idx: number) => {
      let v = m.get(idx);
      if (!v) m.set(idx, (v = { free: [], warnings: [], near: [] }));
      return v;
    };
    if (preview) {
      let k = 0;
      const byLineNo = new Map<number, number>();
      for (const l of preview.lines) {
        if (l.free) continue;
        const sent = sendRows[k++];
        if (!sent) break;
        byLineNo.set(l.line, sent.idx);
        get(sent.idx).line = l;
      }
      for (const l of preview.lines) if (l.free && l.for_line && byLineNo.has(l.for_line)) get(byLineNo.get(l.for_line) as number).free.push(l);
      for (const w of preview.warnings ?? []) if (w.line && byLineNo.has(w.line)) get(byLineNo.get(w.line) as number).warnings.push(w);
      for (const n of preview.near_misses ?? []) if (byLineNo.has(n.line)) get(byLineNo.get(n.line) as number).near.push(n.text);
    }
    for (const err of [previewError, saveError]) {
      const lf = lineField(err?.field);
      if (err && lf && sendRows[lf.line]) get(sendRows[lf.line].idx).error = err.message;
    }
    return m;
  }, [preview, previewError, saveError, sendRows]);

  // A credit stop has its own banner; its limits are not repeated as warnings.
  const billWarnings = (preview?.warnings ?? []).filter((w) => !w.line && !(preview?.credit?.stopped && CREDIT_KINDS.has(w.kind)));
  const freeOrphans = preview?.lines.filter((l) => l.free && !l.for_line) ?? [];

  // Enter on an empty item row comes here; saving still takes Ctrl+S (or
  // the Save button), so two Enters never save a bill by accident.
  function goTotals() {
    flushSync(() => setAtTotals(true));
    totalsRef.current?.focus();
  }

  function reset(savedOutlet?: Outlet) {
    setRowError(null);
    setRows([emptyRow()]);
    setPreview(null);
    setPreviewError(null);
    setSaveError(null);
    setOutlet(null);
    setAtTotals(false);
    if (savedOutlet) {
      setBeat(savedOutlet.beat);
      setLastOutlet(savedOutlet.code);
    }
    setTimeout(() => outletRef.current?.focus(), 0);
  }

  async function resume() {
    if (!offer) return;
    const d = offer.draft;
    const [items, outs] = await Promise.all([caches.items.fetch(), caches.outlets.fetch()]);
    const byCode = new Map(items.map((it) => [it.code, it]));
    const o = outs.find((x) => x.code === d.outlet) ?? null;
    const rs: Row[] = d.rows.map(
      (r) => newLine({ item: byCode.get(r.item) ?? null, cs: r.cs ?? '', pcs: r.pcs ?? '', rate: r.rate ?? null, disc: r.disc ?? null }) as Row,
    );
    rs.push(emptyRow());
    flushSync(() => {
      setOutlet(o);
      if (d.date) setDate(d.date);
      setRows(rs);
      setOffer(null);
    });
    const open = rs.find((r) => r.item && qtyOf(r) <= 0);
    if (!o) outletRef.current?.focus();
    else if (open) focusCell(open.id, qtyCol(open));
    else focusCell(rs[rs.length - 1].id, 'item');
  }

  function discard() {
    draftPending.current = null;
    setOffer(null);
    flushDraft(false);
    setTimeout(() => outletRef.current?.focus(), 0);
  }

  async function save(andPrint: boolean) {
    if (saving || !canWrite) return;
    if (!outlet) {
      toast('Pick an outlet first', 'error');
      outletRef.current?.focus();
      return;
    }
    // A line with something typed but no item or no quantity is never left
    // off silently: name it and put the cursor there. Only lines with
    // nothing typed (the empty one at the end) are dropped.
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!r.item && !r.cs && !r.pcs) continue;
      let message = '';
      if (!r.item) message = `Line ${i + 1} has a quantity but no item: pick the item, or Ctrl+D to delete the line`;
      else if (qtyOf(r) <= 0) message = `Line ${i + 1} (${r.item.code} ${r.item.name}) has no quantity: type the ${r.item.case_size > 1 ? 'cases or pieces' : 'pieces'}, or Ctrl+D to delete the line`;
      if (message) {
        setRowError({ key: r.id, message });
        toast(message, 'error');
        focusCell(r.id, r.item ? qtyCol(r) : 'item');
        return;
      }
    }
    if (sendRows.length === 0) {
      toast('Add at least one item with a quantity', 'error');
      focusCell(rows[0].id, 'item');
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const body: InvoiceIn = { ...bodyOf(outlet, date, rows), request_id: requestId.current };
      if (override) body.credit_override = { reason: override };
      const inv = await api.invoices.create(body);
      requestId.current = newRequestId(); // the next bill is a new request
      // The bill is in the book now: its draft goes.
      draftPending.current = null;
      flushDraft(false);
      setLast(inv);
      toast(`Saved ${inv.number} · ${formatRupees(inv.total_paise)}`);
      void caches.stock.refresh();
      if (andPrint) {
        setPrinting(inv);
        printInvoice();
      }
      reset(outlet);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, String(e));
      setSaveError(err);
      const lf = lineField(err.field);
      if (lf && sendRows[lf.line]) {
        const r = rows[sendRows[lf.line].idx];
        focusCell(r.id, lf.field === 'qty' ? (r.item && r.item.case_size > 1 ? 'cs' : 'pcs') : lf.field === 'rate_paise' ? 'rate' : lf.field === 'discount_bp' ? 'disc' : 'item');
      } else if (err.field === 'outlet') {
        outletRef.current?.focus();
      }
    } finally {
      setSaving(false);
    }
  }

  // Screen-wide keys: Ctrl+S, Ctrl+P, ?, F1, Ctrl+Delete.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        void saveRef.current(false);
      } else if (ctrl && (e.key === 'p' || e.key === 'P')) {
        e.preventDefault();
        void saveRef.current(true);
      } else if (e.key === '?' || e.key === 'F1') {
        e.preventDefault();
        setShowKeys((s) => !s);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const totals = preview;
  const out = outstanding;
  // The preview's standing counts this bill; before lines, the outlet's own.
  const cred = preview?.credit ?? credit;
  const overLimit = Boolean(cred && cred.broken.length > 0);
  const stopped = Boolean(cred?.stopped);
  const creditRefused = saveError?.status === 409 && /^(credit_limit_paise|temp_credit_limit_paise|credit_limit_bills|credit_limit_days|credit_days)$/.test(saveError.field ?? '');

  // The grid's columns: stock, MRP and the amount are shown, the rest typed.
  const cols: LineCol<Row>[] = [
    {
      key: 'stock', title: 'Stock', kind: 'show', width: 80,
      show: (r) => {
        const st = r.item ? stock?.get(r.item.code) : undefined;
        const short = r.item && st && qtyOf(r) > st.qty;
        return (
          <span className={'num' + (short ? ' bad' : '')} title={st ? `${formatInt(st.qty)} in stock` : undefined}>
            {r.item ? (st ? formatInt(st.qty) : '0') : ''}
          </span>
        );
      },
    },
    { key: 'mrp', title: 'MRP', kind: 'show', width: 80, show: (r) => <span className="num">{r.item ? formatAmount(r.item.mrp_paise) : ''}</span> },
    { key: 'cs', title: 'Cs', label: 'Cases', kind: 'cs', width: 64 },
    { key: 'pcs', title: 'Pcs', label: 'Pieces', kind: 'pcs', width: 72 },
    { key: 'rate', title: 'Rate', kind: 'money', width: 110 },
    { key: 'disc', title: 'Disc', label: 'Discount', kind: 'percent', width: 78 },
    {
      key: 'amount', title: 'Amount', kind: 'show', width: 110,
      show: (r, i) => {
        const line = perRow.get(i)?.line;
        return <span className="num bl-amount">{line ? formatAmount(line.taxable_paise) : r.item && qtyOf(r) > 0 ? '…' : ''}</span>;
      },
    },
  ];

  return (
    <div className="page billing">
      <div className="bill-card">
        <div className="bill-title">
          <h1>Sales Invoice</h1>
          <div className="bill-title-right">
            {last && (
              <a className="last-inv" href={'#/invoices/' + encodeURIComponent(last.number)} title="Last saved invoice">
                Last: {last.number} · {formatRupees(last.total_paise)}
              </a>
            )}
            <span className="muted">next number on save · </span>
            <DateInput className="bill-date" aria-label="Invoice date" name="date" value={date} onChange={(d) => d && setDate(d)} />
          </div>
        </div>

        {offer && (
          <div className="bill-draft" role="status" data-testid="draft-offer">
            <span>
              A bill in progress was kept
              {offer.draft.outlet ? ` for ${offer.draft.outlet}` : ''} · {offer.draft.rows.length}{' '}
              {offer.draft.rows.length === 1 ? 'line' : 'lines'}
              {offer.savedAt ? ` · saved ${formatStamp(offer.savedAt)}` : ''}
            </span>
            <button ref={resumeRef} type="button" className="primary" onClick={() => void resume()}>
              Resume it <kbd>Enter</kbd>
            </button>
            <button type="button" onClick={discard}>Discard</button>
          </div>
        )}

        <div className="bill-outlet">
          <label htmlFor="bill-outlet">Outlet</label>
          <div className="bill-outlet-main">
            <OutletPicker
              inputRef={outletRef}
              name="outlet"
              autoFocus
              value={outlet?.code ?? ''}
              suggest={outlet ? undefined : beatSuggest}
              openOnFocus={!outlet && Boolean(beatSuggest?.length)}
              placeholder={beat ? `Outlet — next on beat ${beat} (↓ / Enter)` : 'Outlet code, name or beat'}
              onPick={(o) => {
                setOutlet(o);
                setSaveError(null);
                focusCell(rows[0].id, 'item');
              }}
              onClear={() => setOutlet(null)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && !outlet && sendRows.length === 0) {
                  e.preventDefault();
                  navigate('/invoices');
                }
              }}
            />
            {outlet && (
              <div className="bill-outlet-info">
                <span className="chip">{outlet.beat || 'no beat'}</span>
                <span className="chip mono">{outlet.gstin ? `GSTIN ${outlet.gstin}` : 'Unregistered'}</span>
                <span className="chip">{outlet.channel.replace('_', ' ')}</span>
              </div>
            )}
          </div>
          {outlet && (
            <div className={'bill-credit' + (overLimit ? ' warn' : '')} data-testid="credit">
              {out ? (
                <>
                  Outstanding {formatRupees(out.outstanding_paise)}
                  {out.bills.length > 0 && ` (${out.bills.length} ${out.bills.length === 1 ? 'bill' : 'bills'}, oldest ${Math.max(...out.bills.map((b) => b.days))} days)`}
                  {out.ageing.overdue_paise > 0 && <span className="bad"> · overdue {formatRupees(out.ageing.overdue_paise)}</span>}
                  {cred && <> · {limitsText(cred)}</>}
                  {cred && <> <span className="chip">{cred.mode === 'stop' ? 'credit stop' : 'credit warn'}</span></>}
                  {overLimit && !stopped && <strong> · past a credit limit (warning)</strong>}
                </>
              ) : (
                <span className="muted">Outstanding …</span>
              )}
            </div>
          )}
          {outlet && (stopped || creditRefused) && (
            <div className="note error" role="alert" data-testid="credit-stop">
              <strong>Credit stop:</strong> {(cred?.broken ?? []).map((w) => w.text).join('; ') || saveError?.message}
              {override ? (
                <span data-testid="credit-override">
                  {' '}· overridden: “{override}”{' '}
                  <button type="button" className="link" onClick={() => setOverride(null)}>undo</button>
                </span>
              ) : mayOverride ? (
                <>
                  {' '}
                  <button type="button" onClick={() => { setOverrideText(''); setAskOverride(true); }} data-testid="override-button">
                    Override with a reason…
                  </button>
                </>
              ) : (
                <span className="muted"> · collect first, or ask an admin to override it</span>
              )}
            </div>
          )}
          {billWarnings.map((w, i) => (
            <div key={i} className="bill-warn" role="status">⚠ {w.text}</div>
          ))}
          {saveError && !lineField(saveError.field) && !creditRefused && (
            <div className="note error" role="alert" data-testid="save-error">{saveError.message}</div>
          )}
        </div>

        <LineEditor<Row>
          handle={editor}
          cols={cols}
          lines={rows}
          setLines={setRows}
          blank={emptyRow}
          activeOnly
          itemTitle="Item (code / name)"
          itemMin={260}
          itemPlaceholder={(_, lastRow) => (lastRow ? 'Item code or name — Enter on empty: totals' : 'Item')}
          look={BILL_LOOK}
          label="Invoice lines"
          onItem={(r, it) => ({ rate: r.item?.code !== it.code || r.rate === null ? it.price_paise : r.rate })}
          onDone={goTotals}
          onEdit={() => {
            setSaveError(null);
            setRowError(null);
          }}
          onRemove={() => setRowError(null)}
          onEscapeFirst={() => outletRef.current?.focus()}
          scans
          hasError={(r, i) => Boolean(perRow.get(i)?.error || rowError?.key === r.id)}
          below={(r, i) => {
            const info = perRow.get(i);
            const st = r.item ? stock?.get(r.item.code) : undefined;
            const short = r.item && st && qtyOf(r) > st.qty;
            const lr = r.item ? lastRates.get(r.item.code) : undefined;
            return (
              <>
                {info?.line?.schemes?.map((s, k) => (
                  <div key={'s' + k} className="bl-note scheme">↳ scheme {schemeText(s)}</div>
                ))}
                {info?.free.map((f, k) => (
                  <div key={'f' + k} className="bl-note free" data-free>
                    ↳ FREE {f.item} {f.name} × {formatInt(f.qty)} ({f.scheme}){f.free_value_paise ? ` · worth ${formatPaise(f.free_value_paise)}` : ''}
                  </div>
                ))}
                {info?.near.map((t, k) => (
                  <div key={'n' + k} className="bl-note near">· next slab: {t}</div>
                ))}
                {lr?.found && (
                  <div className="bl-note last" data-testid="last-rate">
                    · last time: {formatPaise(lr.rate_paise)}{lr.discount_bp ? ` less ${formatBp(lr.discount_bp)}` : ''} × {formatInt(lr.qty)} on {lr.invoice} ({formatDate(lr.date)})
                  </div>
                )}
                {info?.warnings.map((w, k) => (
                  <div key={'w' + k} className={'bl-note warn' + (w.kind === 'loss' ? ' loss' : '')} data-kind={w.kind}>⚠ {w.text}</div>
                ))}
                {short && !info?.warnings.some((w) => w.kind === 'short_stock') && (
                  <div className="bl-note warn">⚠ only {formatInt(st?.qty ?? 0)} in stock</div>
                )}
                {info?.error && <div className="bl-note error" role="alert">{info.error}</div>}
                {rowError?.key === r.id && <div className="bl-note error" role="alert" data-testid="row-error">{rowError.message}</div>}
              </>
            );
          }}
        >
          {freeOrphans.map((f, k) => (
            <div key={'o' + k} className="bl-note free">↳ FREE {f.item} {f.name} × {formatInt(f.qty)} ({f.scheme})</div>
          ))}
          {(preview?.bill_schemes ?? []).map((s, k) => (
            <div key={'b' + k} className="bl-note scheme">↳ bill scheme {schemeText(s)}</div>
          ))}
          {(preview?.near_misses ?? []).filter((n) => !n.line).map((n, k) => (
            <div key={'bn' + k} className="bl-note near">· {n.text}</div>
          ))}
        </LineEditor>

        <div
          ref={totalsRef}
          tabIndex={-1}
          className={'bill-totals' + (atTotals ? ' focused' : '')}
          data-testid="totals"
          onBlur={() => setAtTotals(false)}
          onKeyDown={(e) => {
            if (e.target !== e.currentTarget) return;
            if (e.key === 'Escape') {
              e.preventDefault();
              focusCell(rows[rows.length - 1].id, 'item');
            } else if (e.key === 'Enter' && !e.ctrlKey) {
              e.preventDefault();
              toast('Ctrl+S saves the bill · Esc goes back to the lines');
            }
          }}
        >
          <div className="bt-fig"><span>Taxable</span><strong>{formatAmount(totals?.taxable_paise)}</strong></div>
          {totals?.inter_state ? (
            <div className="bt-fig"><span>IGST</span><strong>{formatAmount(totals?.igst_paise)}</strong></div>
          ) : (
            <>
              <div className="bt-fig"><span>CGST</span><strong>{formatAmount(totals?.cgst_paise)}</strong></div>
              <div className="bt-fig"><span>SGST</span><strong>{formatAmount(totals?.sgst_paise)}</strong></div>
            </>
          )}
          {(totals?.scheme_discount_paise ?? 0) > 0 && (
            <div className="bt-fig"><span>Scheme disc.</span><strong>{formatAmount(totals?.scheme_discount_paise)}</strong></div>
          )}
          <div className="bt-fig"><span>Round-off</span><strong>{formatAmount(totals?.round_off_paise)}</strong></div>
          <div className="bt-total" data-testid="total"><span>Total</span><strong>{formatRupees(totals?.total_paise ?? 0)}</strong></div>
          <button
            type="button"
            className="primary"
            disabled={saving || !canWrite}
            onClick={() => save(false)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                focusCell(rows[rows.length - 1].id, 'item');
              }
            }}
          >
            {saving ? 'Saving…' : 'Save'} <kbd>Ctrl+S</kbd>
          </button>
        </div>
        {previewError && !lineField(previewError.field) && previewError.status !== 0 && (
          <div className="bill-warn" role="status">{previewError.message}</div>
        )}
        <div className="bill-keys">
          <span><kbd>Enter</kbd> next</span>
          <span><kbd>Ctrl+S</kbd> save</span>
          <span><kbd>Ctrl+P</kbd> save &amp; print</span>
          <span><kbd>Esc</kbd> back</span>
          <span><kbd>?</kbd> keys</span>
          {!canWrite && <span className="bad">Your role may not bill.</span>}
        </div>
      </div>

      {askOverride && (
        <Modal title="Bill past the credit stop" onClose={() => setAskOverride(false)}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const r = overrideText.trim();
              if (!r) return;
              setOverride(r);
              setSaveError(null);
              setAskOverride(false);
            }}
          >
            <p>{(cred?.broken ?? []).map((w) => w.text).join('; ') || saveError?.message}</p>
            <label htmlFor="override-reason">Reason (kept in the audit log)</label>
            <input id="override-reason" name="override-reason" autoFocus maxLength={200} value={overrideText} onChange={(e) => setOverrideText(e.target.value)} />
            <div className="actions">
              <button type="submit" className="primary" disabled={!overrideText.trim()}>Override</button>
              <button type="button" onClick={() => setAskOverride(false)}>Cancel</button>
            </div>
          </form>
        </Modal>
      )}
      {showKeys && (
        <Modal title="Billing keys" onClose={() => setShowKeys(false)}>
          <table className="keys-table">
            <tbody>
              <tr><td><kbd>Enter</kbd></td><td>Pick the highlighted match / move to the next field</td></tr>
              <tr><td><kbd>↑</kbd> <kbd>↓</kbd></td><td>Move in a list; in a row, the same column of the row above/below</td></tr>
              <tr><td><kbd>Enter</kbd> on an empty item</td><td>Go to the totals (Enter there does not save: <kbd>Ctrl+S</kbd> does)</td></tr>
              <tr><td>A bill left half-typed</td><td>Kept as a draft; this screen offers to resume it</td></tr>
              <tr><td><kbd>Ctrl+S</kbd></td><td>Save the invoice (the form clears, the beat is kept)</td></tr>
              <tr><td><kbd>Ctrl+P</kbd></td><td>Save and print</td></tr>
              <tr><td><kbd>Esc</kbd></td><td>Back one field; on an empty outlet, back to the invoices</td></tr>
              <tr><td><kbd>Ctrl+D</kbd></td><td>Delete the current row</td></tr>
              <tr><td><kbd>↑</kbd> <kbd>↓</kbd> in the date</td><td>Next / previous day</td></tr>
              {allRoutes.filter((r) => r.key).map((r) => (
                <tr key={r.path}><td><kbd>{r.key}</kbd></td><td>{r.label}</td></tr>
              ))}
              <tr><td><kbd>?</kbd> or <kbd>F1</kbd></td><td>This list</td></tr>
            </tbody>
          </table>
          <p className="muted">Invoice date {formatDate(date)} · numbering {company.invoice_prefix || 'SI'}/FY/000001</p>
        </Modal>
      )}
      {printing && (
        <div className="print-area">
          <InvoicePrint inv={printing} company={company} />
        </div>
      )}
    </div>
  );
}
