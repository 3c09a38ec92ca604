package jregex

import (
	"strconv"
	"strings"

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

// onlyGroupZero reports whether repl can reference no group but 0 (any
// other reference makes the full parse decide).
func onlyGroupZero(repl string) bool {
	for i := 0; i < len(repl); i++ {
		switch repl[i] {
		case '\\':
			i++
		case '$':
			if i+1 >= len(repl) || repl[i+1] != '0' {
				return false
			}
		}
	}
	return true
}

func decodeRune(s string) (rune, int) {
	for i := 1; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			return 0, i
		}
	}
	return 0, len(s)
}

func (t *template) expand(b *strings.Builder, s string, m *Match) {
	for _, p := range t.parts {
		if p.group < 0 {
			b.WriteString(p.lit)
			continue
		}
		if g := m.Groups[p.group]; g[0] >= 0 {
			b.WriteString(s[g[0]:g[1]])
		}
	}
}

// ReplaceAll is Matcher.replaceAll with a Java replacement string. An
// invalid replacement fails (IllegalArgumentException or
// IndexOutOfBoundsException, as *sluice.JavaError) only when there is a
// match to replace, like Java.
func (re *Regexp) ReplaceAll(s, repl string) (string, error) {
	return re.replace(s, repl, -1)
}

// ReplaceFirst is Matcher.replaceFirst with a Java replacement string.
func (re *Regexp) ReplaceFirst(s, repl string) (string, error) {
	return re.replace(s, repl, 1)
}

func (re *Regexp) replace(s, repl string, n int) (string, error) {
	if !re.pre.ok(s) {
		return s, nil
	}
	var t *template
	var b strings.Builder
	last := 0
	count := 0
	var terr error
	var subject string
	iter := re.each
	if re.groupCount > 0 && onlyGroupZero(repl) {
		iter = re.eachSpan
	} else if re.groupCount == 0 {
		iter = re.eachSpan
	}
	err := iter(s, func(in *input, m *Match) bool {
		if t == nil {
			t = re.parseReplacement(repl)
			if t.err != nil {
				terr = t.err
				return false
			}
			subject = in.s
			b.Grow(len(subject) + len(repl))
		}
		b.WriteString(subject[last:m.Start()])
		t.expand(&b, subject, m)
		last = m.End()
		count++
		return n < 0 || count < n
	})
	if err != nil {
		return "", err
	}
	if terr != nil {
		return "", terr
	}
	if t == nil {
		return s, nil
	}
	b.WriteString(subject[last:])
	return b.String(), nil
}
