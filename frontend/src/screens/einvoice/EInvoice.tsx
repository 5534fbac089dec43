// e-invoice: the documents waiting for an IRN with where each stands and the
// portal's refusal in the clerk's words, a Retry per document; and, without a
// GSP contract, the day's bulk file out and the portal's reply file in.

import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { formatDate } from '../../format';
import { ErrorNote, PageHeader, toast } from '../../widgets/ui';

interface Row {
  kind: string;
  number: string;
  date: string;
  outlet?: string;
  irn_status: string;
  irn?: string;
  ack_no?: string;
  irn_error?: string;
  attempts?: number;
  next_try?: string;
}

export function EInvoice() {
  const [rows, setRows] = useState<Row[]>([]);
  const [all, setAll] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [day, setDay] = useState('');
  const load = useCallback(() => {
    api.get<Row[]>('/api/einvoice/queue', all ? { all: '1' } : undefined).then((r) => { setRows(r ?? []); setError(null); }, setError);
  }, [all]);
  useEffect(() => { load(); }, [load]);

  async function retry(n: string) {
    try {
      await api.post(`/api/einvoice/retry/${encodeURIComponent(n)}`);
      toast(`${n} will be sent again`);
      load();
    } catch (e) {
      setError(e);
    }
  }

  async function exportBulk() {
    try {
      const out = await api.get<{ documents: unknown[]; skipped: { number: string; reason: string }[] }>('/api/einvoice/offline', day ? { date: day } : undefined);
      const blob = new Blob([JSON.stringify(out.documents)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `einvoice-bulk-${day || 'pending'}.json`;
      a.click();
      URL.revokeObjectURL(a.href);
      toast(`${out.documents.length} documents exported` + (out.skipped.length ? `; ${out.skipped.length} not ready: ${out.skipped.map((s) => `${s.number} (${s.reason})`).join('; ')}` : ''));
    } catch (e) {
      setError(e);
    }
  }

  async function importReply(f: File | undefined) {
    if (!f) return;
    try {
      const body: unknown = JSON.parse(await f.text());
      const r = await api.post<{ imported: number }>('/api/einvoice/offline/import', body);
      toast(`${r.imported} IRNs imported`);
      load();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="page">
      <PageHeader title="e-Invoice" sub="IRNs from the Invoice Registration Portal">
        <label className="check"><input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> <span>Show every document</span></label>
      </PageHeader>
      <ErrorNote error={error} />
      <div className="card">
        <table className="mini">
          <thead>
            <tr><th>Document</th><th>Date</th><th>Outlet</th><th>IRN</th><th>Reason and what to do</th><th /></tr>
          </thead>
          <tbody>
            {rows.length === 0 && <tr><td colSpan={6} className="muted">Nothing waits for an IRN.</td></tr>}
            {rows.map((r) => (
              <tr key={r.kind + r.number}>
                <td>{r.kind === 'sales_return' ? 'Credit note' : 'Invoice'} {r.number}</td>
                <td>{formatDate(r.date)}</td>
                <td>{r.outlet}</td>
                <td>{r.irn_status}{r.irn ? ` · ${r.irn.slice(0, 12)}… Ack ${r.ack_no}` : ''}{r.attempts ? ` · ${r.attempts} tries` : ''}</td>
                <td>{r.irn_error}</td>
                <td>{(r.irn_status === 'failed' || r.irn_status === 'pending') && <button type="button" onClick={() => void retry(r.number)}>Retry</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h3>Offline (no GSP)</h3>
        <p className="muted">Export the waiting documents for the portal's bulk tool, upload them on the e-invoice portal, then import its reply file.</p>
        <label>Day <input type="date" value={day} onChange={(e) => setDay(e.target.value)} /></label>{' '}
        <button type="button" onClick={() => void exportBulk()}>Export bulk JSON</button>{' '}
        <label>Import the portal's reply <input type="file" accept=".json,application/json" onChange={(e) => void importReply(e.target.files?.[0])} /></label>
      </div>
    </div>
  );
}
