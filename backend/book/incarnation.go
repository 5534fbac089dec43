package book

// A restore starts a new incarnation of the book: the restored copy is the
// book as it was, but what went out since (to Tally, to head office) is
// still out there. The incarnation is a short id the restore writes into
// the copy; whatever names things outside the book (head-office batch ids)
// carries it, so nothing the new incarnation sends reuses an old name.

const (
	bucketIncarnation = "book.incarnation"
	keyIncarnation    = "id"
)

// Incarnation is the book's incarnation id: "" for a book never restored.
func (t *Tx) Incarnation() string { return string(t.Bucket(bucketIncarnation).Get(keyIncarnation)) }

// SetIncarnation records the incarnation id a restore started.
func (t *Tx) SetIncarnation(id string) error {
	return t.Bucket(bucketIncarnation).Put(keyIncarnation, []byte(id))
}
