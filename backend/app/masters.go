package app

import (
	"context"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
)

// Company returns the company profile.
func (a *App) Company() (masters.Company, error) {
	var c masters.Company
	err := a.view(func(tx *book.Tx) error { var err error; c, err = masters.GetCompany(tx); return err })
	return c, err
}

// SaveCompany stores the company profile.
func (a *App) SaveCompany(ctx context.Context, c masters.Company) (masters.Company, error) {
	err := a.update(ctx, func(tx *book.Tx) error { var err error; c, err = masters.PutCompany(tx, c); return err })
	return c, err
}

// Items lists items.
func (a *App) Items(f masters.ItemFilter) ([]masters.Item, error) {
	out := []masters.Item{}
	err := a.view(func(tx *book.Tx) error {
		xs, err := masters.ListItems(tx, f, a.Today())
		out = append(out, xs...)
		return err
	})
	return out, err
}

// Item returns one item.
func (a *App) Item(code string) (masters.Item, error) {
	var it masters.Item
	err := a.view(func(tx *book.Tx) error {
		var err error
		it, err = masters.GetItem(tx, code)
		it.GSTRateBP = it.RateOn(a.Today())
		return err
	})
	return it, err
}

// CreateItem adds an item.
func (a *App) CreateItem(ctx context.Context, it masters.Item) (masters.Item, error) {
	err := a.update(ctx, func(tx *book.Tx) error { var err error; it, err = masters.CreateItem(tx, it, a.Today()); return err })
	return it, err
}

// UpdateItem changes an item.
func (a *App) UpdateItem(ctx context.Context, it masters.Item) (masters.Item, error) {
	err := a.update(ctx, func(tx *book.Tx) error { var err error; it, err = masters.UpdateItem(tx, it, a.Today()); return err })
	return it, err
}

// Outlets lists outlets.
func (a *App) Outlets(f masters.OutletFilter) ([]masters.Outlet, error) {
	out := []masters.Outlet{}
	err := a.view(func(tx *book.Tx) error {
		xs, err := masters.ListOutlets(tx, f)
		out = append(out, xs...)
		return err
	})
	return out, err
}

// masterKind wires one kind of master record to the doors: list, get,
// create and update, all through the same book transaction helpers.
type masterKind[T any] struct {
	list   func(tx *book.Tx, c *Call) ([]T, error)
	get    func(tx *book.Tx, code string) (T, error)
	create func(tx *book.Tx, v T) (T, error)
	update func(tx *book.Tx, v T) (T, error)
	fresh  func() T
	code   func(*T) *string
}

// listing answers the list (GET path).
func (k masterKind[T]) listing(a *App) func(c *Call) (any, error) {
	return func(c *Call) (any, error) {
		out := []T{}
		err := a.view(func(tx *book.Tx) error {
			xs, err := k.list(tx, c)
			out = append(out, xs...)
			return err
		})
		return out, err
	}
}

// showing answers one record (GET path/{code}).
func (k masterKind[T]) showing(a *App) func(c *Call) (any, error) {
	return func(c *Call) (any, error) {
		var v T
		err := a.view(func(tx *book.Tx) error { var err error; v, err = k.get(tx, c.Param("code")); return err })
		return v, err
	}
}

// creating answers a new record (POST path).
func (k masterKind[T]) creating(a *App) func(c *Call) (any, error) {
	return func(c *Call) (any, error) {
		v := k.fresh()
		if err := c.Decode(&v); err != nil {
			return nil, err
		}
		err := a.update(c.Ctx, func(tx *book.Tx) error { var err error; v, err = k.create(tx, v); return err })
		return Created{v}, err
	}
}

// updating answers a changed record (PUT path/{code}); its code cannot change.
func (k masterKind[T]) updating(a *App) func(c *Call) (any, error) {
	return func(c *Call) (any, error) {
		var v T
		if err := c.Buffer(); err != nil {
			return nil, err
		}
		err := a.update(c.Ctx, func(tx *book.Tx) error {
			var err error
			if v, err = k.get(tx, c.Param("code")); err != nil {
				return err
			}
			code := *k.code(&v)
			if err := c.Decode(&v); err != nil {
				return err
			}
			if got := masters.NormalizeCode(*k.code(&v)); got != code {
				return fail.Invalid("code", "cannot change a code (%s → %s): create a new record instead", code, got)
			}
			v, err = k.update(tx, v)
			return err
		})
		return v, err
	}
}

// itemMasters wires item records to the doors.
func (a *App) itemMasters() masterKind[masters.Item] {
	today := a.Today
	return masterKind[masters.Item]{
		list: func(tx *book.Tx, c *Call) ([]masters.Item, error) {
			return masters.ListItems(tx, masters.ItemFilter{Q: c.Query("q"), Brand: c.Query("brand"), Category: c.Query("category"), ActiveOnly: c.Query("active") == "1"}, today())
		},
		get: func(tx *book.Tx, code string) (masters.Item, error) {
			it, err := masters.GetItem(tx, code)
			it.GSTRateBP = it.RateOn(today())
			return it, err
		},
		create: func(tx *book.Tx, v masters.Item) (masters.Item, error) { return masters.CreateItem(tx, v, today()) },
		update: func(tx *book.Tx, v masters.Item) (masters.Item, error) { return masters.UpdateItem(tx, v, today()) },
		fresh:  func() masters.Item { return masters.Item{Active: true} },
		code:   func(v *masters.Item) *string { return &v.Code },
	}
}

// outletMasters wires outlet records to the doors.
func (a *App) outletMasters() masterKind[masters.Outlet] {
	return masterKind[masters.Outlet]{
		list: func(tx *book.Tx, c *Call) ([]masters.Outlet, error) {
			return masters.ListOutlets(tx, masters.OutletFilter{Q: c.Query("q"), Beat: c.Query("beat"), Salesman: c.Query("salesman"), Channel: c.Query("channel"), ActiveOnly: c.Query("active") == "1"})
		},
		get:    masters.GetOutlet,
		create: masters.CreateOutlet,
		update: masters.UpdateOutlet,
		fresh:  func() masters.Outlet { return masters.Outlet{Active: true} },
		code:   func(v *masters.Outlet) *string { return &v.Code },
	}
}

// beatMasters wires beat records to the doors.
func (a *App) beatMasters() masterKind[masters.Beat] {
	return masterKind[masters.Beat]{
		list:   func(tx *book.Tx, c *Call) ([]masters.Beat, error) { return masters.ListBeats(tx, c.Query("q")) },
		get:    masters.GetBeat,
		create: masters.CreateBeat,
		update: masters.UpdateBeat,
		fresh:  func() masters.Beat { return masters.Beat{} },
		code:   func(v *masters.Beat) *string { return &v.Code },
	}
}

// salesmanMasters wires salesman records to the doors.
func (a *App) salesmanMasters() masterKind[masters.Salesman] {
	return masterKind[masters.Salesman]{
		list:   func(tx *book.Tx, c *Call) ([]masters.Salesman, error) { return masters.ListSalesmen(tx, c.Query("q")) },
		get:    masters.GetSalesman,
		create: masters.CreateSalesman,
		update: masters.UpdateSalesman,
		fresh:  func() masters.Salesman { return masters.Salesman{Active: true} },
		code:   func(v *masters.Salesman) *string { return &v.Code },
	}
}

// godownMasters wires godown records to the doors.
func (a *App) godownMasters() masterKind[masters.Godown] {
	return masterKind[masters.Godown]{
		list:   func(tx *book.Tx, c *Call) ([]masters.Godown, error) { return masters.ListGodowns(tx, c.Query("q")) },
		get:    masters.GetGodown,
		create: masters.CreateGodown,
		update: masters.UpdateGodown,
		fresh:  func() masters.Godown { return masters.Godown{} },
		code:   func(v *masters.Godown) *string { return &v.Code },
	}
}

// getCompany answers GET /api/company.
func (a *App) getCompany(c *Call) (any, error) {
	return a.Company()
}

// putCompany answers PUT /api/company.
func (a *App) putCompany(c *Call) (any, error) {
	cur, err := a.Company()
	if err != nil {
		return nil, err
	}
	if err := c.Decode(&cur); err != nil {
		return nil, err
	}
	return a.SaveCompany(c.Ctx, cur)
}

// Channels lists the trade channels: the built-in ones and the distributor's
// own, each with its synonyms.
func (a *App) Channels() ([]masters.Channel, error) {
	return read(a, masters.ListChannels)
}

// PutChannel adds a channel of the distributor's, or synonyms to one.
func (a *App) PutChannel(ctx context.Context, ch masters.Channel) (masters.Channel, error) {
	var out masters.Channel
	err := a.update(ctx, func(tx *book.Tx) error { var err error; out, err = masters.PutChannel(tx, ch); return err })
	return out, err
}

// getChannels answers GET /api/channels.
func (a *App) getChannels(c *Call) (any, error) { return a.Channels() }

// postChannels answers POST /api/channels.
func (a *App) postChannels(c *Call) (any, error) {
	var ch masters.Channel
	if err := c.Decode(&ch); err != nil {
		return nil, err
	}
	return a.PutChannel(c.Ctx, ch)
}
