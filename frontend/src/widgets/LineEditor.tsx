// LineEditor: the keyboard line grid every stock document uses (GRN,
// adjustments, counts, transfers). Columns are declared once per screen;
// Enter moves on, Enter on an empty item goes to Save, Esc steps back,
// Ctrl+D deletes a row. Errors for "lines[2].qty" show on row 3.

import { useCallback, useRef } from 'react';
import { DateInput, MoneyInput } from './inputs';
import { ItemPicker } from './pickers';
import { formatAmount, formatInt } from '../format';
import { useCached } from '../store';
import type { Item } from '../types';

export type LineKind = 'text' | 'date' | 'money' | 'cs' | 'pcs' | 'int' | 'select';

export interface LineCol {
  key: string;
  title: string;
  kind: LineKind;
  width?: number;
  options?: string[];
  placeholder?: string;
}

export interface Line {
  id: number;
  item: Item | null;
  [k: string]: unknown;
}

let seq = 0;
export const newLine = (extra: Record<string, unknown> = {}): Line => ({ id: ++seq, item: null, ...extra });

/** Base units from the cs and pcs columns. */
export function lineQty(l: Line): number {
  return Number(l.cs || 0) * (l.item?.case_size ?? 1) + Number(l.pcs || 0);
}

export function LineEditor({ cols, lines, setLines, onItem, onDone, errorLine, errorText, showStock }: {
  cols: LineCol[];
  lines: Line[];
  setLines: (f: (ls: Line[]) => Line[]) => void;
  onItem?: (l: Line, it: Item) => Partial<Line>;
  onDone: () => void;
  errorLine?: number;
  errorText?: string;
  showStock?: boolean;
}) {
  const stock = useCached('stock');
  const refs = useRef(new Map<string, HTMLInputElement | HTMLSelectElement | null>());
  const keys = ['item', ...cols.map((c) => c.key)];
  const focus = useCallback((id: number, key: string) => {
    const go = () => {
      const el = refs.current.get(`${id}:${key}`);
      if (!el || el.disabled) return false;
      el.focus();
      if (el instanceof HTMLInputElement) el.select();
      return true;
    };
    if (!go()) setTimeout(go, 0);
  }, []);

  const set = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  function next(i: number, key: string) {
    const l = lines[i];
    let k = keys.indexOf(key) + 1;
    while (k < keys.length && keys[k] === 'cs' && (l.item?.case_size ?? 1) <= 1) k++;
    if (k < keys.length) return focus(l.id, keys[k]);
    if (i === lines.length - 1) {
      const nl = newLine();
      setLines((ls) => [...ls, nl]);
      setTimeout(() => focus(nl.id, 'item'), 0);
    } else focus(lines[i + 1].id, 'item');
  }
  function prev(i: number, key: string) {
    const l = lines[i];
    let k = keys.indexOf(key) - 1;
    while (k > 0 && keys[k] === 'cs' && (l.item?.case_size ?? 1) <= 1) k--;
    if (k >= 0) return focus(l.id, keys[k]);
    if (i > 0) focus(lines[i - 1].id, keys[keys.length - 1]);
  }
  function remove(i: number) {
    setLines((ls) => (ls.length > 1 ? ls.filter((_, j) => j !== i) : [newLine()]));
  }
  const onKey = (i: number, key: string) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.defaultPrevented) {
      e.preventDefault();
      next(i, key);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      prev(i, key);
    } else if (e.ctrlKey && (e.key === 'd' || e.key === 'D' || e.key === 'Delete')) {
      e.preventDefault();
      remove(i);
    }
  };

  const template = `32px minmax(240px, 1fr) ${showStock ? '80px ' : ''}${cols.map((c) => `${c.width ?? 100}px`).join(' ')}`;
  return (
    <div className="line-editor" role="table">
      <div className="le-row le-head" style={{ gridTemplateColumns: template }} role="row">
        <span>#</span><span>Item</span>{showStock && <span className="num">Stock</span>}
        {cols.map((c) => <span key={c.key} className={c.kind === 'text' || c.kind === 'date' || c.kind === 'select' ? '' : 'num'}>{c.title}</span>)}
      </div>
      {lines.map((l, i) => (
        <div key={l.id}>
          <div className={'le-row' + (errorLine === i ? ' has-error' : '')} style={{ gridTemplateColumns: template }} role="row" data-line={i + 1}>
            <span className="bl-no">{i + 1}</span>
            <ItemPicker
              inputRef={(el) => { refs.current.set(`${l.id}:item`, el); }}
              name={`item-${i + 1}`}
              value={l.item?.code ?? ''}
              activeOnly={false}
              onPick={(it) => {
                set(i, { item: it, ...(onItem?.(l, it) ?? {}) });
                const after = keys[1] === 'cs' && it.case_size <= 1 ? keys[2] : keys[1];
                setTimeout(() => (after ? focus(l.id, after) : next(i, 'item')), 0);
              }}
              onEnterEmpty={onDone}
              onClear={() => set(i, { item: null })}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault();
                  prev(i, 'item');
                } else if (e.ctrlKey && (e.key === 'd' || e.key === 'D')) {
                  e.preventDefault();
                  remove(i);
                }
              }}
            />
            {showStock && <span className="num">{l.item ? formatInt(stock?.get(l.item.code)?.qty ?? 0) : ''}</span>}
            {cols.map((c) => {
              const ref = (el: HTMLInputElement | HTMLSelectElement | null) => { refs.current.set(`${l.id}:${c.key}`, el); };
              const common = { name: `${c.key}-${i + 1}`, 'aria-label': `${c.title}, line ${i + 1}`, onKeyDown: onKey(i, c.key), placeholder: c.placeholder };
              const v = l[c.key];
              switch (c.kind) {
                case 'money':
                  return <MoneyInput key={c.key} {...common} inputRef={ref} value={(v as number) ?? null} onChange={(p) => set(i, { [c.key]: p })} />;
                case 'date':
                  return <DateInput key={c.key} {...common} inputRef={ref} value={(v as string) ?? ''} onChange={(d) => set(i, { [c.key]: d })} />;
                case 'select':
                  return (
                    <select key={c.key} {...common} ref={ref} value={String(v ?? c.options?.[0] ?? '')} onChange={(e) => set(i, { [c.key]: e.target.value })}>
                      {c.options?.map((o) => <option key={o}>{o}</option>)}
                    </select>
                  );
                case 'cs':
                case 'pcs':
                case 'int':
                  return (
                    <input
                      key={c.key}
                      {...common}
                      ref={ref}
                      className="num"
                      inputMode="numeric"
                      disabled={c.kind === 'cs' && (l.item?.case_size ?? 1) <= 1}
                      placeholder={c.kind === 'cs' && l.item && l.item.case_size > 1 ? `×${l.item.case_size}` : c.placeholder}
                      value={String(v ?? '')}
                      onChange={(e) => set(i, { [c.key]: c.kind === 'int' ? e.target.value.replace(/[^\d-]/g, '') : e.target.value.replace(/\D/g, '') })}
                      onFocus={(e) => e.currentTarget.select()}
                    />
                  );
                default:
                  return (
                    <input key={c.key} {...common} ref={ref} autoComplete="off" value={String(v ?? '')} onChange={(e) => set(i, { [c.key]: e.target.value.toUpperCase() })} />
                  );
              }
            })}
          </div>
          {errorLine === i && errorText && <div className="bl-note error" role="alert">{errorText}</div>}
          {l.item && l.rate_paise !== undefined && lineQty(l) > 0 && (
            <div className="bl-note muted">= {formatInt(lineQty(l))} {l.item.unit} · ₹ {formatAmount(lineQty(l) * Number(l.rate_paise ?? 0))}</div>
          )}
        </div>
      ))}
    </div>
  );
}
