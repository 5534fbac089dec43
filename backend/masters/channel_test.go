package masters

import (
	"testing"

	"vitaran/backend/book"
)

// "Kirana" and "General Stores" are grocery; the distributor's own "Van
// Sales" channel takes his spelling "VS"; an outlet stores the channel's
// code whatever spelling it came with; a synonym cannot mean two channels;
// a channel the list does not know is refused, naming it.
func TestChannelsAreAMasterWithSynonyms(t *testing.T) {
	b := testBook(t)
	err := b.Update(func(tx *book.Tx) error {
		for in, want := range map[string]string{"Kirana": "grocery", "general  stores": "grocery", "Modern Trade": "modern_trade", "MT": "modern_trade"} {
			if got, ok := ResolveChannel(tx, in); !ok || got != want {
				t.Errorf("%q means %q, want %q", in, got, want)
			}
		}
		if _, ok := ResolveChannel(tx, "Van Sales"); ok {
			t.Error("van sales is not a channel yet")
		}
		if _, err := PutChannel(tx, Channel{Code: "Van Sales", Synonyms: []string{"VS", "van"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := ResolveChannel(tx, "vs"); got != "van_sales" {
			t.Errorf("vs means %q", got)
		}
		if _, err := PutChannel(tx, Channel{Code: "grocery", Synonyms: []string{"Departmental"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := ResolveChannel(tx, "departmental"); got != "grocery" {
			t.Errorf("a synonym added to a built-in channel: %q", got)
		}
		if _, err := PutChannel(tx, Channel{Code: "bakery", Synonyms: []string{"kirana"}}); err == nil || err.Error() != `synonyms: "kirana" already means channel grocery` {
			t.Errorf("a synonym meaning two channels: %v", err)
		}
		if _, err := CreateBeat(tx, Beat{Code: "B1", Name: "b", Weekday: "Mon"}); err != nil {
			t.Fatal(err)
		}
		o, err := CreateOutlet(tx, Outlet{Code: "O1", Name: "Van shop", StateCode: "29", Channel: "VS", Beat: "B1", Active: true})
		if err != nil || o.Channel != "van_sales" {
			t.Errorf("outlet channel %q %v", o.Channel, err)
		}
		if _, err := CreateOutlet(tx, Outlet{Code: "O2", Name: "x", StateCode: "29", Channel: "Toy shop", Active: true}); err == nil || err.Error() != `channel: "Toy shop" is not a channel: add it (or it as a synonym) on the Channels list first` {
			t.Errorf("unknown channel: %v", err)
		}
		all, _ := ListChannels(tx)
		if len(all) != 9 {
			t.Errorf("%d channels", len(all))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
