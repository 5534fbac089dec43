// Settings that keep the book safe: users (create, role, reset password;
// everyone changes their own), backups (last, list, back up now, folder;
// restore a listed backup, the word RESTORE typed to confirm; pull the lost
// invoices back from Tally) and the audit log
// (filters, paging, Excel export). The audit trail cannot be edited here or
// anywhere.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, download } from '../../api';
import { formatDate, formatStamp } from '../../format';
import { useSession } from '../../context';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column } from '../../widgets/DataGrid';
import { DateInput, Field } from '../../widgets/inputs';
import { KeyForm } from '../../widgets/form';
import { Pager } from '../../widgets/Pager';
import { ExportButton } from '../../widgets/ReportGrid';
import { ErrorNote, Modal, PageHeader, toast } from '../../widgets/ui';

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));
const when = formatStamp; // DD-MM-YYYY HH:MM, as every date in Vitaran
const ROLES = ['admin', 'billing', 'accounts', 'viewer'];

interface User { user: string; role: string; disabled: boolean; created: string }

export function Users() {
  const { me } = useSession();
  const [users, setUsers] = useState<User[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [pwFor, setPwFor] = useState<string | null>(null);
  const admin = me.role === 'admin';
  const load = useCallback(() => {
    if (admin) api.get<User[]>('/api/users').then(setUsers, setError);
  }, [admin]);
  useEffect(load, [load]);
  const columns: Column<User>[] = useMemo(() => [
    { key: 'user', title: 'User', width: 160 },
    { key: 'role', title: 'Role', width: 110, render: (u) => <span className={'role role-' + u.role}>{u.role}</span> },
    { key: 'disabled', title: 'State', width: 100, value: (u) => (u.disabled ? 'disabled' : 'active') },
    { key: 'created', title: 'Created', flex: 1, text: (u) => when(u.created) },
    { key: 'pw', title: '', width: 150, sortable: false, render: (u) => <button type="button" onClick={() => setPwFor(u.user)}>Reset password</button> },
  ], []);
  return (
    <div className="page master">
      <PageHeader title="Users" sub={admin ? 'Roles: admin (everything), billing (invoices), accounts (receipts, schemes, Tally), viewer (read only)' : undefined}>
        <button type="button" onClick={() => setPwFor(me.user)}>Change my password</button>
        {admin && <button type="button" className="primary" onClick={() => setAdding(true)}>New user</button>}
      </PageHeader>
      <ErrorNote error={error} />
      {admin ? (
        <div className="master-body single">
          <DataGrid label="Users" rows={users ?? []} loading={users === undefined} columns={columns} rowKey={(u) => u.user} onActivate={(u) => setPwFor(u.user)} />
        </div>
      ) : <p className="muted">Only an admin manages users. You can change your own password.</p>}
      {adding && <NewUser onClose={() => setAdding(false)} onSaved={() => { setAdding(false); load(); }} />}
      {pwFor && <Password user={pwFor} own={pwFor === me.user} onClose={() => setPwFor(null)} />}
    </div>
  );
}

function NewUser({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const [u, setU] = useState({ user: '', role: 'billing', password: '' });
  const [error, setError] = useState('');
  const [field, setField] = useState('');
  const save = async () => {
    try {
      await api.post('/api/users', u);
      toast(`User ${u.user} created`);
      onSaved();
    } catch (e) {
      setError(msg(e));
      setField((e as { field?: string }).field ?? '');
    }
  };
  const err = (k: string) => (field.toLowerCase() === k ? error : undefined);
  return (
    <Modal title="New user" onClose={onClose} footer={<button type="button" className="primary" onClick={save}>Create</button>}>
      <KeyForm className="form-grid" onSubmit={save}>
        {error && !err('user') && !err('role') && !err('password') && <div className="note error wide">{error}</div>}
        <Field label="User name" name="user" error={err('user')}><input name="user" value={u.user} onChange={(e) => setU({ ...u, user: e.target.value })} /></Field>
        <Field label="Role" name="role" error={err('role')}>
          <select name="role" value={u.role} onChange={(e) => setU({ ...u, role: e.target.value })}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>
        </Field>
        <Field label="Password" name="password" error={err('password')} hint="at least 10 characters"><input name="password" type="password" autoComplete="new-password" value={u.password} onChange={(e) => setU({ ...u, password: e.target.value })} /></Field>
      </KeyForm>
    </Modal>
  );
}

function Password({ user, own, onClose }: { user: string; own: boolean; onClose: () => void }) {
  const [old, setOld] = useState('');
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const [error, setError] = useState('');
  const save = async () => {
    if (pw !== pw2) return setError('The two new passwords differ: type the same one twice.');
    try {
      await api.post(`/api/users/${encodeURIComponent(user)}/password`, { old_password: own ? old : undefined, password: pw });
      toast(own ? 'Your password is changed' : `Password of ${user} reset`);
      onClose();
    } catch (e) {
      setError(msg(e));
    }
  };
  return (
    <Modal title={own ? 'Change my password' : `Reset password of ${user}`} onClose={onClose} footer={<button type="button" className="primary" onClick={save}>Save</button>}>
      <KeyForm className="form-grid" onSubmit={save}>
        {error && <div className="note error wide" role="alert">{error}</div>}
        {own && <Field label="Current password" name="old"><input name="old" type="password" autoComplete="current-password" value={old} onChange={(e) => setOld(e.target.value)} /></Field>}
        <Field label="New password" name="password"><input name="password" type="password" autoComplete="new-password" value={pw} onChange={(e) => setPw(e.target.value)} /></Field>
        <Field label="New password again" name="password2"><input name="password2" type="password" autoComplete="new-password" value={pw2} onChange={(e) => setPw2(e.target.value)} /></Field>
      </KeyForm>
    </Modal>
  );
}

interface BackupFile { path: string; name: string; kind: string; at: string; size: number; compressed: boolean }
interface Backups { folder: string; schedule: string; last?: BackupFile; next?: string; last_error?: string; error_at?: string; files: BackupFile[] }

export function BackupsScreen() {
  const { me } = useSession();
  const [b, setB] = useState<Backups | null>(null);
  const [settings, setSettings] = useState<{ folder: string; schedule: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pick, setPick] = useState('');
  const [typed, setTyped] = useState('');
  const [restored, setRestored] = useState(0); // bumps the restore card after a restore
  const load = useCallback(() => {
    api.get<Backups>('/api/backups').then(setB, setError);
    api.get<{ folder: string; schedule: string }>('/api/settings/backup').then(setSettings, setError);
  }, []);
  useEffect(() => {
    if (me.role === 'admin') load();
  }, [load, me.role]);
  if (me.role !== 'admin') return <div className="page"><PageHeader title="Backups" /><p className="muted">Only an admin sees and takes backups.</p></div>;
  const now = async () => {
    setBusy(true);
    try {
      const f = await api.post<BackupFile>('/api/backups');
      toast(`Backup written: ${f.name}`);
      load();
    } catch (e) {
      toast(msg(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  const saveSettings = async () => {
    try {
      setSettings(await api.put('/api/settings/backup', settings));
      toast('Backup settings saved');
      load();
    } catch (e) {
      toast(msg(e), 'error');
    }
  };
  const newest = b?.last ?? b?.files?.[0];
  const chosen = pick || newest?.name || '';
  const restore = async () => {
    setBusy(true);
    try {
      await api.post('/api/restore', { file: chosen, confirm: typed });
      toast(`The book is now as it was in ${chosen}`);
      setTyped('');
      setRestored((n) => n + 1);
      load();
    } catch (e) {
      toast(msg(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page">
      <PageHeader title="Backups" sub="A consistent copy of the book, compressed, kept 7 daily · 4 weekly · 12 monthly">
        <button type="button" className="primary" onClick={now} disabled={busy}>{busy ? 'Backing up…' : 'Back up now'}</button>
      </PageHeader>
      <ErrorNote error={error} />
      {b && (
        <>
          {b.last_error && <div className="note error">The last scheduled backup failed ({when(b.error_at)}): {b.last_error}</div>}
          <div className="figures" data-testid="backup-status">
            <div className="figure"><span>Last backup</span><strong>{when(newest?.at)}</strong><small>{newest?.name ?? 'none yet'}</small></div>
            <div className="figure"><span>Next scheduled</span><strong>{when(b.next)}</strong><small>{b.schedule}</small></div>
            <div className="figure"><span>Folder</span><strong style={{ fontSize: 13 }}>{b.folder}</strong></div>
          </div>
          <div className="panel-grid">
            <div className="errors-table">
              <table className="mini">
                <thead><tr><th>File</th><th>Kind</th><th>Taken</th><th className="num">MB</th></tr></thead>
                <tbody>{b.files.map((f) => <tr key={f.path}><td className="mono">{f.name}</td><td>{f.kind}</td><td>{when(f.at)}</td><td className="num">{(f.size / 1048576).toFixed(1)}</td></tr>)}</tbody>
              </table>
            </div>
            <KeyForm className="card" onSubmit={restore}>
              <h2>Restore</h2>
              <p>Restoring replaces the whole book with the backup: everything posted since is no longer in the book (Tally and head office keep their copies, and the report below names each document). The current book is kept beside it.</p>
              <Field label="Backup" name="restore-file">
                <select name="restore-file" value={chosen} onChange={(e) => setPick(e.target.value)}>
                  {b.files.map((f) => <option key={f.path} value={f.name}>{f.name} · {when(f.at)}</option>)}
                </select>
              </Field>
              <Field label="Type RESTORE to confirm" name="restore-confirm">
                <input name="restore-confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
              </Field>
              <div className="form-actions"><button type="submit" className="danger" disabled={busy || !chosen || typed !== 'RESTORE'}>Restore this backup</button></div>
              <p className="muted">Or, with Vitaran stopped: <code className="cmd">{`vitaran restore --from "${newest?.path ?? b.folder + '/vitaran-daily-….book.gz'}"`}</code></p>
            </KeyForm>
          </div>
        </>
      )}
      <RestoreCard key={restored} />
      {settings && (
        <KeyForm className="form-grid card" onSubmit={saveSettings}>
          <h2 className="wide">Settings</h2>
          <Field label="Backup folder" name="folder" hint="a second disk or a synced folder; empty: the data folder's backups/">
            <input name="folder" value={settings.folder} onChange={(e) => setSettings({ ...settings, folder: e.target.value })} />
          </Field>
          <Field label="Schedule (cron, IST)" name="schedule"><input name="schedule" value={settings.schedule} onChange={(e) => setSettings({ ...settings, schedule: e.target.value })} /></Field>
          <div className="form-actions wide"><button type="submit" className="primary">Save settings</button></div>
        </KeyForm>
      )}
    </div>
  );
}

interface LostDoc { kind: string; number: string; in_tally: boolean; at_head_office: string; from_tally?: boolean; pulled?: string; why?: string }
interface RestoreState {
  restore: null | { from: string; at: string; incarnation: string; kept_as?: string; lost: LostDoc[]; summary: string[]; numbering_held: boolean };
  numbering_held: boolean;
  hold_reason?: string;
  next: Record<string, number>;
}

const HO_WORDS: Record<string, string> = { yes: 'holds it', waiting: 'on its way', no: '—', unknown: 'not known' };

/**
 * The last restore in plain words (what was lost, and whether Tally or head
 * office holds it), the button that pulls the lost documents Tally still holds
 * back into the book, and, while numbering is held, the form where a person
 * confirms the next number of each series.
 */
function RestoreCard() {
  const [st, setSt] = useState<RestoreState | null>(null);
  const [next, setNext] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.get<RestoreState>('/api/restore').then((r) => {
      setSt(r);
      setNext(Object.fromEntries(Object.entries(r.next ?? {}).map(([k, v]) => [k, String(v)])));
    }, setError);
  }, []);
  useEffect(load, [load]);
  if (!st || (!st.restore && !st.numbering_held)) return <ErrorNote error={error} />;
  const confirm = async () => {
    const body: Record<string, number> = {};
    for (const [k, v] of Object.entries(next)) {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) {
        toast(`${k}: the next number must be a whole number, 1 or more`, 'error');
        return;
      }
      body[k] = n;
    }
    try {
      await api.post('/api/numbering/confirm', { next: body });
      toast('Next numbers confirmed: billing can go on');
      load();
    } catch (e) {
      toast(msg(e), 'error');
    }
  };
  const pull = async () => {
    try {
      const p = await api.post<{ pulled: string[]; not_pulled: Record<string, string>; summary: string[] }>('/api/restore/pull');
      toast(p.summary.join(' '), Object.keys(p.not_pulled ?? {}).length ? 'error' : undefined);
      load();
    } catch (e) {
      toast(msg(e), 'error');
    }
  };
  const r = st.restore;
  const pullable = r?.lost.filter((d) => d.from_tally && !d.pulled).length ?? 0;
  return (
    <div className="card" data-testid="restore-report">
      <h2>Last restore</h2>
      <ErrorNote error={error} />
      {r && (
        <>
          <p className="muted">{when(r.at)} · from <span className="mono">{r.from}</span> · incarnation {r.incarnation}{r.kept_as ? <> · the book it replaced is kept as <span className="mono">{r.kept_as}</span></> : null}</p>
          {r.summary.map((l, i) => <p key={i}>{l}</p>)}
          {r.lost.length > 0 && (
            <table className="mini">
              <thead><tr><th>Lost document</th><th>Kind</th><th>In Tally</th><th>Head office</th><th>Back in the book</th></tr></thead>
              <tbody>{r.lost.map((d) => <tr key={d.kind + d.number}><td className="mono">{d.number}</td><td>{d.kind}</td><td>{d.in_tally ? 'yes' : '—'}</td><td>{HO_WORDS[d.at_head_office] ?? d.at_head_office}</td>
                <td title={d.why}>{d.pulled ? `pulled from Tally ${when(d.pulled)}` : d.from_tally ? 'can be pulled from Tally' : d.why ? 'not from Tally: see above' : '—'}</td></tr>)}</tbody>
            </table>
          )}
          {pullable > 0 && (
            <div className="form-actions">
              <button type="button" className="primary" onClick={pull}>Pull back {pullable} from Tally</button>
              <span className="muted">Each lost invoice, credit note, receipt and cheque bounce Tally still holds is posted back under its own number, stock moved and bills set, if it comes out as Tally holds it.</span>
            </div>
          )}
        </>
      )}
      {st.numbering_held && (
        <KeyForm className="form-grid" onSubmit={confirm}>
          <div className="note error wide">Numbering is on hold: {st.hold_reason}. Nothing can be billed until you confirm the next number of each series. Check the last printed document, Tally and head office first; a number is never used twice.</div>
          {Object.keys(next).sort().map((k) => (
            <Field key={k} label={`Next ${k}/…`} name={'next-' + k}>
              <input name={'next-' + k} inputMode="numeric" value={next[k]} onChange={(e) => setNext((x) => ({ ...x, [k]: e.target.value }))} />
            </Field>
          ))}
          <div className="form-actions wide"><button type="submit" className="primary">Confirm next numbers</button></div>
        </KeyForm>
      )}
    </div>
  );
}

/** Audit entries per page, newest first. */
const AUDIT_PAGE = 500;

interface AuditEntry { seq: number; at: string; user: string; role?: string; from?: string; action: string; kind: string; key: string; before?: unknown; after?: unknown; note?: string }

export function Audit() {
  const [f, setF] = useState({ from: '', to: '', user: '', kind: '', action: '', q: '' });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ entries: AuditEntry[]; total: number; offset: number; limit: number } | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const rows = page?.entries;
  // A new filter starts again at the newest entries.
  useEffect(() => setOffset(0), [f]);
  const load = useCallback(() => {
    setPage(undefined);
    api.get<{ entries: AuditEntry[]; total: number; offset: number; limit: number }>('/api/audit', { ...f, offset, limit: AUDIT_PAGE }).then((r) => {
      setPage(r);
      setError(null);
    }, setError);
  }, [f, offset]);
  useEffect(() => {
    const t = setTimeout(() => load(), 300);
    return () => clearTimeout(t);
  }, [load]);
  const columns: Column<AuditEntry>[] = useMemo(() => [
    { key: 'seq', title: '#', width: 70, align: 'right' },
    { key: 'at', title: 'When', width: 170, text: (e) => when(e.at) },
    { key: 'user', title: 'User', width: 100 },
    { key: 'from', title: 'From', width: 120 },
    { key: 'action', title: 'Action', width: 90 },
    { key: 'kind', title: 'What', width: 110 },
    { key: 'key', title: 'Key', width: 150 },
    { key: 'note', title: 'Note', flex: 2 },
  ], []);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  return (
    <div className="page master">
      <PageHeader title="Audit log" sub="Every create, change, cancel, import, setting and login: who, when, from where, before → after. It cannot be edited or switched off.">
        <ExportButton run={() => download('/api/audit/export', f, 'audit.xlsx')} />
      </PageHeader>
      <div className="report-bar">
        <label>From <DateInput value={f.from} onChange={(v) => set('from')(v ?? '')} /></label>
        <label>To <DateInput value={f.to} onChange={(v) => set('to')(v ?? '')} /></label>
        {(['user', 'kind', 'action', 'q'] as const).map((k) => (
          <label key={k}>{k === 'q' ? 'Words' : k[0].toUpperCase() + k.slice(1)}<input name={'audit-' + k} value={f[k]} size={12} onChange={(e) => set(k)(e.target.value)} /></label>
        ))}
        <Pager page={page && { ...page, rows: page.entries }} onOffset={setOffset} noun="entries" />
      </div>
      <ErrorNote error={error} />
      <div className="master-body single">
        <DataGrid label="Audit log" rows={rows ?? []} loading={rows === undefined} columns={columns} rowKey={(e) => String(e.seq)} onActivate={setOpen} rowCount={page?.total} />
      </div>
      {open && (
        <Modal title={`#${open.seq} · ${open.action} ${open.kind} ${open.key}`} onClose={() => setOpen(null)} width={860}>
          <p className="muted">{when(open.at)} · {open.user} ({open.role}) from {open.from} {open.note ? `· ${open.note}` : ''} · {formatDate(open.at.slice(0, 10))}</p>
          <div className="panel-grid">
            <div><h2>Before</h2><pre className="cmd">{open.before ? JSON.stringify(open.before, null, 2) : '—'}</pre></div>
            <div><h2>After</h2><pre className="cmd">{open.after ? JSON.stringify(open.after, null, 2) : '—'}</pre></div>
          </div>
        </Modal>
      )}
    </div>
  );
}
