// The head-office dashboard's only door to the receiver: fetch('/api/ho/…')
// with the session cookie (same origin). Shapes follow
// backend/headoffice/dashboard.go and claims.go (docs/UPLOAD-PROTOCOL.md §8).

/** The receiver's refusal: {error, reason}. */
export class HoError extends Error {
  status: number;
  code: string;
  constructor(status: number, code: string, reason: string) {
    super(reason);
    this.status = status;
    this.code = code;
  }
}

export interface Period {
  from: string;
  to: string;
}

/** A rollup sum: quantities in base units, money in paise. */
export interface Sum {
  lines: number;
  qty: number;
  free_qty: number;
  sold?: number;
  discount_paise: number;
  taxable_paise: number;
  tax_paise: number;
  value_paise?: number;
}

export interface Summary {
  period: Period;
  distributors: number;
  secondary: Sum;
  primary: Sum;
  stock_qty: number;
  stock_value_paise: number;
  days_of_cover: number | null;
  scheme_redemptions: number;
  scheme_cost_paise: number;
  secondary_to_primary_bp: number;
}

export type SeriesStep = 'day' | 'week' | 'month';

/** One step of the trend; every step is present, zero when nothing moved. */
export interface SeriesPoint {
  from: string;
  to: string;
  secondary_taxable_paise: number;
  primary_taxable_paise: number;
  secondary_lines: number;
}

export interface SeriesReport {
  from: string;
  to: string;
  step: SeriesStep;
  points: SeriesPoint[];
}

export type DrillBy = 'region' | 'distributor' | 'beat' | 'outlet' | 'salesman' | 'brand' | 'sku';

export interface DrillFilter {
  region?: string;
  distributor?: string;
  beat?: string;
  brand?: string;
}

export interface DrillRow {
  key: string;
  name?: string;
  secondary: Sum;
  primary_taxable_paise: number;
}

/** One page of a list: the page's rows come beside these. */
export interface PageOf {
  /** Rows the whole filter has (not just this page). */
  total_rows: number;
  /** Sums over every row of the filter, money in paise. */
  totals: Record<string, number>;
  offset: number;
  limit: number;
}

/** Which page to ask for; the receiver sends 100 rows from 0 when absent. */
export interface PageAsk {
  limit?: number;
  offset?: number;
  /** Only rows whose code or name holds this. */
  q?: string;
}

export interface DrillReport extends PageOf {
  period: Period;
  by: DrillBy;
  rows: DrillRow[];
  /** Secondary summed over every row of the level. */
  total: Sum;
}

export interface Cover {
  code: string;
  region: string;
  stock_date?: string;
  stock_qty: number;
  stock_value_paise: number;
  sold_qty: number;
  days_of_cover: number | null;
  overstocked: boolean;
}

export interface StockReport extends PageOf {
  period: Period;
  threshold_days: number;
  distributors: Cover[];
  /** Overstocked distributors of the whole filter. */
  overstocked: number;
}

export interface Fresh {
  code: string;
  region: string;
  last_upload: string | null;
  last_batch_id?: string;
  data_to?: string;
  lag_hours: number | null;
  late: boolean;
  /** Lines that reused a key head office held with other content. */
  conflicts?: number;
  last_conflict?: string;
}

export interface SchemeRow {
  scheme_code: string;
  distributor_code: string;
  redemptions: number;
  free_qty: number;
  discount_paise: number;
  cost_paise: number;
}

export type SchemesBy = '' | 'scheme' | 'distributor';

export interface SchemeReport extends PageOf {
  period: Period;
  by: SchemesBy;
  rows: SchemeRow[];
}

export interface ClaimFlag {
  distributor_code: string;
  scheme_code: string;
  redemption_id: string;
  invoice_no: string;
  invoice_date: string;
  outlet_code: string;
  reason: string;
  detail?: string;
  claimed_paise: number;
  leakage_paise: number;
}

export interface LeakageTotal {
  key: string;
  redemptions: number;
  flagged: number;
  claimed_paise: number;
  leakage_paise: number;
}

export interface ClaimSummary {
  from: string;
  to: string;
  rules_checked: boolean;
  claimed_paise: number;
  leakage_paise: number;
  by_scheme: LeakageTotal[];
  by_distributor: LeakageTotal[];
  flags: ClaimFlag[];
  /** redemptions, flagged, claimed_paise, leakage_paise over the period. */
  totals: Record<string, number>;
  pages: Record<'by_scheme' | 'by_distributor' | 'flags', { total_rows: number; offset: number; limit: number }>;
}

/** The page of each of the claims' lists. */
export interface ClaimPages {
  limit?: number;
  by_scheme_offset?: number;
  by_distributor_offset?: number;
  flags_offset?: number;
}

type Params = Record<string, string | number | undefined | null>;

function query(p: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}

const unauthorised = new Set<() => void>();

/** Called when any request answers 401: the session ended, show the login. */
export function onLoginRequired(f: () => void): () => void {
  unauthorised.add(f);
  return () => {
    unauthorised.delete(f);
  };
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let r: Response;
  try {
    r = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new HoError(0, 'offline', 'The head-office server did not answer; check that it is running, then retry.');
  }
  const text = await r.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!r.ok) {
    const e = (data ?? {}) as { error?: string; reason?: string };
    if (r.status === 401 && e.error === 'login_required') unauthorised.forEach((f) => f());
    throw new HoError(r.status, e.error ?? 'http_' + r.status, e.reason ?? `The server answered ${r.status}.`);
  }
  return data as T;
}

const get = <T,>(path: string, p: Params = {}) => call<T>('GET', '/api/ho/' + path + query(p));

export const ho = {
  login: (user: string, password: string) => call<{ user: string }>('POST', '/api/ho/login', { user, password }),
  logout: () => call<{ ok: boolean }>('POST', '/api/ho/logout', {}),
  summary: (p: Period) => get<Summary>('summary', { ...p }),
  series: (p: Period, step: SeriesStep, f: { region?: string; distributor?: string } = {}) => get<SeriesReport>('series', { ...p, step, ...f }),
  drill: (by: DrillBy, p: Period, f: DrillFilter = {}, page: PageAsk = {}) => get<DrillReport>('drill', { by, ...p, ...f, ...page }),
  /** codes: only these distributors (at most 1,000). */
  stock: (p: Period, threshold: number, page: PageAsk = {}, codes?: string[]) =>
    get<StockReport>('stock', { ...p, threshold, ...page, codes: codes?.join(',') }),
  freshness: (lateHours: number) => get<Fresh[]>('freshness', { late_hours: lateHours }),
  schemes: (p: Period, by: SchemesBy = '', page: PageAsk = {}) => get<SchemeReport>('schemes', { ...p, by, ...page }),
  claims: (p: Period, pages: ClaimPages = {}) => get<ClaimSummary>('claims', { ...p, ...pages }),
};
