package billing

import (
	"sync"

	"vitaran/backend/book"
	"vitaran/backend/masters"
)

// Postings read the company, the outlet and every line's item; decoding
// their JSON was a third of an invoice's work. mastersCache keeps them
// decoded for as long as the book's masters revision (written by every
// masters write, in its own transaction) is the one they were read under,
// so a transaction never sees a record other than the one its book holds.
// A book without a revision is read directly.
var cache = &mastersCache{}

type mastersCache struct {
	mu      sync.Mutex
	rev     string
	company *masters.Company
	items   map[string]masters.Item
	outlets map[string]masters.Outlet
}

// at resets the cache to rev when it is behind; false when rev is "".
func (c *mastersCache) at(rev string) bool {
	if rev == "" {
		return false
	}
	if c.rev != rev {
		c.rev, c.company = rev, nil
		c.items = map[string]masters.Item{}
		c.outlets = map[string]masters.Outlet{}
	}
	return true
}

func (c *mastersCache) getCompany(tx *book.Tx) (masters.Company, error) {
	rev := masters.Revision(tx)
	c.mu.Lock()
	if c.at(rev) && c.company != nil {
		co := *c.company
		c.mu.Unlock()
		return co, nil
	}
	c.mu.Unlock()
	co, err := masters.GetCompany(tx)
	if err != nil {
		return co, err
	}
	c.mu.Lock()
	if c.at(rev) {
		c.company = &co
	}
	c.mu.Unlock()
	return co, nil
}

func (c *mastersCache) getItem(tx *book.Tx, code string) (masters.Item, error) {
	rev := masters.Revision(tx)
	c.mu.Lock()
	if c.at(rev) {
		if it, ok := c.items[code]; ok {
			c.mu.Unlock()
			return it, nil
		}
	}
	c.mu.Unlock()
	it, err := masters.GetItem(tx, code)
	if err != nil {
		return it, err
	}
	c.mu.Lock()
	if c.at(rev) {
		c.items[code] = it
	}
	c.mu.Unlock()
	return it, nil
}

func (c *mastersCache) getOutlet(tx *book.Tx, code string) (masters.Outlet, error) {
	code = masters.NormalizeCode(code)
	rev := masters.Revision(tx)
	c.mu.Lock()
	if c.at(rev) {
		if o, ok := c.outlets[code]; ok {
			c.mu.Unlock()
			return o, nil
		}
	}
	c.mu.Unlock()
	o, err := masters.GetOutlet(tx, code)
	if err != nil {
		return o, err
	}
	c.mu.Lock()
	if c.at(rev) {
		c.outlets[code] = o
	}
	c.mu.Unlock()
	return o, nil
}
