// LineEditor: the keyboard line grid every line document uses (the sales
// invoice, GRN, adjustments, counts, transfers). Columns are declared once
// per screen; Enter moves on, Enter on an empty item goes to onDone, Esc
// steps back, ↑ ↓ in a number move to the row above/below, Ctrl+D deletes a
// row. Errors for "lines[2].qty" show on row 3. Focus moves synchronously
// (flushSync), so keys typed at scanner speed land in the cell they were
// meant for. A screen adds display-only cells (kind 'show') and the notes
// under each row (below), and moves the cursor itself through handle.

import { Fragment, useCallback, useEffect, useImperativeHandle, useMemo, useRef } from 'react';
import type { ReactNode, Ref } from 'react';
import { flushSync } from 'react-dom';
import { DateInput, MoneyInput, PercentInput } from './inputs';
import { ItemPicker } from './pickers';
import { formatAmount, formatInt } from '../format';
import { useCached } from '../store';
import type { Item } from '../types';

export type LineKind = 'text' | 'date' | 'money' | 'percent' | 'cs' | 'pcs' | 'int' | 'select' | 'show';

export interface Line {
  id: number;
  item: Item | null;
  [k: string]: unknown;
}

export interface LineCol<L extends Line = Line> {
  key: string;
  title: string;
  kind: LineKind;
  width?: number;
  options?: string[];
  placeholder?: string;
  /** The cell's name for a screen reader ("Cases" → "Cases, line 2"); the title when not given. */
  label?: string;
  /** kind 'show': the cell itself (one element), not typed into and skipped by the cursor. */
  show?: (l: L, i: number) => ReactNode;
}

/** What a screen may do to the editor from outside: put the cursor in a cell. */
export interface LineEditorHandle {
  focus: (id: number, key: string) => void;
}

/** The class names of the grid's parts (a screen with its own look passes its own). */
export interface LineLook {
  table: string;
  row: string;
  head: string;
  group?: string;
}
const LOOK: LineLook = { table: 'line-editor', row: 'le-row', head: 'le-head' };

let seq = 0;
export const newLine = (extra: Record<string, unknown> = {}): Line => ({ id: ++seq, item: null, ...extra });

/** Base units from the cs and pcs columns. */
export function lineQty(l: Line): number {
  return Number(l.cs || 0) * (l.item?.case_size ?? 1) + Number(l.pcs || 0);
}

const moves = new Set<LineKind>(['money', 'percent', 'cs', 'pcs', 'int']);

export function LineEditor<L extends Line = Line>({
  cols, lines, setLines, onItem, onDone, errorLine, errorText, showStock,
  blank, activeOnly = false, itemTitle = 'Item', itemPlaceholder, itemMin = 240, look = LOOK, label,
  onEdit, onRemove, onEscapeFirst, hasError, below, handle, children, scans = false,
}: {
  cols: LineCol<L>[];
  lines: L[];
  setLines: (f: (ls: L[]) => L[]) => void;
  onItem?: (l: L, it: Item) => Partial<L>;
  onDone: () => void;
  errorLine?: number;
  errorText?: string;
  showStock?: boolean;
  /** A new empty line (the one added at the end, the one left when the last is deleted). */
  blank?: () => L;
  /** Offer active items only (a sale); stock documents take any. */
  activeOnly?: boolean;
  itemTitle?: string;
  itemPlaceholder?: (i: number, last: boolean) => string | undefined;
  itemMin?: number;
  look?: LineLook;
  /** aria-label of the grid. */
  label?: string;
  /** Called on every change typed or picked into a line. */
  onEdit?: () => void;
  /** Called when a line is deleted (Ctrl+D). */
  onRemove?: () => void;
  /** Esc on the first line's item (e.g. back to the party above the grid). */
  onEscapeFirst?: () => void;
  /** A row marked in error besides errorLine. */
  hasError?: (l: L, i: number) => boolean;
  /** The notes under a row (schemes, warnings, errors). */
  below?: (l: L, i: number) => ReactNode;
  handle?: Ref<LineEditorHandle>;
  /** Take barcode scans wherever the cursor is on the screen (see useScans). */
  scans?: boolean;
  /** Shown after the last row, inside the grid. */
  children?: ReactNode;
}) {
  const stock = useCached('stock');
  const refs = useRef(new Map<string, HTMLInputElement | HTMLSelectElement | null>());
  const keys = ['item', ...cols.filter((c) => c.kind !== 'show').map((c) => c.key)];
  const fresh = (blank ?? newLine) as () => L;
  // Focus moves at once when the cell is already there and enabled (a fast
  // typist or a scanner must not outrun it), else right after the render.
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
  useImperativeHandle(handle, () => ({ focus }), [focus]);

  // A scan adds its item as a new line with one piece (onItem fills the
  // rest, as when picked), or one more piece on the line that has it.
  const scanned = useRef<(it: Item) => void>(() => undefined);
  scanned.current = (it: Item) => {
    onEdit?.();
    if (lines.some((l) => l.item?.code === it.code)) {
      let done = false;
      flushSync(() =>
        setLines((ls) =>
          ls.map((l) => {
            if (done || l.item?.code !== it.code) return l;
            done = true;
            return { ...l, pcs: String(Number(l.pcs || 0) + 1) };
          }),
        ),
      );
      return;
    }
    const b = fresh();
    const filled = { ...b, ...(onItem?.(b, it) ?? {}), item: it, pcs: '1' } as L;
    const nl = fresh();
    flushSync(() =>
      setLines((ls) => {
        const last = ls[ls.length - 1];
        const base = last && !last.item && !last.cs && !last.pcs ? ls.slice(0, -1) : ls;
        return [...base, filled, nl];
      }),
    );
    focus(nl.id, 'item');
  };
  useScans(scans, (it) => scanned.current(it));

  const set = (i: number, patch: Partial<L>) => {
    onEdit?.();
    setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  };

  function next(i: number, key: string) {
    const l = lines[i];
    let k = keys.indexOf(key) + 1;
    while (k < keys.length && keys[k] === 'cs' && (l.item?.case_size ?? 1) <= 1) k++;
    if (k < keys.length) return focus(l.id, keys[k]);
    // Last column: on to the next row's item, adding a row when needed.
    if (i === lines.length - 1) {
      const nl = fresh();
      flushSync(() => setLines((ls) => [...ls, nl]));
      focus(nl.id, 'item');
    } else focus(lines[i + 1].id, 'item');
  }
  function prev(i: number, key: string) {
    const l = lines[i];
    let k = keys.indexOf(key) - 1;
    while (k > 0 && keys[k] === 'cs' && (l.item?.case_size ?? 1) <= 1) k--;
    if (k >= 0) return focus(l.id, keys[k]);
    if (i > 0) focus(lines[i - 1].id, keys[keys.length - 1]);
    else onEscapeFirst?.();
  }
  function remove(i: number) {
    onRemove?.();
    flushSync(() => setLines((ls) => (ls.length > 1 ? ls.filter((_, j) => j !== i) : [fresh()])));
    const target = lines[i + 1] ?? lines[i - 1];
    if (target) focus(target.id, 'item');
  }
  function pick(i: number, it: Item) {
    const l = lines[i];
    // Render now and move now: the next key (a fast hand, a scanner) must
    // land in the quantity, not in the item or a cell that is not there yet.
    flushSync(() => set(i, { item: it, ...(onItem?.(l, it) ?? {}) } as Partial<L>));
    const after = keys[1] === 'cs' && it.case_size <= 1 ? keys[2] : keys[1];
    if (after) focus(l.id, after);
    else next(i, 'item');
  }
  const onKey = (i: number, key: string, kind: LineKind) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.defaultPrevented) {
      e.preventDefault();
      next(i, key);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      prev(i, key);
    } else if (e.ctrlKey && (e.key === 'd' || e.key === 'D' || e.key === 'Delete')) {
      e.preventDefault();
      remove(i);
    } else if (moves.has(kind) && e.key === 'ArrowDown' && i < lines.length - 1) {
      e.preventDefault();
      focus(lines[i + 1].id, key);
    } else if (moves.has(kind) && e.key === 'ArrowUp' && i > 0) {
      e.preventDefault();
      focus(lines[i - 1].id, key);
    }
  };

  const template = `32px minmax(${itemMin}px, 1fr) ${showStock ? '80px ' : ''}${cols.map((c) => `${c.width ?? 100}px`).join(' ')}`;
  return (
    <div className={look.table} role="table" aria-label={label}>
      <div className={`${look.row} ${look.head}`} style={{ gridTemplateColumns: template }} role="row">
        <span>#</span><span>{itemTitle}</span>{showStock && <span className="num">Stock</span>}
        {cols.map((c) => <span key={c.key} className={c.kind === 'text' || c.kind === 'date' || c.kind === 'select' ? '' : 'num'}>{c.title}</span>)}
      </div>
      {lines.map((l, i) => (
        <div key={l.id} className={look.group}>
          <div className={look.row + (errorLine === i || hasError?.(l, i) ? ' has-error' : '')} style={{ gridTemplateColumns: template }} role="row" data-line={i + 1}>
            <span className="bl-no">{i + 1}</span>
            <ItemPicker
              inputRef={(el) => { refs.current.set(`${l.id}:item`, el); }}
              name={`item-${i + 1}`}
              value={l.item?.code ?? ''}
              activeOnly={activeOnly}
              placeholder={itemPlaceholder?.(i, i === lines.length - 1)}
              onPick={(it) => pick(i, it)}
              onEnterEmpty={onDone}
              onClear={() => set(i, { item: null } as Partial<L>)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault();
                  prev(i, 'item');
                } else if (e.ctrlKey && (e.key === 'd' || e.key === 'D' || e.key === 'Delete')) {
                  e.preventDefault();
                  remove(i);
                }
              }}
            />
            {showStock && <span className="num">{l.item ? formatInt(stock?.get(l.item.code)?.qty ?? 0) : ''}</span>}
            {cols.map((c) => {
              if (c.kind === 'show') return <Fragment key={c.key}>{c.show?.(l, i)}</Fragment>;
              const ref = (el: HTMLInputElement | HTMLSelectElement | null) => { refs.current.set(`${l.id}:${c.key}`, el); };
              const common = { name: `${c.key}-${i + 1}`, 'aria-label': `${c.label ?? c.title}, line ${i + 1}`, onKeyDown: onKey(i, c.key, c.kind), placeholder: c.placeholder };
              const v = l[c.key];
              switch (c.kind) {
                case 'money':
                  return <MoneyInput key={c.key} {...common} inputRef={ref} value={(v as number) ?? null} onChange={(p) => set(i, { [c.key]: p } as Partial<L>)} />;
                case 'percent':
                  return <PercentInput key={c.key} {...common} inputRef={ref} value={(v as number) ?? null} onChange={(b) => set(i, { [c.key]: b } as Partial<L>)} />;
                case 'date':
                  return <DateInput key={c.key} {...common} inputRef={ref} value={(v as string) ?? ''} onChange={(d) => set(i, { [c.key]: d } as Partial<L>)} />;
                case 'select':
                  return (
                    <select key={c.key} {...common} ref={ref} value={String(v ?? c.options?.[0] ?? '')} onChange={(e) => set(i, { [c.key]: e.target.value } as Partial<L>)}>
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
                      onChange={(e) => set(i, { [c.key]: c.kind === 'int' ? e.target.value.replace(/[^\d-]/g, '') : e.target.value.replace(/\D/g, '') } as Partial<L>)}
                      onFocus={(e) => e.currentTarget.select()}
                    />
                  );
                default:
                  return (
                    <input key={c.key} {...common} ref={ref} autoComplete="off" value={String(v ?? '')} onChange={(e) => set(i, { [c.key]: e.target.value.toUpperCase() } as Partial<L>)} />
                  );
              }
            })}
          </div>
          {errorLine === i && errorText && <div className="bl-note error" role="alert">{errorText}</div>}
          {l.item && l.rate_paise !== undefined && lineQty(l) > 0 && (
            <div className="bl-note muted">= {formatInt(lineQty(l))} {l.item.unit} · ₹ {formatAmount(lineQty(l) * Number(l.rate_paise ?? 0))}</div>
          )}
          {below?.(l, i)}
        </div>
      ))}
      {children}
    </div>
  );
}

/**
 * A scan — characters at scanner speed ending in Enter that spell a known
 * active item's barcode — wherever the cursor is: onScan gets the item and
 * whatever the scan typed into the cell is taken back.
 */
export function useScans(on: boolean, onScan: (it: Item) => void) {
  const items = useCached('items');
  const barcodes = useMemo(() => {
    const m = new Map<string, Item>();
    for (const it of items ?? []) for (const b of it.barcodes ?? []) if (it.active) m.set(b, it);
    return m;
  }, [items]);
  const scan = useRef({ barcodes, onScan });
  scan.current = { barcodes, onScan };
  useEffect(() => {
    if (!on) return;
    // A scanner sends its keys a few ms apart, but a busy PC may hand them
    // over hundreds of ms apart; what makes a scan is that the keys typed in
    // one cell, with no other key between, spell a known barcode and end in
    // Enter, so the gap only needs to keep separate typing apart.
    const SCANNER_GAP = 1000;
    let burst: { chars: string; last: number; at: Element | null; el: HTMLInputElement | null; before: string } | null = null;
    function onKey(e: KeyboardEvent) {
      const t = e.timeStamp; // when the key was pressed, not when we got round to it
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (burst && t - burst.last <= SCANNER_GAP && burst.at === document.activeElement) {
          burst.chars += e.key;
          burst.last = t;
        } else {
          const el = document.activeElement instanceof HTMLInputElement ? document.activeElement : null;
          burst = { chars: e.key, last: t, at: document.activeElement, el, before: el?.value ?? '' };
        }
        return;
      }
      const b = burst;
      burst = null;
      if (e.key !== 'Enter' || !b || t - b.last > SCANNER_GAP || b.chars.length < 4) return;
      const it = scan.current.barcodes.get(b.chars);
      if (!it) return;
      e.preventDefault();
      e.stopPropagation();
      if (b.el?.isConnected && b.el.value !== b.before) {
        const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
        set?.call(b.el, b.before);
        flushSync(() => b.el?.dispatchEvent(new Event('input', { bubbles: true })));
        if (b.el.getAttribute('role') === 'combobox') {
          flushSync(() => b.el?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })));
        }
      }
      scan.current.onScan(it);
    }
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [on]);
}
