// In-memory lists the pickers search: loaded once, refreshed after a save.
// Small subscription hook so every picker sees the fresh list.

import { useEffect, useState } from 'react';
import { api } from './api';
import type { Beat, Channel, Godown, Item, Outlet, Salesman, StockLine } from './types';

type Loader<T> = () => Promise<T>;

class Cache<T> {
  private value: T | undefined;
  private pending: Promise<T> | undefined;
  private subs = new Set<(v: T) => void>();
  private load: Loader<T>;
  constructor(load: Loader<T>) {
    this.load = load;
  }
  get current(): T | undefined {
    return this.value;
  }
  fetch(): Promise<T> {
    if (!this.pending) {
      this.pending = this.load().then(
        (v) => {
          this.value = v;
          this.subs.forEach((f) => f(v));
          return v;
        },
        (e) => {
          this.pending = undefined;
          throw e;
        },
      );
    }
    return this.pending;
  }
  refresh(): Promise<T> {
    this.pending = undefined;
    return this.fetch();
  }
  subscribe(f: (v: T) => void): () => void {
    this.subs.add(f);
    return () => this.subs.delete(f);
  }
  clear() {
    this.value = undefined;
    this.pending = undefined;
  }
}

export const caches = {
  items: new Cache<Item[]>(() => api.items.list()),
  outlets: new Cache<Outlet[]>(() => api.outlets.list()),
  beats: new Cache<Beat[]>(() => api.beats.list()),
  salesmen: new Cache<Salesman[]>(() => api.salesmen.list()),
  godowns: new Cache<Godown[]>(() => api.godowns.list()),
  channels: new Cache<Channel[]>(() => api.channels.list()),
  // Stock arrives with the billing backend; until then, no stock figures.
  stock: new Cache<Map<string, StockLine>>(async () => {
    try {
      const lines = await api.stock.list();
      return new Map(lines.map((l) => [l.item, l]));
    } catch {
      return new Map();
    }
  }),
};

export type CacheName = keyof typeof caches;

/** Forget everything (on logout). */
export function clearCaches() {
  Object.values(caches).forEach((c) => c.clear());
}

/** The cached list, loading it on first use; undefined while loading. */
export function useCached<K extends CacheName>(name: K): ReturnType<(typeof caches)[K]['fetch']> extends Promise<infer V> ? V | undefined : never {
  const c = caches[name] as unknown as Cache<unknown>;
  const [v, setV] = useState<unknown>(c.current);
  useEffect(() => {
    const un = c.subscribe(setV);
    c.fetch().then(setV, () => setV([]));
    return () => {
      un();
    };
  }, [c]);
  return v as never;
}
