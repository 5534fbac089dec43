package app

import "vitaran/backend/billing"

// Routes is every endpoint of the API, in one table: method, path, who may
// call it, the body cap (MaxBody, default 1 MiB) and the handler. This is the
// only place a route is registered (routes_table_test.go fails on any other):
// to add an endpoint, write its facade method and a handler beside it in the
// area's file (decode, call, encode), then add one line here.
func (a *App) Routes() []Route {
	items, outlets, beats, salesmen, godowns := a.itemMasters(), a.outletMasters(), a.beatMasters(), a.salesmanMasters(), a.godownMasters()
	return []Route{
		// sessions and users (http.go)
		{Method: "GET", Path: "/api/health", Roles: public, Do: a.getHealth},
		{Method: "POST", Path: "/api/login", Roles: public, MaxBody: 4 << 10, Do: a.postLogin},
		{Method: "POST", Path: "/api/logout", Roles: anyone, Do: a.postLogout},
		{Method: "GET", Path: "/api/me", Roles: anyone, Do: a.getMe},
		{Method: "GET", Path: "/api/users", Roles: adminOnly, Do: a.getUsers},
		{Method: "POST", Path: "/api/users", Roles: adminOnly, MaxBody: 4 << 10, Do: a.postUsers},
		{Method: "POST", Path: "/api/users/{user}/password", Roles: anyone, MaxBody: 4 << 10, Do: a.postUsersUserPassword},
		{Method: "GET", Path: "/api/events", Roles: anyone, Do: a.getEvents},

		// masters (masters.go, masters_export.go)
		{Method: "GET", Path: "/api/company", Roles: anyone, Do: a.getCompany},
		{Method: "PUT", Path: "/api/company", Roles: adminOnly, Do: a.putCompany},
		{Method: "GET", Path: "/api/items", Roles: anyone, Do: items.listing(a)},
		{Method: "GET", Path: "/api/items/{code}", Roles: anyone, Do: items.showing(a)},
		{Method: "POST", Path: "/api/items", Roles: accounts, Do: items.creating(a)},
		{Method: "PUT", Path: "/api/items/{code}", Roles: accounts, Do: items.updating(a)},
		{Method: "GET", Path: "/api/outlets", Roles: anyone, Do: outlets.listing(a)},
		{Method: "GET", Path: "/api/outlets/{code}", Roles: anyone, Do: outlets.showing(a)},
		{Method: "POST", Path: "/api/outlets", Roles: clerks, Do: outlets.creating(a)},
		{Method: "PUT", Path: "/api/outlets/{code}", Roles: clerks, Do: outlets.updating(a)},
		{Method: "GET", Path: "/api/beats", Roles: anyone, Do: beats.listing(a)},
		{Method: "GET", Path: "/api/beats/{code}", Roles: anyone, Do: beats.showing(a)},
		{Method: "POST", Path: "/api/beats", Roles: accounts, Do: beats.creating(a)},
		{Method: "PUT", Path: "/api/beats/{code}", Roles: accounts, Do: beats.updating(a)},
		{Method: "GET", Path: "/api/salesmen", Roles: anyone, Do: salesmen.listing(a)},
		{Method: "GET", Path: "/api/salesmen/{code}", Roles: anyone, Do: salesmen.showing(a)},
		{Method: "POST", Path: "/api/salesmen", Roles: accounts, Do: salesmen.creating(a)},
		{Method: "PUT", Path: "/api/salesmen/{code}", Roles: accounts, Do: salesmen.updating(a)},
		{Method: "GET", Path: "/api/godowns", Roles: anyone, Do: godowns.listing(a)},
		{Method: "GET", Path: "/api/godowns/{code}", Roles: anyone, Do: godowns.showing(a)},
		{Method: "POST", Path: "/api/godowns", Roles: adminOnly, Do: godowns.creating(a)},
		{Method: "PUT", Path: "/api/godowns/{code}", Roles: adminOnly, Do: godowns.updating(a)},
		{Method: "GET", Path: "/api/channels", Roles: anyone, Do: a.getChannels},
		{Method: "POST", Path: "/api/channels", Roles: accounts, MaxBody: 16 << 10, Do: a.postChannels},
		{Method: "GET", Path: "/api/items/export.xlsx", Roles: anyone, Do: a.exportMasters("items")},
		{Method: "GET", Path: "/api/outlets/export.xlsx", Roles: anyone, Do: a.exportMasters("outlets")},
		{Method: "GET", Path: "/api/beats/export.xlsx", Roles: anyone, Do: a.exportMasters("beats")},
		{Method: "GET", Path: "/api/salesmen/export.xlsx", Roles: anyone, Do: a.exportMasters("salesmen")},

		// audit (audit_routes.go)
		{Method: "GET", Path: "/api/audit", Roles: accounts, Do: a.getAudit},
		{Method: "GET", Path: "/api/audit/export", Roles: accounts, Do: a.getAuditExport},

		// backup (backup.go)
		{Method: "POST", Path: "/api/backup", Roles: adminOnly, MaxBody: 1 << 10, Do: a.postBackup},

		// billing (billing.go)
		{Method: "GET", Path: "/api/purchases", Roles: anyone, Do: listDocs("supplier", a.PurchasePage)},
		{Method: "GET", Path: "/api/sales-returns", Roles: anyone, Do: listDocs("outlet", a.SalesReturnPage)},
		{Method: "GET", Path: "/api/receipts", Roles: anyone, Do: listDocs("outlet", a.ReceiptPage)},
		{Method: "GET", Path: "/api/purchases/{number}", Roles: anyone, Do: a.getPurchasesNumber},
		{Method: "GET", Path: "/api/purchase-returns/{number}", Roles: anyone, Do: showDoc(a, billing.GetPurchaseReturn)},
		{Method: "GET", Path: "/api/invoices/{number}", Roles: anyone, Do: showDoc(a, invoiceWithIRN)},
		{Method: "GET", Path: "/api/returns/{number}", Roles: anyone, Do: showDoc(a, creditNoteWithIRN)},
		{Method: "GET", Path: "/api/receipts/{number}", Roles: anyone, Do: showDoc(a, receiptView)},
		{Method: "POST", Path: "/api/adjustments", Roles: clerks, Do: a.postStockDoc(billing.KindAdjustment)},
		{Method: "POST", Path: "/api/transfers", Roles: clerks, Do: a.postStockDoc(billing.KindTransfer)},
		{Method: "POST", Path: "/api/counts", Roles: clerks, Do: a.postStockDoc(billing.KindCount)},
		{Method: "GET", Path: "/api/stock-docs/{number}", Roles: anyone, Do: showDoc(a, billing.GetStockDoc)},
		{Method: "POST", Path: "/api/purchases", Roles: clerks, Do: a.postPurchases},
		{Method: "POST", Path: "/api/purchase-returns", Roles: clerks, Do: a.postPurchaseReturns},
		{Method: "POST", Path: "/api/invoices/preview", Roles: billers, Do: a.postInvoicesPreview},
		{Method: "POST", Path: "/api/invoices", Roles: billers, Do: a.postInvoices},
		{Method: "GET", Path: "/api/invoices", Roles: anyone, Do: a.getInvoices},
		{Method: "POST", Path: "/api/invoices/{number}/cancel", Roles: clerks, MaxBody: 8 << 10, Do: a.postInvoicesNumberCancel},
		{Method: "POST", Path: "/api/orders", Roles: billers, Do: a.postOrders},
		{Method: "GET", Path: "/api/orders", Roles: anyone, Do: a.getOrders},
		{Method: "GET", Path: "/api/orders/{id}", Roles: anyone, Do: a.getOrdersId},
		{Method: "POST", Path: "/api/orders/{id}/convert", Roles: billers, MaxBody: 8 << 10, Do: a.postOrdersIdConvert},
		{Method: "POST", Path: "/api/returns", Roles: clerks, Do: a.postReturns},
		{Method: "POST", Path: "/api/receipts", Roles: clerks, Do: a.postReceipts},
		{Method: "GET", Path: "/api/outlets/{code}/outstanding", Roles: anyone, Do: a.getOutletsCodeOutstanding},
		{Method: "GET", Path: "/api/outlets/{code}/credit", Roles: anyone, Do: a.getOutletsCodeCredit},
		{Method: "GET", Path: "/api/outlets/{code}/last-rate", Roles: anyone, Do: a.getOutletsCodeLastRate},
		{Method: "GET", Path: "/api/outstanding", Roles: anyone, Do: a.getOutstanding},
		{Method: "GET", Path: "/api/stock", Roles: anyone, Do: a.getStock},
		{Method: "GET", Path: "/api/stock/{item}", Roles: anyone, Do: a.getStockItem},
		{Method: "GET", Path: "/api/reconciliation", Roles: anyone, Do: a.getReconciliation},

		// collection (collections.go)
		{Method: "POST", Path: "/api/collections", Roles: clerks, MaxBody: 64 << 10, Do: a.postCollections},
		{Method: "GET", Path: "/api/collections", Roles: anyone, Do: a.getCollections},
		{Method: "GET", Path: "/api/collections/open-bills", Roles: anyone, Do: a.getCollectionsOpenBills},
		{Method: "GET", Path: "/api/collections/{id}", Roles: anyone, Do: a.getCollectionsId},
		{Method: "POST", Path: "/api/collections/{id}/settle", Roles: clerks, MaxBody: 256 << 10, Do: a.postCollectionsIdSettle},
		{Method: "GET", Path: "/api/cheques", Roles: anyone, Do: a.getCheques},
		{Method: "GET", Path: "/api/cheques/{receipt}", Roles: anyone, Do: a.getChequesReceipt},
		{Method: "POST", Path: "/api/cheques/{receipt}/deposit", Roles: clerks, MaxBody: 4 << 10, Do: a.postChequesReceiptDeposit},
		{Method: "POST", Path: "/api/cheques/{receipt}/clear", Roles: clerks, MaxBody: 4 << 10, Do: a.postChequesReceiptClear},
		{Method: "POST", Path: "/api/cheques/{receipt}/bounce", Roles: clerks, MaxBody: 8 << 10, Do: a.postChequesReceiptBounce},
		{Method: "GET", Path: "/api/outlets/{code}/ledger", Roles: anyone, Do: a.getOutletsCodeLedger},
		{Method: "GET", Path: "/api/cheque-bounces/{number}", Roles: anyone, Do: a.getChequeBouncesNumber},

		// cross (crosscheck.go)
		{Method: "GET", Path: "/api/check/cross", Roles: accounts, Do: a.getCheckCross},

		// dashboard (dashboard.go)
		{Method: "GET", Path: "/api/dashboard", Roles: anyone, Do: a.getDashboard},
		{Method: "GET", Path: "/api/dashboard/sales", Roles: anyone, Do: a.getDashboardSales},

		// dispatch (dispatch.go)
		{Method: "GET", Path: "/api/dispatch/loading-sheet", Roles: anyone, Do: a.getLoadingSheet},
		{Method: "GET", Path: "/api/dispatch/delivery-sheet", Roles: anyone, Do: a.getDeliverySheet},

		// draft (drafts.go)
		{Method: "GET", Path: "/api/drafts/{kind}", Roles: clerks, Do: a.getDraftsKind},
		{Method: "PUT", Path: "/api/drafts/{kind}", Roles: clerks, MaxBody: draftMaxBody, Do: a.putDraftsKind},
		{Method: "DELETE", Path: "/api/drafts/{kind}", Roles: clerks, Do: a.deleteDraftsKind},

		// gst (gst.go)
		{Method: "GET", Path: "/api/invoices/{number}/einvoice", Roles: anyone, Do: a.getInvoicesNumberEinvoice},
		{Method: "GET", Path: "/api/returns/{number}/einvoice", Roles: anyone, Do: a.getReturnsNumberEinvoice},
		{Method: "GET", Path: "/api/invoices/{number}/qr", Roles: anyone, Do: a.getInvoicesNumberQr},
		{Method: "GET", Path: "/api/returns/{number}/qr", Roles: anyone, Do: a.getReturnsNumberQr},
		{Method: "GET", Path: "/api/invoices/{number}/ewaybill", Roles: anyone, Do: a.getInvoicesNumberEwaybill},
		{Method: "GET", Path: "/api/invoices/{number}/ewaybill/check", Roles: anyone, Do: a.getInvoicesNumberEwaybillCheck},
		{Method: "PUT", Path: "/api/invoices/{number}/ewaybill", Roles: clerks, MaxBody: 8 << 10, Do: a.putInvoicesNumberEwaybill},
		{Method: "GET", Path: "/api/ewaybill/check", Roles: anyone, Do: a.getEwaybillCheck},
		{Method: "GET", Path: "/api/ewaybill", Roles: anyone, Do: a.getEwaybill},
		{Method: "GET", Path: "/api/gst/gstr1", Roles: clerks, Do: a.getGstGstr1},
		{Method: "GET", Path: "/api/einvoice/offline", Roles: clerks, Do: a.getEinvoiceOffline},
		{Method: "POST", Path: "/api/einvoice/offline/import", Roles: clerks, MaxBody: 64 << 20, Do: a.postEinvoiceOfflineImport},
		{Method: "GET", Path: "/api/gst/gstr1.xlsx", Roles: clerks, Do: a.getGstGstr1Xlsx},
		{Method: "GET", Path: "/api/einvoice/queue", Roles: anyone, Do: a.getEinvoiceQueue},
		{Method: "POST", Path: "/api/einvoice/retry/{number}", Roles: clerks, MaxBody: 1 << 10, Do: a.postEinvoiceRetryNumber},

		// import (import.go)
		{Method: "GET", Path: "/api/import/kinds", Roles: anyone, Do: a.getImportKinds},
		{Method: "GET", Path: "/api/import/{kind}/template", Roles: anyone, Do: a.getImportKindTemplate},
		{Method: "POST", Path: "/api/import/{kind}", Roles: clerks, MaxBody: MaxImportBytes, Do: a.postImportKind},
		{Method: "POST", Path: "/api/import/{kind}/bad-rows", Roles: clerks, MaxBody: MaxImportBytes, Do: a.postImportKindBadRows},
		{Method: "GET", Path: "/api/import-bad-rows/{id}", Roles: clerks, Do: a.getImportBadRowsId},

		// reorder (reorder.go)
		{Method: "GET", Path: "/api/purchase-suggestions", Roles: anyone, Do: a.getPurchaseSuggestions},
		{Method: "POST", Path: "/api/purchase-suggestions/order.xlsx", Roles: clerks, Do: a.postPurchaseSuggestionsOrderXlsx},
		{Method: "GET", Path: "/api/purchase-suggestions/cover", Roles: anyone, Do: a.getPurchaseSuggestionsCover},
		{Method: "PUT", Path: "/api/purchase-suggestions/cover", Roles: accounts, MaxBody: 4 << 10, Do: a.putPurchaseSuggestionsCover},

		// purchase order (purchase_orders.go)
		{Method: "POST", Path: "/api/purchase-orders", Roles: clerks, MaxBody: 1 << 20, Do: a.postPurchaseOrders},
		{Method: "GET", Path: "/api/purchase-orders", Roles: anyone, Do: a.getPurchaseOrders},
		{Method: "GET", Path: "/api/purchase-orders/{number}", Roles: anyone, Do: a.getPurchaseOrdersNumber},
		{Method: "POST", Path: "/api/purchase-orders/{number}/close", Roles: clerks, MaxBody: 4 << 10, Do: a.postPurchaseOrdersNumberClose},

		// report (reports.go)
		{Method: "GET", Path: "/api/reports", Roles: anyone, Do: a.getReports},
		{Method: "GET", Path: "/api/reports/{name}", Roles: anyone, Do: a.getReportsName},

		// restore (restore_routes.go)
		{Method: "GET", Path: "/api/restore", Roles: anyone, Do: a.getRestore},
		{Method: "POST", Path: "/api/restore", Roles: adminOnly, MaxBody: 1 << 10, Do: a.postRestore},
		{Method: "POST", Path: "/api/restore/pull", Roles: adminOnly, Do: a.postRestorePull},
		{Method: "POST", Path: "/api/numbering/confirm", Roles: clerks, MaxBody: 16 << 10, Do: a.postNumberingConfirm},

		// scheme (schemes.go)
		{Method: "GET", Path: "/api/schemes", Roles: anyone, Do: a.getSchemes},
		{Method: "POST", Path: "/api/schemes", Roles: accounts, MaxBody: 256 << 10, Do: a.postSchemes},
		{Method: "GET", Path: "/api/schemes/template.xlsx", Roles: anyone, Do: a.getSchemesTemplateXlsx},
		{Method: "POST", Path: "/api/schemes/import", Roles: accounts, MaxBody: 16 << 20, Do: a.postSchemesImport},
		{Method: "GET", Path: "/api/schemes/{code}", Roles: anyone, Do: a.getSchemesCode},
		{Method: "PUT", Path: "/api/schemes/{code}", Roles: accounts, MaxBody: 256 << 10, Do: a.putSchemesCode},
		{Method: "GET", Path: "/api/schemes/{code}/claim", Roles: anyone, Do: a.getSchemesCodeClaim},
		{Method: "GET", Path: "/api/schemes/{code}/claim.xlsx", Roles: anyone, Do: a.getSchemesCodeClaimXlsx},
		{Method: "GET", Path: "/api/schemes/{code}/performance", Roles: anyone, Do: a.getSchemesCodePerformance},

		// backup schedule (security_backups.go)
		{Method: "GET", Path: "/api/backups", Roles: adminOnly, Do: a.getBackups},
		{Method: "POST", Path: "/api/backups", Roles: adminOnly, MaxBody: 1 << 10, Do: a.postBackups},
		{Method: "GET", Path: "/api/settings/backup", Roles: adminOnly, Do: a.getSettingsBackup},
		{Method: "PUT", Path: "/api/settings/backup", Roles: adminOnly, MaxBody: 4 << 10, Do: a.putSettingsBackup},

		// tally (tally.go)
		{Method: "GET", Path: "/api/tally/settings", Roles: accounts, Do: a.getTallySettings},
		{Method: "PUT", Path: "/api/tally/settings", Roles: adminOnly, Do: a.putTallySettings},
		{Method: "GET", Path: "/api/tally/status", Roles: anyone, Do: a.getTallyStatus},
		{Method: "GET", Path: "/api/tally/queue", Roles: anyone, Do: a.getTallyQueue},
		{Method: "POST", Path: "/api/tally/test", Roles: accounts, MaxBody: 8 << 10, Do: a.postTallyTest},
		{Method: "POST", Path: "/api/tally/push", Roles: accounts, MaxBody: 8 << 10, Do: a.postTallyPush},
		{Method: "POST", Path: "/api/tally/retry/{id}", Roles: accounts, MaxBody: 8 << 10, Do: a.postTallyRetryId},
		{Method: "GET", Path: "/api/tally/mapping", Roles: accounts, Do: a.getTallyMapping},
		{Method: "PUT", Path: "/api/tally/mapping", Roles: accounts, Do: a.putTallyMapping},
		{Method: "POST", Path: "/api/tally/mapping/import", Roles: accounts, MaxBody: 16 << 20, Do: a.postTallyMappingImport},
		{Method: "GET", Path: "/api/tally/mapping/suggest", Roles: accounts, Do: a.getTallyMappingSuggest},
		{Method: "POST", Path: "/api/tally/pull/preview", Roles: accounts, MaxBody: 8 << 10, Do: a.postTallyPullPreview},
		{Method: "POST", Path: "/api/tally/pull/apply", Roles: adminOnly, MaxBody: 1 << 20, Do: a.postTallyPullApply},

		// trip (trips.go)
		{Method: "POST", Path: "/api/dispatch/trips", Roles: clerks, MaxBody: 64 << 10, Do: a.postDispatchTrips},
		{Method: "GET", Path: "/api/dispatch/trips", Roles: anyone, Do: a.getDispatchTrips},
		{Method: "GET", Path: "/api/dispatch/trips/{id}", Roles: anyone, Do: a.getDispatchTripsId},
		{Method: "GET", Path: "/api/dispatch/trips/{id}/ewaybill", Roles: anyone, Do: a.getDispatchTripsIdEwaybill},
		{Method: "POST", Path: "/api/dispatch/trips/{id}/return", Roles: clerks, MaxBody: 64 << 10, Do: a.postDispatchTripsIdReturn},

		// upload (upload.go)
		{Method: "GET", Path: "/api/upload/status", Roles: anyone, Do: a.getUploadStatus},
		{Method: "POST", Path: "/api/upload/now", Roles: accounts, Do: a.postUploadNow},
		{Method: "GET", Path: "/api/upload/settings", Roles: adminOnly, Do: a.getUploadSettings},
		{Method: "PUT", Path: "/api/upload/settings", Roles: adminOnly, MaxBody: 16 << 10, Do: a.putUploadSettings},
	}
}
