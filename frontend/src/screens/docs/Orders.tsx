// Order inbox: pending orders from the field app and phone; converting one
// bills what stock allows and shows the shortfall line by line.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../../api';
import { formatDate, formatInt, formatRupees } from '../../format';
import { navigate } from '../../router';
import { caches, useCached } from '../../store';
import { DataGrid } from '../../widgets/DataGrid';
import type { Column } from '../../widgets/DataGrid';
import { ErrorNote, Modal, PageHeader, toast } from '../../widgets/ui';
import type { Conversion, Order } from '../../types';

export function Orders() {
  const outlets = useCached('outlets');
  const names = useMemo(() => new Map((outlets ?? []).map((o) => [o.code, o])), [outlets]);
  const [status, setStatus] = useState('pending');
  const [rows, setRows] = useState<Order[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Conversion | null>(null);

  const load = useCallback(async () => {
    setRows(undefined);
    try {
      setRows(await api.orders.list(status));
    } catch (e) {
      setError(e);
      setRows([]);
    }
  }, [status]);
  useEffect(() => {
    void load();
  }, [load]);

  async function convert(o: Order) {
    if (o.status !== 'pending') return;
    try {
      const c = await api.orders.convert(o.id);
      setResult(c);
      void caches.stock.refresh();
      toast(`Order ${o.id} billed as ${c.invoice.number}`);
      void load();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    }
  }

  const columns: Column<Order>[] = [
    { key: 'id', title: 'Order', width: 160 },
    { key: 'taken_at', title: 'Taken', width: 110, text: (o) => formatDate(o.taken_at?.slice(0, 10)) },
    { key: 'outlet', title: 'Outlet', width: 100 },
    { key: 'outlet_name', title: 'Name', flex: 2, value: (o) => names.get(o.outlet)?.name ?? '' },
    { key: 'beat', title: 'Beat', width: 120, value: (o) => names.get(o.outlet)?.beat ?? '' },
    { key: 'salesman', title: 'Salesman', width: 100 },
    { key: 'lines', title: 'Lines', width: 60, align: 'right', value: (o) => o.lines.length },
    { key: 'status', title: 'Status', width: 100, render: (o) => <span className={'status status-' + o.status}>{o.status}</span> },
    { key: 'invoice', title: 'Invoice', width: 150 },
  ];

  return (
    <div className="page master">
      <PageHeader title="Order inbox" sub="Enter on a pending order bills it as far as stock allows">
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)} style={{ width: 140 }}>
          <option value="pending">Pending</option>
          <option value="">All</option>
          <option value="converted">Converted</option>
        </select>
      </PageHeader>
      <ErrorNote error={error} />
      <div className="master-body">
        <DataGrid label="Orders" rows={rows ?? []} loading={rows === undefined} columns={columns} rowKey={(o) => o.id} onActivate={convert} emptyText="No orders waiting" />
      </div>
      {result && (
        <Modal
          title={`Billed ${result.invoice.number}`}
          onClose={() => setResult(null)}
          footer={
            <>
              <button type="button" onClick={() => setResult(null)}>Close</button>
              <button type="button" className="primary" onClick={() => navigate('/invoices/' + encodeURIComponent(result.invoice.number))}>Open invoice</button>
            </>
          }
        >
          <p>Total {formatRupees(result.invoice.total_paise)} for {result.invoice.outlet_name}.</p>
          {result.shortfall.length > 0 ? (
            <table className="mini">
              <thead><tr><th>#</th><th>Item</th><th className="num">Ordered</th><th className="num">Billed</th><th className="num">Short</th></tr></thead>
              <tbody>
                {result.shortfall.map((s) => (
                  <tr key={s.line}><td>{s.line}</td><td>{s.item}</td><td className="num">{formatInt(s.ordered)}</td><td className="num">{formatInt(s.billed)}</td><td className="num bad">{formatInt(s.short)}</td></tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="ok-text">Every line billed in full.</p>
          )}
        </Modal>
      )}
    </div>
  );
}
