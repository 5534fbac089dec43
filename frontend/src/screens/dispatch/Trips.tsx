// Dispatches: a beat's bills of the day go out on a vehicle with its
// driver; the e-way bills take the vehicle from here. When the van comes
// back, each bill is marked delivered or returned; returned goods come back
// to stock (cancelled on the bill's own day, otherwise a credit note).

import { useCallback, useState } from 'react';
import { api, saveFile } from '../../api';
import { formatDate, formatInt, formatRupees, todayISO } from '../../format';
import { DateInput } from '../../widgets/inputs';
import { Pager, PAGE, usePaged } from '../../widgets/Pager';
import { RefPicker } from '../../widgets/pickers';
import { ErrorNote, PageHeader, toast } from '../../widgets/ui';

interface TripInvoice {
  invoice: string;
  date: string;
  outlet: string;
  outlet_name: string;
  total_paise: number;
  ewaybill: boolean;
  result?: string;
  reason?: string;
  back?: string;
  back_doc?: string;
}

interface Trip {
  id: number;
  date: string;
  beat?: string;
  vehicle_no: string;
  driver: string;
  driver_phone?: string;
  distance_km: number;
  status: 'out' | 'returned';
  invoices: TripInvoice[];
  total_paise: number;
  returned_on?: string;
}

function ReturnForm({ t, onDone }: { t: Trip; onDone: (t: Trip) => void }) {
  const [results, setResults] = useState<Record<string, { result: string; reason: string }>>({});
  const [error, setError] = useState<unknown>(null);
  const of = (n: string) => results[n] ?? { result: 'delivered', reason: '' };
  return (
    <section data-testid="return-form">
      <h3>Back from the round</h3>
      <table className="mini">
        <thead><tr><th>Invoice</th><th>Outlet</th><th className="num">Amount</th><th>Result</th><th>Reason</th></tr></thead>
        <tbody>
          {t.invoices.map((x, i) => (
            <tr key={x.invoice}>
              <td>{x.invoice}</td><td>{x.outlet_name}</td><td className="num">{formatRupees(x.total_paise)}</td>
              <td>
                <select name={`result-${i}`} aria-label={`result ${x.invoice}`} value={of(x.invoice).result}
                  onChange={(e) => setResults({ ...results, [x.invoice]: { ...of(x.invoice), result: e.target.value } })}>
                  <option value="delivered">Delivered</option><option value="returned">Returned undelivered</option>
                </select>
              </td>
              <td>
                {of(x.invoice).result === 'returned' && (
                  <input name={`reason-${i}`} aria-label={`reason ${x.invoice}`} placeholder="shop closed" value={of(x.invoice).reason}
                    onChange={(e) => setResults({ ...results, [x.invoice]: { ...of(x.invoice), reason: e.target.value } })} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={error} />
      <button
        type="button"
        className="primary"
        onClick={async () => {
          try {
            const out = await api.post<Trip>(`/api/dispatch/trips/${t.id}/return`, {
              invoices: t.invoices.map((x) => ({ invoice: x.invoice, ...of(x.invoice) })),
            });
            toast(`Dispatch ${t.id} is back`);
            onDone(out);
          } catch (e) {
            setError(e);
          }
        }}
      >
        Record return
      </button>
    </section>
  );
}

export function Trips() {
  const [date, setDate] = useState(todayISO());
  const [beat, setBeat] = useState('');
  const [vehicle, setVehicle] = useState('');
  const [driver, setDriver] = useState('');
  const [phone, setPhone] = useState('');
  const [distance, setDistance] = useState('');
  const [trip, setTrip] = useState<Trip | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const fetchPage = useCallback(
    (offset: number) => {
      void reload;
      return api.page<Trip>('/api/dispatch/trips', { limit: PAGE, offset });
    },
    [reload],
  );
  const { page, error: listError, setOffset } = usePaged(fetchPage);

  async function create() {
    setError(null);
    try {
      const t = await api.post<Trip>('/api/dispatch/trips', {
        date, beat, vehicle_no: vehicle, driver, driver_phone: phone || undefined, distance_km: distance ? Number(distance) : 0,
      });
      toast(`Dispatch ${t.id}: ${t.invoices.length} bills on ${t.vehicle_no}`);
      setTrip(t);
      setReload((r) => r + 1);
    } catch (e) {
      setError(e);
    }
  }

  async function ewaybill(t: Trip) {
    try {
      const f = await api.get<unknown>(`/api/dispatch/trips/${t.id}/ewaybill`);
      await saveFile({ name: `ewaybill-dispatch-${t.id}.json`, type: 'application/json', bytes: new TextEncoder().encode(JSON.stringify(f, null, 2)) });
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  return (
    <div className="page master trips">
      <PageHeader title="Dispatches" sub="Bills on a vehicle for a day; delivered or returned">
        <Pager page={page} onOffset={setOffset} noun="dispatches" />
      </PageHeader>
      <div className="report-bar">
        <label>Date <DateInput name="date" value={date} onChange={(v) => v && setDate(v)} /></label>
        <label>Beat <RefPicker kind="beats" name="beat" value={beat} onPick={(b) => setBeat(b.code)} onClear={() => setBeat('')} /></label>
        <label>Vehicle <input name="vehicle_no" placeholder="KA05AB1234" size={12} value={vehicle} onChange={(e) => setVehicle(e.target.value)} /></label>
        <label>Driver <input name="driver" size={14} value={driver} onChange={(e) => setDriver(e.target.value)} /></label>
        <label>Phone <input name="driver_phone" size={10} value={phone} onChange={(e) => setPhone(e.target.value)} /></label>
        <label>km <input name="distance_km" size={4} inputMode="numeric" value={distance} onChange={(e) => setDistance(e.target.value.replace(/\D/g, ''))} /></label>
        <button type="button" className="primary" disabled={!beat} onClick={create}>Load the beat's bills</button>
      </div>
      <ErrorNote error={error ?? listError} />
      {trip && (
        <section data-trip={trip.id}>
          <h2>
            Dispatch #{trip.id} · {trip.vehicle_no} · {trip.driver}{trip.driver_phone ? ` (${trip.driver_phone})` : ''} · {formatDate(trip.date)} · {trip.status}
          </h2>
          <button type="button" onClick={() => ewaybill(trip)} disabled={!trip.invoices.some((x) => x.ewaybill)}>E-way bills (JSON)</button>
          <table className="mini">
            <thead>
              <tr><th>Invoice</th><th>Date</th><th>Outlet</th><th className="num">Amount</th><th>E-way bill</th><th>Result</th><th>Back by</th></tr>
            </thead>
            <tbody>
              {trip.invoices.map((x) => (
                <tr key={x.invoice}>
                  <td>{x.invoice}</td><td>{formatDate(x.date)}</td><td>{x.outlet} · {x.outlet_name}</td><td className="num">{formatRupees(x.total_paise)}</td>
                  <td>{x.ewaybill ? 'needed' : ''}</td><td>{x.result}{x.reason ? ` (${x.reason})` : ''}</td>
                  <td>{x.back === 'cancelled' ? 'cancelled' : x.back === 'credit_note' ? `credit note ${x.back_doc}` : ''}</td>
                </tr>
              ))}
            </tbody>
            <tfoot><tr><th colSpan={3}>{trip.invoices.length} bills</th><th className="num">{formatRupees(trip.total_paise)}</th><th colSpan={3} /></tr></tfoot>
          </table>
          {trip.status === 'out' && (
            <ReturnForm
              key={trip.id}
              t={trip}
              onDone={(t) => {
                setTrip(t);
                setReload((r) => r + 1);
              }}
            />
          )}
        </section>
      )}
      <table className="mini">
        <thead>
          <tr><th className="num">#</th><th>Date</th><th>Vehicle</th><th>Driver</th><th>Beat</th><th className="num">Bills</th><th className="num">Amount</th><th>Status</th></tr>
        </thead>
        <tbody>
          {page?.rows.map((t) => (
            <tr key={t.id} className="clickable" onClick={() => setTrip(t)}>
              <td className="num">{t.id}</td><td>{formatDate(t.date)}</td><td>{t.vehicle_no}</td><td>{t.driver}</td><td>{t.beat}</td>
              <td className="num">{formatInt(t.invoices.length)}</td><td className="num">{formatRupees(t.total_paise)}</td><td>{t.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
