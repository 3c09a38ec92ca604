package jregex

import (
	"sort"
	"strings"
	"sync"
	"unicode"
)

// maxRune is the largest code point.
const maxRune = unicode.MaxRune

// rng is an inclusive range of code points.
type rng struct{ lo, hi rune }

// charset is a normalized (sorted, non-overlapping, non-adjacent) set of
// code points.
type charset []rng

func single(r rune) charset { return charset{{r, r}} }

func span(lo, hi rune) charset { return charset{{lo, hi}} }

// normalize sorts and merges ranges.
func normalize(rs []rng) charset {
	if len(rs) == 0 {
		return nil
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	out := charset{rs[0]}
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.lo <= last.hi+1 {
			if r.hi > last.hi {
				last.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

func (c charset) union(d charset) charset {
	if len(d) == 0 {
		return c
	}
	if len(c) == 0 {
		return d
	}
	all := make([]rng, 0, len(c)+len(d))
	all = append(all, c...)
	all = append(all, d...)
	return normalize(all)
}

func (c charset) negate() charset {
	var out charset
	next := rune(0)
	for _, r := range c {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= maxRune {
		out = append(out, rng{next, maxRune})
	}
	return out
}

func (c charset) intersect(d charset) charset {
	var out charset
	i, j := 0, 0
	for i < len(c) && j < len(d) {
		lo := max(c[i].lo, d[j].lo)
		hi := min(c[i].hi, d[j].hi)
		if lo <= hi {
			out = append(out, rng{lo, hi})
		}
		if c[i].hi < d[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

func (c charset) contains(r rune) bool {
	i := sort.Search(len(c), func(i int) bool { return c[i].hi >= r })
	return i < len(c) && c[i].lo <= r
}

// singleRune reports the only member of a one-element set.
func (c charset) singleRune() (rune, bool) {
	if len(c) == 1 && c[0].lo == c[0].hi {
		return c[0].lo, true
	}
	return 0, false
}

// isASCII reports whether every member is below 0x80.
func (c charset) isASCII() bool { return len(c) == 0 || c[len(c)-1].hi < 0x80 }

func (c charset) isFull() bool { return len(c) == 1 && c[0].lo == 0 && c[0].hi == maxRune }

func (c charset) equal(d charset) bool {
	if len(c) != len(d) {
		return false
	}
	for i := range c {
		if c[i] != d[i] {
			return false
		}
	}
	return true
}

func fromTable(t *unicode.RangeTable) charset {
	var rs []rng
	for _, r := range t.R16 {
		if r.Stride == 1 {
			rs = append(rs, rng{rune(r.Lo), rune(r.Hi)})
			continue
		}
		for x := rune(r.Lo); x <= rune(r.Hi); x += rune(r.Stride) {
			rs = append(rs, rng{x, x})
		}
	}
	for _, r := range t.R32 {
		if r.Stride == 1 {
			rs = append(rs, rng{rune(r.Lo), rune(r.Hi)})
			continue
		}
		for x := rune(r.Lo); x <= rune(r.Hi); x += rune(r.Stride) {
			rs = append(rs, rng{x, x})
		}
	}
	return normalize(rs)
}

func fromTables(ts ...*unicode.RangeTable) charset {
	var c charset
	for _, t := range ts {
		c = c.union(fromTable(t))
	}
	return c
}

func runes(rs ...rune) charset {
	out := make([]rng, len(rs))
	for i, r := range rs {
		out[i] = rng{r, r}
	}
	return normalize(out)
}

// tables caches the immutable sets derived from the Unicode tables.
type tables struct {
	once     sync.Once
	cats     map[string]charset
	assigned charset
	cased    []rune // runes whose simple case mappings are not the identity
}

var uni tables

func (t *tables) init() {
	t.once.Do(func() {
		t.cats = map[string]charset{}
		for name, tab := range unicode.Categories {
			if len(name) == 2 {
				t.cats[name] = fromTable(tab)
			}
		}
		t.cats["Cs"] = span(0xD800, 0xDFFF)
		var all charset
		for _, c := range t.cats {
			all = all.union(c)
		}
		t.assigned = all
		t.cats["Cn"] = all.negate()
		for r := rune(0); r <= maxRune; r++ {
			if unicode.ToUpper(r) != r || unicode.ToLower(r) != r || unicode.SimpleFold(r) != r {
				t.cased = append(t.cased, r)
			}
		}
	})
}

// category returns a union of general categories given as two-letter names.
func category(names ...string) charset {
	uni.init()
	var c charset
	for _, n := range names {
		c = c.union(uni.cats[n])
	}
	return c
}

var catGroups = map[string][]string{
	"L":  {"Lu", "Ll", "Lt", "Lm", "Lo"},
	"M":  {"Mn", "Me", "Mc"},
	"N":  {"Nd", "Nl", "No"},
	"Z":  {"Zs", "Zl", "Zp"},
	"C":  {"Cc", "Cf", "Co", "Cs", "Cn"},
	"P":  {"Pd", "Ps", "Pe", "Pc", "Po", "Pi", "Pf"},
	"S":  {"Sm", "Sc", "Sk", "So"},
	"LC": {"Lu", "Ll", "Lt"},
	"LD": {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"},
}

// Java character predicates built from the Unicode tables.

func setLetter() charset    { return category(catGroups["L"]...) }
func setDigit() charset     { return category("Nd") }
func setLowerCase() charset { return category("Ll").union(fromTable(unicode.Other_Lowercase)) }
func setUpperCase() charset { return category("Lu").union(fromTable(unicode.Other_Uppercase)) }
func setTitleCase() charset { return category("Lt") }
func setAlphabetic() charset {
	return setLetter().union(category("Nl")).union(fromTable(unicode.Other_Alphabetic))
}
func setWhiteSpaceU() charset {
	return category("Zs", "Zl", "Zp").union(span(0x9, 0xD)).union(single(0x85))
}
func setPunctuation() charset { return category(catGroups["P"]...) }
func setHexDigitU() charset {
	return setDigit().union(runesRanges(0x30, 0x39, 0x41, 0x46, 0x61, 0x66, 0xFF10, 0xFF19, 0xFF21, 0xFF26, 0xFF41, 0xFF46))
}
func setJoinControl() charset { return runes(0x200C, 0x200D) }
func setWordU() charset {
	return setAlphabetic().union(category("Mn", "Me", "Mc", "Nd", "Pc")).union(setJoinControl())
}
func setBlankU() charset { return category("Zs").union(single('\t')) }
func setGraphU() charset {
	return category("Zs", "Zl", "Zp", "Cc", "Cs", "Cn").negate()
}
func setPrintU() charset {
	return setGraphU().union(setBlankU()).intersect(category("Cc").negate())
}
func setLetterOrDigit() charset { return setLetter().union(setDigit()) }
func setJavaWhitespace() charset {
	return category("Zs", "Zl", "Zp").intersect(runes(0xA0, 0x2007, 0x202F).negate()).
		union(span(0x9, 0xD)).union(span(0x1C, 0x1F))
}
func setISOControl() charset { return span(0, 0x1F).union(span(0x7F, 0x9F)) }
func setIdentifierIgnorable() charset {
	return span(0, 8).union(span(0xE, 0x1B)).union(span(0x7F, 0x9F)).union(category("Cf"))
}

func runesRanges(bounds ...rune) charset {
	var rs []rng
	for i := 0; i+1 < len(bounds); i += 2 {
		rs = append(rs, rng{bounds[i], bounds[i+1]})
	}
	return normalize(rs)
}

// ASCII classes.
var (
	asciiDigit  = span('0', '9')
	asciiLower  = span('a', 'z')
	asciiUpper  = span('A', 'Z')
	asciiAlpha  = asciiLower.union(asciiUpper)
	asciiAlnum  = asciiAlpha.union(asciiDigit)
	asciiWord   = asciiAlnum.union(single('_'))
	asciiSpace  = runes(' ', '\t', '\n', 0x0B, '\f', '\r')
	asciiPunct  = runesRanges(0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E)
	asciiGraph  = span(0x21, 0x7E)
	asciiCntrl  = span(0, 0x1F).union(single(0x7F))
	asciiXDigit = runesRanges('0', '9', 'A', 'F', 'a', 'f')
	asciiBlank  = runes(' ', '\t')
	horizWS     = runes(' ', '\t', 0xA0, 0x1680, 0x180E, 0x202F, 0x205F, 0x3000).union(span(0x2000, 0x200A))
	vertWS      = runes('\n', 0x0B, '\f', '\r', 0x85, 0x2028, 0x2029)
	lineTerms   = runes('\n', '\r', 0x85, 0x2028, 0x2029)
)

// posixSet returns the (?U) POSIX class for an upper-cased name.
func posixSet(name string, caseIns bool) (charset, bool) {
	switch name {
	case "ALPHA":
		return setAlphabetic(), true
	case "LOWER":
		if caseIns {
			return setLowerCase().union(setUpperCase()).union(setTitleCase()), true
		}
		return setLowerCase(), true
	case "UPPER":
		if caseIns {
			return setUpperCase().union(setLowerCase()).union(setTitleCase()), true
		}
		return setUpperCase(), true
	case "SPACE":
		return setWhiteSpaceU(), true
	case "PUNCT":
		return setPunctuation(), true
	case "XDIGIT":
		return setHexDigitU(), true
	case "ALNUM":
		return setAlphabetic().union(setDigit()), true
	case "CNTRL":
		return category("Cc"), true
	case "DIGIT":
		return setDigit(), true
	case "BLANK":
		return setBlankU(), true
	case "GRAPH":
		return setGraphU(), true
	case "PRINT":
		return setPrintU(), true
	}
	return nil, false
}

// unicodeBinarySet returns the set for \p{IsXxx} binary properties
// (upper-cased name), falling back to the POSIX names.
func unicodeBinarySet(name string, caseIns bool) (charset, bool) {
	switch name {
	case "ALPHABETIC":
		return setAlphabetic(), true
	case "ASSIGNED":
		return category("Cn").negate(), true
	case "CONTROL":
		return category("Cc"), true
	case "HEXDIGIT", "HEX_DIGIT":
		return setHexDigitU(), true
	case "IDEOGRAPHIC":
		return fromTable(unicode.Ideographic), true
	case "JOINCONTROL", "JOIN_CONTROL":
		return setJoinControl(), true
	case "LETTER":
		return setLetter(), true
	case "LOWERCASE":
		if caseIns {
			return setLowerCase().union(setUpperCase()).union(setTitleCase()), true
		}
		return setLowerCase(), true
	case "NONCHARACTERCODEPOINT", "NONCHARACTER_CODE_POINT":
		return fromTable(unicode.Noncharacter_Code_Point), true
	case "TITLECASE":
		if caseIns {
			return setTitleCase().union(setLowerCase()).union(setUpperCase()), true
		}
		return setTitleCase(), true
	case "PUNCTUATION":
		return setPunctuation(), true
	case "UPPERCASE":
		if caseIns {
			return setUpperCase().union(setLowerCase()).union(setTitleCase()), true
		}
		return setUpperCase(), true
	case "WHITESPACE", "WHITE_SPACE":
		return setWhiteSpaceU(), true
	case "WORD":
		return setWordU(), true
	}
	return posixSet(name, caseIns)
}

// propertySet implements Java's forProperty: general categories, the
// ASCII POSIX classes and the java.lang.Character predicates.
func propertySet(name string, caseIns bool) (charset, bool) {
	lut := []string{"Lu", "Ll", "Lt"}
	switch name {
	case "Lu", "Ll", "Lt":
		if caseIns {
			return category(lut...), true
		}
		return category(name), true
	case "Lm", "Lo", "Mn", "Me", "Mc", "Nd", "Nl", "No", "Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cs",
		"Pd", "Ps", "Pe", "Pc", "Po", "Sm", "Sc", "Sk", "So", "Pi", "Pf", "Cn":
		return category(name), true
	case "L", "M", "N", "Z", "C", "P", "S", "LC", "LD":
		return category(catGroups[name]...), true
	case "L1":
		return span(0, 0xFF), true
	case "all":
		return span(0, maxRune), true
	case "ASCII":
		return span(0, 0x7F), true
	case "Alnum":
		return asciiAlnum, true
	case "Alpha":
		return asciiAlpha, true
	case "Blank":
		return asciiBlank, true
	case "Cntrl":
		return asciiCntrl, true
	case "Digit":
		return asciiDigit, true
	case "Graph":
		return asciiGraph, true
	case "Lower":
		if caseIns {
			return asciiAlpha, true
		}
		return asciiLower, true
	case "Print":
		return span(0x20, 0x7E), true
	case "Punct":
		return asciiPunct, true
	case "Space":
		return asciiSpace, true
	case "Upper":
		if caseIns {
			return asciiAlpha, true
		}
		return asciiUpper, true
	case "XDigit":
		return asciiXDigit, true
	case "javaLowerCase":
		if caseIns {
			return setLowerCase().union(setUpperCase()).union(setTitleCase()), true
		}
		return setLowerCase(), true
	case "javaUpperCase":
		if caseIns {
			return setLowerCase().union(setUpperCase()).union(setTitleCase()), true
		}
		return setUpperCase(), true
	case "javaTitleCase":
		if caseIns {
			return setLowerCase().union(setUpperCase()).union(setTitleCase()), true
		}
		return setTitleCase(), true
	case "javaAlphabetic":
		return setAlphabetic(), true
	case "javaIdeographic":
		return fromTable(unicode.Ideographic), true
	case "javaDigit":
		return setDigit(), true
	case "javaDefined":
		return category("Cn").negate(), true
	case "javaLetter":
		return setLetter(), true
	case "javaLetterOrDigit":
		return setLetterOrDigit(), true
	case "javaJavaIdentifierStart":
		return setLetter().union(category("Nl", "Sc", "Pc")), true
	case "javaJavaIdentifierPart":
		return setLetter().union(category("Sc", "Pc", "Nd", "Nl", "Mc", "Mn")).union(setIdentifierIgnorable()), true
	case "javaUnicodeIdentifierStart":
		return setLetter().union(category("Nl")).union(fromTable(unicode.Other_ID_Start)), true
	case "javaUnicodeIdentifierPart":
		return setLetter().union(category("Pc", "Nd", "Nl", "Mc", "Mn")).
			union(fromTables(unicode.Other_ID_Start, unicode.Other_ID_Continue)).union(setIdentifierIgnorable()), true
	case "javaIdentifierIgnorable":
		return setIdentifierIgnorable(), true
	case "javaSpaceChar":
		return category("Zs", "Zl", "Zp"), true
	case "javaWhitespace":
		return setJavaWhitespace(), true
	case "javaISOControl":
		return setISOControl(), true
	case "javaMirrored":
		rs := make([]rng, len(jdkMirrored))
		for i, m := range jdkMirrored {
			rs[i] = rng{m[0], m[1]}
		}
		return normalize(rs), true
	}
	return nil, false
}

// scriptSet implements Character.UnicodeScript.forName.
func scriptSet(name string) (charset, bool) {
	up := strings.ToUpper(name)
	if a, ok := jdkScriptAliases[up]; ok {
		up = a
	} else {
		found := false
		for _, s := range jdkScripts {
			if s == up {
				found = true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	switch up {
	case "UNKNOWN":
		var known charset
		for _, t := range unicode.Scripts {
			known = known.union(fromTable(t))
		}
		return known.negate(), true
	}
	for goName, t := range unicode.Scripts {
		if strings.ToUpper(goName) == up {
			return fromTable(t), true
		}
	}
	// A script Java knows that these tables do not: empty set.
	return charset{}, true
}

// blockSet implements Character.UnicodeBlock.forName.
func blockSet(name string) (charset, bool) {
	constName, ok := jdkBlockNames[strings.ToUpper(name)]
	if !ok {
		return nil, false
	}
	var rs []rng
	for i, b := range jdkBlockStarts {
		if b.name != constName {
			continue
		}
		hi := rune(maxRune)
		if i+1 < len(jdkBlockStarts) {
			hi = jdkBlockStarts[i+1].lo - 1
		}
		rs = append(rs, rng{b.lo, hi})
	}
	return normalize(rs), true
}

// Case folding helpers (Java's Character.toUpperCase/toLowerCase are the
// simple mappings that unicode.ToUpper/ToLower implement).

// foldASCII adds the other ASCII case of every ASCII letter in c.
func foldASCII(c charset) charset {
	var add []rng
	for _, r := range c {
		for x := max(r.lo, 'A'); x <= min(r.hi, 'z'); x++ {
			switch {
			case x >= 'A' && x <= 'Z':
				add = append(add, rng{x + 32, x + 32})
			case x >= 'a' && x <= 'z':
				add = append(add, rng{x - 32, x - 32})
			}
		}
	}
	if len(add) == 0 {
		return c
	}
	return c.union(normalize(add))
}

// ciSingleU is the set a single character matches under CASE_INSENSITIVE
// with UNICODE_CASE: every c with toLower(toUpper(c)) == toLower(toUpper(ch)).
func ciSingleU(ch rune) charset {
	upper := unicode.ToUpper(ch)
	lower := unicode.ToLower(upper)
	if upper == lower {
		return single(ch)
	}
	out := []rng{{lower, lower}}
	r := ch
	for {
		if unicode.ToLower(unicode.ToUpper(r)) == lower {
			out = append(out, rng{r, r})
		}
		r = unicode.SimpleFold(r)
		if r == ch {
			break
		}
	}
	return normalize(out)
}

// ciRangeU is the set a range matches under (?iu): c in range, or
// toUpper(c) in range, or toLower(toUpper(c)) in range.
func ciRangeU(lo, hi rune) charset {
	uni.init()
	out := []rng{{lo, hi}}
	in := func(r rune) bool { return r >= lo && r <= hi }
	for _, c := range uni.cased {
		up := unicode.ToUpper(c)
		if in(up) || in(unicode.ToLower(up)) {
			out = append(out, rng{c, c})
		}
	}
	return normalize(out)
}

// ciRangeASCII is CIRange: c in range, or an ASCII c whose ASCII upper or
// lower case is in range.
func ciRangeASCII(lo, hi rune) charset {
	out := []rng{{lo, hi}}
	for c := rune('A'); c <= 'z'; c++ {
		var u, l rune = c, c
		if c >= 'a' && c <= 'z' {
			u = c - 32
		}
		if c >= 'A' && c <= 'Z' {
			l = c + 32
		}
		if (u >= lo && u <= hi) || (l >= lo && l <= hi) {
			out = append(out, rng{c, c})
		}
	}
	return normalize(out)
}
