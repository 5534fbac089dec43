// Small shared pieces: toasts, a modal, the progress tray, page header,
// placeholder for screens whose backend has not landed yet.

import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { onProgress } from '../api';
import type { Progress } from '../types';

type Toast = { id: number; text: string; kind: 'ok' | 'error' | 'info' };
let toastId = 0;
const toastSubs = new Set<(t: Toast) => void>();

/** Shows a short message in the corner. */
export function toast(text: string, kind: Toast['kind'] = 'ok') {
  const t = { id: ++toastId, text, kind };
  toastSubs.forEach((f) => f(t));
}

export function Toasts() {
  const [list, setList] = useState<Toast[]>([]);
  useEffect(() => {
    const f = (t: Toast) => {
      setList((l) => [...l.slice(-3), t]);
      setTimeout(() => setList((l) => l.filter((x) => x.id !== t.id)), t.kind === 'error' ? 6000 : 3000);
    };
    toastSubs.add(f);
    return () => {
      toastSubs.delete(f);
    };
  }, []);
  return (
    <div className="toasts" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} className={'toast ' + t.kind} role={t.kind === 'error' ? 'alert' : 'status'}>{t.text}</div>
      ))}
    </div>
  );
}

/** A modal dialog; Esc closes, focus goes to the first input. */
export function Modal({ title, onClose, children, footer, width }: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  width?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current?.querySelector<HTMLElement>('input,select,textarea,button.primary');
    el?.focus();
  }, []);
  return (
    <div className="modal-back" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal"
        role="dialog"
        aria-label={title}
        ref={ref}
        style={width ? { width } : undefined}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <div className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="ghost" onClick={onClose} aria-label="Close">✕</button>
        </div>
        <div className="modal-body">{children}</div>
        {footer && <div className="modal-foot">{footer}</div>}
      </div>
    </div>
  );
}

/** Long tasks from the backend, each as a bar with counts; finished ones fade. */
export function ProgressTray() {
  const [tasks, setTasks] = useState<Record<string, Progress & { at: number }>>({});
  useEffect(() => {
    const off = onProgress((p) => setTasks((t) => ({ ...t, [p.task]: { ...p, at: Date.now() } })));
    const timer = setInterval(() => {
      setTasks((t) => {
        const now = Date.now();
        const keep = Object.fromEntries(
          Object.entries(t).filter(([, p]) => !(p.total > 0 && p.done >= p.total && now - p.at > 4000)),
        );
        return Object.keys(keep).length === Object.keys(t).length ? t : keep;
      });
    }, 1000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, []);
  const list = Object.values(tasks);
  if (!list.length) return null;
  return (
    <div className="progress-tray">
      {list.map((p) => (
        <ProgressBar key={p.task} done={p.done} total={p.total} label={p.label || p.task} />
      ))}
    </div>
  );
}

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((done * 100) / total)) : 0;
  return (
    <div className="pbar" role="progressbar" aria-valuenow={done} aria-valuemax={total} aria-label={label}>
      <div className="pbar-text">
        <span>{label}</span>
        <span>{total > 0 ? `${done.toLocaleString('en-IN')} / ${total.toLocaleString('en-IN')}` : done.toLocaleString('en-IN')}</span>
      </div>
      <div className="pbar-track"><div className="pbar-fill" style={{ width: pct + '%' }} /></div>
    </div>
  );
}

export function PageHeader({ title, sub, children }: { title: string; sub?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        {sub && <div className="page-sub">{sub}</div>}
      </div>
      <div className="page-actions">{children}</div>
    </div>
  );
}

/** A clearly labelled placeholder for a screen not built yet. */
export function Placeholder({ title, needs, children }: { title: string; needs: string; children?: ReactNode }) {
  return (
    <div className="page">
      <PageHeader title={title} />
      <div className="placeholder" data-placeholder>
        <div className="placeholder-badge">Coming soon</div>
        <p>This screen is not built yet. It will use <code>{needs}</code>.</p>
        {children}
      </div>
    </div>
  );
}

/** Error banner for a load that failed. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const msg = error instanceof Error ? error.message : String(error);
  return <div className="note error" role="alert">{msg}</div>;
}
