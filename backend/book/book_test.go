package book

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openTemp(t *testing.T) (*Book, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), FileName)
	b, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b, p
}

func TestANewBookCarriesItsSchema(t *testing.T) {
	b, _ := openTemp(t)
	defer b.Close()
	v, err := b.schema()
	if err != nil || v != SchemaVersion {
		t.Fatalf("schema %d, %v", v, err)
	}
}

func TestABookFromANewerVersionIsRefusedUntouched(t *testing.T) {
	b, p := openTemp(t)
	b.Update(func(tx *Tx) error { return tx.Bucket("meta").Put("schema", []byte("99")) })
	b.Close()
	before, _ := os.ReadFile(p)
	_, err := Open(p, Options{})
	if !errors.Is(err, ErrNewer) || !strings.Contains(err.Error(), "schema 99") {
		t.Fatalf("got %v", err)
	}
	after, _ := os.ReadFile(p)
	if string(before) != string(after) {
		t.Fatal("the newer book was changed")
	}
}

func TestASecondProcessIsToldTheBookIsOpen(t *testing.T) {
	b, p := openTemp(t)
	defer b.Close()
	_, err := Open(p, Options{LockWait: 50e6})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("got %v", err)
	}
}

func TestAFailedWriteLeavesNothing(t *testing.T) {
	b, _ := openTemp(t)
	defer b.Close()
	err := b.Update(func(tx *Tx) error {
		tx.Bucket("items").Put("A", []byte("1"))
		tx.Audit("create", "item", "A", nil, "A", "")
		return errors.New("refused")
	})
	if err == nil {
		t.Fatal("no error")
	}
	b.View(func(tx *Tx) error {
		if tx.Bucket("items").Has("A") || tx.Bucket("audit").Len() != 0 {
			t.Fatal("half-written")
		}
		return nil
	})
}

func TestBackupIsAWorkingBook(t *testing.T) {
	b, _ := openTemp(t)
	b.UpdateAs(Actor{User: "asha"}, func(tx *Tx) error {
		tx.Bucket("items").PutJSON("GD200", map[string]string{"name": "Good Day"})
		return tx.Audit("create", "item", "GD200", nil, "x", "")
	})
	dst := filepath.Join(t.TempDir(), "copy.book")
	if err := b.BackupFile(dst); err != nil {
		t.Fatal(err)
	}
	b.Close()
	c, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.View(func(tx *Tx) error {
		var m map[string]string
		ok, _ := tx.Bucket("items").GetJSON("GD200", &m)
		log, _ := tx.AuditLog(0, 0, nil)
		if !ok || m["name"] != "Good Day" || len(log) != 1 || log[0].User != "asha" {
			t.Fatalf("backup lost data: %v %v", m, log)
		}
		return nil
	})
}

func TestRangeAndReverseWalkInKeyOrder(t *testing.T) {
	b, _ := openTemp(t)
	defer b.Close()
	b.Update(func(tx *Tx) error {
		for _, k := range []string{"a1", "a2", "a3", "b1"} {
			tx.Bucket("x").Put(k, []byte(k))
		}
		return nil
	})
	b.View(func(tx *Tx) error {
		var fwd, rev []string
		tx.Bucket("x").Scan("a", func(k string, _ []byte) (bool, error) { fwd = append(fwd, k); return true, nil })
		tx.Bucket("x").Reverse("a", "a3", func(k string, _ []byte) (bool, error) { rev = append(rev, k); return true, nil })
		if strings.Join(fwd, ",") != "a1,a2,a3" || strings.Join(rev, ",") != "a2,a1" {
			t.Fatalf("%v %v", fwd, rev)
		}
		if tx.Bucket("missing").Get("k") != nil {
			t.Fatal("missing bucket not empty")
		}
		return nil
	})
}

func TestADocumentIsQueuedOnce(t *testing.T) {
	b, _ := openTemp(t)
	defer b.Close()
	err := b.Update(func(tx *Tx) error {
		if err := tx.Enqueue(TallyQueue, "invoice", "SI/26-27/000001"); err != nil {
			return err
		}
		if err := tx.Enqueue(TallyQueue, "invoice", "SI/26-27/000001"); err == nil {
			t.Fatal("queued twice")
		}
		q, _ := tx.Queued(TallyQueue, 0, 0)
		if len(q) != 1 || q[0].ID != "SI/26-27/000001" || !tx.IsQueued(TallyQueue, "invoice", "SI/26-27/000001") {
			t.Fatalf("%+v", q)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A backup cut short by a power failure is refused, wherever it was cut,
// and never brings the process down (bbolt would read past the end).
func TestATruncatedBookIsRefusedWhereverItIsCut(t *testing.T) {
	b, _ := openTemp(t)
	b.Update(func(tx *Tx) error {
		for i := 0; i < 20000; i++ {
			tx.Bucket("items").PutJSON(SeqKey(uint64(i)), map[string]int{"n": i})
		}
		return nil
	})
	full := filepath.Join(t.TempDir(), "full.book")
	if err := b.BackupFile(full); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if err := Verify(full); err != nil {
		t.Fatalf("the whole backup was refused: %v", err)
	}
	raw, _ := os.ReadFile(full)
	for _, frac := range []int{1, 10, 25, 50, 75, 90, 99} {
		cut := filepath.Join(t.TempDir(), "cut.book")
		n := len(raw) * frac / 100
		n -= n % 4096
		os.WriteFile(cut, raw[:n], 0o600)
		if err := Verify(cut); err == nil {
			t.Errorf("cut at %d%% (%d of %d bytes) passed", frac, n, len(raw))
		}
	}
}

func TestOpeningATornBookSaysRestoreInsteadOfCrashing(t *testing.T) {
	b, p := openTemp(t)
	b.Update(func(tx *Tx) error {
		for i := 0; i < 20000; i++ {
			tx.Bucket("items").PutJSON(SeqKey(uint64(i)), map[string]int{"n": i})
		}
		return nil
	})
	b.Close()
	raw, _ := os.ReadFile(p)
	os.WriteFile(p, raw[:len(raw)/2/4096*4096], 0o600)
	_, err := Open(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), "vitaran restore") {
		t.Fatalf("got %v", err)
	}
}
