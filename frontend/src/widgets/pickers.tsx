// ItemPicker and OutletPicker: the type-ahead pickers billing and every
// entry screen use. Items show stock, MRP and price; outlets show beat and GSTIN.

import { useCallback } from 'react';
import type { Ref } from 'react';
import { Picker } from './Picker';
import { useCached } from '../store';
import { formatAmount, formatInt } from '../format';
import type { Beat, Godown, Item, Outlet, Salesman } from '../types';

interface Common<T> {
  value: string;
  onPick: (t: T) => void;
  onEnterEmpty?: () => void;
  onClear?: () => void;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  name?: string;
  placeholder?: string;
  className?: string;
  onKeyDown?: (e: React.KeyboardEvent<HTMLInputElement>) => void;
}

const itemKey = (i: Item) => i.code;
const itemDisplay = (i: Item) => `${i.code} · ${i.name}`;
const itemHay = (i: Item) => `${i.code} ${i.brand_code} ${i.name} ${i.brand} ${i.category} ${(i.barcodes ?? []).join(' ')}`;

export function ItemPicker(p: Common<Item> & { activeOnly?: boolean }) {
  const items = useCached('items');
  const stock = useCached('stock');
  const options = p.activeOnly === false ? items : items?.filter((i) => i.active);
  const render = useCallback(
    (i: Item) => {
      const s = stock?.get(i.code);
      return (
        <div className="opt-item">
          <span className="opt-code">{i.code}</span>
          <span className="opt-name">{i.name}</span>
          <span className={'opt-num' + (s && s.qty <= 0 ? ' neg' : '')} title="Stock">{s ? formatInt(s.qty) : '—'}</span>
          <span className="opt-num" title="MRP">{formatAmount(i.mrp_paise)}</span>
          <span className="opt-num" title="Price">{formatAmount(i.price_paise)}</span>
        </div>
      );
    },
    [stock],
  );
  return (
    <Picker
      {...p}
      ariaLabel="Item"
      options={options}
      keyOf={itemKey}
      display={itemDisplay}
      haystack={itemHay}
      renderOption={render}
      placeholder={p.placeholder ?? 'Item code or name'}
      header={
        <div className="opt-item opt-head">
          <span className="opt-code">Code</span>
          <span className="opt-name">Item</span>
          <span className="opt-num">Stock</span>
          <span className="opt-num">MRP</span>
          <span className="opt-num">Price</span>
        </div>
      }
    />
  );
}

const outletKey = (o: Outlet) => o.code;
const outletDisplay = (o: Outlet) => `${o.code} · ${o.name}`;
const outletHay = (o: Outlet) => `${o.code} ${o.name} ${o.beat} ${o.address} ${o.gstin}`;
const renderOutlet = (o: Outlet) => (
  <div className="opt-outlet">
    <span className="opt-code">{o.code}</span>
    <span className="opt-name">{o.name}</span>
    <span className="opt-beat">{o.beat}</span>
    <span className="opt-gstin">{o.gstin || 'unregistered'}</span>
  </div>
);

export function OutletPicker(p: Common<Outlet> & { suggest?: Outlet[]; openOnFocus?: boolean }) {
  const outlets = useCached('outlets');
  const options = outlets?.filter((o) => o.active || o.code === p.value);
  return (
    <Picker
      {...p}
      ariaLabel="Outlet"
      options={options}
      keyOf={outletKey}
      display={outletDisplay}
      haystack={outletHay}
      renderOption={renderOutlet}
      placeholder={p.placeholder ?? 'Outlet code, name or beat'}
    />
  );
}

type Ref2 = Beat | Salesman | Godown;
const refKey = (r: Ref2) => r.code;
const refDisplay = (r: Ref2) => `${r.code} · ${r.name}`;
const refHay = (r: Ref2) => `${r.code} ${r.name} ${'weekday' in r ? r.weekday : ''}`;
const renderRef = (r: Ref2) => (
  <div className="opt-outlet">
    <span className="opt-code">{r.code}</span>
    <span className="opt-name">{r.name}</span>
    {'weekday' in r && <span className="opt-beat">{r.weekday}</span>}
  </div>
);

/** Picks a beat, salesman or godown by code or name. */
export function RefPicker(p: Common<Ref2> & { kind: 'beats' | 'salesmen' | 'godowns' }) {
  const list = useCached(p.kind) as Ref2[] | undefined;
  return (
    <Picker<Ref2>
      {...p}
      ariaLabel={p.kind}
      options={list}
      keyOf={refKey}
      display={refDisplay}
      haystack={refHay}
      renderOption={renderRef}
    />
  );
}
