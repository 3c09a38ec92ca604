package jregex

import (
	"strconv"
	"strings"
	"sync/atomic"

	"sluice.io/sluice"
)

// template is a parsed Java replacement string.
type template struct {
	parts []tpart
	err   error // thrown when the first match is replaced
}

type tpart struct {
	lit   string
	group int // -1: literal
}

// parseReplacement parses repl the way Matcher.appendReplacement expands it.
func (re *Regexp) parseReplacement(repl string) *template {
	t := &template{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, tpart{lit: lit.String(), group: -1})
			lit.Reset()
		}
	}
	fail := func(class, msg string) *template {
		t.err = &sluice.JavaError{Class: class, Msg: msg}
		return t
	}
	n := len(repl)
	for i := 0; i < n; {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i == n {
				return fail("IllegalArgumentException", "character to be escaped is missing")
			}
			_, w := decodeRune(repl[i:])
			lit.WriteString(repl[i : i+w])
			i += w
		case '$':
			i++
			if i == n {
				return fail("IllegalArgumentException", "Illegal group reference: group index is missing")
			}
			ref := -1
			if repl[i] == '{' {
				i++
				begin := i
				for i < n && isASCIIAlnum(rune(repl[i])) {
					i++
				}
				if begin == i {
					return fail("IllegalArgumentException", "named capturing group has 0 length name")
				}
				if i == n || repl[i] != '}' {
					return fail("IllegalArgumentException", "named capturing group is missing trailing '}'")
				}
				name := repl[begin:i]
				if isASCIIDigit(rune(name[0])) {
					return fail("IllegalArgumentException", "capturing group name {"+name+"} starts with digit character")
				}
				num, ok := re.names[name]
				if !ok {
					return fail("IllegalArgumentException", "No group with name {"+name+"}")
				}
				ref = num
				i++
			} else {
				ref = int(repl[i]) - '0'
				if ref < 0 || ref > 9 {
					return fail("IllegalArgumentException", "Illegal group reference")
				}
				i++
				for i < n {
					d := int(repl[i]) - '0'
					if d < 0 || d > 9 {
						break
					}
					nr := ref*10 + d
					if re.groupCount < nr {
						break
					}
					ref = nr
					i++
				}
			}
			if ref > re.groupCount {
				return fail("IndexOutOfBoundsException", "No group "+strconv.Itoa(ref))
			}
			flush()
			t.parts = append(t.parts, tpart{group: ref})
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	return t
}

func decodeRune(s string) (rune, int) {
	for i := 1; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			return 0, i
		}
	}
	return 0, len(s)
}

func (t *template) appendExpand(b []byte, s string, g [][2]int) []byte {
	for _, p := range t.parts {
		if p.group < 0 {
			b = append(b, p.lit...)
			continue
		}
		if x := g[p.group]; x[0] >= 0 {
			b = append(b, s[x[0]:x[1]]...)
		}
	}
	return b
}

func (t *template) appendExpandCaps(b []byte, s string, caps []int) []byte {
	for _, p := range t.parts {
		if p.group < 0 {
			b = append(b, p.lit...)
			continue
		}
		if a := caps[2*p.group]; a >= 0 {
			b = append(b, s[a:caps[2*p.group+1]]...)
		}
	}
	return b
}

// templateCache remembers the last replacement string parsed.
type templateCache struct {
	last atomic.Pointer[cachedTemplate]
}

type cachedTemplate struct {
	repl string
	t    *template
}

// template returns the parsed repl, reusing the last parse.
func (re *Regexp) template(repl string) *template {
	if c := re.tc.last.Load(); c != nil && c.repl == repl {
		return c.t
	}
	t := re.parseReplacement(repl)
	re.tc.last.Store(&cachedTemplate{repl: repl, t: t})
	return t
}

// Replacer is a pattern with a parsed Java replacement string, for
// replacing in many inputs.
type Replacer struct {
	re *Regexp
	t  *template
}

// Replacer parses repl (Matcher.appendReplacement syntax) for re. An
// invalid replacement is reported when the first match is replaced.
func (re *Regexp) Replacer(repl string) *Replacer {
	return &Replacer{re: re, t: re.parseReplacement(repl)}
}

// ReplaceAll is Matcher.replaceAll; s itself is returned when nothing
// matched.
func (r *Replacer) ReplaceAll(s string) (string, error) { return r.re.replaceString(s, r.t, -1) }

// ReplaceFirst is Matcher.replaceFirst.
func (r *Replacer) ReplaceFirst(s string) (string, error) { return r.re.replaceString(s, r.t, 1) }

// AppendReplaceAll appends the result of Matcher.replaceAll on s to dst
// and returns the number of replacements made. When there is none (or on
// error), dst is returned unchanged and the result is s itself.
func (r *Replacer) AppendReplaceAll(dst []byte, s string) ([]byte, int, error) {
	return r.re.appendReplace(dst, s, r.t, -1)
}

// ReplaceAll is Matcher.replaceAll with a Java replacement string. An
// invalid replacement fails (IllegalArgumentException or
// IndexOutOfBoundsException, as *sluice.JavaError) only when there is a
// match to replace, like Java. s itself is returned when nothing matched.
func (re *Regexp) ReplaceAll(s, repl string) (string, error) {
	if !re.pre.ok(s) {
		return s, nil
	}
	return re.replaceString(s, re.template(repl), -1)
}

// ReplaceFirst is Matcher.replaceFirst with a Java replacement string.
func (re *Regexp) ReplaceFirst(s, repl string) (string, error) {
	if !re.pre.ok(s) {
		return s, nil
	}
	return re.replaceString(s, re.template(repl), 1)
}

func (re *Regexp) replaceString(s string, t *template, n int) (string, error) {
	var stack [1024]byte
	b, count, err := re.appendReplace(stack[:0], s, t, n)
	if err != nil {
		return "", err
	}
	if count == 0 {
		return s, nil
	}
	return string(b), nil
}

// appendReplace appends s with at most n (n < 0: every) matches replaced
// by t to dst, and returns the number of replacements; with none, dst is
// returned as it was.
func (re *Regexp) appendReplace(dst []byte, s string, t *template, n int) ([]byte, int, error) {
	if !re.pre.ok(s) {
		return dst, 0, nil
	}
	if re.useSimple(s) {
		b, count, err, ok := re.appendReplaceSimple(dst, s, t, n)
		if ok {
			return b, count, err
		}
	}
	out, count, err := re.replaceGeneric(s, t, n)
	if count == 0 || err != nil {
		return dst, 0, err
	}
	return append(dst, out...), count, nil
}

// appendReplaceSimple is appendReplace on the simple engine; ok is false
// when the search must be redone on another engine.
func (re *Regexp) appendReplaceSimple(dst []byte, s string, t *template, n int) (b []byte, count int, err error, ok bool) {
	m := re.simple.get(s)
	defer re.simple.put(m)
	b = dst
	last := 0
	for n < 0 || count < n {
		if !m.find(last) {
			if m.abort {
				return dst, 0, nil, false
			}
			break
		}
		if count == 0 && t.err != nil {
			return dst, 0, t.err, true
		}
		b = append(b, s[last:m.caps[0]]...)
		b = t.appendExpandCaps(b, s, m.caps)
		last = m.caps[1]
		count++
	}
	if count == 0 {
		return dst, 0, nil, true
	}
	return append(b, s[last:]...), count, nil, true
}

// replaceGeneric builds the replacement on the other engines.
func (re *Regexp) replaceGeneric(s string, t *template, n int) ([]byte, int, error) {
	var b []byte
	last, count := 0, 0
	var terr error
	var subject string
	iter := re.eachSlow
	if re.groupCount == 0 || t.onlyGroupZero() {
		iter = re.eachSpanSlow
	}
	err := iter(s, func(in *input, m *Match) bool {
		if count == 0 {
			if t.err != nil {
				terr = t.err
				return false
			}
			subject = in.s
			b = make([]byte, 0, len(subject)+len(subject)/4+16)
		}
		b = append(b, subject[last:m.Start()]...)
		b = t.appendExpand(b, subject, m.Groups)
		last = m.End()
		count++
		return n < 0 || count < n
	})
	if err != nil {
		return nil, 0, err
	}
	if terr != nil {
		return nil, 0, terr
	}
	if count == 0 {
		return nil, 0, nil
	}
	return append(b, subject[last:]...), count, nil
}

// onlyGroupZero reports whether the template refers to no group but 0.
func (t *template) onlyGroupZero() bool {
	for _, p := range t.parts {
		if p.group > 0 {
			return false
		}
	}
	return true
}
