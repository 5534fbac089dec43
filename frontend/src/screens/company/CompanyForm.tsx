// Company profile and book settings. On an empty book it is the first thing
// an admin sees; later it lives under Settings.

import { useState } from 'react';
import { api } from '../../api';
import { STATES } from '../../format';
import { DateInput, Field, MoneyInput } from '../../widgets/inputs';
import { KeyForm, useSubmit } from '../../widgets/form';
import { PageHeader, toast } from '../../widgets/ui';
import type { Company } from '../../types';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const FIELDS = [
  'name', 'address', 'gstin', 'state_code', 'fy_start_month', 'invoice_prefix', 'phone', 'email', 'code',
  'allow_negative_stock', 'credit_check', 'near_expiry_days', 'overstock_days', 'cover_days', 'tally_mode', 'city', 'pincode',
  'einvoice', 'einvoice_from', 'irp_url', 'irp_mode', 'irp_public_key', 'irp_username', 'irp_password', 'irp_client_id', 'irp_client_secret',
  'hsn_digits', 'ewaybill_threshold_paise',
];

export function CompanyForm({ initial, onSaved, setup, readOnly }: {
  initial: Company;
  onSaved: (c: Company) => void;
  setup?: boolean;
  readOnly?: boolean;
}) {
  const [c, setC] = useState<Company>({ ...initial, fy_start_month: initial.fy_start_month || 4 });
  const sub = useSubmit(FIELDS);
  const set = <K extends keyof Company>(k: K, v: Company[K]) => setC((o) => ({ ...o, [k]: v }));
  const err = sub.fieldErrors;

  async function save() {
    if (readOnly) return;
    const body = { ...c, state_code: c.state_code || (c.gstin.length >= 2 ? c.gstin.slice(0, 2).toUpperCase() : '') };
    const saved = await sub.run(() => api.company.put(body));
    if (saved) {
      toast('Company saved');
      onSaved(saved);
    }
  }

  const num = (k: 'near_expiry_days' | 'overstock_days' | 'cover_days') => (
    <input
      id={`c-${k}`}
      name={k}
      inputMode="numeric"
      disabled={readOnly}
      value={String(c[k] ?? '')}
      onChange={(e) => set(k, Number(e.target.value.replace(/\D/g, '') || 0))}
    />
  );

  return (
    <div className={setup ? 'setup-page' : 'page'}>
      <div className={setup ? 'setup-card' : 'card'}>
        {setup ? (
          <>
            <h1>Set up your company</h1>
            <p className="muted">This book is empty. Tell Vitaran who you are; invoices print these details.</p>
          </>
        ) : (
          <PageHeader title="Company" sub="Profile and book settings" />
        )}
        <KeyForm className="form-grid cols-3" onSubmit={save}>
          {sub.formError && <div className="note error wide" role="alert">{sub.formError}</div>}
          <Field label="Company name" name="name" htmlFor="c-name" error={err.name} wide>
            <input id="c-name" name="name" autoFocus disabled={readOnly} value={c.name} onChange={(e) => set('name', e.target.value)} />
          </Field>
          <Field label="Address" name="address" htmlFor="c-address" error={err.address} wide>
            <textarea id="c-address" name="address" rows={2} disabled={readOnly} value={c.address} onChange={(e) => set('address', e.target.value)} />
          </Field>
          <Field label="City" name="city" htmlFor="c-city" error={err.city}>
            <input id="c-city" name="city" disabled={readOnly} value={c.city ?? ''} onChange={(e) => set('city', e.target.value)} />
          </Field>
          <Field label="PIN" name="pincode" htmlFor="c-pincode" error={err.pincode}>
            <input id="c-pincode" name="pincode" inputMode="numeric" maxLength={6} disabled={readOnly} value={c.pincode ?? ''} onChange={(e) => set('pincode', e.target.value.replace(/\D/g, ''))} />
          </Field>
          <Field label="GSTIN" name="gstin" htmlFor="c-gstin" error={err.gstin}>
            <input id="c-gstin" name="gstin" maxLength={15} disabled={readOnly} value={c.gstin} onChange={(e) => set('gstin', e.target.value.toUpperCase())} />
          </Field>
          <Field label="State" name="state_code" htmlFor="c-state" error={err.state_code}>
            <select id="c-state" name="state_code" disabled={readOnly} value={c.state_code} onChange={(e) => set('state_code', e.target.value)}>
              <option value="">— from GSTIN —</option>
              {Object.entries(STATES).map(([k, n]) => <option key={k} value={k}>{k} · {n}</option>)}
            </select>
          </Field>
          <Field label="Financial year starts" name="fy_start_month" htmlFor="c-fy" error={err.fy_start_month}>
            <select id="c-fy" name="fy_start_month" disabled={readOnly} value={c.fy_start_month} onChange={(e) => set('fy_start_month', Number(e.target.value))}>
              {MONTHS.map((m, i) => <option key={m} value={i + 1}>{m}</option>)}
            </select>
          </Field>
          <Field label="Phone" name="phone" htmlFor="c-phone" error={err.phone}>
            <input id="c-phone" name="phone" disabled={readOnly} value={c.phone ?? ''} onChange={(e) => set('phone', e.target.value)} />
          </Field>
          <Field label="Email" name="email" htmlFor="c-email" error={err.email}>
            <input id="c-email" name="email" type="email" disabled={readOnly} value={c.email ?? ''} onChange={(e) => set('email', e.target.value)} />
          </Field>
          <Field label="Distributor code at the brand" name="code" htmlFor="c-code" error={err.code}>
            <input id="c-code" name="code" disabled={readOnly} value={c.code ?? ''} onChange={(e) => set('code', e.target.value.toUpperCase())} />
          </Field>
          <div className="form-section wide">Billing</div>
          <Field label="Invoice prefix" name="invoice_prefix" htmlFor="c-prefix" error={err.invoice_prefix} hint="SI gives SI/26-27/000001">
            <input id="c-prefix" name="invoice_prefix" maxLength={3} disabled={readOnly} value={c.invoice_prefix ?? ''} onChange={(e) => set('invoice_prefix', e.target.value.toUpperCase())} />
          </Field>
          <Field label="Credit limit or overdue" name="credit_check" htmlFor="c-credit" error={err.credit_check}>
            <select id="c-credit" name="credit_check" disabled={readOnly} value={c.credit_check || 'warn'} onChange={(e) => set('credit_check', e.target.value as Company['credit_check'])}>
              <option value="warn">Warn, allow the sale</option>
              <option value="block">Stop the sale (an admin may override)</option>
            </select>
          </Field>
          <Field label="Negative stock" name="allow_negative_stock" htmlFor="c-neg" error={err.allow_negative_stock}>
            <label className="check">
              <input id="c-neg" name="allow_negative_stock" type="checkbox" disabled={readOnly} checked={c.allow_negative_stock} onChange={(e) => set('allow_negative_stock', e.target.checked)} />
              <span>Allow selling below zero</span>
            </label>
          </Field>
          <Field label="Near expiry (days)" name="near_expiry_days" htmlFor="c-near_expiry_days" error={err.near_expiry_days}>{num('near_expiry_days')}</Field>
          <Field label="Overstock (days of cover)" name="overstock_days" htmlFor="c-overstock_days" error={err.overstock_days}>{num('overstock_days')}</Field>
          <Field label="Order to the brand (days of cover)" name="cover_days" htmlFor="c-cover_days" error={err.cover_days} hint="the stock a suggested order aims at, unless the brand or the SKU has its own">{num('cover_days')}</Field>
          <Field label="Tally posting" name="tally_mode" htmlFor="c-tally" error={err.tally_mode}>
            <select id="c-tally" name="tally_mode" disabled={readOnly} value={c.tally_mode || 'invoice'} onChange={(e) => set('tally_mode', e.target.value as Company['tally_mode'])}>
              <option value="invoice">One voucher per invoice</option>
              <option value="daily">Daily summary per GST rate</option>
            </select>
          </Field>
          <div className="form-section wide">GST: e-invoice and e-way bill</div>
          <Field label="e-invoice (IRN)" name="einvoice" htmlFor="c-einvoice" error={err.einvoice}>
            <select id="c-einvoice" name="einvoice" disabled={readOnly} value={c.einvoice || 'off'} onChange={(e) => set('einvoice', e.target.value as Company['einvoice'])}>
              <option value="off">Off</option>
              <option value="api">From the IRP through its API</option>
              <option value="offline">Offline: bulk JSON out, reply file in</option>
            </select>
          </Field>
          <Field label="IRN needed from" name="einvoice_from" htmlFor="c-einvoice_from" error={err.einvoice_from} hint="first invoice date; empty = all">
            <DateInput id="c-einvoice_from" name="einvoice_from" disabled={readOnly} value={c.einvoice_from || null} onChange={(iso) => set('einvoice_from', iso ?? '')} />
          </Field>
          <Field label="HSN digits on B2B lines" name="hsn_digits" htmlFor="c-hsn_digits" error={err.hsn_digits}>
            <select id="c-hsn_digits" name="hsn_digits" disabled={readOnly} value={c.hsn_digits || 4} onChange={(e) => set('hsn_digits', Number(e.target.value))}>
              <option value={4}>4 (turnover up to ₹5 crore)</option>
              <option value={6}>6 (turnover above ₹5 crore)</option>
            </select>
          </Field>
          <Field label="e-way bill from (₹)" name="ewaybill_threshold_paise" htmlFor="c-ewb" error={err.ewaybill_threshold_paise}>
            <MoneyInput id="c-ewb" name="ewaybill_threshold_paise" disabled={readOnly} value={c.ewaybill_threshold_paise ?? 5000000} onChange={(p) => set('ewaybill_threshold_paise', p ?? 0)} />
          </Field>
          <Field label="IRP / GSP API address" name="irp_url" htmlFor="c-irp_url" error={err.irp_url} wide>
            <input id="c-irp_url" name="irp_url" disabled={readOnly} value={c.irp_url ?? ''} onChange={(e) => set('irp_url', e.target.value)} placeholder="https://…" />
          </Field>
          <Field label="Reached through" name="irp_mode" htmlFor="c-irp_mode" error={err.irp_mode}>
            <select id="c-irp_mode" name="irp_mode" disabled={readOnly} value={c.irp_mode || 'gsp'} onChange={(e) => set('irp_mode', e.target.value as Company['irp_mode'])}>
              <option value="gsp">A GSP (its passthrough API)</option>
              <option value="direct">NIC's own API (encrypted)</option>
            </select>
          </Field>
          {c.irp_mode === 'direct' && (
            <Field label="IRP public key (PEM)" name="irp_public_key" htmlFor="c-irp_public_key" error={err.irp_public_key} wide
              hint="from the e-invoice portal: API user management; the login is encrypted with it">
              <textarea id="c-irp_public_key" name="irp_public_key" rows={4} disabled={readOnly} value={c.irp_public_key ?? ''} onChange={(e) => set('irp_public_key', e.target.value)}
                placeholder="-----BEGIN PUBLIC KEY-----" />
            </Field>
          )}
          <Field label="IRP API user" name="irp_username" htmlFor="c-irp_username" error={err.irp_username}>
            <input id="c-irp_username" name="irp_username" autoComplete="off" disabled={readOnly} value={c.irp_username ?? ''} onChange={(e) => set('irp_username', e.target.value)} />
          </Field>
          {(['irp_password', 'irp_client_id', 'irp_client_secret'] as const).map((k) => (
            <Field key={k} label={k === 'irp_password' ? 'IRP password' : k === 'irp_client_id' ? 'Client id' : 'Client secret'} name={k} htmlFor={`c-${k}`} error={err[k]}
              hint={c[`${k}_hint`] ? `stored, ends ${c[`${k}_hint`]}; leave empty to keep` : 'not set'}>
              <input id={`c-${k}`} name={k} type="password" autoComplete="new-password" disabled={readOnly} value={c[k] ?? ''} onChange={(e) => set(k, e.target.value)} />
            </Field>
          ))}
          {!readOnly && (
            <div className="form-actions wide">
              <button type="submit" className="primary" disabled={sub.busy}>
                {sub.busy ? 'Saving…' : setup ? 'Save and start' : 'Save'} <kbd>Ctrl+S</kbd>
              </button>
            </div>
          )}
        </KeyForm>
      </div>
    </div>
  );
}
