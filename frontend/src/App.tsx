// The shell: who is logged in, whether the company exists, the left
// navigation, the top bar (company · FY · user), and the screen.

import { Suspense, useCallback, useEffect, useState } from 'react';
import { api, ApiError, onUnauthorized } from './api';
import { SessionContext } from './context';
import type { Session } from './context';
import { fyLabel, todayISO } from './format';
import { navigate, useRoute } from './router';
import { allRoutes, findRoute, groups } from './routes';
import { Login } from './screens/login/Login';
import { CompanyForm } from './screens/company/CompanyForm';
import { clearCaches } from './store';
import { ProgressTray, Toasts } from './widgets/ui';
import type { Company, Me } from './types';

type Auth = { state: 'loading' } | { state: 'out' } | { state: 'in'; me: Me } | { state: 'down'; error: string };

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });

  const check = useCallback(async () => {
    try {
      setAuth({ state: 'in', me: await api.me() });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setAuth({ state: 'out' });
      else setAuth({ state: 'down', error: e instanceof Error ? e.message : String(e) });
    }
  }, []);

  useEffect(() => {
    void check();
    return onUnauthorized(() => {
      clearCaches();
      setAuth({ state: 'out' });
    });
  }, [check]);

  return (
    <>
      {auth.state === 'loading' && <div className="boot">Vitaran…</div>}
      {auth.state === 'down' && (
        <div className="boot">
          <div className="note error">{auth.error}</div>
          <button type="button" onClick={check}>Try again</button>
        </div>
      )}
      {auth.state === 'out' && <Login onLogin={(me) => setAuth({ state: 'in', me })} />}
      {auth.state === 'in' && (
        <Book
          me={auth.me}
          onLogout={async () => {
            await api.logout().catch(() => undefined);
            clearCaches();
            setAuth({ state: 'out' });
          }}
        />
      )}
      <Toasts />
    </>
  );
}

function Book({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const [company, setCompany] = useState<Company | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api.company.get().then(setCompany, (e) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (error) return <div className="boot"><div className="note error">{error}</div></div>;
  if (!company) return <div className="boot">Opening the book…</div>;
  if (!company.name) {
    if (me.role !== 'admin') {
      return (
        <div className="boot">
          <div className="note">The company has not been set up yet. Ask an admin to sign in and set it up.</div>
          <button type="button" onClick={onLogout}>Sign out</button>
        </div>
      );
    }
    return <CompanyForm setup initial={company} onSaved={setCompany} />;
  }
  const session: Session = { me, company, setCompany, canWrite: me.role !== 'viewer' };
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} onLogout={onLogout} />
    </SessionContext.Provider>
  );
}

function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const path = useRoute();
  const { me, company } = session;
  const route = findRoute(path);

  useEffect(() => {
    if (path === '/' || !route) navigate('/billing');
  }, [path, route]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      // "F5", or with a modifier "Ctrl+I" (browsers keep F11 and F12).
      const name = (e.ctrlKey ? 'Ctrl+' : '') + (e.altKey ? 'Alt+' : '') + (e.key.length === 1 ? e.key.toUpperCase() : e.key);
      const r = allRoutes.find((x) => x.key === name);
      if (r && !e.metaKey) {
        e.preventDefault();
        navigate(r.path);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const today = todayISO();
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <div className="nav-brand">
          <div className="brand-mark">V</div>
          <span>Vitaran</span>
        </div>
        <div className="nav-groups">
          {groups.map((g) => (
            <div key={g.group} className="nav-group">
              <div className="nav-group-title">{g.group}</div>
              {g.routes.map((r) => (
                <a
                  key={r.path}
                  href={'#' + r.path}
                  className={'nav-link' + (route?.path === r.path ? ' active' : '')}
                  aria-current={route?.path === r.path ? 'page' : undefined}
                >
                  <span>{r.label}</span>
                  {r.key && <kbd>{r.key}</kbd>}
                </a>
              ))}
            </div>
          ))}
        </div>
      </nav>
      <div className="main">
        <header className="topbar">
          <div className="company" title={company.address}>
            <strong>{company.name}</strong>
            {company.gstin && <span className="muted">GSTIN {company.gstin}</span>}
          </div>
          <ProgressTray />
          <div className="topbar-right">
            <span className="pill" title="Financial year">FY {fyLabel(today, company.fy_start_month)}</span>
            <span className="user">
              {me.user} <span className={'role role-' + me.role}>{me.role}</span>
            </span>
            <button type="button" className="ghost" onClick={onLogout}>Log out</button>
          </div>
        </header>
        <main className="content" key={route?.path}>
          {route?.path === '/company' ? (
            <CompanyForm initial={company} onSaved={session.setCompany} readOnly={me.role !== 'admin'} />
          ) : (
            <Suspense fallback={<div className="page"><p className="muted">Loading…</p></div>}>{route?.render(path)}</Suspense>
          )}
        </main>
      </div>
    </div>
  );
}
