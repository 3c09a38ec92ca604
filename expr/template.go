// Package expr evaluates the expressions of Sluice configurations: the
// `${KEY}`, `${VALUE}`, `${TOPIC}`, `${PARTITION}`, `${TIMESTAMP,fmt}` and
// `${HEADER.name}` templates of the SIEM transformation library (this file),
// Java regular expressions (package jregex), SimpleDateFormat patterns
// (package jtime) and CEL conditions (package celexpr).
package expr

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/jtime"
)

// Template is a compiled `${…}` expression. A template without any
// recognised token is plain text and evaluates to itself.
//
// Evaluation follows the SIEM library exactly: the steps VALUE, KEY, TOPIC,
// PARTITION, HEADER and TIMESTAMP run one after another, each on the text the
// previous step produced, so substituted text is scanned again by the later
// steps. Token keywords are matched case-insensitively (ASCII only); header
// names are looked up case-sensitively. When the text then holds a
// `${TIMESTAMP,<word>}` token, every `${TIMESTAMP` becomes `{0,date` and the
// whole text is formatted by java.text.MessageFormat with the record time
// (quotes and braces anywhere in the text are interpreted by MessageFormat).
//
// A Template is immutable and safe for concurrent use.
type Template struct {
	src    string
	isExpr bool
	// segs are the literal pieces of src around its ${VALUE} tokens (step 1
	// is always the first operation, so it is resolved at compile time).
	segs []string
	// dates holds the date formats named by the TIMESTAMP tokens of src,
	// compiled once; formats named by record data are compiled on demand.
	dates map[string]*jtime.Format
}

// CompileTemplate compiles an expression. It never fails for plain text; the
// error return is kept for expression forms that can be rejected up front.
func CompileTemplate(s string) (*Template, error) {
	t := &Template{src: s, isExpr: ContainsExpr(s)}
	if !t.isExpr {
		return t, nil
	}
	rest := s
	for {
		i := indexTokenCI(rest, "${VALUE}")
		if i < 0 {
			t.segs = append(t.segs, rest)
			break
		}
		t.segs = append(t.segs, rest[:i])
		rest = rest[i+len("${VALUE}"):]
	}
	// Precompile the SimpleDateFormat patterns the template itself names.
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		if j, ok := matchTimestampToken(s, i); ok {
			word := s[strings.IndexByte(s[i:j], ',')+i+1 : j-1]
			if _, style := dateStyleOf(word); style {
				continue
			}
			if f, err := jtime.Compile(word); err == nil {
				if t.dates == nil {
					t.dates = map[string]*jtime.Format{}
				}
				t.dates[word] = f
			}
		}
	}
	return t, nil
}

// MustCompileTemplate is CompileTemplate that panics on error.
func MustCompileTemplate(s string) *Template {
	t, err := CompileTemplate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// String returns the expression as written.
func (t *Template) String() string { return t.src }

// IsExpr reports whether the template contains at least one recognised token
// (Java's containsEL); otherwise it evaluates to its text unchanged.
func (t *Template) IsExpr() bool { return t.isExpr }

// Eval evaluates the template on a record. Errors are those Java raises from
// the MessageFormat step (IllegalArgumentException, as *sluice.JavaError).
func (t *Template) Eval(r *sluice.Record) (string, error) {
	if !t.isExpr {
		return t.src, nil
	}
	// 1. ${VALUE}
	var s string
	if len(t.segs) == 1 {
		s = t.segs[0]
	} else {
		v := ""
		if r.Value != nil {
			v = sluice.JavaToString(r.Value)
		}
		n := len(v) * (len(t.segs) - 1)
		for _, sg := range t.segs {
			n += len(sg)
		}
		var b strings.Builder
		b.Grow(n)
		for i, sg := range t.segs {
			if i > 0 {
				b.WriteString(v)
			}
			b.WriteString(sg)
		}
		s = b.String()
	}
	// 2. ${KEY}, 3. ${TOPIC}, 4. ${PARTITION}
	if indexTokenCI(s, "${KEY}") >= 0 {
		k := ""
		if r.Key != nil {
			k = sluice.JavaToString(r.Key)
		}
		s = replaceTokenCI(s, "${KEY}", k)
	}
	if indexTokenCI(s, "${TOPIC}") >= 0 {
		s = replaceTokenCI(s, "${TOPIC}", r.Topic)
	}
	if indexTokenCI(s, "${PARTITION}") >= 0 {
		p := ""
		if r.HasPartition {
			p = strconv.FormatInt(int64(r.Partition), 10)
		}
		s = replaceTokenCI(s, "${PARTITION}", p)
	}
	// 5. headers
	s = substituteHeaders(s, r.Headers)
	// 6. timestamp
	if !hasTimestampToken(s) {
		return s, nil
	}
	ms := time.Now().UnixMilli()
	if r.HasTimestamp && r.Timestamp != 0 {
		ms = r.Timestamp
	}
	return t.messageFormat(replaceTokenCI(s, "${TIMESTAMP", "{0,date"), ms)
}

// ContainsExpr reports whether s holds a recognised `${…}` token: s is not
// blank and contains, ignoring ASCII case, ${KEY}, ${VALUE}, ${TOPIC},
// ${PARTITION}, ${TIMESTAMP,<word>} or ${HEADER.<name>} (name of word
// characters and dots).
func ContainsExpr(s string) bool {
	if JavaIsBlank(s) {
		return false
	}
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '$' || s[i+1] != '{' {
			continue
		}
		rest := s[i+2:]
		for _, kw := range [...]string{"KEY}", "VALUE}", "TOPIC}", "PARTITION}"} {
			if hasPrefixCI(rest, kw) {
				return true
			}
		}
		if hasPrefixCI(rest, "TIMESTAMP,") {
			j := len("TIMESTAMP,")
			k := j
			for k < len(rest) && isWordByte(rest[k]) {
				k++
			}
			if k > j && k < len(rest) && rest[k] == '}' {
				return true
			}
		}
		if _, _, ok := matchHeaderToken(s, i); ok {
			return true
		}
	}
	return false
}

// JavaIsBlank is commons-lang StringUtils.isBlank for a non-null string:
// empty or only Java whitespace (Character.isWhitespace).
func JavaIsBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			if !isJavaWhitespaceASCII(c) {
				return false
			}
			continue
		}
		for _, r := range s[i:] {
			if !IsJavaWhitespace(r) {
				return false
			}
		}
		return true
	}
	return true
}

func isJavaWhitespaceASCII(c byte) bool {
	return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1C && c <= 0x1F
}

// IsJavaWhitespace is Java's Character.isWhitespace.
func IsJavaWhitespace(r rune) bool {
	if r < 0x80 {
		return isJavaWhitespaceASCII(byte(r))
	}
	switch r {
	case 0x00A0, 0x2007, 0x202F:
		return false
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixCI reports whether s starts with the ASCII keyword p, ignoring
// ASCII case.
func hasPrefixCI(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if lowerASCII(s[i]) != lowerASCII(p[i]) {
			return false
		}
	}
	return true
}

// indexTokenCI returns the first index of the ASCII token tok (which starts
// with '$') in s ignoring ASCII case, or -1.
func indexTokenCI(s, tok string) int {
	for i := 0; i+len(tok) <= len(s); i++ {
		j := strings.IndexByte(s[i:], '$')
		if j < 0 {
			return -1
		}
		i += j
		if hasPrefixCI(s[i:], tok) {
			return i
		}
	}
	return -1
}

// replaceTokenCI replaces every occurrence of tok (ignoring ASCII case) by
// repl, literally, left to right; s is returned as is when tok is absent.
func replaceTokenCI(s, tok, repl string) string {
	i := indexTokenCI(s, tok)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(repl))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteString(repl)
		s = s[i+len(tok):]
		i = indexTokenCI(s, tok)
	}
	b.WriteString(s)
	return b.String()
}

// matchHeaderToken matches `${HEADER.<name>}` (keyword ignoring ASCII case,
// name of [A-Za-z0-9_.]) at s[i:], returning the name bounds and the end.
func matchHeaderToken(s string, i int) (name string, end int, ok bool) {
	const kw = "${HEADER."
	if !hasPrefixCI(s[i:], kw) {
		return "", 0, false
	}
	j := i + len(kw)
	k := j
	for k < len(s) && (isWordByte(s[k]) || s[k] == '.') {
		k++
	}
	if k < len(s) && s[k] == '}' {
		return s[j:k], k + 1, true
	}
	return "", 0, false
}

// substituteHeaders is step 5: every ${HEADER.<name>} occurrence of s (as it
// is now) is looked up in order, and each lookup replaces, in the current
// text, all matches of the regex (?i)\$\{HEADER\.<name>\} — where a '.' of
// the name matches any character but a line terminator.
func substituteHeaders(s string, h sluice.Headers) string {
	orig := s
	for i := 0; i < len(orig); i++ {
		j := strings.Index(orig[i:], "${")
		if j < 0 {
			break
		}
		i += j
		name, end, ok := matchHeaderToken(orig, i)
		if !ok {
			continue
		}
		repl := ""
		if hd, found := h.LastWithName(name); found {
			repl = sluice.JavaToString(hd.Value)
		}
		s = replaceHeaderPattern(s, name, repl)
		i = end - 1
	}
	return s
}

// matchHeaderPattern matches (?i)\$\{HEADER\.<name>\} at s[i:] and returns
// the end of the match.
func matchHeaderPattern(s string, i int, name string) (int, bool) {
	const kw = "${HEADER."
	if !hasPrefixCI(s[i:], kw) {
		return 0, false
	}
	p := i + len(kw)
	for k := 0; k < len(name); k++ {
		if p >= len(s) {
			return 0, false
		}
		if name[k] == '.' {
			c := s[p]
			if c < 0x80 {
				if c == '\n' || c == '\r' {
					return 0, false
				}
				p++
				continue
			}
			r, size := decodeRune(s[p:])
			if r == 0x85 || r == 0x2028 || r == 0x2029 {
				return 0, false
			}
			p += size
			continue
		}
		if lowerASCII(s[p]) != lowerASCII(name[k]) {
			return 0, false
		}
		p++
	}
	if p < len(s) && s[p] == '}' {
		return p + 1, true
	}
	return 0, false
}

func replaceHeaderPattern(s, name, repl string) string {
	var b *strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		end, ok := matchHeaderPattern(s, i, name)
		if !ok {
			continue
		}
		if b == nil {
			b = &strings.Builder{}
			b.Grow(len(s) + len(repl))
		}
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = end
		i = end - 1
	}
	if b == nil {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchTimestampToken matches `${TIMESTAMP\s*,\w+}` (keyword ignoring ASCII
// case) at s[i:], returning the end.
func matchTimestampToken(s string, i int) (int, bool) {
	const kw = "${TIMESTAMP"
	if !hasPrefixCI(s[i:], kw) {
		return 0, false
	}
	p := i + len(kw)
	for p < len(s) && (s[p] == ' ' || s[p] >= '\t' && s[p] <= '\r') {
		p++
	}
	if p >= len(s) || s[p] != ',' {
		return 0, false
	}
	p++
	q := p
	for q < len(s) && isWordByte(s[q]) {
		q++
	}
	if q == p || q >= len(s) || s[q] != '}' {
		return 0, false
	}
	return q + 1, true
}

func hasTimestampToken(s string) bool {
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(s[i:], '$')
		if j < 0 {
			return false
		}
		i += j
		if _, ok := matchTimestampToken(s, i); ok {
			return true
		}
	}
	return false
}
