// Dispatch: a beat's van for a day. The loading sheet lists every item to
// load by godown and batch as billed, in cases + pieces, free goods apart;
// the delivery sheet lists the bills in route order with amount, phone and
// what the outlet owes. Both export as .xlsx and print.

import { useEffect, useState } from 'react';
import { api } from '../../api';
import { formatDate, formatInt, formatRupees, todayISO } from '../../format';
import { DateInput } from '../../widgets/inputs';
import { RefPicker } from '../../widgets/pickers';
import { ExportButton, exportFrom } from '../../widgets/ReportGrid';
import { ErrorNote, PageHeader } from '../../widgets/ui';

interface Load {
  godown: string;
  item: string;
  name: string;
  batch: string;
  expiry?: string;
  mrp_paise: number;
  case_size: number;
  qty: number;
  cases: number;
  pieces: number;
  invoices: number;
}

interface LoadTotals {
  qty: number;
  cases: number;
  pieces: number;
}

interface LoadingSheet {
  date: string;
  beat: string;
  beat_name: string;
  invoices: string[];
  lines: Load[];
  free: Load[];
  totals: LoadTotals;
  free_totals: LoadTotals;
}

interface Stop {
  seq: number;
  invoice: string;
  outlet: string;
  outlet_name: string;
  address?: string;
  phone?: string;
  lines: number;
  total_paise: number;
  outstanding_paise: number;
}

interface DeliverySheet {
  date: string;
  beat: string;
  beat_name: string;
  stops: Stop[];
  invoices: number;
  total_paise: number;
}

function LoadTable({ title, loads, totals }: { title: string; loads: Load[]; totals: LoadTotals }) {
  return (
    <section>
      <h3>{title}</h3>
      <table className="mini">
        <thead>
          <tr>
            <th>Godown</th><th>Item</th><th>Batch</th><th>Expiry</th><th className="num">MRP</th>
            <th className="num">Case size</th><th className="num">Cases</th><th className="num">Pieces</th><th className="num">Qty</th><th className="num">Bills</th>
          </tr>
        </thead>
        <tbody>
          {loads.map((l) => (
            <tr key={`${l.godown}|${l.item}|${l.batch}`}>
              <td>{l.godown}</td><td>{l.item} · {l.name}</td><td>{l.batch}</td><td>{formatDate(l.expiry)}</td>
              <td className="num">{formatRupees(l.mrp_paise)}</td><td className="num">{l.case_size}</td>
              <td className="num">{formatInt(l.cases)}</td><td className="num">{formatInt(l.pieces)}</td>
              <td className="num">{formatInt(l.qty)}</td><td className="num">{l.invoices}</td>
            </tr>
          ))}
          {loads.length === 0 && <tr><td colSpan={10} className="muted">Nothing</td></tr>}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={6}>Total</th>
            <th className="num">{formatInt(totals.cases)}</th><th className="num">{formatInt(totals.pieces)}</th>
            <th className="num">{formatInt(totals.qty)}</th><th />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

export function Dispatch() {
  const [date, setDate] = useState(todayISO());
  const [beat, setBeat] = useState('');
  const [loading, setLoading] = useState<LoadingSheet | null>(null);
  const [delivery, setDelivery] = useState<DeliverySheet | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!beat) return;
    let live = true;
    setError(null);
    const q = { date, beat };
    Promise.all([
      api.get<LoadingSheet>('/api/dispatch/loading-sheet', q),
      api.get<DeliverySheet>('/api/dispatch/delivery-sheet', q),
    ]).then(
      ([l, d]) => {
        if (!live) return;
        setLoading(l);
        setDelivery(d);
      },
      (e) => {
        if (!live) return;
        setError(e);
        setLoading(null);
        setDelivery(null);
      },
    );
    return () => {
      live = false;
    };
  }, [date, beat]);

  const q = { date, beat, format: 'xlsx' };
  return (
    <div className="page master dispatch">
      <PageHeader
        title="Dispatch"
        sub={loading ? `${loading.beat} · ${loading.beat_name} · ${formatDate(loading.date)} · ${loading.invoices.length} bills` : 'Pick a beat and a day'}
      >
        <ExportButton label="Loading sheet .xlsx" run={exportFrom('/api/dispatch/loading-sheet', q, 'loading-sheet.xlsx')} />
        <ExportButton label="Delivery sheet .xlsx" run={exportFrom('/api/dispatch/delivery-sheet', q, 'delivery-sheet.xlsx')} />
        <button type="button" onClick={() => window.print()} disabled={!loading}>Print</button>
      </PageHeader>
      <div className="report-bar">
        <label>Date <DateInput name="date" value={date} onChange={(v) => v && setDate(v)} /></label>
        <label>Beat <RefPicker kind="beats" name="beat" value={beat} onPick={(b) => setBeat(b.code)} onClear={() => setBeat('')} /></label>
      </div>
      <ErrorNote error={error} />
      {loading && delivery && (
        <div className="dispatch-sheets print-area on-screen">
          <h2>{loading.beat} · {loading.beat_name} · {formatDate(loading.date)}</h2>
          <LoadTable title="Loading sheet" loads={loading.lines} totals={loading.totals} />
          <LoadTable title="Free goods" loads={loading.free} totals={loading.free_totals} />
          <section className="dispatch-delivery">
            <h3>Delivery sheet</h3>
            <table className="mini">
              <thead>
                <tr>
                  <th className="num">#</th><th>Invoice</th><th>Outlet</th><th>Address</th><th>Phone</th>
                  <th className="num">Amount</th><th className="num">Outstanding</th>
                </tr>
              </thead>
              <tbody>
                {delivery.stops.map((s) => (
                  <tr key={s.invoice}>
                    <td className="num">{s.seq}</td><td>{s.invoice}</td><td>{s.outlet} · {s.outlet_name}</td>
                    <td>{s.address}</td><td>{s.phone}</td>
                    <td className="num">{formatRupees(s.total_paise)}</td><td className="num">{formatRupees(s.outstanding_paise)}</td>
                  </tr>
                ))}
                {delivery.stops.length === 0 && <tr><td colSpan={7} className="muted">No bills on this beat this day</td></tr>}
              </tbody>
              <tfoot>
                <tr><th colSpan={5}>{delivery.invoices} bills</th><th className="num">{formatRupees(delivery.total_paise)}</th><th /></tr>
              </tfoot>
            </table>
          </section>
        </div>
      )}
    </div>
  );
}
