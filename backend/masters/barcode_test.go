package masters

import (
	"testing"

	"vitaran/backend/book"
)

// An item carries several barcodes; a scan finds its item; a barcode on
// another item is refused naming it; a barcode taken off an item is free again.
func TestBarcodesFindTheirItemAndAreNeverOnTwoItems(t *testing.T) {
	b := testBook(t)
	gd := goodDay()
	gd.Barcodes = []string{" 8901063010031", "8901063010048", "8901063010031", ""}
	err := b.Update(func(tx *book.Tx) error {
		it, err := CreateItem(tx, gd, today)
		if err != nil {
			return err
		}
		if len(it.Barcodes) != 2 {
			t.Errorf("barcodes kept: %q", it.Barcodes)
		}
		for _, bc := range []string{"8901063010031", "8901063010048"} {
			if got := ItemByBarcode(tx, bc); got != "GD200" {
				t.Errorf("%s → %q", bc, got)
			}
		}
		other := goodDay()
		other.Code, other.Barcodes = "GD100", []string{"8901063010099", "8901063010048"}
		_, err = CreateItem(tx, other, today)
		wantField(t, err, "barcodes[1]")
		bad := goodDay()
		bad.Code, bad.Barcodes = "GD50", []string{"89 01"}
		bad.Barcodes = []string{"8901*063"}
		_, err = CreateItem(tx, bad, today)
		wantField(t, err, "barcodes[0]")

		it.Barcodes = []string{"8901063010031"}
		if _, err := UpdateItem(tx, it, today); err != nil {
			return err
		}
		if got := ItemByBarcode(tx, "8901063010048"); got != "" {
			t.Errorf("a removed barcode still finds %q", got)
		}
		other.Code, other.Barcodes = "GD100", []string{"8901063010048"}
		_, err = CreateItem(tx, other, today)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := SplitBarcodes("8901063010031, 8901063010048;ABC-12"); len(got) != 3 || got[2] != "ABC-12" {
		t.Errorf("split: %q", got)
	}
}
