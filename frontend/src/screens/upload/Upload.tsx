// Head-office upload: settings (URL, distributor code, key, schedule), the
// last successful upload, batches waiting, the data's age, and Upload now
// with a progress bar.

import { useCallback, useEffect, useState } from 'react';
import { api, onProgress } from '../../api';
import { formatInt, formatStamp } from '../../format';
import { useSession } from '../../context';
import { Field } from '../../widgets/inputs';
import { KeyForm } from '../../widgets/form';
import { ErrorNote, PageHeader, ProgressBar, toast } from '../../widgets/ui';

interface Batch { seq: number; manifest?: { batch_id?: string; period_from?: string; period_to?: string; [k: string]: unknown }; bytes: number; built_at: string; attempts: number; last_error?: string }
interface Status {
  configured: boolean; schedule: string; last_success: string | null; last_build: string | null; next_run: string | null;
  waiting: number; waiting_bytes: number; pending_rows: number; oldest_waiting: string | null; data_age_hours: number | null;
  last_error?: string; waiting_batches: Batch[] | null;
}
interface Settings { url: string; distributor_code: string; key?: string; key_set: boolean; key_hint?: string; schedule: string; time_zone?: string; ca_file?: string }

const when = formatStamp; // DD-MM-YYYY HH:MM
const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function Upload() {
  const { me } = useSession();
  const [st, setSt] = useState<Status | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number; label?: string } | null>(null);
  const load = useCallback(() => api.get<Status>('/api/upload/status').then(setSt, setError), []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => onProgress((p) => {
    if (p.task === 'upload') setProgress({ done: p.done, total: p.total, label: p.label });
  }), []);
  async function now() {
    setBusy(true);
    setProgress(null);
    try {
      const r = await api.post<Record<string, unknown>>('/api/upload/now');
      toast(`Upload done${r && typeof r === 'object' && 'sent' in r ? `: ${String(r.sent)} batches sent` : ''}`);
    } catch (e) {
      toast(msg(e), 'error');
    } finally {
      setBusy(false);
      void load();
    }
  }
  return (
    <div className="page">
      <PageHeader title="Head-office upload" sub="Every posted sale reaches the brand exactly once; batches wait while offline and go oldest first">
        {(me.role === 'admin' || me.role === 'accounts') && <button type="button" className="primary" onClick={now} disabled={busy}>{busy ? 'Uploading…' : 'Upload now'}</button>}
      </PageHeader>
      <ErrorNote error={error} />
      {busy && <ProgressBar done={progress?.done ?? 0} total={progress?.total ?? 0} label={progress?.label || 'uploading'} />}
      {st && (
        <>
          {!st.configured && <div className="note warn">Uploads are not set up: fill in the head-office URL, distributor code and key below.</div>}
          {st.last_error && <div className="note error">Last attempt failed: {st.last_error}</div>}
          <div className="figures" data-testid="upload-status">
            <div className="figure"><span>Last successful upload</span><strong>{when(st.last_success)}</strong></div>
            <div className="figure"><span>Data age</span><strong className={(st.data_age_hours ?? 0) > 36 ? 'bad' : ''}>{st.data_age_hours === null ? '—' : `${formatInt(st.data_age_hours)} h`}</strong></div>
            <div className="figure"><span>Batches waiting</span><strong>{formatInt(st.waiting)}</strong><small>{formatInt(Math.round(st.waiting_bytes / 1024))} KB</small></div>
            <div className="figure"><span>Rows not yet batched</span><strong>{formatInt(st.pending_rows)}</strong></div>
            <div className="figure"><span>Next scheduled run</span><strong>{when(st.next_run)}</strong><small>{st.schedule}</small></div>
          </div>
          {(st.waiting_batches ?? []).length > 0 && (
            <div className="errors-table" style={{ marginBottom: 14 }}>
              <table className="mini">
                <thead><tr><th>Batch</th><th>Built</th><th className="num">KB</th><th className="num">Attempts</th><th>Last error</th></tr></thead>
                <tbody>{(st.waiting_batches ?? []).map((b) => (
                  <tr key={b.seq}><td className="mono">{b.manifest?.batch_id ?? b.seq}</td><td>{when(b.built_at)}</td><td className="num">{formatInt(Math.round(b.bytes / 1024))}</td><td className="num">{b.attempts}</td><td>{b.last_error ?? ''}</td></tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </>
      )}
      {me.role === 'admin' ? <UploadSettings onSaved={load} /> : <p className="muted">Only an admin changes upload settings.</p>}
    </div>
  );
}

function UploadSettings({ onSaved }: { onSaved: () => void }) {
  const [s, setS] = useState<Settings | null>(null);
  const [error, setError] = useState('');
  const [field, setField] = useState('');
  useEffect(() => {
    api.get<Settings>('/api/upload/settings').then(setS, (e) => setError(msg(e)));
  }, []);
  if (!s) return error ? <div className="note error">{error}</div> : null;
  const save = async () => {
    setError('');
    setField('');
    try {
      const out = await api.put<Settings>('/api/upload/settings', { ...s, key: s.key || undefined });
      setS({ ...out, key: '' });
      toast('Upload settings saved');
      onSaved();
    } catch (e) {
      setError(msg(e));
      setField((e as { field?: string }).field ?? '');
    }
  };
  const err = (k: string) => (field === k ? error : undefined);
  return (
    <KeyForm className="form-grid card" onSubmit={save}>
      <h2 className="wide">Settings</h2>
      {error && !field && <div className="note error wide">{error}</div>}
      <Field label="Head-office URL" name="url" error={err('url')} hint="https://… given by the brand's IT team">
        <input name="url" value={s.url} onChange={(e) => setS({ ...s, url: e.target.value })} />
      </Field>
      <Field label="Distributor code" name="distributor_code" error={err('distributor_code')}>
        <input name="distributor_code" value={s.distributor_code} onChange={(e) => setS({ ...s, distributor_code: e.target.value })} />
      </Field>
      <Field label="Key" name="key" error={err('key')} hint={s.key_set ? `a key is set${s.key_hint ? ` (${s.key_hint})` : ''}; leave empty to keep it` : 'printed by the brand with add-distributor'}>
        <input name="key" type="password" autoComplete="off" value={s.key ?? ''} onChange={(e) => setS({ ...s, key: e.target.value })} />
      </Field>
      <Field label="Schedule (cron, IST)" name="schedule" error={err('schedule')} hint='"30 23 * * *" is 11:30 pm every night'>
        <input name="schedule" value={s.schedule} onChange={(e) => setS({ ...s, schedule: e.target.value })} />
      </Field>
      <Field label="CA file (optional)" name="ca_file" error={err('ca_file')}>
        <input name="ca_file" value={s.ca_file ?? ''} onChange={(e) => setS({ ...s, ca_file: e.target.value })} />
      </Field>
      <div className="form-actions wide"><button type="submit" className="primary">Save settings</button></div>
    </KeyForm>
  );
}
