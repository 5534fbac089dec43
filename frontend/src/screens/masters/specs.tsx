// The five masters, each described once: columns for the grid, fields for
// the form, and how the backend's field names map onto the form.

import { api } from '../../api';
import { navigate } from '../../router';
import { STATES, WEEKDAYS, formatAmount, formatBp, formatInt } from '../../format';
import type { Beat, Channel, Godown, Item, Outlet, Salesman } from '../../types';
import type { MasterSpec } from './MasterScreen';

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
const stateOptions = Object.entries(STATES).map(([code, name]) => ({ value: code, label: `${code} · ${name}` }));

/** Common GST slabs (basis points); the backend checks the rate against its date. */
const gstOptions = [0, 25, 300, 500, 1200, 1800, 2800, 4000].map((bp) => ({ value: String(bp), label: `${formatBp(bp)} %` }));

export const itemSpec: MasterSpec<Item> = {
  title: 'Items',
  singular: 'Item',
  cache: 'items',
  api: api.items,
  keyOf: (i) => i.code,
  inactive: (i) => !i.active,
  columns: [
    { key: 'code', title: 'Code', width: 110 },
    { key: 'name', title: 'Name', flex: 3 },
    { key: 'brand', title: 'Brand', width: 120 },
    { key: 'category', title: 'Category', flex: 1.5 },
    { key: 'brand_code', title: 'Brand SKU', width: 110 },
    { key: 'hsn', title: 'HSN', width: 90 },
    { key: 'gst_rate_bp', title: 'GST %', width: 70, align: 'right', text: (i) => formatBp(i.gst_rate_bp) },
    { key: 'mrp_paise', title: 'MRP ₹', width: 90, align: 'right', text: (i) => formatAmount(i.mrp_paise) },
    { key: 'price_paise', title: 'Price ₹', width: 90, align: 'right', text: (i) => formatAmount(i.price_paise) },
    { key: 'case_size', title: 'Case', width: 60, align: 'right', text: (i) => `${formatInt(i.case_size)}` },
    { key: 'unit', title: 'Unit', width: 60 },
    { key: 'active', title: 'Active', width: 64, text: (i) => yesNo(i.active) },
  ],
  fields: [
    { name: 'code', label: 'Code', kind: 'code', fixedOnEdit: true, placeholder: 'GD200', maxLength: 20 },
    { name: 'brand_code', label: "Brand's SKU code", placeholder: 'the brand’s own code' },
    { name: 'name', label: 'Name', wide: true, placeholder: 'Good Day Cashew 200g' },
    { name: 'brand', label: 'Brand' },
    { name: 'category', label: 'Category', hint: 'Nest with /, e.g. Biscuits/Cream' },
    { name: 'hsn', label: 'HSN', placeholder: '4, 6 or 8 digits', maxLength: 8 },
    { name: 'gst_rate_bp', label: 'GST rate', kind: 'select', options: gstOptions, hint: 'A changed rate starts from today; history is kept' },
    { name: 'mrp_paise', label: 'MRP', kind: 'money' },
    { name: 'price_paise', label: 'Selling price (per unit, before GST)', kind: 'money' },
    { name: 'unit', label: 'Base unit', placeholder: 'PCS', upper: true, maxLength: 8 },
    { name: 'case_size', label: 'Units per case', kind: 'int' },
    { name: 'barcodes', label: 'Barcodes', wide: true, placeholder: '8901063010031, 8901063010048', hint: 'What a scanner reads off the pack; several, separated by commas' },
    { name: 'active', label: 'Active', kind: 'bool' },
  ],
  blank: () => ({
    code: '', brand_code: '', name: '', brand: '', category: '', hsn: '', gst_rate_bp: 1800, mrp_paise: 0,
    unit: 'PCS', case_size: 1, price_paise: 0, active: true,
  }),
  // gst_rate_bp arrives from the select as a string.
  // Barcodes are typed as one text, "a, b" (an array shows the same way).
  beforeSave: (i) => {
    const bc = i.barcodes as unknown;
    const barcodes = typeof bc === 'string' ? bc.split(/[\s,;|]+/).filter(Boolean) : (i.barcodes ?? []);
    return { ...i, gst_rate_bp: Number(i.gst_rate_bp), barcodes };
  },
  mapField: (f) => (f.startsWith('gst_rates') ? 'gst_rate_bp' : f.startsWith('barcodes') ? 'barcodes' : f),
};

export const outletSpec: MasterSpec<Outlet> = {
  title: 'Outlets',
  singular: 'Outlet',
  cache: 'outlets',
  api: api.outlets,
  open: { label: 'Ledger', key: 'l', go: (o) => navigate('/outlet-ledger/' + encodeURIComponent(o.code)) },
  keyOf: (o) => o.code,
  inactive: (o) => !o.active,
  columns: [
    // Sized to fit 1366×768 without sideways scrolling: the PIN rides with the city.
    { key: 'code', title: 'Code', width: 90 },
    { key: 'name', title: 'Name', flex: 2.5 },
    { key: 'beat', title: 'Beat', width: 110 },
    { key: 'salesman', title: 'Salesman', width: 76 },
    { key: 'channel', title: 'Channel', width: 96, text: (o) => o.channel.replace('_', ' ') },
    { key: 'gstin', title: 'GSTIN', width: 146, text: (o) => o.gstin || 'unregistered' },
    { key: 'state_code', title: 'State', width: 44 },
    { key: 'credit_limit_paise', title: 'Credit ₹', width: 90, align: 'right', text: (o) => formatAmount(o.credit_limit_paise) },
    { key: 'credit_days', title: 'Days', width: 52, align: 'right' },
    { key: 'credit_mode', title: 'Credit', width: 56, text: (o) => o.credit_mode || '' },
    { key: 'address', title: 'Address', flex: 2 },
    { key: 'city', title: 'City · PIN', width: 112, text: (o) => [o.city, o.pincode].filter(Boolean).join(' ') },
    { key: 'active', title: 'Active', width: 60, text: (o) => yesNo(o.active) },
  ],
  fields: [
    { name: 'code', label: 'Code', kind: 'code', fixedOnEdit: true, placeholder: 'SLS01', maxLength: 20 },
    { name: 'name', label: 'Name', placeholder: 'Sri Lakshmi Stores' },
    { name: 'address', label: 'Address', kind: 'textarea', wide: true },
    { name: 'city', label: 'City', placeholder: 'Bengaluru' },
    { name: 'pincode', label: 'PIN', maxLength: 6, placeholder: '560011', hint: 'needed for e-invoices and e-way bills' },
    { name: 'gstin', label: 'GSTIN', upper: true, maxLength: 15, placeholder: 'empty if unregistered' },
    { name: 'state_code', label: 'State', kind: 'select', options: stateOptions },
    { name: 'channel', label: 'Channel', kind: 'channel', hint: 'The built-in channels and your own; an outlet import can add new ones' },
    { name: 'beat', label: 'Beat', kind: 'ref', refKind: 'beats' },
    { name: 'salesman', label: 'Salesman', kind: 'ref', refKind: 'salesmen' },
    { name: 'phone', label: 'Phone' },
    { name: 'credit_limit_paise', label: 'Credit limit', kind: 'money', hint: '0 means no limit' },
    { name: 'credit_days', label: 'Credit days', kind: 'int', hint: 'payment terms: bills older are overdue' },
    { name: 'credit_limit_bills', label: 'Most open bills', kind: 'int', hint: '0 means no limit' },
    { name: 'credit_limit_days', label: 'Oldest bill, days', kind: 'int', hint: 'refuse or warn when the oldest open bill is older; 0 means no limit' },
    {
      name: 'credit_mode', label: 'Past a limit', kind: 'select',
      options: [{ value: '', label: "company's setting" }, { value: 'warn', label: 'warn' }, { value: 'stop', label: 'stop the bill' }],
    },
    { name: 'temp_credit_limit_paise', label: 'Temporary limit', kind: 'money', hint: 'replaces the credit limit up to its last day' },
    { name: 'temp_credit_until', label: 'Temporary limit to', kind: 'date' },
    { name: 'active', label: 'Active', kind: 'bool' },
  ],
  blank: () => ({
    code: '', name: '', address: '', city: '', pincode: '', state_code: '', gstin: '', channel: 'grocery', beat: '', salesman: '',
    phone: '', credit_limit_paise: 0, credit_days: 0, credit_limit_bills: 0, credit_limit_days: 0, credit_mode: '',
    temp_credit_limit_paise: 0, temp_credit_until: '', active: true,
  }),
  // A registered outlet's state comes from its GSTIN when none was chosen.
  beforeSave: (o) => ({ ...o, state_code: o.state_code || (o.gstin.length >= 2 ? o.gstin.slice(0, 2) : '') }),
};

export const beatSpec: MasterSpec<Beat> = {
  title: 'Beats',
  singular: 'Beat',
  cache: 'beats',
  api: api.beats,
  keyOf: (b) => b.code,
  columns: [
    { key: 'code', title: 'Code', width: 160 },
    { key: 'name', title: 'Name', flex: 2 },
    // A beat an outlet import made from a file without a day column has none.
    { key: 'weekday', title: 'Weekday', width: 140, value: (b) => (b.weekday ? WEEKDAYS.indexOf(b.weekday) : 7), text: (b) => b.weekday || 'Not set' },
  ],
  fields: [
    { name: 'code', label: 'Code', kind: 'code', fixedOnEdit: true, placeholder: 'BEAT-MON-01', maxLength: 20 },
    { name: 'name', label: 'Name', placeholder: 'Jayanagar 4th Block' },
    { name: 'weekday', label: 'Weekday', kind: 'select', options: [...WEEKDAYS.map((w) => ({ value: w, label: w })), { value: '', label: 'Not set' }] },
  ],
  blank: () => ({ code: '', name: '', weekday: 'Monday' }),
};

/**
 * Channels: the built-in ones and the distributor's own, each with the
 * spellings that mean it ("Kirana" → grocery). Synonyms are typed as one
 * text, separated by commas, and the text is the whole list: a spelling
 * taken out is removed, a built-in channel's own too (the list shows those
 * under "Removed", and typing one back restores it).
 */
export const channelSpec: MasterSpec<Channel> = {
  title: 'Channels',
  singular: 'Channel',
  cache: 'channels',
  api: api.channels,
  keyOf: (c) => c.code,
  sub: 'An outlet’s channel may be typed as the code or any synonym',
  columns: [
    { key: 'code', title: 'Code', width: 150 },
    { key: 'name', title: 'Name', width: 170 },
    { key: 'synonyms', title: 'Synonyms', flex: 3, text: (c) => (c.synonyms ?? []).join(', ') },
    { key: 'built_in', title: 'Built in', width: 80, text: (c) => yesNo(Boolean(c.built_in)) },
    { key: 'removed', title: 'Removed', flex: 1, text: (c) => (c.removed ?? []).join(', ') },
  ],
  fields: [
    { name: 'code', label: 'Code', fixedOnEdit: true, placeholder: 'van_sales', maxLength: 40, hint: 'Lower case, words joined by _ (“Van Sales” becomes van_sales)' },
    { name: 'name', label: 'Name', placeholder: 'Van sales' },
    { name: 'synonyms', label: 'Synonyms', kind: 'textarea', wide: true, placeholder: 'VS, van, mobile van', hint: 'Other spellings that mean this channel, separated by commas; one spelling means one channel only. Take one out to remove it (a built-in one too)' },
  ],
  blank: () => ({ code: '', name: '', synonyms: [] }),
  // Synonyms are edited as one text, "a, b" (the list shows the same way).
  beforeSave: (c) => {
    const s = c.synonyms as unknown;
    const synonyms = typeof s === 'string' ? s.split(/[,;\n]+/).map((x) => x.trim()).filter(Boolean) : (c.synonyms ?? []);
    return { code: c.code, name: c.name, synonyms };
  },
  mapField: (f) => (f.startsWith('synonyms') ? 'synonyms' : f),
};

export const salesmanSpec: MasterSpec<Salesman> = {
  title: 'Salesmen',
  singular: 'Salesman',
  cache: 'salesmen',
  api: api.salesmen,
  keyOf: (s) => s.code,
  inactive: (s) => !s.active,
  columns: [
    { key: 'code', title: 'Code', width: 140 },
    { key: 'name', title: 'Name', flex: 2 },
    { key: 'phone', title: 'Phone', width: 160 },
    { key: 'active', title: 'Active', width: 80, text: (s) => yesNo(s.active) },
  ],
  fields: [
    { name: 'code', label: 'Code', kind: 'code', fixedOnEdit: true, placeholder: 'DSR01', maxLength: 20 },
    { name: 'name', label: 'Name' },
    { name: 'phone', label: 'Phone' },
    { name: 'active', label: 'Active', kind: 'bool' },
  ],
  blank: () => ({ code: '', name: '', phone: '', active: true }),
};

export const godownSpec: MasterSpec<Godown> = {
  title: 'Godowns',
  singular: 'Godown',
  cache: 'godowns',
  api: api.godowns,
  keyOf: (g) => g.code,
  columns: [
    { key: 'code', title: 'Code', width: 140 },
    { key: 'name', title: 'Name', flex: 2 },
    { key: 'damaged', title: 'Damaged stock', width: 130, text: (g) => yesNo(g.damaged) },
  ],
  fields: [
    { name: 'code', label: 'Code', kind: 'code', fixedOnEdit: true, maxLength: 20 },
    { name: 'name', label: 'Name' },
    { name: 'damaged', label: 'Holds damaged / expired stock', kind: 'bool' },
  ],
  blank: () => ({ code: '', name: '', damaged: false }),
};
