// Form plumbing written once: run a save, turn the backend's 400/409
// {error, field} into an error shown on that field, Enter moves to the next
// field like Tally, Ctrl+S saves.

import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError } from '../api';

export interface SubmitState {
  busy: boolean;
  /** Message per field name, from the last failed save. */
  fieldErrors: Record<string, string>;
  /** A failure with no field this form shows. */
  formError: string;
  run: <R>(fn: () => Promise<R>) => Promise<R | undefined>;
  clear: () => void;
  setFieldError: (field: string, msg: string) => void;
}

/**
 * useSubmit runs saves. mapField turns an API field path into the form's
 * field name ("gst_rates[0].rate_bp" → "gst_rate_bp"); known lists the
 * fields the form shows, so other errors go to the banner.
 */
export function useSubmit(known: string[], mapField: (f: string) => string = (f) => f): SubmitState {
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const knownKey = known.join(',');
  const run = useCallback(
    async <R,>(fn: () => Promise<R>): Promise<R | undefined> => {
      setBusy(true);
      setFieldErrors({});
      setFormError('');
      try {
        return await fn();
      } catch (e) {
        if (e instanceof ApiError && e.field) {
          const f = mapField(e.field);
          if (knownKey.split(',').includes(f)) setFieldErrors({ [f]: e.message });
          else setFormError(`${e.field}: ${e.message}`);
        } else {
          setFormError(e instanceof Error ? e.message : String(e));
        }
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [mapField, knownKey],
  );
  const clear = useCallback(() => {
    setFieldErrors({});
    setFormError('');
  }, []);
  const setFieldError = useCallback((field: string, msg: string) => setFieldErrors((f) => ({ ...f, [field]: msg })), []);
  return { busy, fieldErrors, formError, run, clear, setFieldError };
}

/** Enter moves to the next input; Ctrl+S (or Enter on the last) submits. */
export function KeyForm({ onSubmit, children, className }: { onSubmit: () => void; children: ReactNode; className?: string }) {
  return (
    <form
      className={className}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
          e.preventDefault();
          e.stopPropagation();
          onSubmit();
          return;
        }
        const t = e.target as HTMLElement;
        const picked = (e.nativeEvent as KeyboardEvent & { picked?: boolean }).picked === true;
        if (e.key !== 'Enter' || t.tagName === 'TEXTAREA' || t.tagName === 'BUTTON') return;
        if (!picked && (e.defaultPrevented || t.getAttribute('aria-expanded') === 'true')) return;
        e.preventDefault();
        const form = e.currentTarget;
        const els = Array.from(form.querySelectorAll<HTMLElement>('input:not([disabled]):not([readonly]):not([type=hidden]),select:not([disabled]),textarea:not([disabled])'));
        const i = els.indexOf(t);
        if (i >= 0 && i < els.length - 1) els[i + 1].focus();
        else onSubmit();
      }}
    >
      {children}
    </form>
  );
}
