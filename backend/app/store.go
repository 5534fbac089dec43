package app

import "vitaran/backend/book"

// The app's own buckets, their keys and encoding: users, their sessions,
// their screens' drafts and the last restore's report. Records are JSON.
const (
	bUsers        = "users"       // user name → User
	bSessions     = "sessions"    // sessionKey(token) → storedSession
	bDrafts       = "drafts"      // draftKey(user, kind) → Draft
	bucketRestore = "app.restore" // keyRestore → RestoreReport (JSON as written)
	keyRestore    = "last"
)

func draftKey(user, kind string) string { return user + "\x00" + kind }

func userCount(tx *book.Tx) int { return tx.Bucket(bUsers).Len() }

func hasUser(tx *book.Tx, name string) bool { return tx.Bucket(bUsers).Has(name) }

func getUser(tx *book.Tx, name string, u *User) (bool, error) {
	return tx.Bucket(bUsers).GetJSON(name, u)
}

func putUser(tx *book.Tx, name string, u User) error { return tx.Bucket(bUsers).PutJSON(name, u) }

// eachUser calls fn with every stored user, by name.
func eachUser(tx *book.Tx, fn func(raw []byte) (bool, error)) error {
	return tx.Bucket(bUsers).Scan("", func(_ string, v []byte) (bool, error) { return fn(v) })
}

// eachStoredSession calls fn with every kept session as stored.
func eachStoredSession(tx *book.Tx, fn func(key string, raw []byte) (bool, error)) error {
	return tx.Bucket(bSessions).Scan("", fn)
}

// sessionWriter writes and drops kept sessions (keys are scattered hashes).
type sessionWriter struct{ b *book.Bucket }

func storedSessions(tx *book.Tx) sessionWriter {
	return sessionWriter{tx.Bucket(bSessions).Scattered()}
}

func (w sessionWriter) put(key string, st storedSession) error { return w.b.PutJSON(key, st) }

func (w sessionWriter) drop(key string) error { return w.b.Delete(key) }

func getDraft(tx *book.Tx, user, kind string, d *Draft) (bool, error) {
	return tx.Bucket(bDrafts).GetJSON(draftKey(user, kind), d)
}

func putDraft(tx *book.Tx, d Draft) error {
	return tx.Bucket(bDrafts).Scattered().PutJSON(draftKey(d.User, d.Kind), d)
}

func deleteDraft(tx *book.Tx, user, kind string) error {
	return tx.Bucket(bDrafts).Delete(draftKey(user, kind))
}

// lastRestore is the last restore's report as stored (nil: never restored).
func lastRestore(tx *book.Tx) []byte { return tx.Bucket(bucketRestore).Get(keyRestore) }

func putLastRestore(tx *book.Tx, raw []byte) error {
	return tx.Bucket(bucketRestore).Put(keyRestore, raw)
}
