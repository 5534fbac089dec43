// The dashboard's login: the admin set with `vitaran headoffice set-admin`.

import { useState } from 'react';
import { ho, HoError } from './api';

export function Login({ onIn }: { onIn: (user: string) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!user || !password) {
      setError('Type the user and the password.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const r = await ho.login(user, password);
      onIn(r.user);
    } catch (err) {
      const he = err instanceof HoError ? err : null;
      setError(
        he?.code === 'bad_login'
          ? 'Wrong user or password. The admin is set on the server with vitaran headoffice set-admin.'
          : he?.code === 'no_admin'
            ? 'No dashboard admin is set yet: run vitaran headoffice set-admin --user U --password P on the server.'
            : err instanceof Error ? err.message : String(err),
      );
      setPassword('');
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} aria-label="Log in">
        <h1>Vitaran head office</h1>
        <div className="muted">Primary, secondary, stock, schemes and claims from every distributor.</div>
        <label htmlFor="ho-user">User</label>
        <input id="ho-user" autoFocus autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
        <label htmlFor="ho-password">Password</label>
        <input id="ho-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <div className="note error" role="alert">{error}</div>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
    </div>
  );
}
