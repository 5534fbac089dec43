// Every screen, grouped as the left navigation shows them. A screen whose
// backend has not landed shows a labelled placeholder.

import { lazy } from 'react';
import type { ReactNode } from 'react';
import { MasterScreen } from './screens/masters/MasterScreen';
import { beatSpec, channelSpec, godownSpec, itemSpec, outletSpec, salesmanSpec } from './screens/masters/specs';
import { Billing } from './screens/billing/Billing';
import { InvoiceView, Invoices } from './screens/invoices/Invoices';
import { routeParam } from './router';
import { Reconciliation, Stock } from './screens/stock/Stock';
import { Dispatch } from './screens/dispatch/Dispatch';
import { Trips } from './screens/dispatch/Trips';
import { Collections } from './screens/collections/Collections';
import { Cheques } from './screens/collections/Cheques';
import { OutletLedger } from './screens/ledger/OutletLedger';
import { Purchases } from './screens/docs/Purchases';
import { PurchaseOrders } from './screens/reorder/PurchaseOrders';
import { Suggestions } from './screens/reorder/Suggestions';
import { StockDocs } from './screens/docs/StockDocs';
import { Returns } from './screens/docs/Returns';
import { Receipts } from './screens/docs/Receipts';
import { Orders } from './screens/docs/Orders';
import { CreditNotes, CreditNoteView, PurchaseRegister, PurchaseView, ReceiptRegister, ReceiptView } from './screens/docs/DocLists';
import { Schemes } from './screens/schemes/Schemes';
import { Import } from './screens/import/Import';
import { Tally } from './screens/tally/Tally';
import { EInvoice } from './screens/einvoice/EInvoice';
import { EWayBill } from './screens/ewaybill/EWayBill';
import { Upload } from './screens/upload/Upload';
import { Audit, BackupsScreen, Users } from './screens/settings/Settings';
import type { Role } from './types';

// The dashboard and reports carry ECharts and the report grids: loaded on
// first visit, so the billing screen opens from a small main chunk.
const Dashboard = lazy(() => import('./screens/dashboard/Dashboard').then((m) => ({ default: m.Dashboard })));
const Reports = lazy(() => import('./screens/reports/Reports').then((m) => ({ default: m.Reports })));

/** A list at base, one document at base/number. */
function listOrView(base: string, list: () => ReactNode, view: (n: string) => ReactNode) {
  return (p: string) => {
    const n = routeParam(p, base);
    return n ? view(n) : list();
  };
}

export interface RouteDef {
  path: string;
  label: string;
  /** Function key that opens it from anywhere. */
  key?: string;
  render: (path: string) => ReactNode;
  roles?: Role[];
}

export interface RouteGroup {
  group: string;
  routes: RouteDef[];
}


export const groups: RouteGroup[] = [
  {
    group: 'Billing',
    routes: [
      { path: '/billing', label: 'Sales invoice', key: 'F2', render: () => <Billing /> },
      { path: '/invoices', label: 'Invoices', key: 'F3', render: (p) => {
        const n = routeParam(p, '/invoices');
        return n ? <InvoiceView number={n} /> : <Invoices />;
      } },
      { path: '/orders', label: 'Order inbox', render: () => <Orders /> },
      { path: '/returns', label: 'Sales return', key: 'F5', render: (p) => <Returns invoice={routeParam(p, '/returns')} /> },
      { path: '/credit-notes', label: 'Credit notes', render: listOrView('/credit-notes', () => <CreditNotes />, (n) => <CreditNoteView number={n} />) },
      { path: '/receipts', label: 'Receipt', key: 'F6', render: () => <Receipts /> },
      { path: '/dispatch', label: 'Dispatch sheets', render: () => <Dispatch /> },
      { path: '/ewaybill', label: 'e-Way bill', render: (p) => <EWayBill key={p} invoice={routeParam(p, '/ewaybill')} /> },
      { path: '/dispatches', label: 'Dispatches', render: () => <Trips /> },
      { path: '/collections', label: 'Collections', render: () => <Collections /> },
      { path: '/cheques', label: 'Cheques', render: () => <Cheques /> },
      { path: '/outlet-ledger', label: 'Outlet ledger', render: (p) => <OutletLedger key={p} outlet={routeParam(p, '/outlet-ledger')} /> },
      { path: '/receipt-register', label: 'Receipt register', render: listOrView('/receipt-register', () => <ReceiptRegister />, (n) => <ReceiptView number={n} />) },
    ],
  },
  {
    group: 'Stock',
    routes: [
      { path: '/stock', label: 'Stock', key: 'F4', render: () => <Stock /> },
      { path: '/purchases', label: 'Purchase (GRN)', key: 'F7', render: () => <Purchases /> },
      { path: '/purchase-suggestions', label: 'Order to the brand', render: () => <Suggestions /> },
      { path: '/purchase-orders', label: 'Purchase orders', render: () => <PurchaseOrders /> },
      { path: '/purchase-register', label: 'Purchase register', render: listOrView('/purchase-register', () => <PurchaseRegister />, (n) => <PurchaseView number={n} />) },
      { path: '/adjustments', label: 'Adjustments & counts', render: () => <StockDocs /> },
      { path: '/transfers', label: 'Godown transfers', render: () => <StockDocs initial="transfers" /> },
      { path: '/reconciliation', label: 'Reconciliation', render: () => <Reconciliation /> },
    ],
  },
  {
    group: 'Masters',
    routes: [
      { path: '/items', label: 'Items', render: () => <MasterScreen spec={itemSpec} /> },
      { path: '/outlets', label: 'Outlets', render: () => <MasterScreen spec={outletSpec} /> },
      { path: '/beats', label: 'Beats', render: () => <MasterScreen spec={beatSpec} /> },
      { path: '/channels', label: 'Channels', render: () => <MasterScreen spec={channelSpec} /> },
      { path: '/salesmen', label: 'Salesmen', render: () => <MasterScreen spec={salesmanSpec} /> },
      { path: '/godowns', label: 'Godowns', render: () => <MasterScreen spec={godownSpec} /> },
      { path: '/schemes', label: 'Schemes', render: () => <Schemes /> },
    ],
  },
  {
    group: 'Reports',
    routes: [
      { path: '/dashboard', label: 'Dashboard', key: 'F9', render: () => <Dashboard /> },
      { path: '/reports', label: 'Reports', key: 'F8', render: () => <Reports /> },
    ],
  },
  {
    group: 'Tally',
    routes: [
      { path: '/tally', label: 'Tally sync', key: 'F10', render: () => <Tally /> },
      { path: '/einvoice', label: 'e-Invoice (IRN)', render: () => <EInvoice /> },
    ],
  },
  {
    group: 'Head office',
    routes: [{ path: '/upload', label: 'Upload', render: () => <Upload /> }],
  },
  {
    group: 'Settings',
    routes: [
      { path: '/company', label: 'Company', render: () => null },
      { path: '/import', label: 'Import / export', key: 'Ctrl+I', render: () => <Import /> },
      { path: '/users', label: 'Users', render: () => <Users /> },
      { path: '/backups', label: 'Backups', render: () => <BackupsScreen /> },
      { path: '/audit', label: 'Audit log', render: () => <Audit /> },
    ],
  },
];

export const allRoutes = groups.flatMap((g) => g.routes);

export function findRoute(path: string): RouteDef | undefined {
  return allRoutes.find((r) => path === r.path || path.startsWith(r.path + '/'));
}
