// Package demo writes a deterministic, realistic distributor book: a
// Bengaluru distributor of a dozen FMCG brands, its SKUs, outlets, beats and
// salesmen. The same size and seed always give the same book, so benchmarks
// and screenshots are comparable run to run.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// Size is how big a demo book is.
type Size struct {
	Name     string
	SKUs     int
	Outlets  int
	Beats    int
	Salesmen int
}

// Sizes are the named demo sizes; "large" is DESIGN.md's reference data set.
var Sizes = map[string]Size{
	"small": {Name: "small", SKUs: 60, Outlets: 80, Beats: 6, Salesmen: 3},
	"large": {Name: "large", SKUs: 3000, Outlets: 5000, Beats: 120, Salesmen: 20},
}

type brand struct {
	name, code string
	lines      []line
}

type line struct {
	category, hsn string
	rateBP        money.BP
	products      []string
	packs         []pack
}

type pack struct {
	label    string
	mrp      money.Paise
	caseSize int64
}

var brands = []brand{
	{"Britannia", "BRT", []line{
		{"Biscuits/Cookies", "19053100", 500, []string{"Good Day Cashew", "Good Day Butter", "Nutri Choice Digestive", "Marie Gold", "Milk Bikis"}, []pack{{"75g", 1000, 48}, {"200g", 4000, 24}, {"600g", 11000, 12}}},
		{"Biscuits/Cream", "19053100", 500, []string{"Bourbon", "Treat Jim Jam", "Pure Magic"}, []pack{{"100g", 2000, 36}, {"300g", 5500, 12}}},
		{"Dairy/Cheese", "04061000", 500, []string{"Cheese Slices", "Cheese Cubes"}, []pack{{"200g", 14500, 20}}},
	}},
	{"Parle", "PRL", []line{
		{"Biscuits/Glucose", "19053100", 500, []string{"Parle-G", "Krackjack", "Monaco", "Hide & Seek"}, []pack{{"50g", 500, 96}, {"250g", 2500, 24}, {"800g", 8000, 12}}},
		{"Confectionery/Candy", "17049020", 500, []string{"Kismi Toffee", "Melody", "Mango Bite"}, []pack{{"pouch 100", 10000, 24}}},
	}},
	{"Sunfeast", "ITC", []line{
		{"Biscuits/Cookies", "19053100", 500, []string{"Dark Fantasy", "Mom's Magic", "Marie Light"}, []pack{{"75g", 1000, 48}, {"150g", 3000, 24}}},
		{"Foods/Noodles", "19023010", 500, []string{"Yippee Magic Masala", "Yippee Mood Masala"}, []pack{{"70g", 1400, 96}, {"280g", 5600, 24}}},
	}},
	{"HUL", "HUL", []line{
		{"Personal Care/Soap", "34011190", 500, []string{"Lux Soft Touch", "Lifebuoy Total", "Dove Cream Beauty", "Pears Pure"}, []pack{{"100g", 3800, 72}, {"3x100g", 11000, 24}}},
		{"Home Care/Detergent", "34022010", 1800, []string{"Surf Excel Easy Wash", "Rin Advanced", "Wheel Active"}, []pack{{"500g", 7500, 24}, {"1kg", 14500, 12}}},
		{"Personal Care/Shampoo", "33051090", 1800, []string{"Clinic Plus", "Sunsilk Black Shine", "Dove Hair Fall"}, []pack{{"80ml", 7500, 48}, {"340ml", 26000, 12}}},
	}},
	{"Colgate", "CLG", []line{
		{"Oral Care/Toothpaste", "33061020", 500, []string{"Strong Teeth", "MaxFresh", "Visible White"}, []pack{{"100g", 6500, 48}, {"200g", 12000, 24}}},
		{"Oral Care/Toothbrush", "96032100", 500, []string{"Zig Zag", "Slim Soft"}, []pack{{"single", 4000, 72}, {"pack of 4", 14000, 24}}},
	}},
	{"Dabur", "DBR", []line{
		{"Personal Care/Hair Oil", "33059011", 500, []string{"Amla Hair Oil", "Vatika Coconut Oil"}, []pack{{"90ml", 4500, 48}, {"275ml", 13500, 24}}},
		{"Foods/Honey", "04090000", 500, []string{"Dabur Honey"}, []pack{{"250g", 12500, 24}, {"500g", 23000, 12}}},
		{"Health/Chyawanprash", "30049011", 500, []string{"Chyawanprash"}, []pack{{"500g", 24500, 12}}},
	}},
	{"Nestle", "NES", []line{
		{"Foods/Noodles", "19023010", 500, []string{"Maggi Masala", "Maggi Atta"}, []pack{{"70g", 1400, 96}, {"280g", 5600, 24}, {"560g", 10800, 12}}},
		{"Beverages/Coffee", "21011110", 500, []string{"Nescafe Classic", "Nescafe Sunrise"}, []pack{{"50g", 18500, 24}, {"100g", 34000, 12}}},
		{"Confectionery/Chocolate", "18069010", 500, []string{"KitKat", "Munch"}, []pack{{"single", 2000, 48}}},
	}},
	{"Marico", "MRC", []line{
		{"Personal Care/Hair Oil", "15131900", 500, []string{"Parachute Coconut Oil", "Nihar Naturals"}, []pack{{"100ml", 4800, 48}, {"500ml", 21000, 12}}},
		{"Foods/Oats", "11041200", 500, []string{"Saffola Oats"}, []pack{{"400g", 9900, 24}, {"1kg", 21500, 12}}},
	}},
	{"Godrej", "GCP", []line{
		{"Personal Care/Soap", "34011190", 500, []string{"Cinthol Original", "Godrej No.1"}, []pack{{"100g", 3500, 72}, {"4x100g", 12500, 18}}},
		{"Home Care/Insecticide", "38089199", 1800, []string{"Good Knight Gold Flash", "HIT Spray"}, []pack{{"refill", 9500, 48}, {"400ml", 24000, 12}}},
	}},
	{"Wipro", "WPR", []line{
		{"Personal Care/Soap", "34011190", 500, []string{"Santoor Sandal", "Santoor White"}, []pack{{"100g", 4000, 72}, {"4x100g", 14500, 18}}},
	}},
	{"Emami", "EMM", []line{
		{"Personal Care/Cream", "33049910", 500, []string{"Boroplus Antiseptic", "Fair and Handsome"}, []pack{{"40ml", 8500, 48}, {"80ml", 15500, 24}}},
		{"Health/Balm", "30049011", 500, []string{"Zandu Balm", "Navratna Oil"}, []pack{{"small", 4500, 72}, {"large", 17500, 24}}},
	}},
	{"Coca-Cola", "CCI", []line{
		{"Beverages/Aerated", "22021010", 4000, []string{"Coca-Cola", "Thums Up", "Sprite", "Fanta"}, []pack{{"250ml", 2000, 24}, {"750ml", 4000, 24}, {"2L", 9500, 9}}},
		{"Beverages/Juice", "22029920", 500, []string{"Maaza"}, []pack{{"600ml", 4000, 24}}},
	}},
}

// Company is the demo distributor.
func Company() masters.Company {
	g := "29AAXFS1234K1Z"
	return masters.Company{Name: "Sri Vijaya Distributors", Address: "No. 14, 2nd Cross, KR Market, Bengaluru 560002",
		GSTIN: g + string(gst.CheckChar(g)), StateCode: "29", FYStartMonth: 4, Code: "DB-KA-0142", InvoicePrefix: "SI",
		Phone: "080 2670 1142", CreditCheck: "warn", NearExpiryDays: 60, OverstockDays: 45, TallyMode: "invoice"}
}

var areas = []string{"Jayanagar", "Basavanagudi", "Malleshwaram", "Rajajinagar", "Indiranagar", "Koramangala", "BTM Layout", "HSR Layout",
	"Whitefield", "Yelahanka", "Hebbal", "Banashankari", "Vijayanagar", "Marathahalli", "Electronic City", "JP Nagar", "Chamrajpet",
	"Shivajinagar", "Frazer Town", "RT Nagar", "Peenya", "Yeshwanthpur", "Kengeri", "Hosur Road"}

var shopWords = []string{"Sri Lakshmi", "Sri Venkateshwara", "Ganesh", "Balaji", "Manjunatha", "Annapoorna", "Sai", "Durga", "Raghavendra",
	"Krishna", "New", "Om", "Vinayaka", "Sri Ram", "Maruthi", "Chamundeshwari", "Ayyappa", "Anand", "Royal", "Fresh"}
var shopKinds = []string{"Stores", "Provision Stores", "General Stores", "Super Market", "Medicals", "Traders", "Mart", "Bakery", "Kirana"}

var people = []string{"Ramesh Kumar", "Suresh Gowda", "Mahesh Rao", "Prakash N", "Ravi Shankar", "Kiran Kumar", "Naveen S", "Manjunath B",
	"Santosh Patil", "Venkatesh R", "Harish M", "Raghu K", "Anil Kumar", "Srinivas T", "Girish H", "Deepak J", "Mohan Das", "Vinay P", "Ashok L", "Chetan D"}

// Masters writes the company, beats, salesmen, items and outlets of the
// given size into b. It is deterministic for a seed.
func Masters(b *book.Book, size Size, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 42))
	actor := book.Actor{User: "demo", Role: "admin", From: "demo"}
	return b.UpdateAs(actor, func(tx *book.Tx) error {
		if masters.CompanyReady(tx) {
			return fmt.Errorf("the book already has a company: demo writes only into an empty book")
		}
		if err := masters.EnsureDefaults(tx); err != nil {
			return err
		}
		if _, err := masters.PutCompany(tx, Company()); err != nil {
			return err
		}
		if _, err := masters.CreateGodown(tx, masters.Godown{Code: "VAN1", Name: "Van 1 (KA-05-AB-1234)"}); err != nil {
			return err
		}
		for i := 0; i < size.Salesmen; i++ {
			s := masters.Salesman{Code: fmt.Sprintf("DSR%02d", i+1), Name: people[i%len(people)], Phone: fmt.Sprintf("98450%05d", 10000+i*137), Active: true}
			if _, err := masters.CreateSalesman(tx, s); err != nil {
				return err
			}
		}
		days := []string{"MON", "TUE", "WED", "THU", "FRI", "SAT"}
		for i := 0; i < size.Beats; i++ {
			d := days[i%len(days)]
			bt := masters.Beat{Code: fmt.Sprintf("BEAT-%s-%02d", d, i/len(days)+1), Name: areas[i%len(areas)] + fmt.Sprintf(" %d", i/len(areas)+1), Weekday: d}
			if _, err := masters.CreateBeat(tx, bt); err != nil {
				return err
			}
		}
		if err := demoItems(tx, size, r); err != nil {
			return err
		}
		return demoOutlets(tx, size, r)
	})
}

func demoItems(tx *book.Tx, size Size, r *rand.Rand) error {
	// Walk brand × line × product × pack round-robin, adding variants until
	// the size is reached, so small books still span every brand.
	type base struct {
		b brand
		l line
		p string
		k pack
	}
	var bases []base
	for _, b := range brands {
		for _, l := range b.lines {
			for _, p := range l.products {
				for _, k := range l.packs {
					bases = append(bases, base{b, l, p, k})
				}
			}
		}
	}
	variants := []string{"", "Promo Pack", "Value Pack", "Festive", "Rs. Offer", "New Look", "Combo", "Family"}
	for i := 0; i < size.SKUs; i++ {
		x := bases[(i*7919)%len(bases)]
		v := variants[(i/len(bases))%len(variants)]
		name := x.p + " " + x.k.label
		if v != "" {
			name += " " + v
		}
		if i >= len(bases)*len(variants) {
			name += fmt.Sprintf(" #%d", i/(len(bases)*len(variants))+1)
		}
		mrp := x.k.mrp + money.Paise(r.IntN(3))*100*money.Paise(i/len(bases)%3)
		// Distributors buy at ~78 % of MRP less tax and sell at ~86 %.
		price := money.Paise(int64(mrp) * 10000 / (10000 + int64(x.l.rateBP)) * 86 / 100)
		it := masters.Item{Code: fmt.Sprintf("%s%04d", x.b.code, i+1), BrandCode: fmt.Sprintf("%s-%06d", x.b.code, 100000+i*13),
			Name: name, Brand: x.b.name, Category: x.l.category, HSN: x.l.hsn, MRPPaise: mrp, CaseSize: x.k.caseSize, PricePaise: price,
			Active: true, Unit: "PCS",
			GSTRates: rateHistory(x.l.rateBP)}
		if _, err := masters.CreateItem(tx, it, cal.Today()); err != nil {
			return fmt.Errorf("demo item %s: %w", it.Code, err)
		}
	}
	return nil
}

// rateHistory gives goods GST 2.0 moved to 5 % their old 18 % before 22-09-2025.
func rateHistory(now money.BP) []masters.RateFrom {
	switch now {
	case 500:
		return []masters.RateFrom{{From: masters.GSTStart, RateBP: 1800}, {From: "2025-09-22", RateBP: 500}}
	case 4000:
		return []masters.RateFrom{{From: masters.GSTStart, RateBP: 2800}, {From: "2025-09-22", RateBP: 4000}}
	}
	return []masters.RateFrom{{From: masters.GSTStart, RateBP: now}}
}

func demoOutlets(tx *book.Tx, size Size, r *rand.Rand) error {
	beats, err := masters.ListBeats(tx, "")
	if err != nil {
		return err
	}
	channels := []string{"grocery", "grocery", "grocery", "grocery", "chemist", "modern_trade", "wholesale", "cosmetics", "paan", "horeca"}
	for i := 0; i < size.Outlets; i++ {
		bt := beats[i%len(beats)]
		name := shopWords[r.IntN(len(shopWords))] + " " + shopKinds[r.IntN(len(shopKinds))]
		o := masters.Outlet{Code: fmt.Sprintf("OUT%05d", i+1), Name: name,
			Address:   fmt.Sprintf("%d, %s Main Road, %s, Bengaluru", 1+r.IntN(400), ordinal(1+r.IntN(12)), strings.TrimRight(bt.Name, " 0123456789")),
			StateCode: "29", Channel: channels[r.IntN(len(channels))], Beat: bt.Code,
			Salesman: fmt.Sprintf("DSR%02d", i%size.Salesmen+1), Phone: fmt.Sprintf("99860%05d", r.IntN(100000)),
			CreditLimitPaise: money.Rupees(int64(10000 * (1 + r.IntN(10)))), CreditDays: []int{7, 14, 21, 30}[r.IntN(4)], Active: true}
		switch {
		case i%11 == 0: // a few buyers across the border in Tamil Nadu
			o.StateCode = "33"
			o.GSTIN = gstin("33", i)
			o.Address = fmt.Sprintf("%d, Bazaar Street, Hosur, Tamil Nadu", 1+r.IntN(200))
		case i%3 != 0:
			o.GSTIN = gstin("29", i)
		}
		if _, err := masters.CreateOutlet(tx, o); err != nil {
			return fmt.Errorf("demo outlet %s: %w", o.Code, err)
		}
	}
	return nil
}

// gstin makes a valid GSTIN for demo outlet i in a state.
func gstin(state string, i int) string {
	letters := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	pan := fmt.Sprintf("%c%c%cP%c%04d%c", letters[i%26], letters[(i/26)%26], letters[(i/676)%26], letters[(i*7)%26], i%10000, letters[(i*3)%26])
	first := state + pan + "1Z"
	return first + string(gst.CheckChar(first))
}

func ordinal(n int) string {
	suf := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suf = "st"
	case n%10 == 2:
		suf = "nd"
	case n%10 == 3:
		suf = "rd"
	}
	return fmt.Sprintf("%d%s", n, suf)
}
