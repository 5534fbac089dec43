package gst

import (
	"fmt"
	"strings"
)

// pinRanges are, per GST state code, the ranges of the first three digits of
// the PIN codes India Post allots to the state (inclusive). Source: India
// Post's PIN allotment by postal circle, as tabulated in "Postal Index
// Number" (Wikipedia, "PIN code ranges by state/UT"); the NIC e-invoice and
// e-way bill portals refuse a PIN outside its state with the same table.
// Where circles overlap (Bihar and Jharkhand, Gujarat and Daman) both states
// accept the shared prefixes.
var pinRanges = map[string][][2]int{
	"01": {{180, 194}}, "02": {{171, 177}}, "03": {{140, 160}}, "04": {{160, 160}},
	"05": {{244, 249}, {262, 263}}, "06": {{121, 136}}, "07": {{110, 110}}, "08": {{301, 345}},
	"09": {{201, 285}}, "10": {{800, 855}}, "11": {{737, 737}}, "12": {{790, 792}},
	"13": {{797, 798}}, "14": {{795, 795}}, "15": {{796, 796}}, "16": {{799, 799}},
	"17": {{793, 794}}, "18": {{781, 788}}, "19": {{700, 743}}, "20": {{813, 835}},
	"21": {{751, 770}}, "22": {{490, 497}}, "23": {{450, 488}}, "24": {{360, 396}},
	"26": {{362, 362}, {396, 396}}, "27": {{400, 445}}, "29": {{560, 591}}, "30": {{403, 403}},
	"31": {{682, 682}}, "32": {{670, 695}}, "33": {{600, 643}},
	"34": {{533, 533}, {605, 605}, {609, 609}, {673, 673}}, "35": {{744, 744}},
	"36": {{500, 509}}, "37": {{515, 535}}, "38": {{194, 194}},
}

// ValidatePIN checks a PIN code: six digits, not starting with 0, and within
// the PIN ranges of the state (when the state has known ranges).
func ValidatePIN(pin, state string) error {
	pin = strings.TrimSpace(pin)
	if len(pin) != 6 {
		return fmt.Errorf("PIN %q: must be 6 digits", pin)
	}
	for i := 0; i < 6; i++ {
		if pin[i] < '0' || pin[i] > '9' {
			return fmt.Errorf("PIN %q: must be digits only", pin)
		}
	}
	if pin[0] == '0' {
		return fmt.Errorf("PIN %s: no Indian PIN starts with 0", pin)
	}
	ranges, ok := pinRanges[state]
	if !ok {
		return nil
	}
	p := int(pin[0]-'0')*100 + int(pin[1]-'0')*10 + int(pin[2]-'0')
	for _, r := range ranges {
		if p >= r[0] && p <= r[1] {
			return nil
		}
	}
	var want []string
	for _, r := range ranges {
		if r[0] == r[1] {
			want = append(want, fmt.Sprintf("%d", r[0]))
		} else {
			want = append(want, fmt.Sprintf("%d–%d", r[0], r[1]))
		}
	}
	return fmt.Errorf("PIN %s is not in %s (%s): its PINs start with %s", pin, StateName(state), state, strings.Join(want, " or "))
}
