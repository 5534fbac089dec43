// Tally: is TallyPrime reachable with the company open; settings (URL,
// company, per-invoice or day-wise mode); the queue, each document with its
// state (pending, sending, posted, failed with Tally's reason and attempts)
// and a retry; push with a progress bar; the mapping of our names to the
// accountant's, with suggestions by GSTIN and name; pull masters after a
// preview.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, onProgress, upload } from '../../api';
import { formatAmount, formatInt } from '../../format';
import { useSession } from '../../context';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column } from '../../widgets/DataGrid';
import { Field, MoneyInput } from '../../widgets/inputs';
import { KeyForm } from '../../widgets/form';
import { ErrorNote, PageHeader, ProgressBar, toast } from '../../widgets/ui';

interface Settings { url: string; company: string; mode: string; batch_size?: number; [k: string]: unknown }
// failed: the newest failures only; counts.failed says how many there are
interface Status { counts: Record<string, number>; waiting: number; failed: Row[] | null; days_to_post: number }
interface QueuePage { rows: Row[] | null; total: number; limit: number; offset: number }
const PAGE = 200;
// DOC_KIND names each queue entry's kind in the accountant's words.
const DOC_KIND: Record<string, string> = {
  invoice: 'Invoice',
  cancel: 'Cancellation',
  sales_return: 'Credit note',
  purchase: 'Purchase',
  purchase_return: 'Purchase return',
  receipt: 'Receipt',
  cheque_bounce: 'Cheque bounce',
  adjustment: 'Stock journal',
  transfer: 'Stock transfer',
  count: 'Physical count',
  day: 'Day summary',
  old_cancel_note: 'Old -CXL note (delete)',
};
interface Row { id: string; kind: string; number: string; state: string; attempts: number; reason?: string; next_try?: string; posted_at?: string; day?: string }
interface TestResult { reachable: boolean; company_open: boolean; company: string; error?: string }
interface PushResult { due: number; posted: number; failed: number; requests: number; masters_created: number; error?: string; ms: number; still_failed: number; still_waiting: number }
type Mapping = Record<string, Record<string, string> | null>;
type Suggestion = Record<string, string | number>;
interface PullRecord { kind: string; tally: string; code: string; action: string; error?: string; changes?: unknown[]; needs?: string; skipped?: string }
interface Pull { counts: Record<string, number>; records: PullRecord[]; applied: number; refused: number; skipped?: number }

const STATES = ['', 'pending', 'sending', 'posted', 'failed'];
const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));
const g = (o: Suggestion, k: string) => o[k] ?? o[k[0].toUpperCase() + k.slice(1)];

export function Tally() {
  const { me } = useSession();
  const [tab, setTab] = useState<'queue' | 'settings' | 'mapping' | 'pull'>('queue');
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [pushing, setPushing] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number; label?: string } | null>(null);
  const [last, setLast] = useState<PushResult | null>(null);
  const [reload, setReload] = useState(0);

  const loadStatus = useCallback(() => api.get<Status>('/api/tally/status').then(setStatus, setError), []);
  useEffect(() => {
    void loadStatus();
  }, [loadStatus, reload]);
  useEffect(() => onProgress((p) => {
    if (p.task === 'tally' || p.task === 'tally pull') setProgress({ done: p.done, total: p.total, label: p.label });
  }), []);

  async function push() {
    setPushing(true);
    setProgress(null);
    try {
      const r = await api.post<PushResult>('/api/tally/push');
      setLast(r);
      const left = r.still_failed + r.still_waiting;
      toast(r.error ? `Tally: ${r.error}` : `Posted ${r.posted}, failed ${r.failed}${left ? `; ${r.still_failed} failed and ${r.still_waiting} waiting in all` : ''}`, r.failed || r.error || left ? 'error' : 'ok');
    } catch (e) {
      toast(msg(e), 'error');
    } finally {
      setPushing(false);
      setReload((n) => n + 1);
    }
  }
  async function runTest() {
    setTesting(true);
    try {
      setTest(await api.post<TestResult>('/api/tally/test'));
    } catch (e) {
      setTest({ reachable: false, company_open: false, company: '', error: msg(e) });
    } finally {
      setTesting(false);
    }
  }
  const c = status?.counts ?? {};
  return (
    <div className="page master">
      <PageHeader title="Tally" sub="Every document posts once: a retry alters the voucher already in Tally, never duplicates it">
        <button type="button" onClick={runTest} disabled={testing}>{testing ? 'Testing…' : 'Test connection'}</button>
        <button type="button" className="primary" onClick={push} disabled={pushing}>{pushing ? 'Posting…' : 'Push to Tally now'}</button>
      </PageHeader>
      <ErrorNote error={error} />
      {test && (
        <div className={'note ' + (test.reachable && test.company_open ? 'ok' : 'error')} data-testid="tally-test">
          {test.reachable ? (test.company_open ? `Tally is running with ${test.company} open.` : `Tally answers, but company "${test.company}" is not open: open it in Tally (F3) or correct the name in Settings.`)
            : `Tally did not answer${test.error ? `: ${test.error}` : ''}. Start TallyPrime with its HTTP port (F1 › Settings › Connectivity, port 9000), then test again.`}
        </div>
      )}
      {pushing && progress && <ProgressBar done={progress.done} total={progress.total} label={progress.label || 'posting to Tally'} />}
      {last && !pushing && <div className="note">Last push: {formatInt(last.posted)} posted, {formatInt(last.failed)} failed of {formatInt(last.due)} due, {formatInt(last.masters_created)} masters created, {last.ms} ms; {formatInt(last.still_failed)} failed and {formatInt(last.still_waiting)} waiting in all{last.error ? ` — ${last.error}` : ''}</div>}
      <div className="figures" data-testid="tally-counts">
        <div className="figure"><span>Waiting in the book</span><strong>{formatInt(status?.waiting)}</strong></div>
        {(['pending', 'sending', 'posted', 'failed'] as const).map((s) => (
          <div className="figure" key={s}><span>{s[0].toUpperCase() + s.slice(1)}</span><strong className={s === 'failed' && c[s] ? 'bad' : ''}>{formatInt(c[s] ?? 0)}</strong></div>
        ))}
        {status?.days_to_post ? <div className="figure"><span>Days to post (day-wise)</span><strong>{formatInt(status.days_to_post)}</strong></div> : null}
      </div>
      <div className="tabs">
        {(['queue', 'settings', 'mapping', 'pull'] as const).map((k) => <button key={k} type="button" className={tab === k ? 'on' : ''} onClick={() => setTab(k)}>{k === 'pull' ? 'Pull masters' : k[0].toUpperCase() + k.slice(1)}</button>)}
      </div>
      {tab === 'queue' && <Queue reload={reload} waiting={status?.waiting ?? 0} onRetried={() => setReload((n) => n + 1)} />}
      {tab === 'settings' && <TallySettings admin={me.role === 'admin'} />}
      {tab === 'mapping' && <MappingEditor />}
      {tab === 'pull' && <PullMasters admin={me.role === 'admin'} />}
    </div>
  );
}

function Queue({ reload, waiting, onRetried }: { reload: number; waiting: number; onRetried: () => void }) {
  const [state, setState] = useState('');
  const [rows, setRows] = useState<Row[] | undefined>();
  const [total, setTotal] = useState(0);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRows(undefined);
    // the server pages the queue, newest first, and says how many there are
    api.get<QueuePage>('/api/tally/queue', { state, limit: PAGE, offset })
      .then((r) => { setRows(r.rows ?? []); setTotal(r.total); }, setError);
  }, [state, offset, reload]);
  const retry = useCallback(async (r: Row) => {
    try {
      const res = await api.post<PushResult>(`/api/tally/retry/${encodeURIComponent(r.id)}`);
      toast(res.failed ? `${r.number} failed again${res.error ? ': ' + res.error : ''}` : `${r.number} sent`, res.failed ? 'error' : 'ok');
    } catch (e) {
      toast(msg(e), 'error');
    }
    onRetried();
  }, [onRetried]);
  const columns: Column<Row>[] = useMemo(() => [
    { key: 'kind', title: 'Document', width: 150, text: (r) => DOC_KIND[r.kind] ?? r.kind },
    { key: 'number', title: 'Number', width: 150 },
    { key: 'state', title: 'State', width: 100, render: (r) => <span className={'state state-' + r.state}>{r.state}</span> },
    { key: 'attempts', title: 'Attempts', width: 80, align: 'right' },
    { key: 'reason', title: 'Tally said', flex: 4 },
    { key: 'retry', title: '', width: 80, sortable: false, render: (r) => (r.state === 'failed' ? <button type="button" onClick={() => retry(r)}>Retry</button> : null) },
  ], [retry]);
  return (
    <>
      <div className="report-bar">
        <label>State
          <select value={state} onChange={(e) => { setState(e.target.value); setOffset(0); }} aria-label="Queue state">
            {STATES.map((s) => <option key={s} value={s}>{s || 'all'}</option>)}
          </select>
        </label>
        <span className="muted" data-testid="tally-queue-count">
          {total === 0 ? 'none' : `${formatInt(offset + 1)}–${formatInt(offset + (rows?.length ?? 0))} of ${formatInt(total)}, newest first`}
        </span>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Newer</button>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Older</button>
        <span className="muted">Enter on a failed row retries it</span>
      </div>
      <ErrorNote error={error} />
      <div className="master-body single">
        <DataGrid label="Tally queue" rows={rows ?? []} loading={rows === undefined} columns={columns} rowKey={(r) => r.id}
          onActivate={(r) => r.state === 'failed' && retry(r)} emptyText={(state === '' || state === 'pending') && waiting > 0
            // Documents billed since the last push wait in the book; a push takes them into the queue.
            ? `${formatInt(waiting)} documents wait in the book: Push to Tally now takes them into this queue`
            : 'Nothing in the queue: documents appear here as they are posted'} />
      </div>
    </>
  );
}

function TallySettings({ admin }: { admin: boolean }) {
  const [s, setS] = useState<Settings | null>(null);
  const [error, setError] = useState('');
  const [field, setField] = useState('');
  useEffect(() => {
    api.get<Settings>('/api/tally/settings').then(setS, (e) => setError(msg(e)));
  }, []);
  if (!s) return error ? <div className="note error">{error}</div> : <p className="muted">Loading…</p>;
  const save = async () => {
    setError('');
    setField('');
    try {
      setS(await api.put<Settings>('/api/tally/settings', s));
      toast('Tally settings saved');
    } catch (e) {
      setError(msg(e));
      setField((e as { field?: string }).field ?? '');
    }
  };
  const err = (k: string) => (field === k ? error : undefined);
  return (
    <KeyForm className="form-grid card" onSubmit={save}>
      {error && !field && <div className="note error wide">{error}</div>}
      <Field label="Tally URL" name="url" error={err('url')} hint="TallyPrime's HTTP port, e.g. http://127.0.0.1:9000">
        <input name="url" value={s.url} disabled={!admin} onChange={(e) => setS({ ...s, url: e.target.value })} />
      </Field>
      <Field label="Company (as named in Tally)" name="company" error={err('company')}>
        <input name="company" value={s.company} disabled={!admin} onChange={(e) => setS({ ...s, company: e.target.value })} />
      </Field>
      <Field label="Posting" name="mode" error={err('mode')} hint={s.mode === 'daily' ? 'day-wise: one voucher per day per GST rate, billed to one summary party without GSTINs — file GSTR-1 from Vitaran\'s registers, not from Tally' : 'day-wise: one voucher per day per GST rate'}>
        <select name="mode" value={s.mode || 'invoice'} disabled={!admin} onChange={(e) => setS({ ...s, mode: e.target.value })}>
          <option value="invoice">One voucher per document</option>
          <option value="daily">Day-wise summary</option>
        </select>
      </Field>
      <Field label="Vouchers per request" name="batch_size" error={err('batch_size')}>
        <input name="batch_size" className="num" value={s.batch_size ?? ''} disabled={!admin} onChange={(e) => setS({ ...s, batch_size: Number(e.target.value) || 0 })} />
      </Field>
      {admin ? <div className="form-actions wide"><button type="submit" className="primary">Save settings</button></div> : <p className="muted wide">Only an admin changes Tally settings.</p>}
    </KeyForm>
  );
}

function MappingEditor() {
  const [m, setM] = useState<Mapping | null>(null);
  const [sugg, setSugg] = useState<{ ledgers?: Record<string, Suggestion[]>; items?: Record<string, Suggestion[]> } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<Mapping>('/api/tally/mapping').then(setM, (e) => setError(msg(e)));
  }, []);
  const group = (k: 'Ledgers' | 'Items') => (m?.[k] ?? m?.[k.toLowerCase()] ?? {}) as Record<string, string>;
  const setEntry = (k: 'Ledgers' | 'Items', ours: string, theirs: string) => setM((x) => ({ ...(x ?? {}), [k]: { ...group(k), [ours]: theirs } }));
  async function suggest() {
    setBusy(true);
    try {
      setSugg(await api.get('/api/tally/mapping/suggest'));
    } catch (e) {
      setError(msg(e));
    } finally {
      setBusy(false);
    }
  }
  const fileRef = useRef<HTMLInputElement>(null);
  async function importFile(f: File | undefined) {
    if (!f) return;
    setBusy(true);
    setError('');
    try {
      setM(await upload<Mapping>('/api/tally/mapping/import', f));
      toast(`Mapping imported from ${f.name} and saved`);
    } catch (e) {
      setError(msg(e));
    } finally {
      setBusy(false);
    }
  }
  async function save() {
    try {
      setM(await api.put<Mapping>('/api/tally/mapping', m));
      toast('Mapping saved');
    } catch (e) {
      setError(msg(e));
    }
  }
  const rows = (k: 'Ledgers' | 'Items', s?: Record<string, Suggestion[]>) => {
    const names = new Set([...Object.keys(group(k)), ...Object.keys(s ?? {})]);
    return [...names].sort().map((ours) => ({ ours, theirs: group(k)[ours] ?? '', options: s?.[ours] ?? [] }));
  };
  return (
    <div className="card">
      <p className="muted">Leave a name empty to let Vitaran create it in Tally. Suggestions match by GSTIN first, then by name.</p>
      {error && <div className="note error">{error}</div>}
      <div className="report-bar">
        <button type="button" onClick={suggest} disabled={busy}>{busy ? 'Asking Tally…' : 'Suggest matches from Tally'}</button>
        <button type="button" className="primary" onClick={save} disabled={!m}>Save mapping</button>
        <button type="button" onClick={() => fileRef.current?.click()} disabled={busy} title="Columns: Kind (ledger, item, godown, unit), Vitaran name, Tally name">Import from Excel…</button>
        <input ref={fileRef} type="file" name="mapping-file" accept=".xlsx,.csv" hidden onChange={(e) => { void importFile(e.target.files?.[0]); e.target.value = ''; }} />
        <span className="muted">Sheet columns: Kind (ledger / item / godown / unit), Vitaran name, Tally name; rows are added to the mapping</span>
      </div>
      <div className="panel-grid">
        {(['Ledgers', 'Items'] as const).map((k) => (
          <div key={k} className="errors-table">
            <table className="mini">
              <thead><tr><th>{k === 'Ledgers' ? 'Our party / ledger' : 'Our item'}</th><th>Tally name</th><th>Suggestions</th></tr></thead>
              <tbody>
                {rows(k, k === 'Ledgers' ? sugg?.ledgers : sugg?.items).map((r) => (
                  <tr key={r.ours}>
                    <td className="mono">{r.ours}</td>
                    <td><input value={r.theirs} onChange={(e) => setEntry(k, r.ours, e.target.value)} aria-label={`Tally name for ${r.ours}`} /></td>
                    <td>{r.options.map((o, i) => (
                      <button key={i} type="button" className="ghost" title={String(g(o, 'why'))} onClick={() => setEntry(k, r.ours, String(g(o, 'theirs')))}>
                        {String(g(o, 'theirs'))} <span className="muted">({String(g(o, 'score'))})</span>
                      </button>
                    ))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </div>
  );
}

function PullMasters({ admin }: { admin: boolean }) {
  const [pull, setPull] = useState<Pull | null>(null);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  // MRPs typed for new items (Tally keeps none), by Tally name; skipped ones are left out.
  const [mrp, setMrp] = useState<Record<string, number | null>>({});
  const [skip, setSkip] = useState<Record<string, boolean>>({});
  const needing = (pull?.records ?? []).filter((r) => r.needs === 'mrp');
  const given = needing.filter((r) => !skip[r.tally] && (mrp[r.tally] ?? 0) > 0);
  const open = needing.filter((r) => !skip[r.tally] && !((mrp[r.tally] ?? 0) > 0));

  async function run(apply: boolean) {
    setBusy(apply ? 'apply' : 'preview');
    setError('');
    try {
      const body = { mrp_paise: Object.fromEntries(given.map((r) => [r.tally, mrp[r.tally] as number])) };
      const r = apply ? await api.post<Pull>('/api/tally/pull/apply', body) : await api.post<Pull>('/api/tally/pull/preview');
      setPull(r);
      if (apply) {
        const skipped = r.skipped ?? 0;
        toast(`Applied ${r.applied}, refused ${r.refused}${skipped ? `, ${skipped} new items left for want of an MRP` : ''}`, r.refused ? 'error' : 'ok');
      } else {
        setMrp({});
        setSkip({});
      }
    } catch (e) {
      setError(msg(e));
    } finally {
      setBusy('');
    }
  }
  /** Enter in an MRP moves to the next one still open. */
  function nextMrp(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const all = Array.from(document.querySelectorAll<HTMLInputElement>('.mrp-cell input'));
    const i = all.indexOf(e.currentTarget);
    (all[i + 1] ?? document.querySelector<HTMLButtonElement>('button[data-apply]'))?.focus();
  }
  return (
    <div className="card">
      <p className="muted">Reads Tally's debtors (as outlets) and stock items (as items). Nothing changes until you apply the preview.
        Tally keeps no MRP: type the MRP printed on the pack for each new item, or skip it (it stays out until a later pull).</p>
      <div className="report-bar">
        <button type="button" onClick={() => run(false)} disabled={!!busy}>{busy === 'preview' ? 'Reading Tally…' : 'Preview'}</button>
        <button type="button" data-apply className="primary" onClick={() => run(true)} disabled={!!busy || !pull || !admin}>{busy === 'apply' ? 'Applying…' : 'Apply'}</button>
        {needing.length > 0 && (
          <span className={open.length ? 'needs-mrp' : 'muted'} data-testid="mrp-state">
            {formatInt(given.length)} of {formatInt(needing.length)} new items have an MRP{open.length ? ` · ${formatInt(open.length)} will be skipped` : ''}
          </span>
        )}
        {!admin && pull && <span className="muted">Only an admin applies a pull.</span>}
      </div>
      {error && <div className="note error">{error}</div>}
      {pull && (
        <>
          <div className="figures">{Object.entries(pull.counts ?? {}).map(([k, v]) => <div className="figure" key={k}><span>{k}</span><strong className={k.startsWith('needs') ? 'needs-mrp' : ''}>{formatInt(v)}</strong></div>)}</div>
          <div className="errors-table">
            <table className="mini">
              <thead><tr><th>Kind</th><th>In Tally</th><th>Ours</th><th>Action</th><th>MRP</th><th>Note</th></tr></thead>
              <tbody>{(pull.records ?? []).filter((r) => r.action !== 'unchanged').slice(0, 1000).map((r, i) => (
                <tr key={i} className={r.error ? 'has-error' : ''}>
                  <td>{r.kind}</td><td>{r.tally}</td><td className="mono">{r.code}</td>
                  <td><span className={'state state-' + (r.action === 'changed' ? 'updated' : r.action)}>{r.action}</span></td>
                  <td className="mrp-cell">
                    {r.needs === 'mrp' && (
                      <span className="flags">
                        <MoneyInput name={`mrp-${r.code}`} aria-label={`MRP of ${r.tally}`} value={mrp[r.tally] ?? null} disabled={!!skip[r.tally]}
                          onChange={(p) => setMrp((x) => ({ ...x, [r.tally]: p }))} onKeyDown={nextMrp} />
                        <label className="muted"><input type="checkbox" checked={!!skip[r.tally]} onChange={(e) => setSkip((x) => ({ ...x, [r.tally]: e.target.checked }))} /> skip</label>
                      </span>
                    )}
                  </td>
                  <td>
                    {r.needs === 'mrp' && !r.skipped && <span className="needs-mrp">needs MRP</span>}
                    {r.skipped && <span className="needs-mrp" title={r.skipped}>skipped: needs MRP</span>}
                    {r.error ?? ''}
                    {r.action === 'new' && r.kind === 'item' && mrp[r.tally] && !skip[r.tally] ? <span className="muted"> · MRP ₹ {formatAmount(mrp[r.tally])}</span> : null}
                  </td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
