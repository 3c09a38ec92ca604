package jregex

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/runenames"
)

// parser reads a Java pattern the way java.util.regex.Pattern does, so
// that errors carry Java's descriptions and indexes.
type parser struct {
	pattern string
	temp    []rune // pattern code points after \Q…\E removal, plus two zeros
	plen    int
	cursor  int
	flags   int
	groups  int // capturing groups so far (+1 like Java's capturingGroupCount)
	names   map[string]int
	order   []string
}

// parseError aborts parsing; recovered in parse.
type parseError struct{ e *SyntaxError }

func (p *parser) fail(desc string) {
	panic(parseError{&SyntaxError{Desc: desc, Pattern: p.pattern, Index: p.cursor - 1}})
}

func parse(pattern string) (root *node, p *parser, err error) {
	p = &parser{pattern: pattern, groups: 1, names: map[string]int{}}
	rs := []rune(pattern)
	p.plen = len(rs)
	p.temp = append(rs, 0, 0)
	p.removeQE()
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				panic(r)
			}
			root, err = nil, pe.e
		}
	}()
	root = p.expr()
	if p.plen != p.cursor {
		if p.peek() == ')' {
			p.fail("Unmatched closing ')'")
		} else {
			p.fail("Unexpected internal error")
		}
	}
	return root, p, nil
}

func isASCIIAlpha(c rune) bool { return c < 0x80 && ((c|0x20) >= 'a' && (c|0x20) <= 'z') }
func isASCIIDigit(c rune) bool { return c >= '0' && c <= '9' }
func isASCIIAlnum(c rune) bool { return isASCIIAlpha(c) || isASCIIDigit(c) }
func isASCIISpace(c rune) bool { return c == ' ' || (c >= 0x09 && c <= 0x0D) }
func isHexDigit(c rune) bool {
	return isASCIIDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
func hexVal(c rune) int {
	switch {
	case c <= '9':
		return int(c - '0')
	case c >= 'a':
		return int(c-'a') + 10
	default:
		return int(c-'A') + 10
	}
}

// removeQE rewrites \Q…\E quoting into escapes, as Java does before parsing.
func (p *parser) removeQE() {
	t := p.temp
	n := p.plen
	i := 0
	for i < n-1 {
		if t[i] != '\\' {
			i++
		} else if t[i+1] != 'Q' {
			i += 2
		} else {
			break
		}
	}
	if i >= n-1 {
		return
	}
	out := make([]rune, 0, n*3+2)
	out = append(out, t[:i]...)
	i += 2
	inQuote, begin := true, true
	for i < n {
		c := t[i]
		i++
		switch {
		case c >= 0x80 || isASCIIAlpha(c):
			out = append(out, c)
		case isASCIIDigit(c):
			if begin {
				out = append(out, '\\', 'x', '3')
			}
			out = append(out, c)
		case c != '\\':
			if inQuote {
				out = append(out, '\\')
			}
			out = append(out, c)
		case inQuote:
			if t[i] == 'E' {
				i++
				inQuote = false
			} else {
				out = append(out, '\\', '\\')
			}
		default:
			if t[i] == 'Q' {
				i++
				inQuote, begin = true, true
				continue
			}
			out = append(out, c)
			if i != n {
				out = append(out, t[i])
				i++
			}
		}
		begin = false
	}
	p.plen = len(out)
	p.temp = append(out, 0, 0)
}

func (p *parser) has(f int) bool { return p.flags&f != 0 }

func (p *parser) at(i int) rune {
	if i < 0 || i >= len(p.temp) {
		return 0
	}
	return p.temp[i]
}

func (p *parser) peek() rune {
	ch := p.at(p.cursor)
	if p.has(flagComments) {
		ch = p.peekPastWhitespace(ch)
	}
	return ch
}

func (p *parser) read() rune {
	ch := p.at(p.cursor)
	p.cursor++
	if p.has(flagComments) {
		ch = p.parsePastWhitespace(ch)
	}
	return ch
}

func (p *parser) next() rune {
	p.cursor++
	ch := p.at(p.cursor)
	if p.has(flagComments) {
		ch = p.peekPastWhitespace(ch)
	}
	return ch
}

func (p *parser) nextEscaped() rune {
	p.cursor++
	return p.at(p.cursor)
}

func (p *parser) skip() rune {
	i := p.cursor
	ch := p.at(i + 1)
	p.cursor = i + 2
	return ch
}

func (p *parser) unread() { p.cursor-- }

func (p *parser) accept(ch rune, desc string) {
	t := p.at(p.cursor)
	p.cursor++
	if p.has(flagComments) {
		t = p.parsePastWhitespace(t)
	}
	if t != ch {
		p.fail(desc)
	}
}

func (p *parser) peekPastWhitespace(ch rune) rune {
	for isASCIISpace(ch) || ch == '#' {
		for isASCIISpace(ch) {
			p.cursor++
			ch = p.at(p.cursor)
		}
		if ch == '#' {
			ch = p.peekPastLine()
		}
	}
	return ch
}

func (p *parser) parsePastWhitespace(ch rune) rune {
	for isASCIISpace(ch) || ch == '#' {
		for isASCIISpace(ch) {
			ch = p.at(p.cursor)
			p.cursor++
		}
		if ch == '#' {
			ch = p.parsePastLine()
		}
	}
	return ch
}

func (p *parser) parsePastLine() rune {
	ch := p.at(p.cursor)
	p.cursor++
	for ch != 0 && !p.isLineSeparator(ch) {
		ch = p.at(p.cursor)
		p.cursor++
	}
	if ch == 0 && p.cursor > p.plen {
		p.cursor = p.plen
		ch = p.at(p.cursor)
		p.cursor++
	}
	return ch
}

func (p *parser) peekPastLine() rune {
	p.cursor++
	ch := p.at(p.cursor)
	for ch != 0 && !p.isLineSeparator(ch) {
		p.cursor++
		ch = p.at(p.cursor)
	}
	if ch == 0 && p.cursor > p.plen {
		p.cursor = p.plen
		ch = p.at(p.cursor)
	}
	return ch
}

func (p *parser) isLineSeparator(ch rune) bool {
	if p.has(flagUnixLines) {
		return ch == '\n'
	}
	return ch == '\n' || ch == '\r' || ch|1 == 0x2029 || ch == 0x85
}

// expr parses alternatives.
func (p *parser) expr() *node {
	var alts []*node
	for {
		alts = append(alts, p.sequence())
		if p.peek() != '|' {
			break
		}
		p.next()
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return &node{op: opAlt, subs: alts}
}

func seqOf(items []*node) *node {
	switch len(items) {
	case 0:
		return &node{op: opEmpty}
	case 1:
		return items[0]
	}
	return &node{op: opSeq, subs: items}
}

func charNode(c charset) *node { return &node{op: opChar, set: c} }

func (p *parser) sequence() *node {
	var items []*node
loop:
	for {
		ch := p.peek()
		var n *node
		switch ch {
		case '(':
			n = p.group0()
			if n != nil {
				items = append(items, n)
			}
			continue
		case '[':
			n = charNode(p.clazz(true))
		case '\\':
			ch = p.nextEscaped()
			if ch == 'p' || ch == 'P' {
				one, comp := true, ch == 'P'
				ch = p.next()
				if ch != '{' {
					p.unread()
				} else {
					one = false
				}
				n = charNode(p.family(one, comp))
			} else {
				p.unread()
				n = p.atom()
			}
		case '^':
			p.next()
			if p.has(flagMultiline) {
				n = &node{op: opCaret, unix: p.has(flagUnixLines)}
			} else {
				n = &node{op: opBegin}
			}
		case '$':
			p.next()
			n = &node{op: opDollar, unix: p.has(flagUnixLines), multi: p.has(flagMultiline)}
		case '.':
			p.next()
			switch {
			case p.has(flagDotAll):
				n = charNode(span(0, maxRune))
			case p.has(flagUnixLines):
				n = charNode(single('\n').negate())
			default:
				n = charNode(lineTerms.negate())
			}
		case '|', ')':
			break loop
		case ']', '}':
			n = p.atom()
		case '?', '*', '+':
			p.next()
			p.fail("Dangling meta character '" + string(ch) + "'")
		case 0:
			if p.cursor >= p.plen {
				break loop
			}
			n = p.atom()
		default:
			n = p.atom()
		}
		n = p.closure(n)
		items = append(items, n)
	}
	return seqOf(items)
}

// atom parses a run of literal characters or a single escape.
func (p *parser) atom() *node {
	var buf []rune
	prev := -1
	ch := p.peek()
	for {
		switch ch {
		case '*', '+', '?', '{':
			if len(buf) > 1 {
				p.cursor = prev
				buf = buf[:len(buf)-1]
			}
		case '$', '.', '^', '(', '[', '|', ')':
		case '\\':
			ch = p.nextEscaped()
			if ch == 'p' || ch == 'P' {
				if len(buf) > 0 {
					p.unread()
					break
				}
				comp, one := ch == 'P', true
				ch = p.next()
				if ch != '{' {
					p.unread()
				} else {
					one = false
				}
				return charNode(p.family(one, comp))
			}
			p.unread()
			prev = p.cursor
			c, n := p.escape(false, len(buf) == 0, false)
			if c >= 0 {
				buf = append(buf, c)
				ch = p.peek()
				continue
			} else if len(buf) == 0 {
				return n
			}
			p.cursor = prev
		case 0:
			if p.cursor >= p.plen {
				break
			}
			fallthrough
		default:
			prev = p.cursor
			buf = append(buf, ch)
			ch = p.next()
			continue
		}
		break
	}
	if len(buf) == 1 {
		return charNode(p.singleSet(buf[0]))
	}
	items := make([]*node, len(buf))
	for i, c := range buf {
		items[i] = charNode(p.singleSet(c))
	}
	if len(items) == 0 {
		return &node{op: opEmpty}
	}
	return &node{op: opSeq, subs: items}
}

// singleSet is Java's single(): a character under the current case flags.
func (p *parser) singleSet(ch rune) charset {
	if p.has(flagCaseIns) {
		if p.has(flagUnicodeCase) {
			return ciSingleU(ch)
		}
		if ch < 0x80 {
			return foldASCII(single(ch))
		}
	}
	return single(ch)
}

// escape parses a backslash escape. It returns the character (>= 0) or -1
// with the node the escape stands for (nil when create is false or the
// escape is a class inside a character class, which is returned as set).
func (p *parser) escape(inclass, create, isrange bool) (rune, *node) {
	c, n, _ := p.escapeSet(inclass, create, isrange)
	return c, n
}

func (p *parser) uni() bool { return p.has(flagUnicodeCC) }

func (p *parser) escapeSet(inclass, create, isrange bool) (rune, *node, charset) {
	ch := p.skip()
	var set charset
	switch ch {
	case '0':
		return p.octal(), nil, nil
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if inclass {
			break
		}
		var n *node
		if create {
			n = p.ref(int(ch - '0'))
		}
		return -1, n, nil
	case 'A':
		if inclass {
			break
		}
		return -1, &node{op: opBegin}, nil
	case 'B':
		if inclass {
			break
		}
		return -1, &node{op: opWordB, neg: true, unicode: p.uni()}, nil
	case 'D', 'd':
		if p.uni() {
			set = setDigit()
		} else {
			set = asciiDigit
		}
		if ch == 'D' {
			set = set.negate()
		}
		return -1, charNode(set), set
	case 'G':
		if inclass {
			break
		}
		return -1, &node{op: opLastMatch}, nil
	case 'H', 'h':
		set = horizWS
		if ch == 'H' {
			set = set.negate()
		}
		return -1, charNode(set), set
	case 'N':
		return p.charName(), nil, nil
	case 'R':
		if inclass {
			break
		}
		return -1, &node{op: opLineEnding}, nil
	case 'S', 's':
		if p.uni() {
			set = setWhiteSpaceU()
		} else {
			set = asciiSpace
		}
		if ch == 'S' {
			set = set.negate()
		}
		return -1, charNode(set), set
	case 'V', 'v':
		if ch == 'v' && isrange {
			return 0x0B, nil, nil
		}
		set = vertWS
		if ch == 'V' {
			set = set.negate()
		}
		return -1, charNode(set), set
	case 'W', 'w':
		if p.uni() {
			set = setWordU()
		} else {
			set = asciiWord
		}
		if ch == 'W' {
			set = set.negate()
		}
		return -1, charNode(set), set
	case 'X':
		if inclass {
			break
		}
		return -1, &node{op: opGrapheme}, nil
	case 'Z':
		if inclass {
			break
		}
		return -1, &node{op: opDollar, unix: p.has(flagUnixLines)}, nil
	case 'a':
		return 7, nil, nil
	case 'b':
		if inclass {
			break
		}
		if create {
			if p.peek() == '{' {
				if p.skip() == 'g' {
					if p.read() == '}' {
						return -1, &node{op: opGraphemeB}, nil
					}
					break
				}
				p.unread()
				p.unread()
			}
		}
		return -1, &node{op: opWordB, unicode: p.uni()}, nil
	case 'c':
		if p.cursor < p.plen {
			return p.read() ^ 64, nil, nil
		}
		p.fail("Illegal control escape sequence")
	case 'e':
		return 0x1B, nil, nil
	case 'f':
		return '\f', nil, nil
	case 'k':
		if inclass {
			break
		}
		if p.read() != '<' {
			p.fail("\\k is not followed by '<' for named capturing group")
		}
		name := p.groupname(p.read())
		num, ok := p.names[name]
		if !ok {
			p.fail("named capturing group <" + name + "> does not exist")
		}
		return -1, &node{op: opBackref, group: num, ci: p.has(flagCaseIns), ciU: p.has(flagUnicodeCase)}, nil
	case 'n':
		return '\n', nil, nil
	case 'r':
		return '\r', nil, nil
	case 't':
		return '\t', nil, nil
	case 'u':
		return p.uEscape(), nil, nil
	case 'x':
		return p.hexEscape(), nil, nil
	case 'z':
		if inclass {
			break
		}
		return -1, &node{op: opEnd}, nil
	case 'C', 'E', 'F', 'I', 'J', 'K', 'L', 'M', 'O', 'P', 'Q', 'T', 'U', 'Y',
		'g', 'i', 'j', 'l', 'm', 'o', 'p', 'q', 'y':
	default:
		return ch, nil, nil
	}
	p.fail("Illegal/unsupported escape sequence")
	return 0, nil, nil
}

// ref parses a numeric back reference with Java's digit rule.
func (p *parser) ref(num int) *node {
	for {
		ch := p.peek()
		if !isASCIIDigit(ch) {
			break
		}
		nn := num*10 + int(ch-'0')
		if p.groups-1 < nn {
			break
		}
		num = nn
		p.read()
	}
	return &node{op: opBackref, group: num, ci: p.has(flagCaseIns), ciU: p.has(flagUnicodeCase)}
}

func isOctal(c rune) bool { return c >= '0' && c <= '7' }

func (p *parser) octal() rune {
	n := p.read()
	if isOctal(n) {
		m := p.read()
		if isOctal(m) {
			o := p.read()
			if isOctal(o) && n <= '3' {
				return (n-'0')*64 + (m-'0')*8 + (o - '0')
			}
			p.unread()
			return (n-'0')*8 + (m - '0')
		}
		p.unread()
		return n - '0'
	}
	p.fail("Illegal octal escape sequence")
	return 0
}

func (p *parser) hexEscape() rune {
	n := p.read()
	if isHexDigit(n) {
		m := p.read()
		if isHexDigit(m) {
			return rune(hexVal(n)*16 + hexVal(m))
		}
	} else if n == '{' && isHexDigit(p.peek()) {
		ch := 0
		for {
			n = p.read()
			if !isHexDigit(n) {
				break
			}
			ch = ch<<4 + hexVal(n)
			if ch > maxRune {
				p.fail("Hexadecimal codepoint is too big")
			}
		}
		if n != '}' {
			p.fail("Unclosed hexadecimal escape sequence")
		}
		return rune(ch)
	}
	p.fail("Illegal hexadecimal escape sequence")
	return 0
}

func (p *parser) uxxxx() rune {
	n := 0
	for i := 0; i < 4; i++ {
		ch := p.read()
		if !isHexDigit(ch) {
			p.fail("Illegal Unicode escape sequence")
		}
		n = n*16 + hexVal(ch)
	}
	return rune(n)
}

func (p *parser) uEscape() rune {
	n := p.uxxxx()
	if n >= 0xD800 && n <= 0xDBFF {
		cur := p.cursor
		if p.read() == '\\' && p.read() == 'u' {
			n2 := p.uxxxx()
			if n2 >= 0xDC00 && n2 <= 0xDFFF {
				return (n-0xD800)<<10 + (n2 - 0xDC00) + 0x10000
			}
		}
		p.cursor = cur
	}
	return n
}

// charName parses \N{NAME}.
func (p *parser) charName() rune {
	if p.read() == '{' {
		i := p.cursor
		for p.read() != '}' {
			if p.cursor >= p.plen {
				p.fail("Unclosed character name escape sequence")
			}
		}
		name := string(p.temp[i : p.cursor-1])
		if r, ok := lookupCharName(name); ok {
			return r
		}
		p.fail("Unknown character name [" + name + "]")
	}
	p.fail("Illegal character name escape sequence")
	return 0
}

// lookupCharName implements Character.codePointOf: the Unicode name (case
// insensitive) or a "BLOCK NAME hex" form for unnamed code points.
func lookupCharName(name string) (rune, bool) {
	up := strings.ToUpper(strings.TrimFunc(name, func(r rune) bool { return r <= ' ' }))
	charNamesOnce.Do(func() {
		charNames = map[string]rune{}
		for r := rune(0); r <= maxRune; r++ {
			if r >= 0xD800 && r <= 0xDFFF {
				continue
			}
			if unicode.In(r, unicode.Co) {
				continue
			}
			n := runenames.Name(r)
			if n == "" || n[0] == '<' {
				continue
			}
			charNames[n] = r
		}
	})
	r, ok := charNames[up]
	return r, ok
}

var (
	charNamesOnce sync.Once
	charNames     map[string]rune
)

func (p *parser) groupname(ch rune) string {
	var b strings.Builder
	if !isASCIIAlpha(ch) {
		p.fail("capturing group name does not start with a Latin letter")
	}
	for {
		b.WriteRune(ch)
		ch = p.read()
		if !isASCIIAlnum(ch) {
			break
		}
	}
	if ch != '>' {
		p.fail("named capturing group is missing trailing '>'")
	}
	return b.String()
}

// group0 parses a group and its quantifier; nil for a pure flag group.
func (p *parser) group0() *node {
	save := p.flags
	var n *node
	ch := p.next()
	if ch == '?' {
		ch = p.skip()
		switch ch {
		case ':':
			n = &node{op: opGroup, sub: p.expr()}
		case '=', '!':
			n = &node{op: opLook, neg: ch == '!', sub: p.expr()}
		case '>':
			n = &node{op: opAtomic, sub: p.expr()}
		case '<':
			ch = p.read()
			if ch != '=' && ch != '!' {
				name := p.groupname(ch)
				if _, dup := p.names[name]; dup {
					p.fail("Named capturing group <" + name + "> is already defined")
				}
				num := p.groups
				p.groups++
				p.names[name] = num
				p.order = append(p.order, name)
				n = &node{op: opCapture, group: num}
				n.sub = p.expr()
				break
			}
			start := p.cursor
			body := p.expr()
			info := newInfo()
			study(body, &info)
			if !info.maxValid {
				p.fail("Look-behind group does not have an obvious maximum length")
			}
			n = &node{op: opLook, behind: true, neg: ch == '!', sub: body}
			n.bmpOnlyBehind = true
			for _, r := range p.temp[start:p.plen] {
				if r >= 0x10000 || (r >= 0xD800 && r <= 0xDFFF) {
					n.bmpOnlyBehind = false
				}
			}
		case '$', '@':
			p.fail("Unknown group type")
		default:
			p.unread()
			p.addFlag()
			ch = p.read()
			if ch == ')' {
				return nil
			}
			if ch != ':' {
				p.fail("Unknown inline modifier")
			}
			n = &node{op: opGroup, sub: p.expr()}
		}
	} else {
		num := p.groups
		p.groups++
		n = &node{op: opCapture, group: num, sub: p.expr()}
	}
	p.accept(')', "Unclosed group")
	p.flags = save
	q := p.closure(n)
	if q != n && q.op == opRepeat && q.rkind == rCurly && q.qkind != qPossessive &&
		(n.op == opCapture || n.op == opGroup) {
		info := newInfo()
		if study(n.sub, &info) {
			q.rkind = rGroupCurly
		} else {
			q.rkind = rLoop
		}
	}
	return q
}

func (p *parser) addFlag() {
	ch := p.peek()
	for {
		switch ch {
		case 'i':
			p.flags |= flagCaseIns
		case 'm':
			p.flags |= flagMultiline
		case 's':
			p.flags |= flagDotAll
		case 'd':
			p.flags |= flagUnixLines
		case 'u':
			p.flags |= flagUnicodeCase
		case 'c':
			p.flags |= flagCanonEq
		case 'x':
			p.flags |= flagComments
		case 'U':
			p.flags |= flagUnicodeCC | flagUnicodeCase
		case '-':
			p.next()
			p.subFlag()
			return
		default:
			return
		}
		ch = p.next()
	}
}

func (p *parser) subFlag() {
	ch := p.peek()
	for {
		switch ch {
		case 'i':
			p.flags &^= flagCaseIns
		case 'm':
			p.flags &^= flagMultiline
		case 's':
			p.flags &^= flagDotAll
		case 'd':
			p.flags &^= flagUnixLines
		case 'u':
			p.flags &^= flagUnicodeCase
		case 'c':
			p.flags &^= flagCanonEq
		case 'x':
			p.flags &^= flagComments
		case 'U':
			p.flags &^= flagUnicodeCC | flagUnicodeCase
		default:
			return
		}
		ch = p.next()
	}
}

const maxReps = 0x7FFFFFFF

func (p *parser) qtype() int {
	ch := p.next()
	if ch == '?' {
		p.next()
		return qLazy
	} else if ch == '+' {
		p.next()
		return qPossessive
	}
	return qGreedy
}

func isCharNode(n *node) bool { return n.op == opChar }

func (p *parser) curly(prev *node, cmin int) *node {
	q := p.qtype()
	rk := rCurly
	if q == qGreedy && isCharNode(prev) {
		rk = rCharGreedy
	}
	return &node{op: opRepeat, sub: prev, min: cmin, max: -1, qkind: q, rkind: rk}
}

func (p *parser) closure(prev *node) *node {
	ch := p.peek()
	switch ch {
	case '?':
		return &node{op: opRepeat, sub: prev, min: 0, max: 1, qkind: p.qtype(), rkind: rQues}
	case '*':
		return p.curly(prev, 0)
	case '+':
		return p.curly(prev, 1)
	case '{':
		ch = p.skip()
		if !isASCIIDigit(ch) {
			p.fail("Illegal repetition")
		}
		var cmin, cmax int64
		overflow := false
		for {
			cmin = cmin*10 + int64(ch-'0')
			if cmin > maxReps {
				overflow = true
				break
			}
			ch = p.read()
			if !isASCIIDigit(ch) {
				break
			}
		}
		if overflow {
			p.fail("Illegal repetition range")
		}
		if ch == ',' {
			ch = p.read()
			if ch == '}' {
				p.unread()
				return p.curly(prev, int(cmin))
			}
			for isASCIIDigit(ch) {
				cmax = cmax*10 + int64(ch-'0')
				if cmax > maxReps {
					p.fail("Illegal repetition range")
				}
				ch = p.read()
			}
		} else {
			cmax = cmin
		}
		if ch != '}' {
			p.fail("Unclosed counted closure")
		}
		if cmax < cmin {
			p.fail("Illegal repetition range")
		}
		p.unread()
		if cmin == 0 && cmax == 1 {
			return &node{op: opRepeat, sub: prev, min: 0, max: 1, qkind: p.qtype(), rkind: rQues}
		}
		max := int(cmax)
		return &node{op: opRepeat, sub: prev, min: int(cmin), max: max, qkind: p.qtype(), rkind: rCurly, neg: cmax == maxReps}
	}
	return prev
}

// clazz parses a character class; the opening '[' is at the cursor.
func (p *parser) clazz(consume bool) charset {
	var prev charset
	var curr charset
	havePrev, haveCurr := false, false
	var bits charset
	hasBits := false
	isNeg := false
	ch := p.next()
	if ch == '^' && p.at(p.cursor-1) == '[' {
		ch = p.next()
		isNeg = true
	}
	unionPrev := func(c charset) {
		if !havePrev {
			prev, havePrev = c, true
		} else {
			prev = prev.union(c)
		}
	}
	for {
		switch ch {
		case '[':
			curr, haveCurr = p.clazz(true), true
			unionPrev(curr)
			ch = p.peek()
			continue
		case '&':
			ch = p.next()
			if ch == '&' {
				ch = p.next()
				var right charset
				haveRight := false
				for ch != ']' && ch != '&' {
					var part charset
					if ch == '[' {
						part = p.clazz(true)
					} else {
						p.unread()
						part = p.clazz(false)
					}
					if !haveRight {
						right, haveRight = part, true
					} else {
						right = right.union(part)
					}
					ch = p.peek()
				}
				if hasBits {
					if !havePrev {
						prev, havePrev = bits, true
						curr, haveCurr = bits, true
					} else {
						prev = prev.union(bits)
					}
					hasBits = false
					bits = nil
				}
				if haveRight {
					curr, haveCurr = right, true
				}
				if !havePrev {
					if !haveRight {
						p.fail("Bad class syntax")
					}
					prev, havePrev = right, true
				} else {
					if !haveCurr {
						p.fail("Bad intersection syntax")
					}
					prev = prev.intersect(curr)
				}
			} else {
				p.unread()
				break
			}
			continue
		case 0:
			if p.cursor >= p.plen {
				p.fail("Unclosed character class")
			}
		case ']':
			if havePrev || hasBits {
				if consume {
					p.next()
				}
				if !havePrev {
					prev = bits
				} else if hasBits {
					prev = prev.union(bits)
				}
				if isNeg {
					return prev.negate()
				}
				return prev
			}
		}
		c, isBits := p.rangeItem()
		if isBits {
			hasBits = true
			bits = bits.union(c)
		} else {
			curr, haveCurr = c, true
			unionPrev(c)
		}
		ch = p.peek()
	}
}

// bitsOrSingle mirrors Java: Latin-1 characters go to the class bitmap
// (isBits true), others are single-character predicates.
func (p *parser) bitsOrSingle(ch rune) (charset, bool) {
	ciu := p.has(flagCaseIns) && p.has(flagUnicodeCase)
	if ch < 256 && !(ciu && (ch == 0xff || ch == 0xb5 || ch == 0x49 || ch == 0x69 ||
		ch == 0x53 || ch == 0x73 || ch == 0x4b || ch == 0x6b || ch == 0xc5 || ch == 0xe5)) {
		set := single(ch)
		if p.has(flagCaseIns) {
			if ch < 0x80 {
				set = foldASCII(set)
			} else if p.has(flagUnicodeCase) {
				for _, r := range []rune{unicode.ToLower(ch), unicode.ToUpper(ch)} {
					if r < 256 {
						set = set.union(single(r))
					}
				}
			}
		}
		return set, true
	}
	return p.singleSet(ch), false
}

// rangeItem parses one class item: a character, a range or an escape.
func (p *parser) rangeItem() (charset, bool) {
	ch := p.peek()
	if ch == '\\' {
		ch = p.nextEscaped()
		if ch == 'p' || ch == 'P' {
			comp, one := ch == 'P', true
			ch = p.next()
			if ch != '{' {
				p.unread()
			} else {
				one = false
			}
			return p.family(one, comp), false
		}
		isrange := p.at(p.cursor+1) == '-'
		p.unread()
		c, _, set := p.escapeSet(true, true, isrange)
		if c == -1 {
			return set, false
		}
		ch = c
	} else {
		p.next()
	}
	if ch >= 0 {
		if p.peek() == '-' {
			end := p.at(p.cursor + 1)
			if end == '[' {
				return p.bitsOrSingle(ch)
			}
			if end != ']' {
				p.next()
				m := p.peek()
				if m == '\\' {
					m, _ = p.escape(true, false, true)
				} else {
					p.next()
				}
				if m < ch {
					p.fail("Illegal character range")
				}
				if p.has(flagCaseIns) {
					if p.has(flagUnicodeCase) {
						return ciRangeU(ch, m), false
					}
					return ciRangeASCII(ch, m), false
				}
				return span(ch, m), false
			}
		}
		return p.bitsOrSingle(ch)
	}
	p.fail("Unexpected character '" + string(ch) + "'")
	return nil, false
}

// family parses \p{…}/\pX after the p (and the brace when present).
func (p *parser) family(singleLetter, comp bool) charset {
	p.next()
	var name string
	if singleLetter {
		name = string(p.at(p.cursor))
		p.read()
	} else {
		i := p.cursor
		p.temp[p.plen] = '}'
		for p.read() != '}' {
		}
		p.temp[p.plen] = 0
		j := p.cursor
		if j > p.plen {
			p.fail("Unclosed character family")
		}
		if i+1 >= j {
			p.fail("Empty character family")
		}
		name = string(p.temp[i : j-1])
	}
	ci := p.has(flagCaseIns)
	var set charset
	ok := false
	if i := strings.IndexByte(name, '='); i >= 0 {
		value := name[i+1:]
		key := strings.ToLower(name[:i])
		switch key {
		case "sc", "script":
			set, ok = scriptSet(value)
		case "blk", "block":
			set, ok = blockSet(value)
		case "gc", "general_category":
			set, ok = propertySet(value, ci)
		}
		if !ok {
			p.fail("Unknown Unicode property {name=<" + key + ">, value=<" + value + ">}")
		}
	} else {
		switch {
		case strings.HasPrefix(name, "In"):
			set, ok = blockSet(name[2:])
		case strings.HasPrefix(name, "Is"):
			short := name[2:]
			set, ok = unicodeBinarySet(strings.ToUpper(short), ci)
			if !ok {
				set, ok = propertySet(short, ci)
			}
			if !ok {
				set, ok = scriptSet(short)
			}
		default:
			if p.has(flagUnicodeCC) {
				set, ok = posixSet(strings.ToUpper(name), ci)
			}
			if !ok {
				set, ok = propertySet(name, ci)
			}
		}
		if !ok {
			p.fail("Unknown character property name {" + name + "}")
		}
	}
	if comp {
		set = set.negate()
	}
	return set
}
