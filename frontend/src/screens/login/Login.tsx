import { useState } from 'react';
import { api, ApiError } from '../../api';
import type { Me } from '../../types';

export function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const [user, setUser] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await api.login(user, password));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="brand-mark big">V</div>
        <h1>Vitaran</h1>
        <p className="muted">Distributor management — sign in to your book</p>
        <label htmlFor="login-user">User</label>
        <input id="login-user" name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && <div className="note error" role="alert">{error}</div>}
        <button type="submit" className="primary wide" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </div>
  );
}
