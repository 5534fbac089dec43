// Picker: a type-ahead over a list already in memory. Typing filters by every
// word (code, name, beat…); ↑/↓ move; Enter picks and lets the caller move on;
// Esc closes the list. Written once; ItemPicker and OutletPicker are thin.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode, Ref } from 'react';

export interface PickerProps<T> {
  options: T[] | undefined;
  value: string;
  keyOf: (t: T) => string;
  /** What the input shows once picked. */
  display: (t: T) => string;
  /** Searchable text (lower-cased by the picker). */
  haystack: (t: T) => string;
  renderOption: (t: T) => ReactNode;
  onPick: (t: T) => void;
  /** Enter with nothing typed (billing: go to totals). */
  onEnterEmpty?: () => void;
  onClear?: () => void;
  placeholder?: string;
  name?: string;
  autoFocus?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  limit?: number;
  className?: string;
  onKeyDown?: (e: React.KeyboardEvent<HTMLInputElement>) => void;
  header?: ReactNode;
  ariaLabel?: string;
  /** Shown (in this order) when the input is empty and focused: the next shops on the beat. */
  suggest?: T[];
  /** Open the list on focus (with suggest). */
  openOnFocus?: boolean;
}

export function Picker<T>(p: PickerProps<T>) {
  const { options, value, keyOf, display, haystack, renderOption, onPick, limit = 40 } = p;
  const picked = useMemo(() => options?.find((o) => keyOf(o) === value), [options, value, keyOf]);
  const [text, setText] = useState<string | null>(null); // null: show the picked value
  const [open, setOpen] = useState(false);
  const [hi, setHi] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const inputEl = useRef<HTMLInputElement | null>(null);
  const outerRef = p.inputRef;
  const setInput = useCallback(
    (el: HTMLInputElement | null) => {
      inputEl.current = el;
      if (typeof outerRef === 'function') outerRef(el);
      else if (outerRef) (outerRef as React.MutableRefObject<HTMLInputElement | null>).current = el;
    },
    [outerRef],
  );
  // Suggestions that arrive while the input already has focus open the list too.
  const wantOpen = Boolean(p.openOnFocus && !value && p.suggest?.length);
  useEffect(() => {
    if (wantOpen && inputEl.current && document.activeElement === inputEl.current) {
      setOpen(true);
      setHi(0);
    }
  }, [wantOpen]);

  const shown = text ?? (picked ? display(picked) : value);

  const matches = useMemo(() => {
    if (!options || !open) return [];
    const q = (text ?? '').trim().toLowerCase();
    if (!q && p.suggest?.length) return p.suggest.slice(0, limit);
    if (!q) return options.slice(0, limit);
    const words = q.split(/\s+/);
    const scored: { o: T; s: number }[] = [];
    for (const o of options) {
      const code = keyOf(o).toLowerCase();
      const hay = haystack(o).toLowerCase();
      let ok = true;
      for (const w of words) if (!hay.includes(w) && !code.includes(w)) { ok = false; break; }
      if (!ok) continue;
      const s = code === q ? 0 : code.startsWith(q) ? 1 : hay.startsWith(q) ? 2 : 3;
      scored.push({ o, s });
      if (scored.length > 2000) break;
    }
    scored.sort((a, b) => a.s - b.s);
    return scored.slice(0, limit).map((x) => x.o);
  }, [options, open, text, limit, keyOf, haystack, p.suggest]);

  function pick(o: T) {
    setText(null);
    setOpen(false);
    onPick(o);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setHi(0);
        return;
      }
      const n = matches.length;
      const j = e.key === 'ArrowDown' ? Math.min(n - 1, hi + 1) : Math.max(0, hi - 1);
      setHi(j);
      listRef.current?.children[j + (p.header ? 1 : 0)]?.scrollIntoView({ block: 'nearest' });
      return;
    }
    if (e.key === 'Enter') {
      if (e.ctrlKey || e.metaKey) return p.onKeyDown?.(e);
      e.preventDefault();
      // Tell an enclosing KeyForm the Enter was a pick, so it moves on.
      const mark = () => ((e.nativeEvent as KeyboardEvent & { picked?: boolean }).picked = true);
      const typed = (text ?? '').trim();
      if (open && typed !== '' && matches[hi]) return mark(), pick(matches[hi]);
      if (typed === '' && text !== null && p.onEnterEmpty) {
        setText(null);
        setOpen(false);
        return p.onEnterEmpty();
      }
      if (text === null && picked) return mark(), pick(picked);
      if (text === null && !value && p.onEnterEmpty) return p.onEnterEmpty();
      if (open && matches[hi]) return mark(), pick(matches[hi]);
      if (text === null && !value) mark(); // an empty optional reference: move on
      return;
    }
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      setText(null);
      return;
    }
    p.onKeyDown?.(e);
  }

  return (
    <div className={'picker' + (p.className ? ' ' + p.className : '')}>
      <input
        ref={setInput}
        name={p.name}
        aria-label={p.ariaLabel}
        autoFocus={p.autoFocus}
        autoComplete="off"
        spellCheck={false}
        placeholder={p.placeholder}
        value={shown}
        role="combobox"
        aria-expanded={open}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setHi(0);
          if (e.target.value === '') p.onClear?.();
        }}
        onFocus={(e) => {
          e.currentTarget.select();
          if (p.openOnFocus && !value) {
            setOpen(true);
            setHi(0);
          }
        }}
        onBlur={() => {
          setOpen(false);
          setText(null);
        }}
        onKeyDown={onKeyDown}
      />
      {open && (
        <div className="picker-list" ref={listRef} role="listbox">
          {p.header}
          {options === undefined && <div className="picker-empty">Loading…</div>}
          {options !== undefined && matches.length === 0 && <div className="picker-empty">No match for “{text}”</div>}
          {matches.map((o, i) => (
            <div
              key={keyOf(o)}
              role="option"
              aria-selected={i === hi}
              className={'picker-opt' + (i === hi ? ' hi' : '')}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
              onMouseEnter={() => setHi(i)}
            >
              {renderOption(o)}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
