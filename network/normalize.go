// Package network extracts a candidate's organisations from the
// questionnaire answers, normalises organisation names so that one
// organisation matches across candidates, finds the organisations that
// candidates of one party share (the "netwerkkaart") and builds a plain map
// model for rendering. Everything here is pure: no I/O, no database.
package network

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key holds the match keys of an organisation. KvK is the 8-digit
// Chamber of Commerce number ("" when absent or invalid); Name is the
// normalised name.
type Key struct {
	KvK  string `json:"kvk,omitempty"`
	Name string `json:"name"`
}

// Matches reports whether two keys denote the same organisation. The KvK
// number wins: two keys with a KvK number match exactly when the numbers
// are equal, whatever the names. When either lacks a KvK number the
// normalised names decide. An empty name matches nothing.
func (k Key) Matches(o Key) bool {
	if k.KvK != "" && o.KvK != "" {
		return k.KvK == o.KvK
	}
	return k.Name != "" && k.Name == o.Name
}

// IsZero reports whether the key has neither a KvK number nor a name.
func (k Key) IsZero() bool { return k.KvK == "" && k.Name == "" }

// Strings returns the keys in their textual form: "kvk:NNNNNNNN" when a
// KvK number is known, and "naam:<normalised name>" when a name is known.
func (k Key) Strings() []string {
	out := make([]string, 0, 2)
	if k.KvK != "" {
		out = append(out, "kvk:"+k.KvK)
	}
	if k.Name != "" {
		out = append(out, "naam:"+k.Name)
	}
	return out
}

// String returns the strongest key: "kvk:…" when known, else "naam:…".
func (k Key) String() string {
	if k.KvK != "" {
		return "kvk:" + k.KvK
	}
	if k.Name != "" {
		return "naam:" + k.Name
	}
	return ""
}

// Normalize returns the match keys of an organisation.
//
// KvK: spaces, dots and hyphens are removed; what remains must be exactly
// 8 ASCII digits (and not all zeros), otherwise the number is ignored and
// the name decides. A 12-digit branch number (vestigingsnummer) is not a
// KvK number and is ignored.
//
// Name: lower case; diacritics folded (ö→o, é→e, ß→ss, æ→ae, ĳ→ij);
// apostrophes dropped ('t → t); "&" read as "en"; every other character
// that is not a letter or digit (brackets, commas, hyphens, slashes)
// separates words; a word with dots is an abbreviation ("B.V." → "bv")
// when every part between the dots is one letter, otherwise the dots
// separate words ("St.Jan" → "st jan"); whitespace collapsed. Then the
// legal forms are removed wherever they stand (see legalForms). A name
// that consists of legal forms only keeps them, so a name is never
// reduced to nothing ("Stichting" stays "stichting").
//
// "holding" is deliberately kept: "Jansen Holding B.V." and "Jansen B.V."
// are different legal entities. Articles ("de", "het") are kept too.
func Normalize(name, kvk string) Key {
	return Key{KvK: NormalizeKvK(kvk), Name: NormalizeName(name)}
}

// NormalizeKvK returns the 8-digit KvK number in s, or "".
func NormalizeKvK(s string) string {
	var b [8]byte
	n := 0
	zero := true
	for _, r := range s {
		switch {
		case r == '.' || r == '-' || unicode.IsSpace(r):
			continue
		case r >= '0' && r <= '9':
			if n == len(b) {
				return ""
			}
			b[n] = byte(r)
			n++
			if r != '0' {
				zero = false
			}
		default:
			return ""
		}
	}
	if n != len(b) || zero {
		return ""
	}
	return string(b[:])
}

// legalForms are the Dutch (and Belgian) legal forms removed from names,
// as sequences of normalised words. Longer sequences are tried first.
//
//	stichting, vereniging, cooperatie (coöperatie), cooperatieve
//	vereniging, vzw, bv / b.v., nv / n.v., vof / v.o.f., cv / c.v.,
//	eenmanszaak, ua / u.a., coop ua|wa|ba (coop. u.a.), cooperatie wa|ba,
//	besloten vennootschap, naamloze vennootschap, vennootschap onder firma,
//	commanditaire vennootschap, io / i.o. and "in oprichting".
//
// "coop" alone is kept (it is also a shop name); "wa" and "ba" (w.a.,
// b.a.: the liability forms of a coöperatie) are only removed from a name
// that also has coop, cooperatie or cooperatieve in it.
var legalForms = [][]string{
	{"vennootschap", "onder", "firma"},
	{"besloten", "vennootschap"},
	{"naamloze", "vennootschap"},
	{"commanditaire", "vennootschap"},
	{"cooperatieve", "vereniging"},
	{"in", "oprichting"},
	{"coop", "ua"},
	{"coop", "wa"},
	{"coop", "ba"},
	{"cooperatie", "wa"},
	{"cooperatie", "ba"},
	{"stichting"},
	{"vereniging"},
	{"cooperatie"},
	{"vzw"},
	{"bv"},
	{"nv"},
	{"vof"},
	{"cv"},
	{"eenmanszaak"},
	{"ua"},
	{"io"},
}

// NormalizeName returns the normalised form of an organisation name.
func NormalizeName(name string) string {
	words := nameWords(name)
	if len(words) == 0 {
		return ""
	}
	coop := false
	for _, w := range words {
		if w == "cooperatie" || w == "cooperatieve" || w == "coop" {
			coop = true
		}
	}
	kept := make([]string, 0, len(words))
	for i := 0; i < len(words); {
		if n := legalFormAt(words, i); n > 0 {
			i += n
			continue
		}
		if coop && (words[i] == "wa" || words[i] == "ba") {
			i++
			continue
		}
		kept = append(kept, words[i])
		i++
	}
	if len(kept) == 0 {
		kept = words
	}
	return strings.Join(kept, " ")
}

func legalFormAt(words []string, i int) int {
next:
	for _, f := range legalForms {
		if i+len(f) > len(words) {
			continue
		}
		for j, w := range f {
			if words[i+j] != w {
				continue next
			}
		}
		return len(f)
	}
	return 0
}

// nameWords splits a name into lower-case, folded words.
func nameWords(name string) []string {
	var words []string
	var cur strings.Builder
	hasDot := false
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		w := cur.String()
		cur.Reset()
		if !hasDot {
			words = append(words, w)
			return
		}
		hasDot = false
		words = appendDotted(words, w)
	}
	for _, r := range name {
		switch {
		case r == '.':
			cur.WriteByte('.')
			hasDot = true
		case isApostrophe(r) || unicode.Is(unicode.Mn, r):
			// dropped without splitting: 't, combining accents
		case r == '&':
			flush()
			words = append(words, "en")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if r < utf8.RuneSelf {
				cur.WriteRune(r)
			} else if f, ok := fold[r]; ok {
				cur.WriteString(f)
			} else {
				cur.WriteRune(r)
			}
		default:
			flush()
		}
	}
	flush()
	return words
}

// appendDotted appends a word containing dots: an abbreviation of single
// letters ("b.v.", "u.a", "v.o.f.") is joined, otherwise the dots split.
func appendDotted(words []string, w string) []string {
	parts := strings.Split(w, ".")
	abbr, letters := true, 0
	for _, p := range parts {
		if p == "" {
			continue
		}
		if utf8.RuneCountInString(p) != 1 {
			abbr = false
			break
		}
		letters++
	}
	if abbr && letters > 1 {
		return append(words, strings.Join(parts, ""))
	}
	for _, p := range parts {
		if p != "" {
			words = append(words, p)
		}
	}
	return words
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ':
		return true
	}
	return false
}

// fold maps lower-case letters with diacritics (and ligatures) to ASCII.
var fold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'č': "c", 'ĉ': "c", 'ċ': "c",
	'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ĕ': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ĝ': "g", 'ğ': "g", 'ġ': "g", 'ģ': "g", 'ĥ': "h", 'ħ': "h",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ĩ': "i", 'ī': "i", 'ĭ': "i", 'į': "i", 'ı': "i",
	'ĳ': "ij", 'ĵ': "j", 'ķ': "k",
	'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ŀ': "l", 'ł': "l",
	'ñ': "n", 'ń': "n", 'ņ': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ŏ': "o", 'ő': "o",
	'œ': "oe", 'ŕ': "r", 'ŗ': "r", 'ř': "r",
	'ś': "s", 'ŝ': "s", 'ş': "s", 'š': "s", 'ș': "s", 'ß': "ss",
	'ţ': "t", 'ť': "t", 'ŧ': "t", 'ț': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ũ': "u", 'ū': "u", 'ŭ': "u", 'ů': "u", 'ű': "u", 'ų': "u",
	'ŵ': "w", 'ý': "y", 'ÿ': "y", 'ŷ': "y",
	'ź': "z", 'ż': "z", 'ž': "z",
}
