package jregex

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// The simple engine is a byte-level backtracking matcher for the patterns
// made of characters and classes, literal runs, quantifiers, alternations,
// groups and the anchors \b \B ^ $ \A \z. It explores choices in the same
// order as java.util.regex does for these constructs, so its matches are
// Java's; anything else (look-around, back references, atomic groups,
// possessive groups, quantified groups whose Java loop memoises failures,
// patterns that can match the empty string) stays on the other engines.

type skind uint8

const (
	sChar     skind = iota // one character of set
	sLit                   // the bytes of lit
	sRepChar               // set repeated min..max times (q: greedy, lazy, possessive)
	sBegin                 // \A, ^
	sEnd                   // \z
	sDollar                // $, \Z (multi, unix)
	sCaret                 // ^ with MULTILINE (unix)
	sWordB                 // \b, \B (neg), (?U) (unicode)
	sOpen                  // group start
	sClose                 // group end
	sAlt                   // alternatives in order
	sLoop                  // quantified group: body repeated min..max times
	sLoopTail              // end of one loop iteration
	sAccept                // the match ends here
)

type snode struct {
	kind    skind
	set     *bset
	lit     string
	min     int
	max     int // < 0: unbounded
	q       int
	neg     bool
	multi   bool
	unix    bool
	unicode bool
	group   int
	slot    int // loop counter index
	next    *snode
	body    *snode   // sLoop
	loop    *snode   // sLoopTail
	alts    []*snode // sAlt
}

// bset is a character class: a bitmap for ASCII and the code point set
// for the rest.
type bset struct {
	ascii [2]uint64
	hi    charset // members >= 0x80
	anyHi bool    // every non-ASCII code point is a member
}

func newBset(c charset) *bset {
	b := &bset{}
	for _, r := range c {
		for x := r.lo; x <= r.hi && x < 0x80; x++ {
			b.ascii[x>>6] |= 1 << (x & 63)
		}
	}
	b.hi = c.intersect(span(0x80, maxRune))
	b.anyHi = b.hi.intersect(surrogates.negate()).equal(span(0x80, maxRune).intersect(surrogates.negate()))
	if len(b.hi) == 0 {
		b.hi = nil
	}
	return b
}

func (b *bset) hasASCII(c byte) bool { return b.ascii[c>>6]&(1<<(c&63)) != 0 }

// at returns the byte width of the member character at s[i], or 0.
func (b *bset) at(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	if c < utf8.RuneSelf {
		if b.ascii[c>>6]&(1<<(c&63)) != 0 {
			return 1
		}
		return 0
	}
	if b.hi == nil {
		return 0
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	if b.anyHi || b.hi.contains(r) {
		return w
	}
	return 0
}

// simpleProg is a compiled simple pattern.
type simpleProg struct {
	start    *snode
	ncap     int // capture slots (2 per group, group 0 included)
	nloop    int
	minLen   int       // bytes every match consumes at least
	first    [256]bool // bytes a match can start with
	anchored bool      // the pattern starts with \A
	// wordStart: the pattern starts with \b and every first character is
	// an ASCII word character, so no match starts after one.
	wordStart bool
	// prefix: the ASCII classes of the first bytes of every match.
	prefix   []*bset
	hasLoop  bool      // group loops recurse per iteration
	wordSets *wordSets // for \b with (?U)
	pool     sync.Pool // *smatch
}

// stepBudget bounds the backtracking steps of one search; past it the
// search is redone on the engine that enforces the match timeout.
const stepBudget = 1 << 20

// maxLoopInput bounds the input length a pattern with group loops runs on
// (their recursion depth grows with the input).
const maxLoopInput = 1 << 16

type simpleCompiler struct {
	groups int
	nloop  int
	ok     bool
	words  bool
}

// compileSimple builds the simple program for root, or nil.
func compileSimple(root *node, groups int) *simpleProg {
	if canBeEmpty(root) {
		return nil
	}
	c := &simpleCompiler{groups: groups, ok: true}
	accept := &snode{kind: sAccept}
	start := c.build(root, accept, 0)
	if !c.ok {
		return nil
	}
	p := &simpleProg{start: start, ncap: 2 * groups, nloop: c.nloop, hasLoop: c.nloop > 0}
	p.minLen = minBytes(root)
	p.anchored = startsWithBegin(root)
	first, _ := firstChars(root)
	markFirstBytes(&p.first, first)
	if n := leading(root); n.op == opWordB && !n.neg && len(first) > 0 && first.intersect(asciiWord.negate()) == nil {
		p.wordStart = true
	}
	if c.words {
		p.wordSets = uWordSets()
	}
	var items []*node
	leadingItems(root, &items)
	for _, it := range items {
		if set, ok := charOf(it); ok {
			p.prefix = append(p.prefix, newBset(set))
			continue
		}
		set, _ := charOf(it.sub)
		for k := 0; k < it.min && len(p.prefix) < maxPrefix; k++ {
			p.prefix = append(p.prefix, newBset(set))
		}
	}
	if len(p.prefix) > maxPrefix {
		p.prefix = p.prefix[:maxPrefix]
	}
	return p
}

// maxPrefix bounds the leading classes checked before a match attempt.
const maxPrefix = 8

// leadingItems collects the leading nodes of n that consume one ASCII
// character each (a single ASCII class, or a character repetition of
// which the mandatory part counts), skipping zero-width assertions. It
// reports whether everything in n was collected.
func leadingItems(n *node, out *[]*node) bool {
	if len(*out) >= maxPrefix {
		return false
	}
	switch n.op {
	case opSeq:
		for _, s := range n.subs {
			if !leadingItems(s, out) {
				return false
			}
		}
		return true
	case opGroup, opCapture:
		return leadingItems(n.sub, out)
	case opWordB, opBegin:
		return true
	case opChar:
		if len(n.set) == 0 || !n.set.isASCII() {
			return false
		}
		*out = append(*out, n)
		return true
	case opRepeat:
		set, ok := charOf(n.sub)
		if !ok || len(set) == 0 || !set.isASCII() || n.min == 0 {
			return false
		}
		*out = append(*out, n)
		return n.min == n.max
	}
	return false
}

// charOf returns the class of n when n is a single character (possibly in
// non-capturing groups).
func charOf(n *node) (charset, bool) {
	for n.op == opGroup {
		n = n.sub
	}
	if n.op == opChar {
		return n.set, true
	}
	return nil, false
}

func hasCapture(n *node) bool {
	if n == nil {
		return false
	}
	if n.op == opCapture {
		return true
	}
	for _, s := range n.subs {
		if hasCapture(s) {
			return true
		}
	}
	return hasCapture(n.sub)
}

func (c *simpleCompiler) build(n *node, next *snode, depth int) *snode {
	if !c.ok {
		return next
	}
	switch n.op {
	case opEmpty:
		return next
	case opChar:
		if len(n.set) == 0 {
			c.ok = false
			return next
		}
		if r, ok := n.set.singleRune(); ok && !(r >= 0xD800 && r <= 0xDFFF) {
			lit := string(r)
			if next.kind == sLit {
				return &snode{kind: sLit, lit: lit + next.lit, next: next.next}
			}
			return &snode{kind: sLit, lit: lit, next: next}
		}
		return &snode{kind: sChar, set: newBset(n.set), next: next}
	case opSeq:
		for i := len(n.subs) - 1; i >= 0; i-- {
			next = c.build(n.subs[i], next, depth)
		}
		return next
	case opGroup:
		return c.build(n.sub, next, depth)
	case opCapture:
		cl := &snode{kind: sClose, group: n.group, next: next}
		return &snode{kind: sOpen, group: n.group, next: c.build(n.sub, cl, depth)}
	case opAlt:
		a := &snode{kind: sAlt}
		for _, s := range n.subs {
			a.alts = append(a.alts, c.build(s, next, depth))
		}
		return a
	case opRepeat:
		max := n.max
		if max >= maxReps {
			max = -1
		}
		if set, ok := charOf(n.sub); ok {
			if len(set) == 0 {
				c.ok = false
				return next
			}
			return &snode{kind: sRepChar, set: newBset(set), min: n.min, max: max, q: n.qkind, next: next}
		}
		if n.qkind == qPossessive || canBeEmpty(n.sub) {
			c.ok = false
			return next
		}
		inner := n.sub
		if inner.op == opCapture {
			inner = inner.sub
		}
		if hasCapture(inner) {
			// Java keeps the captures of a backed-off iteration.
			c.ok = false
			return next
		}
		if n.rkind == rLoop && n.qkind == qGreedy && max != n.min {
			// Java memoises failed iterations of this loop.
			c.ok = false
			return next
		}
		if n.min > 1<<16 || max > 1<<16 {
			c.ok = false
			return next
		}
		l := &snode{kind: sLoop, min: n.min, max: max, q: n.qkind, slot: c.nloop, next: next}
		c.nloop++
		tail := &snode{kind: sLoopTail, loop: l}
		l.body = c.build(n.sub, tail, depth+1)
		return l
	case opBegin:
		return &snode{kind: sBegin, next: next}
	case opEnd:
		return &snode{kind: sEnd, next: next}
	case opDollar:
		return &snode{kind: sDollar, multi: n.multi, unix: n.unix, next: next}
	case opCaret:
		return &snode{kind: sCaret, unix: n.unix, next: next}
	case opWordB:
		if n.unicode {
			c.words = true
		}
		return &snode{kind: sWordB, neg: n.neg, unicode: n.unicode, next: next}
	}
	c.ok = false
	return next
}

// minBytes is a lower bound of the bytes every match consumes.
func minBytes(n *node) int {
	switch n.op {
	case opChar:
		return 1
	case opSeq:
		t := 0
		for _, s := range n.subs {
			t += minBytes(s)
		}
		return t
	case opAlt:
		m := -1
		for _, s := range n.subs {
			if v := minBytes(s); m < 0 || v < m {
				m = v
			}
		}
		return max(m, 0)
	case opCapture, opGroup:
		return minBytes(n.sub)
	case opRepeat:
		v := minBytes(n.sub) * n.min
		if v > 1<<20 {
			v = 1 << 20
		}
		return v
	}
	return 0
}

// firstChars returns the characters a match of n can start with and
// whether n can match without consuming anything.
func firstChars(n *node) (charset, bool) {
	switch n.op {
	case opChar:
		return n.set, false
	case opSeq:
		var set charset
		for _, s := range n.subs {
			f, nullable := firstChars(s)
			set = set.union(f)
			if !nullable {
				return set, false
			}
		}
		return set, true
	case opAlt:
		var set charset
		nullable := false
		for _, s := range n.subs {
			f, e := firstChars(s)
			set = set.union(f)
			nullable = nullable || e
		}
		return set, nullable
	case opCapture, opGroup:
		return firstChars(n.sub)
	case opRepeat:
		f, e := firstChars(n.sub)
		return f, e || n.min == 0
	}
	return nil, true
}

// leading returns the first node of a sequence (through groups).
func leading(n *node) *node {
	for {
		switch n.op {
		case opSeq:
			if len(n.subs) == 0 {
				return n
			}
			n = n.subs[0]
		case opGroup, opCapture:
			n = n.sub
		default:
			return n
		}
	}
}

func startsWithBegin(n *node) bool {
	switch n.op {
	case opBegin:
		return true
	case opSeq:
		return len(n.subs) > 0 && startsWithBegin(n.subs[0])
	case opCapture, opGroup:
		return startsWithBegin(n.sub)
	case opAlt:
		for _, s := range n.subs {
			if !startsWithBegin(s) {
				return false
			}
		}
		return len(n.subs) > 0
	}
	return false
}

// markFirstBytes marks the UTF-8 bytes the characters of c start with.
func markFirstBytes(t *[256]bool, c charset) {
	var buf [4]byte
	for _, r := range c {
		for x := r.lo; x <= r.hi && x < 0x80; x++ {
			t[x] = true
		}
		if r.hi < 0x80 {
			continue
		}
		lo := max(r.lo, 0x80)
		utf8.EncodeRune(buf[:], lo)
		a := buf[0]
		hi := r.hi
		if hi >= 0xD800 && hi <= 0xDFFF {
			hi = 0xD7FF
		}
		utf8.EncodeRune(buf[:], hi)
		b := buf[0]
		if hi < lo {
			b = a
		}
		for x := int(a); x <= int(b); x++ {
			t[x] = true
		}
	}
}

// wordSets holds the (?U) word class.
type wordSets struct{ word charset }

var uWords struct {
	once sync.Once
	w    *wordSets
}

func uWordSets() *wordSets {
	uWords.once.Do(func() { uWords.w = &wordSets{word: setWordU()} })
	return uWords.w
}

// smatch is the state of one search.
type smatch struct {
	p      *simpleProg
	s      string
	caps   []int
	counts []int
	end    int // required end position, -1: any
	last   int // end of the match found
	steps  int
	abort  bool
}

func isLD(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isMn(r rune) bool { return r >= 0x300 && unicode.Is(unicode.Mn, r) }

func (m *smatch) isWord(r rune, uni bool) bool {
	if uni {
		if r < utf8.RuneSelf {
			return isASCIIAlnum(r) || r == '_'
		}
		return m.p.wordSets.word.contains(r)
	}
	return r == '_' || isLD(r)
}

// hasBase is Java's hasBaseCharacter starting with the character that
// ends at i and going back: a letter or digit reached through non-spacing
// marks. A supplementary character is seen by Java as a lone low
// surrogate here, which is neither.
func (m *smatch) hasBase(i int) bool {
	for i > 0 {
		r, w := utf8.DecodeLastRuneInString(m.s[:i])
		if r >= 0x10000 {
			return false
		}
		if isLD(r) {
			return true
		}
		if !isMn(r) {
			return false
		}
		i -= w
	}
	return false
}

// wordBoundary reports whether i is a word boundary (JDK 17 Bound.check).
func (m *smatch) wordBoundary(i int, uni bool) bool {
	s := m.s
	left, right := false, false
	if i > 0 {
		c := s[i-1]
		if c < utf8.RuneSelf {
			left = asciiWordBytes[c]
		} else {
			r, w := utf8.DecodeLastRuneInString(s[:i])
			left = m.isWord(r, uni)
			if !left && isMn(r) && r < 0x10000 {
				left = m.hasBase(i - w)
			}
		}
	}
	if i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			right = asciiWordBytes[c]
		} else {
			r, _ := utf8.DecodeRuneInString(s[i:])
			right = m.isWord(r, uni)
			if !right && isMn(r) {
				right = m.hasBase(i)
			}
		}
	}
	return left != right
}

var asciiWordBytes = func() (t [256]bool) {
	for c := 0; c < 0x80; c++ {
		t[c] = isASCIIAlnum(rune(c)) || c == '_'
	}
	return t
}()

func isASCIIWordByte(c byte) bool { return asciiWordBytes[c] }

func isLineTerm(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029
}

func (m *smatch) dollar(n *snode, i int) bool {
	s := m.s
	if i == len(s) {
		return true
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	prevCR := i > 0 && s[i-1] == '\r'
	if n.unix {
		if r != '\n' {
			return false
		}
		return n.multi || i+1 == len(s)
	}
	if !n.multi {
		rest := s[i:]
		if rest == "\r\n" {
			return true
		}
		if w != len(rest) {
			return false
		}
	}
	if !isLineTerm(r) {
		return false
	}
	return !(r == '\n' && prevCR)
}

func (m *smatch) caret(n *snode, i int) bool {
	s := m.s
	if i == len(s) {
		return false
	}
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	if n.unix {
		return r == '\n'
	}
	if !isLineTerm(r) {
		return false
	}
	return !(r == '\r' && s[i] == '\n')
}

// run matches the node chain n at i.
func (m *smatch) run(n *snode, i int) bool {
	s := m.s
	for {
		switch n.kind {
		case sChar:
			w := n.set.at(s, i)
			if w == 0 {
				return false
			}
			i += w
			n = n.next
		case sLit:
			if len(s)-i < len(n.lit) || s[i:i+len(n.lit)] != n.lit {
				return false
			}
			i += len(n.lit)
			n = n.next
		case sRepChar:
			return m.repChar(n, i)
		case sBegin:
			if i != 0 {
				return false
			}
			n = n.next
		case sEnd:
			if i != len(s) {
				return false
			}
			n = n.next
		case sDollar:
			if !m.dollar(n, i) {
				return false
			}
			n = n.next
		case sCaret:
			if !m.caret(n, i) {
				return false
			}
			n = n.next
		case sWordB:
			if m.wordBoundary(i, n.unicode) == n.neg {
				return false
			}
			n = n.next
		case sOpen:
			k := 2 * n.group
			old := m.caps[k]
			m.caps[k] = i
			if m.run(n.next, i) {
				return true
			}
			m.caps[k] = old
			return false
		case sClose:
			k := 2*n.group + 1
			old := m.caps[k]
			m.caps[k] = i
			if m.run(n.next, i) {
				return true
			}
			m.caps[k] = old
			return false
		case sAlt:
			if m.tick() {
				return false
			}
			last := len(n.alts) - 1
			for _, a := range n.alts[:last] {
				if m.run(a, i) {
					return true
				}
				if m.abort {
					return false
				}
			}
			n = n.alts[last]
		case sLoop:
			save := m.counts[n.slot]
			m.counts[n.slot] = 0
			if m.iterate(n, i) {
				return true
			}
			m.counts[n.slot] = save
			return false
		case sLoopTail:
			l := n.loop
			m.counts[l.slot]++
			if m.iterate(l, i) {
				return true
			}
			m.counts[l.slot]--
			return false
		case sAccept:
			if m.end >= 0 && i != m.end {
				return false
			}
			m.last = i
			return true
		}
	}
}

// tick counts a backtracking step and reports whether the budget is spent.
func (m *smatch) tick() bool {
	m.steps++
	if m.steps > stepBudget {
		m.abort = true
	}
	return m.abort
}

// iterate continues loop l at i after counts[l.slot] iterations.
func (m *smatch) iterate(l *snode, i int) bool {
	if m.tick() {
		return false
	}
	c := m.counts[l.slot]
	if c < l.min {
		return m.run(l.body, i)
	}
	more := l.max < 0 || c < l.max
	if l.q == qLazy {
		if m.run(l.next, i) {
			return true
		}
		return more && !m.abort && m.run(l.body, i)
	}
	if more && m.run(l.body, i) {
		return true
	}
	return !m.abort && m.run(l.next, i)
}

func (m *smatch) repChar(n *snode, i int) bool {
	s := m.s
	set := n.set
	c := 0
	if n.q == qLazy {
		for c < n.min {
			w := set.at(s, i)
			if w == 0 {
				return false
			}
			i += w
			c++
		}
		for {
			if m.run(n.next, i) {
				return true
			}
			if m.tick() || (n.max >= 0 && c >= n.max) {
				return false
			}
			w := set.at(s, i)
			if w == 0 {
				return false
			}
			i += w
			c++
		}
	}
	ascii := set.hi == nil
	if ascii {
		for i < len(s) && (n.max < 0 || c < n.max) {
			b := s[i]
			if b >= utf8.RuneSelf || set.ascii[b>>6]&(1<<(b&63)) == 0 {
				break
			}
			i++
			c++
		}
	} else {
		for n.max < 0 || c < n.max {
			w := set.at(s, i)
			if w == 0 {
				break
			}
			i += w
			c++
		}
	}
	if c < n.min {
		return false
	}
	if n.q == qPossessive {
		return m.run(n.next, i)
	}
	for {
		if m.run(n.next, i) {
			return true
		}
		if c == n.min || m.tick() {
			return false
		}
		if ascii {
			i--
		} else {
			_, w := utf8.DecodeLastRuneInString(s[:i])
			i -= w
		}
		c--
	}
}

// get returns a matcher for s from the pool.
func (p *simpleProg) get(s string) *smatch {
	m, _ := p.pool.Get().(*smatch)
	if m == nil {
		m = &smatch{p: p, caps: make([]int, p.ncap), counts: make([]int, p.nloop)}
	}
	m.s = s
	for i := range m.caps {
		m.caps[i] = -1
	}
	m.end = -1
	m.abort = false
	m.steps = 0
	return m
}

// put returns m to the pool.
func (p *simpleProg) put(m *smatch) {
	m.s = ""
	p.pool.Put(m)
}

// find searches from byte offset from; it reports the match in m.caps
// (group 0 included). ok false with m.abort set means the search must be
// redone on another engine.
func (m *smatch) find(from int) bool {
	p := m.p
	s := m.s
	m.steps = 0
	for i := range m.caps {
		m.caps[i] = -1
	}
	if p.anchored {
		if from != 0 {
			return false
		}
		return m.at(0)
	}
	guard := len(s) - p.minLen
	for i := from; i <= guard; i++ {
		for i < len(s) && !p.first[s[i]] {
			i++
		}
		if i > guard {
			return false
		}
		if p.wordStart {
			if i > 0 && isASCIIWordByte(s[i-1]) {
				i = skipWordRun(s, i)
				continue
			}
			if !p.prefixOK(s, i) || !m.at(i) {
				if m.abort {
					return false
				}
				// Every later byte of this run of ASCII word bytes
				// follows a word byte: no match starts there.
				i = skipWordRun(s, i)
				continue
			}
			return true
		}
		if !p.prefixOK(s, i) {
			continue
		}
		if m.at(i) {
			return true
		}
		if m.abort {
			return false
		}
	}
	return false
}

// skipWordRun returns the index of the last byte of the run of ASCII word
// bytes that s[i] (a word byte) belongs to.
func skipWordRun(s string, i int) int {
	for i+1 < len(s) && asciiWordBytes[s[i+1]] {
		i++
	}
	return i
}

// prefixOK checks the leading classes at i.
func (p *simpleProg) prefixOK(s string, i int) bool {
	if len(s)-i < len(p.prefix) {
		return false
	}
	for j, b := range p.prefix {
		c := s[i+j]
		if c >= utf8.RuneSelf || !b.hasASCII(c) {
			return false
		}
	}
	return true
}

// at tries a match starting at i.
func (m *smatch) at(i int) bool {
	if !m.run(m.p.start, i) {
		return false
	}
	m.caps[0], m.caps[1] = i, m.last
	return true
}
