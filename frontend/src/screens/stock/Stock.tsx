// Stock on hand: one row per item with quantity (cases + pieces) and value;
// the cursor's batches, with expiry and godown, show beside the grid.
// Reconciliation: opening + received − sold + returned ± adjusted = closing.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { useSession } from '../../context';
import { addDays, formatAmount, formatDate, formatInt, formatQty, todayISO } from '../../format';
import { useCached } from '../../store';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column } from '../../widgets/DataGrid';
import { DateInput } from '../../widgets/inputs';
import { ErrorNote, PageHeader } from '../../widgets/ui';
import type { Item, Recon, StockLine } from '../../types';

type Row = StockLine & { it?: Item };

export function Stock() {
  const { company } = useSession();
  const items = useCached('items');
  const [lines, setLines] = useState<StockLine[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [search, setSearch] = useState('');
  const [cur, setCur] = useState<Row | undefined>();
  const [view, setView] = useState<Row[]>([]);
  const today = todayISO();
  const nearDays = company.near_expiry_days || 60;

  useEffect(() => {
    api.stock.list().then(setLines, (e) => {
      setError(e);
      setLines([]);
    });
  }, []);

  const rows: Row[] = useMemo(() => {
    const byCode = new Map((items ?? []).map((i) => [i.code, i]));
    return (lines ?? []).map((l) => ({ ...l, it: byCode.get(l.item) }));
  }, [lines, items]);

  const soonest = (r: Row) => r.batches.filter((b) => b.qty > 0 && b.expiry).map((b) => b.expiry).sort()[0] ?? '';
  const columns: Column<Row>[] = useMemo(
    () => [
      // Sized to their content so the name gets the room at 1366×768.
      { key: 'item', title: 'Item', width: 92 },
      { key: 'name', title: 'Name', flex: 3, value: (r) => r.it?.name ?? '' },
      { key: 'brand', title: 'Brand', width: 92, value: (r) => r.it?.brand ?? '' },
      { key: 'qty', title: 'Qty', width: 64, align: 'right', text: (r) => formatInt(r.qty), value: (r) => r.qty },
      { key: 'cases', title: 'Cs + pcs', width: 84, align: 'right', sortable: false, text: (r) => formatQty(r.qty, r.it?.case_size ?? 1) },
      { key: 'value_paise', title: 'Value ₹', width: 100, align: 'right', text: (r) => formatAmount(r.value_paise), value: (r) => r.value_paise },
      { key: 'batches', title: 'Bat.', width: 48, align: 'right', value: (r) => r.batches.filter((b) => b.qty !== 0).length },
      {
        key: 'expiry', title: 'Next expiry', width: 110, value: soonest,
        render: (r) => {
          const e = soonest(r);
          const cls = e && e < today ? 'bad' : e && e <= addDays(today, nearDays) ? 'warn-text' : '';
          return <span className={cls}>{formatDate(e)}</span>;
        },
      },
    ],
    [today, nearDays],
  );

  const total = view.reduce((s, r) => s + r.value_paise, 0);

  return (
    <div className="page master">
      <PageHeader title="Stock" sub={`On hand today · near expiry within ${nearDays} days is amber, expired is red`}>
        <input className="search" type="search" placeholder="Search items…" value={search} onChange={(e) => setSearch(e.target.value)} />
      </PageHeader>
      <ErrorNote error={error} />
      <div className="master-body">
        <DataGrid
          label="Stock"
          rows={rows}
          loading={lines === undefined}
          columns={columns}
          rowKey={(r) => r.item}
          search={search}
          onCursor={setCur}
          onView={setView}
          rowClass={(r) => (r.qty < 0 ? 'dg-neg' : undefined)}
          footer={<span>Value ₹ {formatAmount(total)}</span>}
          emptyText="No stock yet: post a purchase (GRN) first"
        />
        <aside className={'drawer side-detail' + (cur && cur.batches.length ? '' : ' empty')} aria-label="Batches">
          <div className="drawer-head"><h2>{cur ? `${cur.item} batches` : 'Batches'}</h2></div>
          <div className="drawer-body">
            {cur && cur.batches.length === 0 ? (
              <p className="muted">No batch of {cur.item} in stock.</p>
            ) : cur ? (
              <table className="mini">
                <thead>
                  <tr><th>Batch</th><th>Godown</th><th>Expiry</th><th className="num">MRP</th><th className="num">Qty</th><th className="num">Value</th></tr>
                </thead>
                <tbody>
                  {cur.batches.map((b) => {
                    const cls = b.expiry && b.expiry < today ? 'bad' : b.expiry && b.expiry <= addDays(today, nearDays) ? 'warn-text' : '';
                    return (
                      <tr key={b.batch + b.godown}>
                        <td className="mono">{b.batch}</td>
                        <td>{b.godown}</td>
                        <td className={cls}>{formatDate(b.expiry)}</td>
                        <td className="num">{formatAmount(b.mrp_paise)}</td>
                        <td className="num">{formatInt(b.qty)}</td>
                        <td className="num">{formatAmount(b.value_paise)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : (
              <p className="muted">Move the cursor to an item to see its batches.</p>
            )}
          </div>
        </aside>
      </div>
    </div>
  );
}

export function Reconciliation() {
  const t = todayISO();
  const [from, setFrom] = useState(t.slice(0, 8) + '01');
  const [to, setTo] = useState(t);
  const [rows, setRows] = useState<Recon[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [search, setSearch] = useState('');
  const items = useCached('items');
  const names = useMemo(() => new Map((items ?? []).map((i) => [i.code, i.name])), [items]);

  const load = useCallback(async () => {
    setRows(undefined);
    try {
      setRows(await api.reconciliation({ from, to }));
      setError(null);
    } catch (e) {
      setError(e);
      setRows([]);
    }
  }, [from, to]);
  useEffect(() => {
    void load();
  }, [load]);

  const q = (k: keyof Recon, title: string): Column<Recon> => ({ key: k, title, width: 70, align: 'right', text: (r) => formatInt(r[k] as number), value: (r) => r[k] as number });
  const columns: Column<Recon>[] = [
    { key: 'item', title: 'Item', width: 90 },
    { key: 'name', title: 'Name', flex: 2, value: (r) => names.get(r.item) ?? '' },
    q('opening', 'Opening'), q('received', 'Received'), q('sold', 'Sold'), q('returned', 'Returned'),
    q('purchase_returned', 'To brand'), q('adjusted', 'Adjusted'), q('damaged', 'Damaged'), q('closing', 'Closing'),
    { key: 'closing_value_paise', title: 'Closing ₹', width: 100, align: 'right', text: (r) => formatAmount(r.closing_value_paise), value: (r) => r.closing_value_paise },
    { key: 'days_of_cover', title: 'Cover', width: 56, align: 'right', text: (r) => (r.days_of_cover === null ? '—' : formatInt(r.days_of_cover)), value: (r) => r.days_of_cover ?? 1e9 },
    {
      key: 'flags', title: 'Flags', width: 150, value: (r) => `${r.overstock ? 'overstock ' : ''}${r.near_expiry ? 'near-expiry ' : ''}${r.expired_qty ? 'expired' : ''}`,
      render: (r) => (
        <span className="flags">
          {r.overstock && <span className="status status-pending">overstock</span>}
          {r.near_expiry && <span className="status status-pending">near expiry {formatInt(r.near_expiry_qty)}</span>}
          {r.expired_qty > 0 && <span className="status status-cancelled">expired {formatInt(r.expired_qty)}</span>}
        </span>
      ),
    },
  ];

  return (
    <div className="page master">
      <PageHeader title="Reconciliation" sub="Opening + received − sold + returned ± adjusted = closing, per item">
        <DateInput aria-label="From" value={from} onChange={(d) => d && setFrom(d)} />
        <span className="muted">to</span>
        <DateInput aria-label="To" value={to} onChange={(d) => d && setTo(d)} />
        <input className="search" type="search" placeholder="Search items…" value={search} onChange={(e) => setSearch(e.target.value)} />
      </PageHeader>
      <ErrorNote error={error} />
      <div className="master-body">
        <DataGrid
          label="Reconciliation"
          rows={rows ?? []}
          loading={rows === undefined}
          columns={columns}
          rowKey={(r) => r.item}
          search={search}
          footer={<span>Closing value ₹ {formatAmount((rows ?? []).reduce((s, r) => s + r.closing_value_paise, 0))}</span>}
          emptyText="No movements in this period"
        />
      </div>
    </div>
  );
}
