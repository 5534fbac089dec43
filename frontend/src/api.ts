// The one module that talks to the backend. Every call is
// (method, path, body) → JSON. In the browser it is fetch('/api/…') with the
// session cookie and the CSRF token on writes; in the Wails desktop it is the
// bound Desktop.Call, which routes the very same request through the same Go
// handler in-process. Screens never know which door they use.

import type {
  Beat, Company, Conversion, Godown, Invoice, InvoiceIn, InvoiceSummary, Item, Me, Order, Outlet,
  OutletOutstanding, PostedDoc, Progress, Recon, Salesman, StockLine,
} from './types';

/** An error the backend answered with: status, message and the field at fault. */
export class ApiError extends Error {
  status: number;
  field?: string;
  body: unknown;
  constructor(status: number, message: string, field?: string, body?: unknown) {
    super(message);
    this.status = status;
    this.field = field;
    this.body = body;
  }
}

interface DesktopBridge {
  Call(method: string, path: string, body: string): Promise<{ status: number; body: string }>;
}

declare global {
  interface Window {
    go?: { main?: { Desktop?: DesktopBridge } };
    runtime?: { EventsOn(name: string, cb: (...data: unknown[]) => void): () => void };
  }
}

function desktop(): DesktopBridge | undefined {
  return window.go?.main?.Desktop;
}

/** True inside the Wails desktop window. */
export const isDesktop = (): boolean => desktop() !== undefined;

let csrfToken = '';
const unauthorizedListeners = new Set<() => void>();

/** Called on any 401, so the shell can show the login screen. */
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, q?: Query): string {
  if (!q) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, v === true ? '1' : String(v));
  }
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toError(status: number, body: unknown): ApiError {
  let message = '';
  let field: string | undefined;
  if (body && typeof body === 'object' && 'error' in body) {
    const b = body as { error?: string; field?: string };
    message = b.error ?? '';
    field = b.field || undefined;
    // "gstin: GSTIN …" → "GSTIN …": the field is shown by its own label.
    if (field && message.startsWith(field + ': ')) message = message.slice(field.length + 2);
  } else if (typeof body === 'string') {
    message = body.trim();
  }
  if (status === 403) message = message ? `Your role may not do this: ${message}` : 'Your role may not do this.';
  if (!message) message = status === 0 ? 'The server did not answer. Is Vitaran running?' : `Request failed (${status})`;
  return new ApiError(status, message, field, body);
}

/** The one call everything goes through. path starts with /api/. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  let status: number;
  let parsed: unknown;
  const d = desktop();
  if (d) {
    const r = await d.Call(method, path, payload);
    status = r.status;
    parsed = parseBody(r.body);
  } else {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: payload || undefined, credentials: 'same-origin' });
    } catch {
      throw toError(0, null);
    }
    status = res.status;
    parsed = parseBody(await res.text());
  }
  if (status >= 200 && status < 300) return parsed as T;
  if (status === 401 && path !== '/api/login') unauthorizedListeners.forEach((f) => f());
  throw toError(status, parsed);
}

const get = <T>(path: string, q?: Query) => call<T>('GET', withQuery(path, q));
const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {});
const put = <T>(path: string, body: unknown) => call<T>('PUT', path, body);
const enc = encodeURIComponent;

export type DocKind = 'purchases' | 'purchase-returns' | 'returns' | 'receipts' | 'adjustments' | 'transfers' | 'counts';

/** Lists come back as a bare array or wrapped ({items: […]}); accept both. */
function asList<T>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) if (Array.isArray(x)) return x as T[];
  }
  return [];
}
const list = async <T>(path: string, q?: Query) => asList<T>(await get<unknown>(path, q));

/** CRUD for a master kept by code. */
function master<T>(base: string) {
  return {
    list: (q?: Query) => list<T>(`/api/${base}`, q),
    get: (code: string) => get<T>(`/api/${base}/${enc(code)}`),
    create: (v: T) => post<T>(`/api/${base}`, v),
    update: (code: string, v: T) => put<T>(`/api/${base}/${enc(code)}`, v),
  };
}

function remember(me: Me): Me {
  csrfToken = me.csrf_token ?? '';
  return me;
}

export const api = {
  health: () => get<{ ok: boolean; version: string }>('/api/health'),
  login: async (user: string, password: string) => remember(await post<Me>('/api/login', { user, password })),
  logout: async () => {
    try {
      await post('/api/logout');
    } finally {
      csrfToken = '';
    }
  },
  me: async () => remember(await get<Me>('/api/me')),

  company: {
    get: () => get<Company>('/api/company'),
    put: (c: Company) => put<Company>('/api/company', c),
  },
  items: master<Item>('items'),
  outlets: master<Outlet>('outlets'),
  beats: master<Beat>('beats'),
  salesmen: master<Salesman>('salesmen'),
  godowns: master<Godown>('godowns'),

  invoices: {
    preview: (v: InvoiceIn) => post<Invoice>('/api/invoices/preview', v),
    create: (v: InvoiceIn) => post<Invoice>('/api/invoices', v),
    list: (q?: Query) => list<InvoiceSummary>('/api/invoices', q),
    get: (number: string) => get<Invoice>(`/api/invoices/${enc(number)}`),
    cancel: (number: string, reason: string) => post<Invoice>(`/api/invoices/${enc(number)}/cancel`, { reason }),
  },
  stock: {
    list: (q?: Query) => list<StockLine>('/api/stock', q),
    get: (item: string) => get<StockLine>(`/api/stock/${enc(item)}`),
  },
  reconciliation: (q: { from: string; to: string; item?: string }) => list<Recon>('/api/reconciliation', q),
  outstanding: {
    all: (on?: string) => list<OutletOutstanding>('/api/outstanding', { on }),
    of: (outlet: string, on?: string) => get<OutletOutstanding>(`/api/outlets/${enc(outlet)}/outstanding`, { on }),
  },
  orders: {
    list: (status?: string) => list<Order>('/api/orders', { status }),
    get: (id: string) => get<Order>(`/api/orders/${enc(id)}`),
    convert: (id: string, date?: string) => post<Conversion>(`/api/orders/${enc(id)}/convert`, date ? { date } : {}),
  },
  /** Posting a document: purchases, purchase-returns, returns, receipts, adjustments, transfers, counts. */
  postDoc: (kind: DocKind, body: unknown) => post<PostedDoc>(`/api/${kind}`, body),
  getDoc: (kind: DocKind | 'stock-docs', number: string) => get<PostedDoc>(`/api/${kind}/${enc(number)}`),

  /** Escape hatch for screens whose endpoints are still young. */
  get: <T>(path: string, q?: Query) => get<T>(path, q),
  list: <T>(path: string, q?: Query) => list<T>(path, q),
  post: <T>(path: string, body?: unknown) => post<T>(path, body),
  put: <T>(path: string, body: unknown) => put<T>(path, body),
};

/**
 * Subscribes to progress of long tasks: the SSE stream /api/events in the
 * browser, the Wails "progress" event in the desktop. Returns the unsubscribe.
 */
export function onProgress(fn: (p: Progress) => void): () => void {
  const rt = window.runtime;
  if (desktop() && rt?.EventsOn) {
    return rt.EventsOn('progress', (data: unknown) => {
      const p = typeof data === 'string' ? (parseBody(data) as Progress) : (data as Progress);
      if (p && typeof p === 'object') fn(p);
    });
  }
  if (typeof EventSource === 'undefined') return () => {};
  const es = new EventSource('/api/events', { withCredentials: true });
  es.onmessage = (e) => {
    const p = parseBody(e.data) as Progress;
    if (p && typeof p === 'object') fn(p);
  };
  es.addEventListener('progress', (e) => {
    const p = parseBody((e as MessageEvent).data) as Progress;
    if (p && typeof p === 'object') fn(p);
  });
  return () => es.close();
}
