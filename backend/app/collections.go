package app

import (
	"bytes"
	"context"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/collections"
	"vitaran/backend/fail"
)

// CreateCollection tags open bills to a salesman for a day: a collection sheet.
func (a *App) CreateCollection(ctx context.Context, in collections.SheetInput) (collections.Sheet, error) {
	return post(a, ctx, func(tx *book.Tx) (collections.Sheet, error) {
		if in.Date != "" && in.Date.Valid() {
			if err := billing.CheckDate(tx, "date", in.Date, a.Today(), false); err != nil {
				return collections.Sheet{}, err
			}
		}
		return collections.Create(tx, in)
	})
}

// Collection returns a collection sheet.
func (a *App) Collection(id int64) (collections.Sheet, error) {
	return read(a, func(tx *book.Tx) (collections.Sheet, error) { return collections.Get(tx, id) })
}

// SettleCollection posts what the salesman brought back against his sheet:
// every receipt in one transaction, or none.
func (a *App) SettleCollection(ctx context.Context, id int64, in collections.SettleInput) (collections.Sheet, error) {
	return post(a, ctx, func(tx *book.Tx) (collections.Sheet, error) {
		s, err := collections.Get(tx, id)
		if err != nil {
			return s, err
		}
		d := in.Date
		if d == "" {
			d = s.Date
		}
		if s.Status == collections.StatusOpen && d.Valid() {
			if err := a.dated(ctx, tx, billing.KindReceipt, "", d, false); err != nil {
				return s, err
			}
		}
		return collections.Settle(tx, id, in)
	})
}

// CollectionPage lists collection sheets, newest first.
func (a *App) CollectionPage(f collections.Filter, p Paging) (ListPage[collections.Summary], error) {
	all, err := read(a, func(tx *book.Tx) ([]collections.Summary, error) { return collections.List(tx, f) })
	if err != nil {
		return ListPage[collections.Summary]{}, err
	}
	t := map[string]int64{"bills": 0, "due_paise": 0, "collected_paise": 0, "open": 0}
	for _, s := range all {
		t["bills"] += int64(s.Bills)
		t["due_paise"] += int64(s.DuePaise)
		t["collected_paise"] += int64(s.CollectedPaise)
		if s.Status == collections.StatusOpen {
			t["open"]++
		}
	}
	return pageOf(all, p, t), nil
}

// CollectionOpenBills lists the open bills a sheet may tag: a beat's
// outlets' (or a salesman's), as they stand on a day.
func (a *App) CollectionOpenBills(beat, salesman string, on cal.Date) ([]collections.OpenBill, error) {
	return read(a, func(tx *book.Tx) ([]collections.OpenBill, error) {
		return collections.OpenBillsOf(tx, beat, salesman, on)
	})
}

// ChequePage lists cheque receipts with where each cheque is.
func (a *App) ChequePage(f billing.DocFilter, status string, p Paging) (ListPage[billing.Cheque], error) {
	return docPage(a, f, p, func(tx *book.Tx, f billing.DocFilter) ([]billing.Cheque, error) {
		return billing.ListCheques(tx, f, status)
	},
		func(x *billing.Cheque) cal.Date { return x.Date },
		func(x *billing.Cheque, t map[string]int64) {
			t["amount_paise"] += int64(x.AmountPaise)
			t[x.Status]++
			t[x.Status+"_paise"] += int64(x.AmountPaise)
		})
}

// DepositCheque records a cheque as paid into the bank.
func (a *App) DepositCheque(ctx context.Context, receipt string, on cal.Date) (billing.Cheque, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.Cheque, error) {
		if on.Valid() {
			if err := billing.CheckDate(tx, "date", on, a.Today(), false); err != nil {
				return billing.Cheque{}, err
			}
		}
		return billing.DepositCheque(tx, receipt, on)
	})
}

// ClearCheque records a deposited cheque as cleared by the bank.
func (a *App) ClearCheque(ctx context.Context, receipt string, on cal.Date) (billing.Cheque, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.Cheque, error) {
		if on.Valid() {
			if err := billing.CheckDate(tx, "date", on, a.Today(), false); err != nil {
				return billing.Cheque{}, err
			}
		}
		return billing.ClearCheque(tx, receipt, on)
	})
}

// BounceCheque posts a returned cheque: its bills open again and the charge
// is due from the outlet.
func (a *App) BounceCheque(ctx context.Context, receipt string, in billing.BounceInput) (billing.ChequeBounce, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.ChequeBounce, error) {
		if err := a.dated(ctx, tx, billing.KindChequeBounce, "", in.Date, false); err != nil {
			return billing.ChequeBounce{}, err
		}
		return billing.BounceCheque(tx, receipt, in)
	})
}

// OutletLedgerPage is an outlet's account for a period, a page of its
// lines with the opening, debits, credits and closing of the whole period.
func (a *App) OutletLedgerPage(outlet string, from, to cal.Date, p Paging) (ListPage[billing.LedgerEntry], error) {
	l, err := read(a, func(tx *book.Tx) (billing.OutletLedger, error) { return billing.LedgerOf(tx, outlet, from, to) })
	if err != nil {
		return ListPage[billing.LedgerEntry]{}, err
	}
	return pageOf(l.Entries, p, map[string]int64{"opening_paise": int64(l.OpeningPaise), "debit_paise": int64(l.DebitPaise),
		"credit_paise": int64(l.CreditPaise), "closing_paise": int64(l.ClosingPaise)}), nil
}

// sheetID is the collection sheet named in the path.
func sheetID(c *Call) (int64, error) { return collections.ParseID(c.Param("id")) }

// postCollections answers POST /api/collections.
func (a *App) postCollections(c *Call) (any, error) {
	var in collections.SheetInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	s, err := a.CreateCollection(c.Ctx, in)
	return Created{s}, err
}

// getCollections answers GET /api/collections.
func (a *App) getCollections(c *Call) (any, error) {
	var f collections.Filter
	from, to, p, err := periodPaging(c)
	if err != nil {
		return nil, err
	}
	f.From, f.To = from, to
	f.Salesman, f.Status = c.Query("salesman"), c.Query("status")
	return a.CollectionPage(f, p)
}

// getCollectionsOpenBills answers GET /api/collections/open-bills.
func (a *App) getCollectionsOpenBills(c *Call) (any, error) {
	on, err := dateQuery(c, "date", a.Today())
	if err != nil {
		return nil, err
	}
	return a.CollectionOpenBills(c.Query("beat"), c.Query("salesman"), on)
}

// getCollectionsId answers GET /api/collections/{id}.
func (a *App) getCollectionsId(c *Call) (any, error) {
	format := c.Query("format")
	if format != "" && format != "json" && format != "xlsx" {
		return nil, fail.Invalid("format", "use json or xlsx")
	}
	id, err := sheetID(c)
	if err != nil {
		return nil, err
	}
	s, err := a.Collection(id)
	if err != nil || format != "xlsx" {
		return s, err
	}
	var buf bytes.Buffer
	if err := collections.Export(&s, &buf); err != nil {
		return nil, err
	}
	return File{Name: collections.FileName(&s), ContentType: sheetType, Body: buf.Bytes()}, nil
}

// postCollectionsIdSettle answers POST /api/collections/{id}/settle.
func (a *App) postCollectionsIdSettle(c *Call) (any, error) {
	id, err := sheetID(c)
	if err != nil {
		return nil, err
	}
	var in collections.SettleInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.SettleCollection(c.Ctx, id, in)
}

// getCheques answers GET /api/cheques.
func (a *App) getCheques(c *Call) (any, error) {
	var f billing.DocFilter
	from, to, p, err := periodPaging(c)
	if err != nil {
		return nil, err
	}
	f.From, f.To = from, to
	f.Party = c.Query("outlet")
	return a.ChequePage(f, c.Query("status"), p)
}

// getChequesReceipt answers GET /api/cheques/{receipt}.
func (a *App) getChequesReceipt(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) (billing.Cheque, error) { return billing.GetCheque(tx, c.Param("receipt")) })
}

// postChequesReceiptDeposit answers POST /api/cheques/{receipt}/deposit.
func (a *App) postChequesReceiptDeposit(c *Call) (any, error) {
	var in struct {
		Date cal.Date `json:"date"`
	}
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.DepositCheque(c.Ctx, c.Param("receipt"), in.Date)
}

// postChequesReceiptClear answers POST /api/cheques/{receipt}/clear.
func (a *App) postChequesReceiptClear(c *Call) (any, error) {
	var in struct {
		Date cal.Date `json:"date"`
	}
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.ClearCheque(c.Ctx, c.Param("receipt"), in.Date)
}

// postChequesReceiptBounce answers POST /api/cheques/{receipt}/bounce.
func (a *App) postChequesReceiptBounce(c *Call) (any, error) {
	var in billing.BounceInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	b, err := a.BounceCheque(c.Ctx, c.Param("receipt"), in)
	return Created{b}, err
}

// getOutletsCodeLedger answers GET /api/outlets/{code}/ledger.
func (a *App) getOutletsCodeLedger(c *Call) (any, error) {
	from, to, p, err := periodPaging(c)
	if err != nil {
		return nil, err
	}
	return a.OutletLedgerPage(c.Param("code"), from, to, p)
}

// getChequeBouncesNumber answers GET /api/cheque-bounces/{number}.
func (a *App) getChequeBouncesNumber(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) (billing.ChequeBounce, error) { return billing.GetChequeBounce(tx, c.Param("number")) })
}
