// The one module that talks to the backend. Every call is
// (method, path, body) → JSON. In the browser it is fetch('/api/…') with the
// session cookie and the CSRF token on writes; in the Wails desktop it is the
// bound Desktop.Call, which routes the very same request through the same Go
// handler in-process. Screens never know which door they use.

import type {
  Beat, Channel, Company, Conversion, Credit, Godown, Invoice, InvoiceIn, InvoiceSummary, Item, LastRate, Me, Order, Outlet,
  OutletOutstanding, PostedDoc, Progress, PurchaseOrder, Recon, Salesman, StockLine, Suggestion,
} from './types';
import { followServerClock } from './format';
import type { Paged } from './widgets/Pager';

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

/** What the desktop's Desktop.Call answers (app.Reply in bridge.go). */
interface BridgeReply {
  status: number;
  body: string;
  content_type?: string;
  /** The body is base64 (a file: .xlsx, .pdf). */
  base64?: boolean;
  filename?: string;
}

interface DesktopBridge {
  Call(method: string, path: string, body: string): Promise<BridgeReply>;
  /** SaveFile(name string, data []byte): Wails passes []byte as a base64 string. */
  SaveFile?(name: string, data: string): Promise<string>;
  /** Optional upload door: (method, path, filename, base64 bytes). */
  Upload?(method: string, path: string, filename: string, data: string): Promise<BridgeReply>;
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
    parsed = r.base64 ? r.body : parseBody(r.body);
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

/** The documents whose posting takes a request_id (docs/API.md, Retries). */
export const idempotentDocs: ReadonlySet<DocKind> = new Set<DocKind>(['purchases', 'purchase-returns', 'returns', 'receipts']);

/**
 * A new request_id for a document about to be saved: made once per document
 * and sent again, unchanged, on every retry of its save, so a save the
 * server finished but whose answer was lost is answered, not posted twice.
 * getRandomValues works on a LAN address over plain HTTP too.
 */
export function newRequestId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

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
  followServerClock(me.now);
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
  /** The channels master: one POST creates a channel or changes one (its name, its synonyms). */
  channels: {
    list: () => get<Channel[]>('/api/channels'),
    create: (c: Channel) => post<Channel>('/api/channels', c),
    update: (_code: string, c: Channel) => post<Channel>('/api/channels', c),
  },

  invoices: {
    preview: (v: InvoiceIn) => post<Invoice>('/api/invoices/preview', v),
    create: (v: InvoiceIn) => post<Invoice>('/api/invoices', v),
    list: (q?: Query) => list<InvoiceSummary>('/api/invoices', q),
    /** One page of the list, newest first, with the count and totals of the whole filter. */
    page: (q?: Query) => get<Paged<InvoiceSummary>>('/api/invoices', q),
    get: (number: string) => get<Invoice>(`/api/invoices/${enc(number)}`),
    cancel: (number: string, reason: string, goodsLeft?: boolean) =>
      post<Invoice>(`/api/invoices/${enc(number)}/cancel`, { reason, goods_left: goodsLeft }),
  },
  stock: {
    list: (q?: Query) => list<StockLine>('/api/stock', q),
    get: (item: string) => get<StockLine>(`/api/stock/${enc(item)}`),
  },
  reconciliation: (q: { from: string; to: string; item?: string }) => list<Recon>('/api/reconciliation', q),
  outstanding: {
    all: (on?: string) => list<OutletOutstanding>('/api/outstanding', { on }),
    of: (outlet: string, on?: string) => get<OutletOutstanding>(`/api/outlets/${enc(outlet)}/outstanding`, { on }),
    credit: (outlet: string, date?: string) => get<Credit>(`/api/outlets/${enc(outlet)}/credit`, { date }),
    lastRate: (outlet: string, item: string) => get<LastRate>(`/api/outlets/${enc(outlet)}/last-rate`, { item }),
  },
  purchaseSuggestions: {
    get: (q: { brand: string; cover_days?: string; window_days?: string; limit?: string }) => get<Suggestion>('/api/purchase-suggestions', q),
    /** The brand's order sheet of the quantities as edited. */
    sheet: (brand: string, lines: { item: string; qty: number }[]) =>
      fetchFile('/api/purchase-suggestions/order.xlsx', undefined, 'order.xlsx', 'POST', { brand, lines }),
  },
  purchaseOrders: {
    list: (q: { brand?: string; status?: string; limit?: string }) => list<PurchaseOrder>('/api/purchase-orders', q),
    get: (number: string) => get<PurchaseOrder>(`/api/purchase-orders/${enc(number)}`),
    /** Places the order on the brand: kept in the book, subtracted from suggestions until received or closed. */
    place: (brand: string, lines: { item: string; qty: number }[], request_id: string) => post<PurchaseOrder>('/api/purchase-orders', { brand, lines, request_id }),
    sheet: (number: string) => fetchFile(`/api/purchase-orders/${enc(number)}`, { format: 'xlsx' }, 'order.xlsx'),
    close: (number: string, reason: string) => post<PurchaseOrder>(`/api/purchase-orders/${enc(number)}/close`, { reason }),
  },
  orders: {
    list: (status?: string) => list<Order>('/api/orders', { status }),
    get: (id: string) => get<Order>(`/api/orders/${enc(id)}`),
    convert: (id: string, date?: string) => post<Conversion>(`/api/orders/${enc(id)}/convert`, date ? { date } : {}),
  },
  /** Posting a document: purchases, purchase-returns, returns, receipts, adjustments, transfers, counts. */
  postDoc: (kind: DocKind, body: unknown) => post<PostedDoc>(`/api/${kind}`, body),
  getDoc: (kind: DocKind | 'stock-docs', number: string) => get<PostedDoc>(`/api/${kind}/${enc(number)}`),

  /** A document being typed, kept in the book per user (see docs/API.md, drafts). */
  drafts: {
    get: <T>(kind: string) => get<{ kind: string; saved_at?: string; draft: T | null }>(`/api/drafts/${enc(kind)}`),
    put: (kind: string, draft: unknown) => put<{ saved_at: string }>(`/api/drafts/${enc(kind)}`, draft),
    del: (kind: string) => call<unknown>('DELETE', `/api/drafts/${enc(kind)}`),
    /** Sends the draft even as the page goes away (reload, window closed). */
    keep: (kind: string, draft: unknown | null) => {
      const method = draft === null ? 'DELETE' : 'PUT';
      const path = `/api/drafts/${enc(kind)}`;
      const body = draft === null ? '' : JSON.stringify(draft);
      const d = desktop();
      if (d) return void d.Call(method, path, body).catch(() => undefined);
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
      void fetch(path, { method, headers, body: body || undefined, credentials: 'same-origin', keepalive: true }).catch(() => undefined);
    },
  },

  /** Escape hatch for screens whose endpoints are still young. */
  get: <T>(path: string, q?: Query) => get<T>(path, q),
  list: <T>(path: string, q?: Query) => list<T>(path, q),
  page: <T>(path: string, q?: Query) => get<Paged<T>>(path, q),
  post: <T>(path: string, body?: unknown) => post<T>(path, body),
  put: <T>(path: string, body: unknown) => put<T>(path, body),
};

export type { Query };

/** A file the backend answered with (an .xlsx export, a template). */
export interface FileReply {
  name: string;
  type: string;
  bytes: Uint8Array;
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function filenameOf(disposition: string | null, fallback: string): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  return m ? decodeURIComponent(m[1]) : fallback;
}

async function browserReply(res: Response): Promise<never> {
  const parsed = parseBody(await res.text());
  if (res.status === 401) unauthorizedListeners.forEach((f) => f());
  throw toError(res.status, parsed);
}

/** Fetches a file (GET, or POST with a body). In the desktop the bytes come base64. */
export async function fetchFile(path: string, q?: Query, fallbackName = 'download.xlsx', method = 'GET', body?: unknown): Promise<FileReply> {
  const url = withQuery(path, q);
  const text = body === undefined ? '' : JSON.stringify(body);
  const d = desktop();
  if (d) {
    const r = await d.Call(method, url, text);
    if (r.status < 200 || r.status >= 300) {
      if (r.status === 401) unauthorizedListeners.forEach((f) => f());
      throw toError(r.status, r.base64 ? null : parseBody(r.body));
    }
    const bytes = r.base64 ? base64ToBytes(r.body) : new TextEncoder().encode(r.body);
    return { name: r.filename || fallbackName, type: r.content_type || '', bytes };
  }
  const headers: Record<string, string> = {};
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (text) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', body: text || undefined });
  } catch {
    throw toError(0, null);
  }
  if (!res.ok) return browserReply(res);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { name: filenameOf(res.headers.get('Content-Disposition'), fallbackName), type: res.headers.get('Content-Type') ?? '', bytes };
}

/**
 * Saves a file the user asked for: a Blob and <a download> in the browser,
 * the system save dialog (Desktop.SaveFile) in the desktop. Resolves with the
 * name saved (empty when the user cancelled the dialog).
 */
export async function saveFile(f: FileReply): Promise<string> {
  const d = desktop();
  if (d?.SaveFile) return d.SaveFile(f.name, bytesToBase64(f.bytes));
  const blob = new Blob([f.bytes as BlobPart], { type: f.type || 'application/octet-stream' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = f.name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30000);
  return f.name;
}

/** Fetches a file and saves it: every "Export to Excel" and template button. */
export async function download(path: string, q?: Query, fallbackName?: string): Promise<string> {
  return saveFile(await fetchFile(path, q, fallbackName));
}

/**
 * Sends a file as multipart/form-data in the field "file" (imports). The
 * desktop bridge carries JSON text only; it uploads through Desktop.Upload
 * when the build binds one.
 */
export async function upload<T>(path: string, file: File, q?: Query): Promise<T> {
  const url = withQuery(path, q);
  const d = desktop();
  if (d) {
    if (!d.Upload) throw new ApiError(501, 'This desktop build cannot send files yet: use the browser (vitaran serve) or the CLI: vitaran import KIND FILE', 'file');
    const r = await d.Upload('POST', url, file.name, bytesToBase64(new Uint8Array(await file.arrayBuffer())));
    const parsed = parseBody(r.body);
    if (r.status >= 200 && r.status < 300) return parsed as T;
    throw toError(r.status, parsed);
  }
  const form = new FormData();
  form.append('file', file, file.name);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw toError(0, null);
  }
  const parsed = parseBody(await res.text());
  if (res.ok) return parsed as T;
  if (res.status === 401) unauthorizedListeners.forEach((f) => f());
  throw toError(res.status, parsed);
}

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

