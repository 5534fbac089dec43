// Indian formats, written once: money in paise shown as ₹ with lakh/crore
// grouping, dates DD-MM-YYYY on screen and YYYY-MM-DD on the wire, and the
// financial-year label. Nothing here uses a float for money.

/** Groups a string of digits the Indian way: 12345678 → 1,23,45,678. */
export function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  let rest = digits.slice(0, -3);
  const parts: string[] = [];
  while (rest.length > 2) {
    parts.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  if (rest) parts.unshift(rest);
  return parts.join(',') + ',' + last3;
}

/** 12345678 paise → "1,23,456.78" (no symbol). */
export function formatAmount(paise: number | undefined | null): string {
  const p = Math.trunc(paise ?? 0);
  const neg = p < 0;
  const abs = Math.abs(p);
  const rupees = Math.floor(abs / 100);
  const rest = abs % 100;
  return (neg ? '-' : '') + groupIndian(String(rupees)) + '.' + String(rest).padStart(2, '0');
}

/** 12345678 paise → "₹ 1,23,456.78". */
export function formatPaise(paise: number | undefined | null): string {
  const p = Math.trunc(paise ?? 0);
  return (p < 0 ? '-' : '') + '₹ ' + formatAmount(Math.abs(p));
}

/** Whole rupees, for tiles and totals: 153100 → "₹ 1,531". */
export function formatRupees(paise: number | undefined | null): string {
  const p = Math.trunc(paise ?? 0);
  const r = Math.round(Math.abs(p) / 100);
  return (p < 0 ? '-' : '') + '₹ ' + groupIndian(String(r));
}

/**
 * Parses rupees as typed ("1,23,456.78", "₹ 40", "40.5") into integer paise,
 * exactly, from the string's digits. Returns null for anything that is not
 * an amount with at most two decimals.
 */
export function parseRupees(s: string): number | null {
  const t = s.replace(/[₹,\s]/g, '').replace(/^Rs\.?/i, '');
  if (t === '' || t === '-' || t === '.') return null;
  const m = /^(-?)(\d*)(?:\.(\d{0,2}))?$/.exec(t);
  if (!m) return null;
  const whole = m[2] || '0';
  const frac = (m[3] ?? '').padEnd(2, '0');
  if (whole.length > 13) return null; // beyond any invoice; keeps integers exact
  const paise = Number(whole) * 100 + Number(frac);
  return m[1] === '-' ? -paise : paise;
}

/** Paise to the editable rupee string: 4050 → "40.50". */
export function paiseToInput(paise: number | undefined | null): string {
  if (paise === undefined || paise === null) return '';
  const p = Math.trunc(paise);
  const abs = Math.abs(p);
  return (p < 0 ? '-' : '') + Math.floor(abs / 100) + '.' + String(abs % 100).padStart(2, '0');
}

/** Basis points to a percentage string: 1800 → "18", 25 → "0.25". */
export function formatBp(bp: number | undefined | null): string {
  const b = Math.trunc(bp ?? 0);
  const whole = Math.trunc(b / 100);
  const frac = Math.abs(b % 100);
  if (frac === 0) return String(whole);
  return (b < 0 && whole === 0 ? '-' : '') + whole + '.' + String(frac).padStart(2, '0').replace(/0$/, '');
}

/** "18", "0.25", "12.5%" → basis points; null if not a percentage. */
export function parsePercent(s: string): number | null {
  const t = s.replace(/[%\s]/g, '');
  if (t === '') return null;
  const m = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** An instant ("2026-12-02T04:44:00Z") as "02-12-2026 10:14", the PC's clock time (IST in India); "—" for none. */
export function formatStamp(iso: string | undefined | null): string {
  if (!iso || iso.startsWith('0001')) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}-${p(d.getMonth() + 1)}-${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "2026-11-25" → "25-11-2026". */
export function formatDate(iso: string | undefined | null): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

function isoOf(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Reads a date as a clerk types it: "25-11-2026", "25/11/26", "25.11.2026",
 * "251126", "25112026", or "25-11" (this year). Returns ISO or null.
 */
export function parseDate(s: string, today: string = todayISO()): string | null {
  const t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const [y, m, d] = t.split('-').map(Number);
    return isoOf(y, m, d);
  }
  let d: number, m: number, y: number;
  const parts = t.split(/[-/.\s]+/).filter(Boolean);
  if (parts.length === 1 && /^\d{6}$|^\d{8}$/.test(parts[0])) {
    const p = parts[0];
    d = Number(p.slice(0, 2));
    m = Number(p.slice(2, 4));
    y = Number(p.slice(4));
  } else if (parts.length === 2 || parts.length === 3) {
    if (!parts.every((x) => /^\d+$/.test(x))) return null;
    d = Number(parts[0]);
    m = Number(parts[1]);
    y = parts.length === 3 ? Number(parts[2]) : Number(today.slice(0, 4));
    if (parts.length === 3 && parts[2].length !== 2 && parts[2].length !== 4) return null;
  } else {
    return null;
  }
  if (y < 100) y += 2000;
  return isoOf(y, m, d);
}

/** How far the server's clock is ahead of this PC's, in ms (see followServerClock). */
let serverSkew = 0;

/**
 * Makes "now" on every screen the server's now: the book's day, not the PC's
 * (a PC clock can be wrong, and tests pin the server's day). Called with the
 * server's "now" from /api/me.
 */
export function followServerClock(serverNowISO: string | undefined | null): void {
  const t = serverNowISO ? Date.parse(serverNowISO) : NaN;
  serverSkew = Number.isFinite(t) ? t - Date.now() : 0;
}

/** The server's current time, as far as this screen knows it. */
export function serverNow(): Date {
  return new Date(Date.now() + serverSkew);
}

/** Today's date in India (IST), ISO, by the server's clock. */
export function todayISO(now: Date = serverNow()): string {
  const ist = new Date(now.getTime() + (330 + now.getTimezoneOffset()) * 60000);
  return isoOf(ist.getFullYear(), ist.getMonth() + 1, ist.getDate()) as string;
}

/** Moves an ISO date by n days. */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return isoOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()) as string;
}

/** First calendar year of the financial year containing iso. */
export function fyStart(iso: string, startMonth = 4): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const sm = startMonth >= 1 && startMonth <= 12 ? startMonth : 4;
  return m < sm ? y - 1 : y;
}

/** "2026-27" for any date from 01-04-2026 to 31-03-2027 (or "2026" for January books). */
export function fyLabel(iso: string, startMonth = 4): string {
  const s = fyStart(iso, startMonth);
  if (startMonth === 1) return String(s);
  return `${s}-${String((s + 1) % 100).padStart(2, '0')}`;
}

/** First and last day of the financial year containing iso. */
export function fyRange(iso: string, startMonth = 4): { from: string; to: string } {
  const s = fyStart(iso, startMonth);
  const from = isoOf(s, startMonth, 1) as string;
  const to = addDays(isoOf(s + 1, startMonth, 1) as string, -1);
  return { from, to };
}

/** Quantity in base units as cases + pieces: 30 with case 24 → "1 cs 6". */
export function formatQty(qty: number, caseSize = 1): string {
  const q = Math.trunc(qty);
  if (caseSize <= 1) return groupIndian(String(Math.abs(q))).replace(/^/, q < 0 ? '-' : '');
  const neg = q < 0;
  const a = Math.abs(q);
  const cs = Math.floor(a / caseSize);
  const pcs = a % caseSize;
  return (neg ? '-' : '') + (cs ? `${cs} cs` : '') + (cs && pcs ? ' ' : '') + (pcs || !cs ? `${pcs}` : '');
}

/** A plain integer with Indian grouping: 1240 → "1,240". */
export function formatInt(n: number | undefined | null): string {
  const v = Math.trunc(n ?? 0);
  return (v < 0 ? '-' : '') + groupIndian(String(Math.abs(v)));
}

export const STATES: Record<string, string> = {
  '01': 'Jammu and Kashmir', '02': 'Himachal Pradesh', '03': 'Punjab', '04': 'Chandigarh', '05': 'Uttarakhand',
  '06': 'Haryana', '07': 'Delhi', '08': 'Rajasthan', '09': 'Uttar Pradesh', '10': 'Bihar', '11': 'Sikkim',
  '12': 'Arunachal Pradesh', '13': 'Nagaland', '14': 'Manipur', '15': 'Mizoram', '16': 'Tripura', '17': 'Meghalaya',
  '18': 'Assam', '19': 'West Bengal', '20': 'Jharkhand', '21': 'Odisha', '22': 'Chhattisgarh', '23': 'Madhya Pradesh',
  '24': 'Gujarat', '26': 'Dadra and Nagar Haveli and Daman and Diu', '27': 'Maharashtra', '29': 'Karnataka', '30': 'Goa',
  '31': 'Lakshadweep', '32': 'Kerala', '33': 'Tamil Nadu', '34': 'Puducherry', '35': 'Andaman and Nicobar Islands',
  '36': 'Telangana', '37': 'Andhra Pradesh', '38': 'Ladakh', '97': 'Other Territory',
};

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
