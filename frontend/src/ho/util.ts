// Small pieces the dashboard's views share: loading state, IST date-time,
// compact lakh/crore labels for chart axes, and Excel export of a list on
// screen (the shared .xlsx writer, saved as a browser download).

import { useEffect, useState } from 'react';
import { formatDate, groupIndian } from '../format';
import { buildXlsx, XLSX_TYPE } from '../widgets/xlsx';
import type { XCell } from '../widgets/xlsx';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

/** Runs load whenever key changes; keeps the last data while reloading. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { key?: string }>({ data: undefined, error: null, loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false, key }),
      (error: unknown) => live && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => {
      live = false;
    };
    // load is a fresh closure each render; key says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}

/** "2026-11-25T21:29:25Z" → "26-11-2026 02:59" (India time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(d);
  const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${formatDate(`${v('year')}-${v('month')}-${v('day')}`)} ${v('hour')}:${v('minute')}`;
}

/** Paise → "₹ 2.64 Cr", "₹ 12.3 L", "₹ 45,000" for axes and labels. */
export function compactRupees(paise: number): string {
  const r = Math.abs(paise) / 100;
  const sign = paise < 0 ? '-' : '';
  if (r >= 1e7) return `${sign}₹ ${(r / 1e7).toFixed(2)} Cr`;
  if (r >= 1e5) return `${sign}₹ ${(r / 1e5).toFixed(1)} L`;
  return `${sign}₹ ${groupIndian(String(Math.round(r)))}`;
}

/** Basis points of a whole: share of total, as "12.3%". */
export function share(part: number, whole: number): string {
  if (!whole) return '';
  return ((part * 100) / whole).toFixed(1) + '%';
}

/** Saves rows as an .xlsx download. money marks columns given in paise. */
export function exportXlsx(file: string, header: string[], rows: XCell[][], money: boolean[] = []) {
  const bytes = buildXlsx(file.replace(/\.xlsx$/, '').slice(0, 31), header, rows, money);
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: XLSX_TYPE }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Every row of a paged list, read a page of 1,000 at a time (for exports). */
export async function allRows<T>(load: (offset: number, limit: number) => Promise<{ rows: T[]; total_rows: number }>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await load(offset, 1000);
    out.push(...page.rows);
    if (!page.rows.length || out.length >= page.total_rows) return out;
  }
}
