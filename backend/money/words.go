package money

import "strings"

var ones = []string{"", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
	"Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
var tens = []string{"", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"}

// twoDigits writes 1–99 in words: "Thirty-One".
func twoDigits(n int64) string {
	if n < 20 {
		return ones[n]
	}
	if n%10 == 0 {
		return tens[n/10]
	}
	return tens[n/10] + "-" + ones[n%10]
}

// threeDigits writes 1–999 in words.
func threeDigits(n int64) string {
	var parts []string
	if n >= 100 {
		parts = append(parts, ones[n/100]+" Hundred")
		n %= 100
	}
	if n > 0 {
		parts = append(parts, twoDigits(n))
	}
	return strings.Join(parts, " ")
}

// indianWords writes a whole number in the Indian system: crore, lakh, thousand.
func indianWords(n int64) string {
	if n == 0 {
		return "Zero"
	}
	var parts []string
	if n >= 1_00_00_000 {
		parts = append(parts, indianWords(n/1_00_00_000)+" Crore")
		n %= 1_00_00_000
	}
	if n >= 1_00_000 {
		parts = append(parts, twoDigits(n/1_00_000)+" Lakh")
		n %= 1_00_000
	}
	if n >= 1000 {
		parts = append(parts, twoDigits(n/1000)+" Thousand")
		n %= 1000
	}
	if n > 0 {
		parts = append(parts, threeDigits(n))
	}
	return strings.Join(parts, " ")
}

// Words writes the amount as an Indian tax invoice prints it:
// 153100 paise is "Rupees One Thousand Five Hundred Thirty-One Only";
// paise, when present, follow: "Rupees Ten and Fifty Paise Only".
func (p Paise) Words() string {
	v := int64(p)
	prefix := "Rupees "
	if v < 0 {
		prefix = "Minus Rupees "
		v = -v
	}
	s := prefix + indianWords(v/100)
	if v%100 != 0 {
		s += " and " + twoDigits(v%100) + " Paise"
	}
	return s + " Only"
}
