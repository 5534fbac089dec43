package masters

import (
	"strings"
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
		if _, err := PutChannel(tx, Channel{Code: "grocery", Synonyms: []string{"kirana", "general store", "general stores", "provision store", "provisions", "Departmental"}}); err != nil {
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

// A built-in channel's own synonyms can be taken away: "pan" off paan frees
// it for the distributor's own pan-masala channel; the audit names what was
// removed; a book written before (additions only) still reads its built-in
// synonyms; putting a removed one back undoes it.
func TestABuiltInChannelsSynonymsCanBeRemoved(t *testing.T) {
	b := testBook(t)
	err := b.Update(func(tx *book.Tx) error {
		got, err := PutChannel(tx, Channel{Code: "paan", Name: "Paan shop", Synonyms: []string{"paan shop", "Beeda"}})
		if err != nil {
			t.Fatal(err)
		}
		if !got.BuiltIn || strings.Join(got.Synonyms, ",") != "paan shop,Beeda" || strings.Join(got.Removed, ",") != "pan,pan shop" {
			t.Errorf("after removing: %+v", got)
		}
		if c, ok := ResolveChannel(tx, "pan"); ok {
			t.Errorf("a removed synonym still means %s", c)
		}
		if c, _ := ResolveChannel(tx, "paan"); c != "paan" {
			t.Errorf("the code itself always means the channel: %q", c)
		}
		if _, err := PutChannel(tx, Channel{Code: "pan_masala", Synonyms: []string{"pan"}}); err != nil {
			t.Errorf("a freed synonym given to another channel: %v", err)
		}
		if c, _ := ResolveChannel(tx, "PAN"); c != "pan_masala" {
			t.Errorf("pan means %q", c)
		}
		var note string
		log, err := tx.AuditLog(0, 100, func(e *book.AuditEntry) bool { return e.Kind == "channel" && e.Key == "paan" })
		if err != nil || len(log) != 1 {
			t.Fatalf("audit of paan: %d entries, %v", len(log), err)
		}
		note = log[0].Action + ": " + log[0].Note
		if !strings.Contains(string(log[0].Before), `"pan shop"`) || strings.Contains(string(log[0].After), `"synonyms":["pan"`) {
			t.Errorf("audit before %s after %s", log[0].Before, log[0].After)
		}
		if note != "update: synonyms added: Beeda; synonyms removed: pan, pan shop" {
			t.Errorf("audit %q", note)
		}
		// A book written before removal existed: the record holds additions only.
		if err := putChannelRecord(tx, Channel{Code: "chemist", Name: "Chemist", Synonyms: []string{"Medical hall"}}); err != nil {
			t.Fatal(err)
		}
		if c, _ := ResolveChannel(tx, "pharmacy"); c != "chemist" {
			t.Errorf("an old record lost the built-in synonyms: %q", c)
		}
		if c, _ := ResolveChannel(tx, "medical hall"); c != "chemist" {
			t.Errorf("an old record's addition: %q", c)
		}
		back, err := PutChannel(tx, Channel{Code: "paan", Synonyms: []string{"paan shop", "Beeda", "pan shop"}})
		if err != nil || strings.Join(back.Removed, ",") != "pan" {
			t.Errorf("put back: %+v %v", back, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
