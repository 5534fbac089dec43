// Shapes of the JSON the backend sends and takes (snake_case, money in
// integer paise, rates in basis points, dates YYYY-MM-DD).

export type Role = 'admin' | 'billing' | 'accounts' | 'viewer';

export interface Me {
  user: string;
  role: Role;
  csrf_token: string;
}

export interface Company {
  name: string;
  address: string;
  gstin: string;
  state_code: string;
  fy_start_month: number;
  invoice_prefix: string;
  allow_negative_stock: boolean;
  credit_check: 'warn' | 'block';
  near_expiry_days: number;
  overstock_days: number;
  tally_mode: 'invoice' | 'daily';
  code?: string;
  phone?: string;
  email?: string;
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
}

export interface Outlet {
  code: string;
  name: string;
  address: string;
  state_code: string;
  gstin: string;
  channel: string;
  beat: string;
  salesman: string;
  phone?: string;
  credit_limit_paise: number;
  credit_days: number;
  active: boolean;
}

export interface Beat {
  code: string;
  name: string;
  weekday: string;
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

export interface Batch {
  batch: string;
  expiry?: string;
  mrp_paise?: number;
  qty: number;
  godown?: string;
  rate_paise?: number;
  value_paise?: number;
}

export interface StockLine {
  item: string;
  name?: string;
  qty: number;
  value_paise: number;
  batches?: Batch[];
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
}

/** A line as the backend computes it; most fields optional so previews and
 *  posted invoices can share the shape. */
export interface InvoiceLine {
  item: string;
  name?: string;
  hsn?: string;
  qty: number;
  free_qty?: number;
  free?: boolean;
  rate_paise?: number;
  mrp_paise?: number;
  discount_bp?: number;
  discount_paise?: number;
  scheme_discount_paise?: number;
  gst_rate_bp?: number;
  taxable_paise: number;
  cgst_paise?: number;
  sgst_paise?: number;
  igst_paise?: number;
  amount_paise?: number;
  total_paise?: number;
  batches?: { batch: string; qty: number; expiry?: string }[];
  schemes?: SchemeApplied[];
}

export interface SchemeApplied {
  code?: string;
  scheme?: string;
  name?: string;
  line?: number;
  item?: string;
  free_qty?: number;
  free_item?: string;
  discount_paise?: number;
  description?: string;
  text?: string;
}

export interface NearMiss {
  code?: string;
  scheme?: string;
  line?: number;
  item?: string;
  need_qty?: number;
  need_value_paise?: number;
  description?: string;
  text?: string;
  message?: string;
}

export interface Warning {
  kind?: string;
  field?: string;
  line?: number;
  message?: string;
  text?: string;
}

export interface Totals {
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
  round_off_paise: number;
  total_paise: number;
  discount_paise?: number;
  scheme_discount_paise?: number;
}

export interface Invoice {
  number?: string;
  date: string;
  outlet: string;
  outlet_name?: string;
  lines: InvoiceLine[];
  totals?: Totals;
  taxable_paise?: number;
  total_paise?: number;
  cancelled?: boolean;
  cancel_reason?: string;
  status?: string;
  schemes?: SchemeApplied[];
  near_misses?: NearMiss[];
  warnings?: (Warning | string)[];
  [k: string]: unknown;
}

export interface Progress {
  task: string;
  done: number;
  total: number;
  label?: string;
}
