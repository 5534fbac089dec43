package tallybridge

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// RepairKind names one thing the sanitiser had to fix in a Tally reply.
type RepairKind string

const (
	RepairBOM          RepairKind = "byte-order mark dropped"
	RepairEncoding     RepairKind = "text re-encoded to UTF-8"
	RepairDeclaration  RepairKind = "encoding declaration corrected"
	RepairControlChar  RepairKind = "control character removed"
	RepairControlRef   RepairKind = "control character reference removed"
	RepairBareAmp      RepairKind = "bare & escaped"
	RepairInvalidUTF8  RepairKind = "invalid UTF-8 byte read as windows-1252"
	RepairUnknownChars RepairKind = "undefined windows-1252 byte removed"
)

// Repair says what was fixed, how often, and where it was first seen: a byte
// offset in the decoded (UTF-8) text, before repairs.
type Repair struct {
	Kind   RepairKind
	Detail string // e.g. the encoding detected
	Count  int
	Offset int64
}

func (r Repair) String() string {
	s := fmt.Sprintf("%s ×%d (first at byte %d)", r.Kind, r.Count, r.Offset)
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	return s
}

// Sanitiser is a reader that turns a Tally reply into well-formed UTF-8 XML
// that encoding/xml (and so etree) accepts, streaming: it holds at most a
// few dozen bytes beyond its buffers, whatever the reply's size.
//
// It detects the encoding from the bytes (BOM; zero bytes at odd offsets →
// UTF-16LE, at even offsets → UTF-16BE; strict UTF-8; else windows-1252),
// drops the BOM, removes C0 controls other than tab/LF/CR and U+007F–U+009F
// whether raw or written as numeric references (Tally's "&#4; " prefix),
// escapes a bare & and corrects the encoding declaration. Each repair is
// recorded; Repairs lists them.
type Sanitiser struct {
	src      io.Reader
	fallback bool // undecodable UTF-8 bytes are read as windows-1252
	encoding string

	buf    []byte // read buffer, reused
	in     []byte // decoded bytes not yet processed
	out    []byte // processed bytes not yet returned
	inPos  int64  // offset of in[0] in the decoded text
	eof    bool
	err    error
	inDecl bool // still at the very start: the declaration may need fixing

	repairs []Repair
}

const sanChunk = 32 << 10

// NewSanitiser wraps a reply. It peeks at up to 4 KB to choose the encoding.
func NewSanitiser(r io.Reader) *Sanitiser {
	s := &Sanitiser{inDecl: true}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && len(head) == 0 {
		s.err = err
	}
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		s.encoding = "UTF-8"
		s.fallback = true
		s.note(RepairBOM, "UTF-8", 0)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		_, _ = br.Discard(2)
		s.encoding = "UTF-16LE"
		s.note(RepairBOM, "UTF-16LE", 0)
		src = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder().Reader(br)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		_, _ = br.Discard(2)
		s.encoding = "UTF-16BE"
		s.note(RepairBOM, "UTF-16BE", 0)
		src = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder().Reader(br)
	default:
		odd, even := zeroBytes(head)
		switch {
		case odd > 0 && even == 0:
			s.encoding = "UTF-16LE"
			src = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder().Reader(br)
		case even > 0 && odd == 0 && len(head) > 1:
			s.encoding = "UTF-16BE"
			src = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder().Reader(br)
		case validUTF8Prefix(head):
			s.encoding = "UTF-8"
			s.fallback = true
		default:
			s.encoding = "windows-1252"
			src = charmap.Windows1252.NewDecoder().Reader(br)
		}
	}
	if s.encoding != "UTF-8" {
		s.note(RepairEncoding, "from "+s.encoding, 0)
	}
	s.src = src
	return s
}

// Sanitise runs a whole reply through the sanitiser.
func Sanitise(b []byte) ([]byte, []Repair, error) {
	s := NewSanitiser(bytes.NewReader(b))
	out, err := io.ReadAll(s)
	return out, s.Repairs(), err
}

// Encoding is the encoding detected from the reply's first bytes.
func (s *Sanitiser) Encoding() string { return s.encoding }

// Repairs lists what was fixed so far, in the order first met.
func (s *Sanitiser) Repairs() []Repair {
	out := make([]Repair, len(s.repairs))
	copy(out, s.repairs)
	return out
}

func (s *Sanitiser) note(k RepairKind, detail string, off int64) {
	for i := range s.repairs {
		if s.repairs[i].Kind == k {
			s.repairs[i].Count++
			return
		}
	}
	s.repairs = append(s.repairs, Repair{Kind: k, Detail: detail, Count: 1, Offset: off})
}

func zeroBytes(b []byte) (odd, even int) {
	for i, c := range b {
		if c == 0 {
			if i%2 == 1 {
				odd++
			} else {
				even++
			}
		}
	}
	return
}

// validUTF8Prefix is utf8.Valid, forgiving a rune cut off by the peek.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return !utf8.FullRune(b[i:]) && len(b) >= 4096
		}
		i += n
	}
	return true
}

func (s *Sanitiser) Read(p []byte) (int, error) {
	for len(s.out) == 0 {
		if s.eof {
			if s.err != nil {
				return 0, s.err
			}
			return 0, io.EOF
		}
		if s.err == nil {
			if s.buf == nil {
				s.buf = make([]byte, sanChunk)
			}
			n, err := s.src.Read(s.buf)
			s.in = append(s.in, s.buf[:n]...)
			if err == io.EOF {
				s.eof = true
			} else if err != nil {
				s.err = fmt.Errorf("read tally reply: %w", err)
				s.eof = true
			}
		} else {
			s.eof = true
		}
		s.process(s.eof)
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	if len(s.out) == 0 {
		s.out = s.out[:0:0]
	}
	return n, nil
}

// process moves what it can from in to out; unless final, it keeps back a
// tail that may be an unfinished reference or rune.
func (s *Sanitiser) process(final bool) {
	in := s.in
	if s.inDecl {
		if !s.fixDeclaration(final) {
			return
		}
		in = s.in
	}
	i := 0
	for i < len(in) {
		c := in[i]
		switch {
		case c == '&':
			n, ok := s.reference(in[i:], s.inPos+int64(i), final)
			if !ok {
				goto keep
			}
			i += n
			continue
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7F:
			s.note(RepairControlChar, "", s.inPos+int64(i))
			i++
			continue
		case c < 0x80:
			j := i + 1
			for j < len(in) && in[j] >= 0x20 && in[j] < 0x7F && in[j] != '&' {
				j++
			}
			s.out = append(s.out, in[i:j]...)
			i = j
			continue
		}
		r, size := utf8.DecodeRune(in[i:])
		if r == utf8.RuneError && size <= 1 {
			if !final && !utf8.FullRune(in[i:]) {
				goto keep
			}
			r = charmap.Windows1252.DecodeByte(c)
			if r >= 0x80 && r <= 0x9F { // undefined in windows-1252
				s.note(RepairUnknownChars, "", s.inPos+int64(i))
			} else {
				s.note(RepairInvalidUTF8, "", s.inPos+int64(i))
				s.out = utf8.AppendRune(s.out, r)
			}
			i++
			continue
		}
		if r >= 0x80 && r <= 0x9F || !xmlChar(r) { // C1 controls, U+FFFE, U+FFFF
			s.note(RepairControlChar, "", s.inPos+int64(i))
		} else {
			s.out = append(s.out, in[i:i+size]...)
		}
		i += size
	}
keep:
	rest := copy(s.in, in[i:])
	s.in = s.in[:rest]
	s.inPos += int64(i)
	if final && len(s.in) > 0 { // cannot happen: final consumes all
		s.out = append(s.out, s.in...)
		s.in = s.in[:0]
	}
}

// reference handles an & at the start of b: a well-formed reference to a
// control character is dropped, a bare & is escaped, anything else kept.
// It reports false when b may be a reference cut off by the buffer.
func (s *Sanitiser) reference(b []byte, off int64, final bool) (int, bool) {
	const maxRef = 40
	end := -1
	for j := 1; j < len(b) && j <= maxRef; j++ {
		c := b[j]
		if c == ';' {
			end = j
			break
		}
		if !(c == '#' && j == 1) && !isNameByte(c) {
			break
		}
	}
	if end < 0 {
		if !final && len(b) <= maxRef && allNameBytes(b[1:]) {
			return 0, false
		}
		s.note(RepairBareAmp, "", off)
		s.out = append(s.out, "&amp;"...)
		return 1, true
	}
	body := string(b[1:end])
	if strings.HasPrefix(body, "#") {
		r, ok := parseCharRef(body[1:])
		switch {
		case !ok:
			s.note(RepairBareAmp, "", off)
			s.out = append(s.out, "&amp;"...)
			return 1, true
		case !xmlChar(r) || (r >= 0x7F && r <= 0x9F):
			s.note(RepairControlRef, "", off)
			return end + 1, true
		}
		s.out = append(s.out, b[:end+1]...)
		return end + 1, true
	}
	switch body {
	case "amp", "lt", "gt", "quot", "apos":
		s.out = append(s.out, b[:end+1]...)
		return end + 1, true
	}
	// an entity XML does not define: the & was meant literally
	s.note(RepairBareAmp, "", off)
	s.out = append(s.out, "&amp;"...)
	return 1, true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '#'
}

func allNameBytes(b []byte) bool {
	for _, c := range b {
		if !isNameByte(c) {
			return false
		}
	}
	return true
}

func parseCharRef(s string) (rune, bool) {
	base := 10
	if strings.HasPrefix(s, "x") || strings.HasPrefix(s, "X") {
		base, s = 16, s[1:]
	}
	if s == "" || len(s) > 8 {
		return 0, false
	}
	var v rune
	for _, c := range s {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case base == 16 && c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v*rune(base) + d
	}
	return v, true
}

// xmlChar is XML 1.0's Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// fixDeclaration rewrites an encoding declaration that no longer tells the
// truth (the text is UTF-8 now). It reports false to wait for more bytes.
func (s *Sanitiser) fixDeclaration(final bool) bool {
	b := s.in
	if len(b) < 5 && !final && bytes.HasPrefix([]byte("<?xml"), b) {
		return false
	}
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		s.inDecl = false
		return true
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		if !final && len(b) < 1024 {
			return false
		}
		s.inDecl = false
		return true
	}
	s.inDecl = false
	decl := string(b[:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return true
	}
	rest := decl[i+len("encoding"):]
	eq := strings.IndexAny(rest, "\"'")
	if eq < 0 {
		return true
	}
	q := rest[eq]
	close := strings.IndexByte(rest[eq+1:], q)
	if close < 0 {
		return true
	}
	name := rest[eq+1 : eq+1+close]
	if strings.EqualFold(name, "UTF-8") {
		return true
	}
	fixed := decl[:i] + `encoding="UTF-8"` + rest[eq+1+close+1:]
	s.note(RepairDeclaration, name+" → UTF-8", 0)
	// the corrected declaration goes back in front, to be repaired like the rest
	s.in = append([]byte(fixed), b[end:]...)
	s.inPos -= int64(len(fixed) - end)
	return true
}
