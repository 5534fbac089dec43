// Purchase orders: the orders placed on the brands ("Order to the brand"),
// newest first. An order is open until GRNs made from it receive every line,
// or until it is closed by hand with a reason (the rest will not come); its
// open quantity is counted as on order in the suggestions until then.

import { useCallback, useState } from 'react';
import { api, ApiError, saveFile } from '../../api';
import { formatDate, formatInt, formatQty, formatStamp } from '../../format';
import type { PurchaseOrder } from '../../types';
import { Pager, PAGE, usePaged } from '../../widgets/Pager';
import { ErrorNote, PageHeader, toast } from '../../widgets/ui';

const STATUS: Record<PurchaseOrder['status'], string> = { open: 'Open', received: 'Received', closed: 'Closed' };

/** The reason asked for before an open order is closed. */
function CloseForm({ po, onDone }: { po: PurchaseOrder; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function close() {
    try {
      await api.purchaseOrders.close(po.number, reason);
      toast(`${po.number} closed: ${formatInt(po.pending)} pending no longer expected`);
      onDone();
    } catch (e) {
      // The backend names the field; the note says it in words.
      setError(e instanceof ApiError && e.field === 'reason' ? `The reason ${e.message}` : e);
    }
  }
  return (
    <div className="report-bar" data-testid="close-form">
      <label>
        Why the rest will not come{' '}
        <input name="close-reason" autoFocus value={reason} maxLength={500} placeholder="brand out of stock"
          onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void close()} />
      </label>
      <button type="button" className="danger" onClick={() => void close()}>Close order</button>
      <ErrorNote error={error} />
    </div>
  );
}

/** An order's lines (cases + pieces where the item has a case size) and the GRNs that received it. */
function Lines({ po }: { po: PurchaseOrder }) {
  return (
    <>
      <table className="mini" data-testid="po-lines">
        <thead>
          <tr><th>Item</th><th>Name</th><th>Brand SKU</th><th className="num">Ordered</th><th className="num">Received</th><th className="num">Pending</th></tr>
        </thead>
        <tbody>
          {po.lines.map((l) => (
            <tr key={l.item}>
              <td>{l.item}</td><td>{l.name}</td><td>{l.brand_code}</td>
              <td className="num">{formatQty(l.qty, l.case_size)}</td><td className="num">{formatQty(l.received, l.case_size)}</td>
              <td className="num">{formatQty(l.pending, l.case_size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {po.receipts.length > 0 && (
        <p className="muted">Received by {po.receipts.map((r) => `${r.purchase} (${formatDate(r.date)})`).join(', ')}</p>
      )}
    </>
  );
}

export function PurchaseOrders() {
  const [status, setStatus] = useState('');
  const [brand, setBrand] = useState('');
  const [open, setOpen] = useState('');
  const [closing, setClosing] = useState('');
  const [reload, setReload] = useState(0);
  const fetchPage = useCallback(
    (offset: number) => {
      void reload;
      return api.page<PurchaseOrder>('/api/purchase-orders', { status, brand: brand.trim(), limit: PAGE, offset });
    },
    [status, brand, reload],
  );
  const { page, error, setOffset } = usePaged(fetchPage);
  const t = page?.totals ?? {};

  return (
    <div className="page master purchase-orders">
      <PageHeader title="Purchase orders" sub="Orders placed on the brands: open until a GRN receives them, or closed with a reason">
        <Pager page={page} onOffset={setOffset} noun="orders" />
      </PageHeader>
      <div className="report-bar">
        <label>
          Status{' '}
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option><option value="open">Open</option><option value="received">Received</option><option value="closed">Closed</option>
          </select>
        </label>
        <label>Brand <input name="brand" value={brand} placeholder="all brands" onChange={(e) => setBrand(e.target.value)} /></label>
        {page && (
          <span className="muted" data-testid="po-totals">
            {formatInt(page.total)} {page.total === 1 ? 'order' : 'orders'} · ordered {formatInt(t.qty)} · received {formatInt(t.received)} · pending {formatInt(t.pending)} (pieces)
          </span>
        )}
      </div>
      <ErrorNote error={error} />
      <table className="mini" data-testid="purchase-orders">
        <thead>
          <tr>
            <th>Order</th><th>Date</th><th>Brand</th><th className="num">Lines</th><th className="num">Ordered</th><th className="num">Received</th><th className="num">Pending</th><th>Status</th><th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((po) => (
            <tr key={po.number} data-po={po.number}>
              <td>{po.number}</td><td>{formatDate(po.date)}</td><td>{po.brand}</td><td className="num">{po.lines.length}</td>
              <td className="num">{formatInt(po.qty)}</td><td className="num">{formatInt(po.received)}</td><td className="num">{formatInt(po.pending)}</td>
              <td data-testid="po-status">
                {STATUS[po.status]}
                {po.status === 'closed' && po.closed_reason && `: ${po.closed_reason}`}
                {po.closed_by && <span className="muted"> ({po.closed_by}{po.closed_at ? `, ${formatStamp(po.closed_at)}` : ''})</span>}
              </td>
              <td>
                <button type="button" onClick={() => setOpen(open === po.number ? '' : po.number)}>{open === po.number ? 'Hide lines' : 'Lines'}</button>
                <button type="button" onClick={() => void api.purchaseOrders.sheet(po.number).then(saveFile, (e) => toast(e instanceof Error ? e.message : String(e), 'error'))}>Order sheet</button>
                {po.status === 'open' && <button type="button" onClick={() => setClosing(closing === po.number ? '' : po.number)}>Close…</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p className="muted">No orders{status ? ` ${STATUS[status as PurchaseOrder['status']].toLowerCase()}` : ''}: place one from Order to the brand.</p>}
      {page?.rows
        .filter((po) => po.number === closing && po.status === 'open')
        .map((po) => (
          <section key={po.number}>
            <h3>Close {po.number} of {po.brand}: {formatInt(po.pending)} pieces still pending</h3>
            <CloseForm po={po} onDone={() => { setClosing(''); setReload((r) => r + 1); }} />
          </section>
        ))}
      {page?.rows
        .filter((po) => po.number === open)
        .map((po) => (
          <section key={po.number}>
            <h3>{po.number} · {po.brand} · placed {formatStamp(po.placed_at)}{po.placed_by ? ` by ${po.placed_by}` : ''}</h3>
            <Lines po={po} />
          </section>
        ))}
    </div>
  );
}
