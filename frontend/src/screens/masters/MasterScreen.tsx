// One screen shape for every master: a searchable DataGrid of all records
// and a side form to create or edit one. The backend's field errors appear
// on the field they name. N (or Alt+N) new, Enter edit, Esc close, Ctrl+S save.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column, DataGridHandle } from '../../widgets/DataGrid';
import { DateInput, Field, MoneyInput, PercentInput } from '../../widgets/inputs';
import { RefPicker } from '../../widgets/pickers';
import { KeyForm, useSubmit } from '../../widgets/form';
import { ErrorNote, PageHeader, toast } from '../../widgets/ui';
import { caches } from '../../store';
import type { CacheName } from '../../store';
import { useSession } from '../../context';
import { api } from '../../api';

export type FieldKind = 'text' | 'code' | 'textarea' | 'money' | 'int' | 'percent' | 'select' | 'bool' | 'date' | 'ref' | 'channel';

export interface FieldSpec<T> {
  name: keyof T & string;
  label: string;
  kind?: FieldKind;
  options?: { value: string; label: string }[];
  refKind?: 'beats' | 'salesmen' | 'godowns';
  wide?: boolean;
  hint?: ReactNode;
  placeholder?: string;
  /** Shown but not editable once the record exists (codes). */
  fixedOnEdit?: boolean;
  upper?: boolean;
  maxLength?: number;
}

export interface MasterSpec<T> {
  title: string;
  singular: string;
  cache: CacheName;
  api: {
    list: () => Promise<T[]>;
    create: (v: T) => Promise<T>;
    update: (code: string, v: T) => Promise<T>;
  };
  keyOf: (t: T) => string;
  columns: Column<T>[];
  fields: FieldSpec<T>[];
  blank: () => T;
  /** API field path → form field ("gst_rates[0].rate_bp" → "gst_rate_bp"). */
  mapField?: (f: string) => string;
  /** Adjust the record just before sending (derive fields). */
  beforeSave?: (t: T) => T;
  /** Extra hint beside the title. */
  sub?: ReactNode;
  inactive?: (t: T) => boolean;
  /** A screen the row under the cursor opens with Alt+<key> (an outlet's ledger). */
  open?: { label: string; key: string; go: (t: T) => void };
}

export function MasterScreen<T>({ spec }: { spec: MasterSpec<T> }) {
  const { canWrite } = useSession();
  const [rows, setRows] = useState<T[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<{ value: T; isNew: boolean } | null>(null);
  const gridRef = useRef<DataGridHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [cursor, setCursor] = useState<T | undefined>(undefined);

  const load = useCallback(async () => {
    try {
      setRows(await spec.api.list());
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
      setRows([]);
    }
  }, [spec]);

  useEffect(() => {
    void load();
  }, [load]);

  const openNew = useCallback(() => canWrite && setEditing({ value: spec.blank(), isNew: true }), [canWrite, spec]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (editing) return;
      const t = e.target as HTMLElement;
      const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
      if ((e.altKey && (e.key === 'n' || e.key === 'N')) || (!typing && (e.key === 'n' || e.key === 'N') && !e.ctrlKey && !e.metaKey)) {
        e.preventDefault();
        openNew();
      } else if (!typing && e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (spec.open && cursor !== undefined && e.altKey && e.key.toLowerCase() === spec.open.key) {
        e.preventDefault();
        spec.open.go(cursor);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing, openNew, spec, cursor]);

  function closeForm(savedKey?: string) {
    setEditing(null);
    setTimeout(() => {
      if (savedKey) gridRef.current?.select(savedKey);
      gridRef.current?.focus();
    }, 0);
  }

  return (
    <div className="page master">
      <PageHeader title={spec.title} sub={spec.sub}>
        <input
          ref={searchRef}
          className="search"
          type="search"
          placeholder={`Search ${spec.title.toLowerCase()}…  ( / )`}
          aria-label={`Search ${spec.title}`}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              gridRef.current?.focus();
            }
          }}
        />
        {spec.open && (
          <button type="button" disabled={cursor === undefined} onClick={() => cursor !== undefined && spec.open?.go(cursor)}>
            {spec.open.label} <kbd>Alt+{spec.open.key.toUpperCase()}</kbd>
          </button>
        )}
        {canWrite && (
          <button type="button" className="primary" onClick={openNew} title="Alt+N">
            New {spec.singular.toLowerCase()} <kbd>Alt+N</kbd>
          </button>
        )}
      </PageHeader>
      <ErrorNote error={loadError} />
      <div className="master-body">
        <DataGrid
          gridRef={gridRef}
          label={spec.title}
          rows={rows ?? []}
          loading={rows === undefined}
          columns={spec.columns}
          rowKey={spec.keyOf}
          search={search}
          rowClass={(r) => (spec.inactive?.(r) ? 'dg-muted' : undefined)}
          onActivate={(r) => setEditing({ value: r, isNew: false })}
          onCursor={setCursor}
          emptyText={search ? `No ${spec.title.toLowerCase()} match “${search}”` : `No ${spec.title.toLowerCase()} yet. Press Alt+N to create one.`}
        />
        {editing && (
          <MasterForm
            key={editing.isNew ? '__new' : spec.keyOf(editing.value)}
            spec={spec}
            initial={editing.value}
            isNew={editing.isNew}
            readOnly={!canWrite}
            onCancel={() => closeForm()}
            onSaved={(saved) => {
              const k = spec.keyOf(saved);
              setRows((rs) => {
                const list = rs ?? [];
                const i = list.findIndex((r) => spec.keyOf(r) === k);
                if (i < 0) return [...list, saved].sort((a, b) => (spec.keyOf(a) < spec.keyOf(b) ? -1 : 1));
                const copy = list.slice();
                copy[i] = saved;
                return copy;
              });
              void caches[spec.cache].refresh();
              toast(`${spec.singular} ${k} saved`);
              closeForm(k);
            }}
          />
        )}
      </div>
    </div>
  );
}

function MasterForm<T>({ spec, initial, isNew, readOnly, onCancel, onSaved }: {
  spec: MasterSpec<T>;
  initial: T;
  isNew: boolean;
  readOnly: boolean;
  onCancel: () => void;
  onSaved: (t: T) => void;
}) {
  const [v, setV] = useState<T>(initial);
  const known = useMemo(() => spec.fields.map((f) => f.name), [spec]);
  const sub = useSubmit(known, spec.mapField);
  const rec = v as Record<string, unknown>;
  const set = (name: string, value: unknown) => setV((old) => ({ ...old, [name]: value }));
  const errorField = Object.keys(sub.fieldErrors)[0];
  useEffect(() => {
    // After a refused save, the cursor goes to the field at fault.
    if (errorField) document.querySelector<HTMLElement>(`.drawer [data-field="${errorField}"] :is(input,select,textarea)`)?.focus();
  }, [errorField, sub.fieldErrors]);

  async function save() {
    if (readOnly || sub.busy) return;
    const body = spec.beforeSave ? spec.beforeSave(v) : v;
    const saved = await sub.run(() => (isNew ? spec.api.create(body) : spec.api.update(spec.keyOf(initial), body)));
    if (saved) onSaved(saved);
  }

  function input(f: FieldSpec<T>, autoFocus: boolean) {
    const id = `f-${f.name}`;
    const common = { id, name: f.name, autoFocus, disabled: readOnly || (!isNew && f.fixedOnEdit) };
    const val = rec[f.name];
    switch (f.kind ?? 'text') {
      case 'money':
        return <MoneyInput {...common} value={val as number} onChange={(p) => set(f.name, p ?? 0)} />;
      case 'percent':
        return <PercentInput {...common} value={val as number} onChange={(p) => set(f.name, p ?? 0)} />;
      case 'int':
        return (
          <input
            {...common}
            inputMode="numeric"
            value={val === undefined || val === null ? '' : String(val)}
            onChange={(e) => {
              const t = e.target.value.replace(/[^\d]/g, '');
              set(f.name, t === '' ? 0 : Number(t));
            }}
          />
        );
      case 'date':
        return <DateInput {...common} value={val as string} onChange={(d) => set(f.name, d ?? '')} />;
      case 'bool':
        return (
          <label className="check">
            <input {...common} type="checkbox" checked={Boolean(val)} onChange={(e) => set(f.name, e.target.checked)} />
            <span>{val ? 'Yes' : 'No'}</span>
          </label>
        );
      case 'channel':
        return <ChannelSelect common={common} value={String(val ?? '')} onChange={(v) => set(f.name, v)} />;
      case 'select':
        return (
          <select {...common} value={String(val ?? '')} onChange={(e) => set(f.name, e.target.value)}>
            {f.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        );
      case 'textarea':
        return <textarea {...common} rows={2} value={Array.isArray(val) ? val.join(', ') : String(val ?? '')} onChange={(e) => set(f.name, e.target.value)} />;
      case 'ref':
        return (
          <RefPicker
            kind={f.refKind ?? 'beats'}
            name={f.name}
            value={String(val ?? '')}
            autoFocus={autoFocus}
            placeholder={`${f.label} code or name`}
            onPick={(r) => set(f.name, r.code)}
            onClear={() => set(f.name, '')}
          />
        );
      default:
        return (
          <input
            {...common}
            autoComplete="off"
            spellCheck={false}
            maxLength={f.maxLength}
            placeholder={f.placeholder}
            value={String(val ?? '')}
            onChange={(e) => set(f.name, f.kind === 'code' || f.upper ? e.target.value.toUpperCase() : e.target.value)}
          />
        );
    }
  }

  const firstEditable = spec.fields.find((f) => isNew || !f.fixedOnEdit)?.name;

  return (
    <aside
      className="drawer"
      aria-label={`${isNew ? 'New' : 'Edit'} ${spec.singular}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <div className="drawer-head">
        <h2>{isNew ? `New ${spec.singular.toLowerCase()}` : `${spec.singular} ${spec.keyOf(initial)}`}</h2>
        <button type="button" className="ghost" onClick={onCancel} aria-label="Close">✕</button>
      </div>
      <KeyForm className="drawer-body form-grid" onSubmit={save}>
        {sub.formError && <div className="note error wide" role="alert">{sub.formError}</div>}
        {spec.fields.map((f) => (
          <Field key={f.name} name={f.name} label={f.label} htmlFor={`f-${f.name}`} error={sub.fieldErrors[f.name]} hint={f.hint} wide={f.wide}>
            {input(f, f.name === firstEditable)}
          </Field>
        ))}
        <div className="drawer-foot wide">
          <button type="button" onClick={onCancel}>Cancel <kbd>Esc</kbd></button>
          {!readOnly && (
            <button type="submit" className="primary" disabled={sub.busy}>
              {sub.busy ? 'Saving…' : 'Save'} <kbd>Ctrl+S</kbd>
            </button>
          )}
        </div>
      </KeyForm>
    </aside>
  );
}

interface ChannelInfo { code: string; name: string; synonyms?: string[] }

/** The channels master (built-in and the distributor's own) as a select; a value it lacks still shows. */
function ChannelSelect({ common, value, onChange }: { common: Record<string, unknown>; value: string; onChange: (v: string) => void }) {
  const [list, setList] = useState<ChannelInfo[]>([]);
  useEffect(() => {
    api.get<ChannelInfo[]>('/api/channels').then(setList, () => setList([]));
  }, []);
  const known = list.some((c) => c.code === value);
  return (
    <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
      {!known && value && <option value={value}>{value.replace(/_/g, ' ')}</option>}
      {list.map((c) => <option key={c.code} value={c.code} title={c.synonyms?.join(', ')}>{c.name}</option>)}
    </select>
  );
}
