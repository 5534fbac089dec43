// e-Way bill: for one invoice, a dispatch trip, or a day's bills of one beat,
// the clerk fills the transport once (mode, vehicle, transporter, distance;
// a trip's vehicle and distance are filled in from the trip), sees
// everything the portal would refuse in plain words, downloads the JSON for
// the e-way bill portal's bulk upload, and records the EWB number, date and
// validity the portal gave back on each invoice (it then prints on it).

import { useEffect, useState } from 'react';
import { api, ApiError, saveFile } from '../../api';
import { formatDate, formatRupees, todayISO } from '../../format';
import { DateInput, Field } from '../../widgets/inputs';
import { RefPicker } from '../../widgets/pickers';
import { KeyForm } from '../../widgets/form';
import { ErrorNote, PageHeader, toast } from '../../widgets/ui';
import type { EWayBillRecord, Transport } from '../../types';

interface Problem {
  field: string;
  message: string;
}

interface Report {
  invoice: string;
  date: string;
  outlet: string;
  outlet_name: string;
  beat?: string;
  total_paise: number;
  threshold_paise: number;
  needed: boolean;
  problems: Problem[];
  file?: { version: string; billLists: unknown[] };
  recorded?: EWayBillRecord;
  /** The dispatch trip the invoice is out on. */
  trip?: TripRef;
}

interface TripRef {
  id: number;
  date: string;
  vehicle_no: string;
  driver: string;
  distance_km: number;
}

interface TripRow extends TripRef {
  beat?: string;
  status: string;
  invoices?: { invoice: string; ewaybill: boolean }[];
}

const MODES: [number, string][] = [[1, 'Road'], [2, 'Rail'], [3, 'Air'], [4, 'Ship']];

/** The transport as the check endpoints take it in the query. */
function query(t: Transport) {
  return {
    trans_mode: t.trans_mode, vehicle: t.vehicle_no, distance: t.distance_km, transporter_id: t.transporter_id,
    transporter_name: t.transporter_name, trans_doc_no: t.trans_doc_no, trans_doc_date: t.trans_doc_date,
  };
}

function downloadJSON(name: string, billLists: unknown[]) {
  const text = JSON.stringify({ version: '1.0.0621', billLists }, null, 1);
  return saveFile({ name, type: 'application/json', bytes: new TextEncoder().encode(text) });
}

/** Records the portal's e-way bill on one invoice. */
function RecordForm({ rep, transport, onSaved }: { rep: Report; transport: Transport; onSaved: (r: EWayBillRecord) => void }) {
  const [no, setNo] = useState(rep.recorded?.ewb_no ?? '');
  const [date, setDate] = useState(rep.recorded?.ewb_date ?? todayISO());
  const [until, setUntil] = useState(rep.recorded?.valid_until ?? '');
  const [err, setErr] = useState<{ field?: string; text: string } | null>(null);
  async function save() {
    try {
      const r = await api.put<EWayBillRecord>(`/api/invoices/${encodeURIComponent(rep.invoice)}/ewaybill`,
        { ...transport, ewb_no: no, ewb_date: date, valid_until: until || undefined });
      setErr(null);
      setUntil(r.valid_until);
      toast(`e-way bill ${r.ewb_no} recorded on ${rep.invoice}`);
      onSaved(r);
    } catch (e) {
      setErr(e instanceof ApiError ? { field: e.field, text: e.message } : { text: String(e) });
    }
  }
  const mine = ['ewb_no', 'ewb_date', 'valid_until'];
  const on = (f: string) => (err?.field === f ? err.text : undefined);
  const other = err && !mine.includes(err.field ?? '') ? err.text : '';
  return (
    <KeyForm onSubmit={() => void save()} className="form-grid ewb-record">
      <Field label="EWB No." name="ewb_no" htmlFor={`ewb-no-${rep.invoice}`} error={on('ewb_no')} hint="12 digits, as the portal gave it">
        <input id={`ewb-no-${rep.invoice}`} name="ewb_no" inputMode="numeric" value={no} onChange={(e) => setNo(e.target.value)} />
      </Field>
      <Field label="EWB date" name="ewb_date" htmlFor={`ewb-date-${rep.invoice}`} error={on('ewb_date')}>
        <DateInput id={`ewb-date-${rep.invoice}`} name="ewb_date" value={date} onChange={(v) => setDate(v ?? '')} />
      </Field>
      <Field label="Valid until" name="valid_until" htmlFor={`ewb-until-${rep.invoice}`} error={on('valid_until')} hint="empty: by distance (1 day per 200 km)">
        <DateInput id={`ewb-until-${rep.invoice}`} name="valid_until" value={until || null} onChange={(v) => setUntil(v ?? '')} />
      </Field>
      <div className="form-actions">
        <button type="submit">{rep.recorded ? 'Record again' : 'Record on the invoice'}</button>
        {other && <span className="error" role="alert">{other}</span>}
      </div>
    </KeyForm>
  );
}

function ReportCard({ rep, transport, onSaved }: { rep: Report; transport: Transport; onSaved: (r: EWayBillRecord) => void }) {
  return (
    <div className="card ewb-report" data-invoice={rep.invoice}>
      <h3>
        Invoice {rep.invoice} · {rep.outlet_name} · {formatDate(rep.date)} · {formatRupees(rep.total_paise)}
      </h3>
      {!rep.needed && (
        <p className="muted">Not above the e-way bill threshold {formatRupees(rep.threshold_paise)}: no e-way bill is needed.</p>
      )}
      {rep.problems.length > 0 ? (
        <ul className="ewb-problems" role="alert">
          {rep.problems.map((p, i) => <li key={i}><strong>{p.field}</strong>: {p.message}</li>)}
        </ul>
      ) : (
        <p className="ok">Ready for the portal.</p>
      )}
      {rep.recorded && (
        <p>
          Recorded: e-way bill <strong>{rep.recorded.ewb_no}</strong> of {formatDate(rep.recorded.ewb_date)}, valid until {formatDate(rep.recorded.valid_until)}
          {rep.recorded.vehicle_no ? `, vehicle ${rep.recorded.vehicle_no}` : ''}
        </p>
      )}
      {rep.needed && <RecordForm key={rep.recorded?.ewb_no ?? ''} rep={rep} transport={transport} onSaved={onSaved} />}
    </div>
  );
}

type Source = 'invoice' | 'trip' | 'day';

export function EWayBill({ invoice }: { invoice?: string }) {
  const [source, setSource] = useState<Source>('invoice');
  const [number, setNumber] = useState(invoice ?? '');
  const [date, setDate] = useState(todayISO());
  const [beat, setBeat] = useState('');
  const [trips, setTrips] = useState<TripRow[]>([]);
  const [tripId, setTripId] = useState(0);
  const [t, setT] = useState<Transport>({ trans_mode: 1, vehicle_no: '', distance_km: 0 });
  const [fromTrip, setFromTrip] = useState<TripRef | null>(null);
  const [reports, setReports] = useState<Report[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = <K extends keyof Transport>(k: K, v: Transport[K]) => setT((o) => ({ ...o, [k]: v }));

  // the day's dispatch trips, for the trip source
  useEffect(() => {
    if (source !== 'trip') return;
    api.get<{ rows: TripRow[] }>('/api/dispatch/trips', { from: date, to: date, limit: 200 }).then((p) => setTrips(p.rows ?? []), setError);
  }, [source, date]);

  const checkOne = (n: string, tr: Transport) =>
    api.get<Report>(`/api/invoices/${encodeURIComponent(n.trim().toUpperCase())}/ewaybill/check`, query(tr));

  async function check() {
    setError(null);
    try {
      if (source === 'invoice') {
        if (!number.trim()) throw new ApiError(400, 'Enter the invoice number', 'number');
        let rep = await checkOne(number, t);
        // on a dispatch trip and no vehicle typed: the trip's vehicle and distance
        if (rep.trip && !t.vehicle_no && !t.transporter_id && t.trans_mode === 1) {
          const tr = { ...t, vehicle_no: rep.trip.vehicle_no, distance_km: rep.trip.distance_km };
          setT(tr);
          setFromTrip(rep.trip);
          rep = await checkOne(number, tr);
        }
        setReports([rep]);
      } else if (source === 'trip') {
        if (!tripId) throw new ApiError(400, 'Pick the dispatch trip', 'trip');
        const trip = await api.get<TripRow>(`/api/dispatch/trips/${tripId}`);
        const tr = t.vehicle_no ? t : { ...t, vehicle_no: trip.vehicle_no, distance_km: trip.distance_km };
        setT(tr);
        setFromTrip(trip);
        const list = (trip.invoices ?? []).filter((i) => i.ewaybill).map((i) => i.invoice);
        setReports(await Promise.all(list.map((n) => checkOne(n, tr))));
      } else {
        setReports(await api.get<Report[]>('/api/ewaybill/check', { ...query(t), date, beat }));
      }
    } catch (e) {
      setReports(null);
      setError(e);
    }
  }

  const ready = (reports ?? []).filter((r) => r.needed && r.file);
  const blocked = (reports ?? []).filter((r) => r.needed && !r.file).length;
  async function download() {
    const lists = ready.flatMap((r) => r.file?.billLists ?? []);
    const name = source === 'invoice' ? `ewaybill-${number.replace(/[^A-Za-z0-9-]+/g, '-')}.json`
      : source === 'trip' ? `ewaybill-trip-${tripId}.json` : `ewaybill-${date}${beat ? '-' + beat : ''}.json`;
    const saved = await downloadJSON(name, lists);
    if (saved) toast(`${lists.length} e-way bill${lists.length === 1 ? '' : 's'} saved as ${saved}: upload it on the e-way bill portal (Generate bulk)`);
  }
  const saved = (r: EWayBillRecord) => setReports((rs) => rs && rs.map((x) => (x.invoice === r.invoice ? { ...x, recorded: r } : x)));

  return (
    <div className="page ewaybill">
      <PageHeader title="e-Way bill" sub="Transport once, the portal's JSON out, its EWB number back on the invoice">
        <button type="button" className="primary" onClick={() => void download()} disabled={ready.length === 0}>
          Download JSON for the portal{ready.length > 1 ? ` (${ready.length})` : ''}
        </button>
      </PageHeader>
      <KeyForm onSubmit={() => void check()} className="form-grid">
        <Field label="From" name="source" htmlFor="ewb-source">
          <select id="ewb-source" name="source" value={source} onChange={(e) => { setSource(e.target.value as Source); setReports(null); setFromTrip(null); }}>
            <option value="invoice">One invoice</option>
            <option value="trip">A dispatch trip (its vehicle)</option>
            <option value="day">A day's bills of a beat</option>
          </select>
        </Field>
        {source === 'invoice' && (
          <Field label="Invoice" name="number" htmlFor="ewb-number">
            <input id="ewb-number" name="number" autoFocus value={number} onChange={(e) => setNumber(e.target.value)} placeholder="SI/26-27/000001" />
          </Field>
        )}
        {source !== 'invoice' && (
          <Field label="Day" name="date" htmlFor="ewb-day">
            <DateInput id="ewb-day" name="date" value={date} onChange={(v) => v && setDate(v)} />
          </Field>
        )}
        {source === 'trip' && (
          <Field label="Trip" name="trip" htmlFor="ewb-trip" hint={trips.length ? undefined : 'no dispatch trip that day'}>
            <select id="ewb-trip" name="trip" value={tripId} onChange={(e) => { setTripId(Number(e.target.value)); setReports(null); }}>
              <option value={0}>—</option>
              {trips.map((x) => <option key={x.id} value={x.id}>#{x.id} · {x.vehicle_no} · {x.driver}{x.beat ? ` · ${x.beat}` : ''} · {x.status}</option>)}
            </select>
          </Field>
        )}
        {source === 'day' && (
          <Field label="Beat" name="beat">
            <RefPicker kind="beats" name="beat" value={beat} onPick={(b) => setBeat(b.code)} onClear={() => setBeat('')} />
          </Field>
        )}
        <div className="form-section wide">Transport{fromTrip ? ` — from dispatch trip #${fromTrip.id} (${fromTrip.vehicle_no}, driver ${fromTrip.driver})` : ''}</div>
        <Field label="Mode" name="trans_mode" htmlFor="ewb-mode">
          <select id="ewb-mode" name="trans_mode" value={t.trans_mode} onChange={(e) => set('trans_mode', Number(e.target.value))}>
            {MODES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </Field>
        <Field label="Vehicle No." name="vehicle" htmlFor="ewb-vehicle" hint={t.trans_mode === 1 ? 'e.g. TN09AB1234' : 'optional'}>
          <input id="ewb-vehicle" name="vehicle" value={t.vehicle_no} onChange={(e) => set('vehicle_no', e.target.value.toUpperCase())} />
        </Field>
        <Field label="Distance (km)" name="distance" htmlFor="ewb-distance" hint="0: the portal computes it from the PINs">
          <input id="ewb-distance" name="distance" inputMode="numeric" value={String(t.distance_km)} onChange={(e) => set('distance_km', Number(e.target.value.replace(/\D/g, '')) || 0)} />
        </Field>
        <Field label="Transporter GSTIN / ID" name="transporter_id" htmlFor="ewb-tid" hint="optional; without a vehicle the transporter fills it in">
          <input id="ewb-tid" name="transporter_id" value={t.transporter_id ?? ''} onChange={(e) => set('transporter_id', e.target.value.toUpperCase())} />
        </Field>
        <Field label="Transporter name" name="transporter_name" htmlFor="ewb-tname">
          <input id="ewb-tname" name="transporter_name" value={t.transporter_name ?? ''} onChange={(e) => set('transporter_name', e.target.value)} />
        </Field>
        {t.trans_mode !== 1 && (
          <>
            <Field label="Transport doc No." name="trans_doc_no" htmlFor="ewb-tdoc" hint="RR, airway bill or bill of lading">
              <input id="ewb-tdoc" name="trans_doc_no" value={t.trans_doc_no ?? ''} onChange={(e) => set('trans_doc_no', e.target.value)} />
            </Field>
            <Field label="Transport doc date" name="trans_doc_date" htmlFor="ewb-tdate">
              <DateInput id="ewb-tdate" name="trans_doc_date" value={t.trans_doc_date || null} onChange={(v) => set('trans_doc_date', v ?? '')} />
            </Field>
          </>
        )}
        <div className="form-actions wide">
          <button type="submit" className="primary">Check <kbd>Ctrl+S</kbd></button>
        </div>
      </KeyForm>
      <ErrorNote error={error} />
      {reports && reports.length === 0 && <p className="muted">No bill there is above the e-way bill threshold.</p>}
      {reports && reports.length > 1 && (
        <p className="muted">{ready.length} ready, {blocked} with something to correct.</p>
      )}
      {reports?.map((r) => <ReportCard key={r.invoice} rep={r} transport={t} onSaved={saved} />)}
    </div>
  );
}
