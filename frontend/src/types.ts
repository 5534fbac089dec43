// Shapes of the JSON the backend sends and takes (snake_case, money in
// integer paise, rates in basis points, dates YYYY-MM-DD).

export type Role = 'admin' | 'billing' | 'accounts' | 'viewer';

export interface Me {
  user: string;
  role: Role;
  csrf_token: string;
  /** The server's clock (RFC 3339, UTC) and business day (IST); screens date by these. */
  now?: string;
  today?: string;
}

export interface Company {
  name: string;
  address: string;
  city?: string;
  pincode?: string;
  gstin: string;
  state_code: string;
  fy_start_month: number;
  invoice_prefix: string;
  allow_negative_stock: boolean;
  credit_check: 'warn' | 'block';
  near_expiry_days: number;
  overstock_days: number;
  /** Days of sales the next order to the brand aims at (default 21). */
  cover_days?: number;
  tally_mode: 'invoice' | 'daily';
  code?: string;
  phone?: string;
  email?: string;
  einvoice?: 'off' | 'api' | 'offline';
  einvoice_from?: string;
  irp_url?: string;
  irp_username?: string;
  irp_mode?: 'gsp' | 'direct';
  irp_public_key?: string;
  irp_password?: string;
  irp_client_id?: string;
  irp_client_secret?: string;
  irp_password_hint?: string;
  irp_client_id_hint?: string;
  irp_client_secret_hint?: string;
  hsn_digits?: number;
  ewaybill_threshold_paise?: number;
}

export interface RateFrom {
  from: string;
  rate_bp: number;
}

export interface Item {
  code: string;
  brand_code: string;
  name: string;
  brand: string;
  category: string;
  hsn: string;
  gst_rate_bp: number;
  gst_rates?: RateFrom[];
  mrp_paise: number;
  unit: string;
  case_size: number;
  price_paise: number;
  active: boolean;
  /** What a scanner reads off the pack (EAN-13, the brand's codes). */
  barcodes?: string[];
}

export interface Outlet {
  code: string;
  name: string;
  address: string;
  city?: string;
  pincode?: string;
  state_code: string;
  gstin: string;
  channel: string;
  beat: string;
  salesman: string;
  phone?: string;
  credit_limit_paise: number;
  credit_days: number;
  /** Credit control: 0 is no such limit; mode '' follows the company's credit_check. */
  credit_limit_bills?: number;
  credit_limit_days?: number;
  credit_mode?: '' | 'warn' | 'stop';
  temp_credit_limit_paise?: number;
  temp_credit_until?: string;
  active: boolean;
}

/** An outlet against its credit limits (GET /api/outlets/{code}/credit, a preview's credit). */
export interface Credit {
  outlet: string;
  date: string;
  mode: 'warn' | 'stop';
  limit_paise: number;
  temp_until?: string;
  due_paise: number;
  bill_paise: number;
  available_paise: number;
  limit_bills: number;
  open_bills: number;
  limit_days: number;
  credit_days: number;
  oldest_bill?: string;
  oldest_days: number;
  broken: Warning[];
  stopped: boolean;
  field?: string;
}

/** The rate and discount an outlet got for an item on its last bill. */
export interface LastRate {
  outlet: string;
  item: string;
  found: boolean;
  date?: string;
  invoice?: string;
  rate_paise: number;
  discount_bp: number;
  qty: number;
}

/** One SKU of a suggested order to the brand (GET /api/purchase-suggestions). */
export interface SuggestionLine {
  item: string;
  name: string;
  brand_code: string;
  case_size: number;
  stock: number;
  near_expiry_qty: number;
  sold: number;
  avg_daily: number;
  cover_days: number;
  cover_from: 'request' | 'item' | 'brand' | 'company';
  target_qty: number;
  suggested_qty: number;
  suggested_cases: number;
  /** What open purchase orders still expect, counted with stock. */
  on_order: number;
}

/** An order placed on the brand (GET /api/purchase-orders/{number}). */
export interface PurchaseOrder {
  number: string;
  brand: string;
  date: string;
  status: 'open' | 'received' | 'closed';
  lines: { item: string; name: string; brand_code?: string; case_size: number; qty: number; received: number; pending: number }[];
  receipts: { purchase: string; date: string; lines: { item: string; qty: number }[] }[];
  qty: number;
  received: number;
  pending: number;
  placed_at: string;
  placed_by: string;
  closed_reason?: string;
  closed_at?: string;
  closed_by?: string;
}

export interface Suggestion {
  brand: string;
  on: string;
  window_days: number;
  near_expiry_days: number;
  pending_orders: boolean;
  note: string;
  rows: SuggestionLine[];
  total: number;
  totals: Record<string, number>;
  offset: number;
  limit: number;
}

export interface Beat {
  code: string;
  name: string;
  /** Monday … Sunday; '' when not set (a beat an outlet import made from a file without a day). */
  weekday: string;
}

/** A trade channel: built-in or the distributor's own, with the spellings that mean it. */
export interface Channel {
  code: string;
  name: string;
  synonyms?: string[];
  built_in?: boolean;
  /** A built-in channel's own synonyms the distributor removed. */
  removed?: string[];
}

export interface Salesman {
  code: string;
  name: string;
  phone?: string;
  active: boolean;
}

export interface Godown {
  code: string;
  name: string;
  damaged: boolean;
}

export interface BatchStock {
  batch: string;
  godown: string;
  expiry: string;
  mrp_paise: number;
  qty: number;
  value_paise: number;
}

export interface StockLine {
  item: string;
  qty: number;
  value_paise: number;
  batches: BatchStock[];
}

export interface Pick {
  batch: string;
  expiry: string;
  mrp_paise: number;
  godown: string;
  qty: number;
}

export interface InvoiceLineIn {
  item: string;
  qty: number;
  rate_paise?: number;
  discount_bp?: number;
  batch?: string;
}

export interface InvoiceIn {
  outlet: string;
  date: string;
  lines: InvoiceLineIn[];
  order_id?: string;
  salesman?: string;
  /** The client's id for this save; a retry sends the same one. */
  request_id?: string;
  /** Bills past a credit stop (admins only), with the reason for the audit log. */
  credit_override?: { reason: string };
}

export interface SchemeApplied {
  scheme: string;
  kind: string;
  discount_paise: number;
  free_item?: string;
  free_qty?: number;
  free_value_paise?: number;
  explanation: string;
}

export interface NearMiss {
  scheme: string;
  line: number;
  more_qty?: number;
  more_value_paise?: number;
  text: string;
}

export interface Warning {
  kind: string; // short_stock, near_expiry, loss, credit_limit, credit_bills, credit_days, overdue
  line?: number;
  item?: string;
  text: string;
}

/** A computed line: line is 1-based; free rows carry free, scheme and for_line. */
export interface InvoiceLine {
  line: number;
  item: string;
  name: string;
  hsn: string;
  unit?: string;
  qty: number;
  rate_paise: number;
  mrp_paise: number;
  gross_paise: number;
  discount_bp: number;
  discount_paise: number;
  scheme_discount_paise: number;
  taxable_paise: number;
  gst_rate_bp: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
  total_paise: number;
  free_qty: number;
  free?: boolean;
  scheme?: string;
  for_line?: number;
  free_value_paise?: number;
  batches: Pick[] | null;
  schemes?: SchemeApplied[];
}

export interface Totals {
  gross_paise: number;
  discount_paise: number;
  scheme_discount_paise: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
  round_off_paise: number;
  total_paise: number;
  free_value_paise: number;
}

export interface Invoice extends Totals {
  number: string;
  date: string;
  outlet: string;
  outlet_name: string;
  outlet_gstin?: string;
  outlet_address?: string;
  place_of_supply: string;
  inter_state: boolean;
  beat?: string;
  salesman?: string;
  order_id?: string;
  lines: InvoiceLine[];
  amount_in_words: string;
  bill_schemes?: SchemeApplied[];
  status: string; // posted, cancelled; "" in a preview
  cancellation?: { reason: string; date: string; at: string; by: string };
  posted_at?: string;
  posted_by?: string;
  warnings?: Warning[];
  near_misses?: NearMiss[];
  scheme_notes?: string[];
  /** Preview only: the outlet against its credit limits with this bill. */
  credit?: Credit;
  /** Kept on an invoice an admin let past a credit stop: who, when, why, the limits broken. */
  credit_override?: { reason: string; by?: string; at?: string; broken?: string[] };
  // e-invoice: where the invoice stands with the IRP (when e-invoicing is on)
  irn_status?: 'pending' | 'sending' | 'active' | 'failed' | 'cancelled' | 'not_required';
  irn?: string;
  ack_no?: string;
  ack_date?: string;
  signed_qr?: string;
  irn_error?: string;
  /** The e-way bill the portal gave, once recorded (it prints on the invoice). */
  ewaybill?: EWayBillRecord;
}

/** How an invoice's goods move: entered once per dispatch or invoice. */
export interface Transport {
  trans_mode: number; // 1 road, 2 rail, 3 air, 4 ship
  vehicle_no: string;
  distance_km: number;
  transporter_id?: string;
  transporter_name?: string;
  trans_doc_no?: string;
  trans_doc_date?: string;
}

export interface EWayBillRecord extends Transport {
  invoice: string;
  ewb_no: string;
  ewb_date: string;
  valid_until: string;
}

export interface InvoiceSummary {
  number: string;
  date: string;
  outlet: string;
  outlet_name: string;
  lines: number;
  taxable_paise: number;
  total_paise: number;
  status: string;
  cancellation?: { reason: string; date: string; at: string; by: string };
}

export interface OpenBill {
  invoice: string;
  date: string;
  due_date: string;
  total_paise: number;
  due_paise: number;
  days: number;
  overdue: boolean;
}

export interface OutletOutstanding {
  outlet: string;
  name: string;
  credit_limit_paise: number;
  credit_days: number;
  due_paise: number;
  on_account_paise: number;
  outstanding_paise: number;
  ageing: {
    days_0_30_paise: number;
    days_31_60_paise: number;
    days_61_90_paise: number;
    days_over_90_paise: number;
    overdue_paise: number;
    oldest_bill?: string;
  };
  bills: OpenBill[];
}

export interface Recon {
  item: string;
  opening: number;
  opening_value_paise: number;
  received: number;
  received_value_paise: number;
  sold: number;
  sold_value_paise: number;
  returned: number;
  returned_value_paise: number;
  purchase_returned: number;
  purchase_returned_value_paise: number;
  adjusted: number;
  adjusted_value_paise: number;
  damaged: number;
  damaged_value_paise: number;
  closing: number;
  closing_value_paise: number;
  sales_last_days: number;
  days_of_cover: number | null;
  overstock: boolean;
  near_expiry: boolean;
  near_expiry_qty: number;
  expired_qty: number;
}

export interface Order {
  id: string;
  outlet: string;
  salesman?: string;
  taken_at: string;
  lat?: number;
  lng?: number;
  lines: InvoiceLineIn[];
  status: string;
  invoice?: string;
  received_at: string;
}

export interface Conversion {
  invoice: Invoice;
  shortfall: { line: number; item: string; ordered: number; billed: number; short: number }[];
}

/** A posted purchase, return or stock document line (shape shared by the backend). */
export interface DocLine {
  line?: number;
  item: string;
  name?: string;
  batch?: string;
  expiry?: string;
  qty: number;
  rate_paise?: number;
  taxable_paise?: number;
  total_paise?: number;
  [k: string]: unknown;
}

export interface PostedDoc {
  number: string;
  date: string;
  lines: DocLine[];
  [k: string]: unknown;
}

export interface Progress {
  task: string;
  done: number;
  total: number;
  label?: string;
}

/** A line of a posted purchase, credit note or debit note, as the backend keeps it. */
export interface TaxDocLine {
  line: number;
  item: string;
  name: string;
  hsn: string;
  batch?: string;
  expiry?: string;
  mrp_paise?: number;
  qty: number;
  rate_paise: number;
  discount_bp?: number;
  taxable_paise: number;
  gst_rate_bp: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
  total_paise: number;
  invoice_line?: number;
  condition?: string;
  free?: boolean;
  /** A credit note's line: what it gives back of the invoice line's figures
   *  (gross − discount − scheme discount − free deducted = taxable). */
  gross_paise?: number;
  discount_paise?: number;
  scheme_discount_paise?: number;
  /** Free pieces the kept quantity no longer earns; recovered of them came
   *  back (the note's free lines), the rest were valued and deducted. */
  free_due?: number;
  free_recovered?: number;
  free_deducted_paise?: number;
  /** A free line: the value of the free pieces it brings back. */
  free_value_paise?: number;
}

/** A posted credit note (sales return) against an invoice. */
export interface SalesReturn extends Totals {
  number: string;
  /** The total in words, as printed (GET /api/returns/{number} only). */
  amount_in_words?: string;
  invoice: string;
  date: string;
  outlet: string;
  inter_state: boolean;
  reason: string;
  lines: TaxDocLine[];
  settled_paise: number;
  on_account_paise: number;
  /** Free goods the outlet kept but no longer earns, taken off the credit. */
  free_deducted_paise?: number;
  posted_at: string;
  posted_by: string;
  // e-invoice: where the credit note stands with the IRP (when e-invoicing is on)
  irn_status?: Invoice['irn_status'];
  irn?: string;
  ack_no?: string;
  ack_date?: string;
}

export interface Allocation {
  invoice: string;
  amount_paise: number;
}

/** A posted receipt: money from an outlet, allocated to its bills. */
export interface Receipt {
  number: string;
  /** The amount in words, as printed (GET /api/receipts/{number} only). */
  amount_in_words?: string;
  date: string;
  outlet: string;
  mode: string;
  amount_paise: number;
  reference?: string;
  allocations: Allocation[] | null;
  on_account_paise: number;
  posted_at: string;
  posted_by: string;
}

/** A posted purchase (GRN). */
export interface Purchase extends Totals {
  number: string;
  supplier_invoice_no: string;
  date: string;
  supplier_gstin?: string;
  supplier?: string;
  inter_state: boolean;
  godown: string;
  lines: TaxDocLine[];
  posted_at: string;
  posted_by: string;
}
