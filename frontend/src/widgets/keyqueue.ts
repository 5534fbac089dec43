// Keys typed while the screen waits (an invoice loading, a row appearing)
// are held and then replayed, in order, into whatever has the cursor by
// then: a fast clerk or a scanner never types into the wrong box.

import { useEffect, useRef } from 'react';
import { flushSync } from 'react-dom';

const held = (e: KeyboardEvent) =>
  !e.ctrlKey && !e.metaKey && !e.altKey && (e.key.length === 1 || e.key === 'Enter' || e.key === 'Tab' || e.key === 'Backspace');

/** hold() starts queueing keys; release() stops and replays them. */
export function useKeyQueue() {
  const queue = useRef<string[] | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!queue.current || !held(e)) return;
      e.preventDefault();
      e.stopPropagation();
      queue.current.push(e.key);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return {
    hold: () => {
      queue.current = queue.current ?? [];
    },
    release: () => {
      const keys = queue.current ?? [];
      queue.current = null;
      replayKeys(keys);
    },
  };
}

const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;

/** Types keys into the focused element as if typed: characters through the input event, Enter and Tab as keydowns. */
export function replayKeys(keys: string[]) {
  for (const k of keys) {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement)) return;
    if (el instanceof HTMLInputElement && (k.length === 1 || k === 'Backspace')) {
      const start = el.selectionStart ?? el.value.length;
      const end = el.selectionEnd ?? el.value.length;
      const v = k === 'Backspace' ? (start === end ? el.value.slice(0, Math.max(0, start - 1)) + el.value.slice(end) : el.value.slice(0, start) + el.value.slice(end)) : el.value.slice(0, start) + k + el.value.slice(end);
      valueSetter?.call(el, v);
      flushSync(() => el.dispatchEvent(new Event('input', { bubbles: true })));
      const at = Math.min(el.value.length, k === 'Backspace' ? (start === end ? Math.max(0, start - 1) : start) : start + 1);
      try {
        el.setSelectionRange(at, at);
      } catch {
        /* inputs without a selection */
      }
    } else if (k.length > 1) {
      const ev = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
      flushSync(() => el.dispatchEvent(ev));
      if (k === 'Enter' && !ev.defaultPrevented && el instanceof HTMLButtonElement) el.click();
    }
  }
}
