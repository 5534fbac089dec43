// Inputs written once: money (₹ typed, integer paise out), percentage (basis
// points out), date (DD-MM-YYYY typed, ISO out), and the labelled field that
// shows the backend's error on the field it names.

import { useEffect, useId, useState } from 'react';
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { formatDate, formatBp, paiseToInput, parseDate, parsePercent, parseRupees, todayISO } from '../format';

type Base = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  inputRef?: Ref<HTMLInputElement>;
};

/** ₹ amount: the clerk types rupees, the value is integer paise (or null when empty). */
export function MoneyInput({ value, onChange, inputRef, className, ...rest }: Base & {
  value: number | null | undefined;
  onChange: (paise: number | null) => void;
}) {
  const [text, setText] = useState(() => paiseToInput(value));
  const [bad, setBad] = useState(false);
  // Follow outside changes (a rate filled from the price list) without
  // fighting the clerk's own typing.
  useEffect(() => {
    setText((t) => (parseRupees(t) === (value ?? null) ? t : paiseToInput(value)));
  }, [value]);
  return (
    <span className={'money-input' + (bad ? ' invalid' : '') + (className ? ' ' + className : '')}>
      <span className="money-sym">₹</span>
      <input
        {...rest}
        ref={inputRef}
        inputMode="decimal"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          // Digits, point and commas only: a letter typed fast never lands here.
          const t = e.target.value.replace(/[^\d.,\s-]/g, '');
          setText(t);
          const p = t.trim() === '' ? null : parseRupees(t);
          setBad(t.trim() !== '' && p === null);
          if (p !== null || t.trim() === '') onChange(p);
        }}
        onBlur={(e) => {
          const p = parseRupees(text);
          if (p !== null) setText(paiseToInput(p));
          rest.onBlur?.(e);
        }}
        onFocus={(e) => {
          e.currentTarget.select();
          rest.onFocus?.(e);
        }}
      />
    </span>
  );
}

/** A percentage typed as "18" or "2.5"; the value is basis points. */
export function PercentInput({ value, onChange, inputRef, className, ...rest }: Base & {
  value: number | null | undefined;
  onChange: (bp: number | null) => void;
}) {
  const [text, setText] = useState(() => (value === null || value === undefined ? '' : formatBp(value)));
  useEffect(() => {
    setText((t) => (parsePercent(t) === (value ?? null) ? t : value === null || value === undefined ? '' : formatBp(value)));
  }, [value]);
  return (
    <span className={'pct-input' + (className ? ' ' + className : '')}>
      <input
        {...rest}
        ref={inputRef}
        inputMode="decimal"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          const t = e.target.value.replace(/[^\d.]/g, ''); // numbers only
          setText(t);
          onChange(t.trim() === '' ? null : parsePercent(t));
        }}
        onFocus={(e) => {
          e.currentTarget.select();
          rest.onFocus?.(e);
        }}
      />
      <span className="pct-sym">%</span>
    </span>
  );
}

/** Date typed DD-MM-YYYY (or 251126, 25/11/26); ↑/↓ move a day. Value is ISO. */
export function DateInput({ value, onChange, inputRef, className, ...rest }: Base & {
  value: string | null | undefined;
  onChange: (iso: string | null) => void;
}) {
  const [text, setText] = useState(() => formatDate(value));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText((t) => (parseDate(t) === (value ?? null) ? t : formatDate(value)));
  }, [value]);
  function shift(n: number) {
    const base = parseDate(text) ?? todayISO();
    const [y, m, d] = base.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d + n));
    const iso = t.toISOString().slice(0, 10);
    setText(formatDate(iso));
    setBad(false);
    onChange(iso);
  }
  return (
    <input
      {...rest}
      ref={inputRef}
      className={'date-input' + (bad ? ' invalid' : '') + (className ? ' ' + className : '')}
      placeholder={rest.placeholder ?? 'DD-MM-YYYY'}
      autoComplete="off"
      value={text}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        const iso = parseDate(t);
        setBad(t.trim() !== '' && iso === null);
        if (iso || t.trim() === '') onChange(iso);
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          e.preventDefault();
          shift(e.key === 'ArrowUp' ? 1 : -1);
        }
        rest.onKeyDown?.(e);
      }}
      onBlur={(e) => {
        const iso = parseDate(text);
        if (iso) setText(formatDate(iso));
        rest.onBlur?.(e);
      }}
      onFocus={(e) => {
        e.currentTarget.select();
        rest.onFocus?.(e);
      }}
    />
  );
}

/** A labelled field; error shows under it, tied to the input for screen readers. */
export function Field({ label, error, hint, children, wide, htmlFor, name }: {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
  htmlFor?: string;
  name?: string;
}) {
  const id = useId();
  return (
    <div className={'field' + (wide ? ' wide' : '') + (error ? ' has-error' : '')} data-field={name}>
      <label htmlFor={htmlFor} id={id}>{label}</label>
      {children}
      {error ? (
        <div className="field-error" role="alert" data-error-for={name}>{error}</div>
      ) : hint ? (
        <div className="field-hint">{hint}</div>
      ) : null}
    </div>
  );
}
