package jregex

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// emitter renders the parsed tree as a regexp2 pattern, or as a Go regexp
// pattern when every construct has the same meaning there.
type emitter struct {
	b      strings.Builder
	goMode bool
	noG    bool // \G can no longer match (search restarted after an empty match)
	groups int  // capturing groups in the pattern
	bmpLB  int  // depth of look-behinds Java matches in UTF-16 units

	// Go mode results
	goOK       bool
	needASCII  bool // \b: equivalent only on ASCII input
	needNoTerm bool // $ ^(?m) \Z: equivalent only without line terminators
	hasG       bool
}

func emitRegexp2(root *node, groups int, noG bool) string {
	e := &emitter{groups: groups, noG: noG}
	e.emit(root)
	return e.b.String()
}

// emitGo returns the Go pattern and the input conditions under which it
// is equivalent, or ok=false.
func emitGo(root *node, groups int) (pat string, needASCII, needNoTerm, ok bool) {
	e := &emitter{groups: groups, goMode: true, goOK: true}
	e.emit(root)
	return e.b.String(), e.needASCII, e.needNoTerm, e.goOK
}

func hasLastMatch(n *node) bool {
	if n == nil {
		return false
	}
	if n.op == opLastMatch {
		return true
	}
	for _, s := range n.subs {
		if hasLastMatch(s) {
			return true
		}
	}
	return hasLastMatch(n.sub)
}

func (e *emitter) lit(r rune) {
	if r < 0x80 && isASCIIAlnum(r) {
		e.b.WriteRune(r)
		return
	}
	e.b.WriteString(`\x{`)
	e.b.WriteString(strconv.FormatInt(int64(r), 16))
	e.b.WriteString(`}`)
}

var bmpSet = span(0, 0xFFFF)
var suppSet = span(0x10000, maxRune)
var surrogates = span(0xD800, 0xDFFF)

func (e *emitter) set(c charset) {
	if e.bmpLB > 0 {
		adj := c.intersect(bmpSet)
		if c.contains(0xDC00) {
			adj = adj.union(suppSet)
		}
		c = adj
	}
	if e.goMode {
		c = c.intersect(surrogates.negate())
	}
	if len(c) == 0 {
		if e.goMode {
			e.goOK = false
		}
		e.b.WriteString(`(?!)`)
		return
	}
	if r, ok := c.singleRune(); ok {
		e.lit(r)
		return
	}
	neg := c.negate()
	if e.goMode {
		neg = neg.intersect(surrogates.negate())
	}
	if len(neg) == 0 {
		e.b.WriteString(`[\x{0}-\x{10ffff}]`)
		return
	}
	pos, posCats := splitCategories(c)
	ng, negCats := splitCategories(neg)
	if len(ng)+2*len(negCats) < len(pos)+2*len(posCats) {
		e.b.WriteString(`[^`)
		e.items(ng, negCats)
	} else {
		e.b.WriteString(`[`)
		e.items(pos, posCats)
	}
	e.b.WriteString(`]`)
}

func (e *emitter) items(c charset, cats []string) {
	for _, name := range cats {
		e.b.WriteString(`\p{` + name + `}`)
	}
	e.ranges(c)
}

// catOrder lists the categories a large class is expressed with, biggest
// groups first, so that the engines test membership with the Unicode
// tables instead of scanning long range lists.
var catOrder = []string{"L", "M", "N", "P", "S", "Z",
	"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No",
	"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So",
	"Zs", "Zl", "Zp", "Cc", "Cf", "Co"}

var catSets struct {
	once sync.Once
	sets map[string]charset
}

// splitCategories removes from c every whole general category it
// contains and returns the rest with the category names.
func splitCategories(c charset) (charset, []string) {
	if len(c) < 16 {
		return c, nil
	}
	catSets.once.Do(func() {
		catSets.sets = map[string]charset{}
		for _, name := range catOrder {
			catSets.sets[name] = fromTable(unicode.Categories[name])
		}
	})
	var names []string
	for _, name := range catOrder {
		cat := catSets.sets[name]
		if c.intersect(cat).equal(cat) {
			names = append(names, name)
			c = c.intersect(cat.negate())
		}
	}
	return c, names
}

func (e *emitter) ranges(c charset) {
	for _, r := range c {
		e.lit(r.lo)
		if r.hi > r.lo {
			if r.hi > r.lo+1 {
				e.b.WriteByte('-')
			}
			e.lit(r.hi)
		}
	}
}

func (e *emitter) emit(n *node) {
	switch n.op {
	case opEmpty:
	case opChar:
		e.set(n.set)
	case opSeq:
		for _, s := range n.subs {
			e.emit(s)
		}
	case opAlt:
		e.b.WriteString("(?:")
		for i, s := range n.subs {
			if i > 0 {
				e.b.WriteByte('|')
			}
			e.emit(s)
		}
		e.b.WriteString(")")
	case opCapture:
		e.b.WriteString("(")
		e.emit(n.sub)
		e.b.WriteString(")")
	case opGroup:
		e.b.WriteString("(?:")
		e.emit(n.sub)
		e.b.WriteString(")")
	case opAtomic:
		e.noGo()
		e.b.WriteString("(?>")
		e.emit(n.sub)
		e.b.WriteString(")")
	case opLook:
		e.noGo()
		if n.behind && n.neverBehind {
			if !n.neg {
				e.b.WriteString("(?!)")
			}
			return
		}
		switch {
		case n.behind && n.neg:
			e.b.WriteString("(?<!")
		case n.behind:
			e.b.WriteString("(?<=")
		case n.neg:
			e.b.WriteString("(?!")
		default:
			e.b.WriteString("(?=")
		}
		if n.behind && n.bmpOnlyBehind {
			e.bmpLB++
			e.emit(n.sub)
			e.bmpLB--
		} else {
			e.emit(n.sub)
		}
		e.b.WriteString(")")
	case opRepeat:
		e.repeat(n)
	case opBackref:
		e.noGo()
		if n.group >= e.groups {
			e.b.WriteString("(?!)")
			return
		}
		if n.ci {
			e.b.WriteString(`(?i:\` + strconv.Itoa(n.group) + `)`)
		} else {
			e.b.WriteString(`(?:\` + strconv.Itoa(n.group) + `)`)
		}
	case opBegin:
		e.b.WriteString(`\A`)
	case opEnd:
		e.b.WriteString(`\z`)
	case opDollar:
		if e.goMode {
			e.needNoTerm = true
			e.b.WriteString(`\z`)
			return
		}
		switch {
		case n.unix && n.multi:
			e.b.WriteString(`(?=\n|\z)`)
		case n.unix:
			e.b.WriteString(`(?=\n?\z)`)
		case n.multi:
			e.b.WriteString(`(?=[\n\r\x{85}\x{2028}\x{2029}]|\z)(?:(?<!\r)|(?!\n))`)
		default:
			e.b.WriteString(`(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)(?:(?<!\r)|(?!\n))`)
		}
	case opCaret:
		if e.goMode {
			e.goOK = false
			return
		}
		if n.unix {
			e.b.WriteString(`(?!\z)(?:\A|(?<=\n))`)
		} else {
			e.b.WriteString(`(?!\z)(?:\A|(?<=[\n\r\x{85}\x{2028}\x{2029}])(?:(?<!\r)|(?!\n)))`)
		}
	case opWordB:
		if e.goMode {
			e.needASCII = true
			if n.neg {
				e.b.WriteString(`\B`)
			} else {
				e.b.WriteString(`\b`)
			}
			return
		}
		e.wordBoundary(n)
	case opLastMatch:
		e.noGo()
		if e.noG {
			e.b.WriteString(`(?!)`)
		} else {
			e.b.WriteString(`\G`)
		}
	case opLineEnding:
		e.b.WriteString(`(?:\r\n|[\n\x{b}\x{c}\r\x{85}\x{2028}\x{2029}])`)
	case opGrapheme:
		e.noGo()
		e.grapheme()
	case opGraphemeB:
		e.noGo()
		e.graphemeBound()
	}
}

func (e *emitter) noGo() {
	if e.goMode {
		e.goOK = false
	}
}

// canBeEmpty reports whether n can match the empty string.
func canBeEmpty(n *node) bool {
	switch n.op {
	case opChar, opLineEnding, opGrapheme:
		return false
	case opSeq:
		for _, s := range n.subs {
			if !canBeEmpty(s) {
				return false
			}
		}
		return true
	case opAlt:
		for _, s := range n.subs {
			if canBeEmpty(s) {
				return true
			}
		}
		return false
	case opCapture, opGroup, opAtomic:
		return canBeEmpty(n.sub)
	case opRepeat:
		return n.min == 0 || canBeEmpty(n.sub)
	}
	return true
}

func (e *emitter) repeat(n *node) {
	if e.goMode && (canBeEmpty(n.sub) || n.min > 1000 || n.max > 1000 || n.qkind == qPossessive) {
		e.goOK = false
	}
	if n.qkind == qPossessive {
		e.b.WriteString("(?>")
	}
	e.b.WriteString("(?:")
	e.emit(n.sub)
	e.b.WriteString(")")
	switch {
	case n.min == 0 && n.max < 0:
		e.b.WriteString("*")
	case n.min == 1 && n.max < 0:
		e.b.WriteString("+")
	case n.min == 0 && n.max == 1:
		e.b.WriteString("?")
	case n.max < 0 || n.neg:
		e.b.WriteString("{" + strconv.Itoa(n.min) + ",}")
	case n.min == n.max:
		e.b.WriteString("{" + strconv.Itoa(n.min) + "}")
	default:
		e.b.WriteString("{" + strconv.Itoa(n.min) + "," + strconv.Itoa(n.max) + "}")
	}
	if n.qkind == qLazy {
		e.b.WriteString("?")
	}
	if n.qkind == qPossessive {
		e.b.WriteString(")")
	}
}

// classString renders a set as a bracket expression (or escape).
func classString(c charset) string {
	e := &emitter{}
	e.set(c)
	return e.b.String()
}

var wordCache struct {
	plain, uni string
	once       [2]bool
}

// wordBoundary emits JDK 17's \b / \B: a word character is a letter,
// digit or '_' (Unicode; (?U): the Unicode word class), and a non-spacing
// mark counts when it follows a letter or digit.
func (e *emitter) wordBoundary(n *node) {
	w := setLetterOrDigit().union(single('_'))
	if n.unicode {
		w = setWordU()
	}
	W := classString(w)
	LD := classString(setLetterOrDigit())
	Mn := classString(category("Mn"))
	lp := `(?<=` + W + `|` + LD + Mn + `+)`
	ln := `(?<!` + W + `|` + LD + Mn + `+)`
	rp := `(?:(?=` + W + `)|(?=` + Mn + `)(?<=` + LD + Mn + `*))`
	rn := `(?!` + W + `)(?:(?!` + Mn + `)|(?<!` + LD + Mn + `*))`
	if n.neg {
		e.b.WriteString(`(?:` + lp + rp + `|` + ln + rn + `)`)
	} else {
		e.b.WriteString(`(?:` + lp + rn + `|` + ln + rp + `)`)
	}
}

// Grapheme cluster approximation (extended grapheme clusters).
func graphemeSets() (ctl, ext, extNoZWJ, ri, ep charset) {
	ctl = category("Cc", "Zl", "Zp", "Cf").intersect(runes(0x200C, 0x200D).negate())
	ext = category("Mn", "Me", "Mc").union(fromTable(unicode.Other_Grapheme_Extend)).
		union(runes(0x200C, 0x200D)).union(span(0x1F3FB, 0x1F3FF)).union(span(0xFE00, 0xFE0F))
	extNoZWJ = ext.intersect(single(0x200D).negate())
	ri = span(0x1F1E6, 0x1F1FF)
	ep = runesRanges(0xA9, 0xA9, 0xAE, 0xAE, 0x203C, 0x203C, 0x2049, 0x2049, 0x2122, 0x2122,
		0x2139, 0x2139, 0x2194, 0x2199, 0x21A9, 0x21AA, 0x231A, 0x231B, 0x2328, 0x2328,
		0x23CF, 0x23CF, 0x23E9, 0x23F3, 0x23F8, 0x23FA, 0x24C2, 0x24C2, 0x25AA, 0x25AB,
		0x25B6, 0x25B6, 0x25C0, 0x25C0, 0x25FB, 0x25FE, 0x2600, 0x27BF, 0x2934, 0x2935,
		0x2B05, 0x2B07, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55, 0x3030, 0x3030,
		0x303D, 0x303D, 0x3297, 0x3297, 0x3299, 0x3299, 0x1F000, 0x1FAFF, 0x1FC00, 0x1FFFD).
		intersect(ri.negate()).intersect(span(0x1F3FB, 0x1F3FF).negate())
	return
}

func (e *emitter) grapheme() {
	ctl, ext, extNoZWJ, ri, ep := graphemeSets()
	C := classString(ctl.union(runes('\r', '\n')))
	X, XZ, R, EP := classString(ext), classString(extNoZWJ), classString(ri), classString(ep)
	hl := `[\x{1100}-\x{115f}\x{a960}-\x{a97c}]`
	hv := `[\x{1160}-\x{11a7}\x{d7b0}-\x{d7c6}]`
	ht := `[\x{11a8}-\x{11ff}\x{d7cb}-\x{d7fb}]`
	hs := `[\x{ac00}-\x{d7a3}]`
	e.b.WriteString(`(?>\r\n|` + C + `|` + R + R + X + `*|` +
		`(?:` + hl + `*(?:` + hs + hv + `*|` + hv + `+)` + ht + `*|` + hl + `+|` + ht + `+)` + X + `*|` +
		EP + `(?:` + XZ + `*\x{200d}` + EP + `)*` + X + `*|` +
		classString(ctl.union(runes('\r', '\n')).negate()) + X + `*)`)
}

func (e *emitter) graphemeBound() {
	ctl, ext, _, ri, ep := graphemeSets()
	C := classString(ctl.union(runes('\r', '\n')))
	X, R, EP := classString(ext), classString(ri), classString(ep)
	e.b.WriteString(`(?:\A|\z|(?!(?<=\r)\n)(?:(?<=` + C + `)|(?!` + X + `)(?!(?<=\x{200d})` + EP + `)(?!(?<=` + R + `)` + R + `)))`)
}
