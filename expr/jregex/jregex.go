// Package jregex runs Java (java.util.regex, JDK 17) regular expressions
// with Java's semantics: every Java pattern in a Sluice configuration goes
// through it.
//
// A pattern is parsed with Java's grammar (so it is rejected exactly when
// Java rejects it, with PatternSyntaxException's description and index)
// and translated into an equivalent github.com/dlclark/regexp2 pattern.
// Patterns made only of characters, classes, quantifiers, alternations,
// groups and simple anchors run on a byte-level backtracking matcher that
// follows Java's search order (simple.go); otherwise, when the translation
// only uses constructs that mean the same in Go's regexp package, matching
// runs on Go's linear-time engine, for inputs where that is provably
// equivalent. Positions are byte offsets into the UTF-8 input.
package jregex

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// DefaultMatchTimeout bounds one backtracking search; a pattern that
// backtracks catastrophically fails with ErrTimeout instead of hanging.
const DefaultMatchTimeout = 10 * time.Second

// ErrTimeout is returned (wrapped) when a search exceeds the match timeout.
var ErrTimeout = errors.New("regular expression match timed out")

// Regexp is a compiled Java pattern. It is safe for concurrent use.
type Regexp struct {
	pattern    string
	groupCount int
	names      map[string]int
	nameOrder  []string

	re     *regexp2.Regexp // find
	reNoG  *regexp2.Regexp // find after an empty match when \G is used
	whole  *regexp2.Regexp // matches()
	prefix *regexp2.Regexp // lookingAt()

	goRe, goWhole, goPrefix *regexp.Regexp
	goNeedASCII             bool
	goNeedNoTerm            bool
	emptyOK                 bool // the pattern can match the empty string

	pre prefilter

	simple *simpleProg    // nil: the pattern is not simple
	tc     *templateCache // last replacement parsed
}

// SyntaxError is Java's PatternSyntaxException.
type SyntaxError struct {
	Desc    string // getDescription()
	Pattern string // getPattern()
	Index   int    // getIndex(), -1 when unknown
}

// Error renders like PatternSyntaxException.getMessage.
func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(e.Desc)
	if e.Index >= 0 {
		fmt.Fprintf(&b, " near index %d", e.Index)
	}
	b.WriteString("\n")
	b.WriteString(e.Pattern)
	if e.Index >= 0 && e.Index < utf16Len(e.Pattern) {
		b.WriteString("\n")
		b.WriteString(strings.Repeat(" ", e.Index))
		b.WriteString("^")
	}
	return b.String()
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// Compile compiles a Java pattern (flags given inline, as in a Kafka
// Connect configuration).
func Compile(pattern string) (*Regexp, error) {
	root, p, err := parse(pattern)
	if err != nil {
		return nil, err
	}
	re := &Regexp{
		pattern:    pattern,
		groupCount: p.groups - 1,
		names:      p.names,
		nameOrder:  p.order,
		emptyOK:    canBeEmpty(root),
	}
	body := emitRegexp2(root, p.groups, false)
	if re.re, err = compile2(body); err != nil {
		return nil, fmt.Errorf("jregex: translating %q: %w", pattern, err)
	}
	if re.whole, err = compile2(`\A(?:` + body + `)\z`); err != nil {
		return nil, fmt.Errorf("jregex: translating %q: %w", pattern, err)
	}
	if re.prefix, err = compile2(`\A(?:` + body + `)`); err != nil {
		return nil, fmt.Errorf("jregex: translating %q: %w", pattern, err)
	}
	if hasLastMatch(root) {
		if re.reNoG, err = compile2(emitRegexp2(root, p.groups, true)); err != nil {
			return nil, fmt.Errorf("jregex: translating %q: %w", pattern, err)
		}
	}
	if gp, needASCII, needNoTerm, ok := emitGo(root, p.groups); ok && !re.emptyOK {
		g1, e1 := regexp.Compile(gp)
		g2, e2 := regexp.Compile(`\A(?:` + gp + `)\z`)
		g3, e3 := regexp.Compile(`\A(?:` + gp + `)`)
		if e1 == nil && e2 == nil && e3 == nil {
			re.goRe, re.goWhole, re.goPrefix = g1, g2, g3
			re.goNeedASCII, re.goNeedNoTerm = needASCII, needNoTerm
		}
	}
	re.pre = buildPrefilter(root)
	re.simple = compileSimple(root, p.groups)
	re.tc = &templateCache{}
	return re, nil
}

func compile2(p string) (*regexp2.Regexp, error) {
	r, err := regexp2.Compile(p, regexp2.None)
	if err != nil {
		return nil, err
	}
	r.MatchTimeout = DefaultMatchTimeout
	return r, nil
}

// MustCompile is Compile that panics on error.
func MustCompile(pattern string) *Regexp {
	re, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return re
}

// WithTimeout returns a copy of re whose backtracking searches give up
// after d.
func (re *Regexp) WithTimeout(d time.Duration) *Regexp {
	c := *re
	for _, p := range []**regexp2.Regexp{&c.re, &c.reNoG, &c.whole, &c.prefix} {
		if *p != nil {
			cp := **p
			cp.MatchTimeout = d
			*p = &cp
		}
	}
	return &c
}

// String returns the Java pattern.
func (re *Regexp) String() string { return re.pattern }

// GroupCount is Matcher.groupCount: the number of capturing groups.
func (re *Regexp) GroupCount() int { return re.groupCount }

// NamedGroups returns Pattern.namedGroups(): name → group number.
func (re *Regexp) NamedGroups() map[string]int {
	m := make(map[string]int, len(re.names))
	for k, v := range re.names {
		m[k] = v
	}
	return m
}

// GroupNames returns the group names in the order they appear.
func (re *Regexp) GroupNames() []string { return append([]string(nil), re.nameOrder...) }

// GroupIndex returns the number of a named group, or -1.
func (re *Regexp) GroupIndex(name string) int {
	if n, ok := re.names[name]; ok {
		return n
	}
	return -1
}

// Match is one match: byte offsets into the input.
type Match struct {
	// Groups holds [start, end) per group; index 0 is the whole match and
	// a group that did not participate is {-1, -1}.
	Groups [][2]int
}

// Start is the byte offset where the match starts.
func (m *Match) Start() int { return m.Groups[0][0] }

// End is the byte offset just after the match.
func (m *Match) End() int { return m.Groups[0][1] }

// Group returns group i's text in s and whether it participated.
func (m *Match) Group(s string, i int) (string, bool) {
	g := m.Groups[i]
	if g[0] < 0 {
		return "", false
	}
	return s[g[0]:g[1]], true
}

// input is one subject string prepared for matching.
type input struct {
	s      string
	useGo  bool
	runes  []rune
	offs   []int // rune index → byte offset (nil: ASCII, identity)
	rindex map[int]int
}

func (re *Regexp) prepare(s string) *input {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	in := &input{s: s}
	if re.goRe != nil {
		ascii, term := scanInput(s)
		in.useGo = (!re.goNeedASCII || ascii) && (!re.goNeedNoTerm || !term)
	}
	return in
}

// scanInput reports whether s is ASCII and whether it has a line terminator.
func scanInput(s string) (ascii, term bool) {
	ascii = true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			ascii = false
			term = term || strings.ContainsAny(s[i:], "\u0085\u2028\u2029\n\r")
			return
		}
		if c == '\n' || c == '\r' {
			term = true
		}
	}
	return
}

func (in *input) toRunes() {
	if in.runes != nil {
		return
	}
	in.runes = []rune(in.s)
	if len(in.runes) != len(in.s) {
		in.offs = make([]int, 0, len(in.runes)+1)
		for i := range in.s {
			in.offs = append(in.offs, i)
		}
		in.offs = append(in.offs, len(in.s))
	}
}

func (in *input) byteOff(r int) int {
	if in.offs == nil {
		return r
	}
	return in.offs[r]
}

func (in *input) runeIndex(b int) int {
	if in.offs == nil {
		return b
	}
	return utf8.RuneCountInString(in.s[:b])
}

func timeoutErr(re *Regexp, err error) error {
	return fmt.Errorf("jregex: pattern %q: %w (%v)", re.pattern, ErrTimeout, err)
}

func (re *Regexp) convert(in *input, m *regexp2.Match) *Match {
	out := &Match{Groups: make([][2]int, re.groupCount+1)}
	for i := 0; i <= re.groupCount; i++ {
		g := m.GroupByNumber(i)
		if g == nil || len(g.Captures) == 0 {
			out.Groups[i] = [2]int{-1, -1}
			continue
		}
		out.Groups[i] = [2]int{in.byteOff(g.Index), in.byteOff(g.Index + g.Length)}
	}
	return out
}

func goMatch(loc []int) *Match {
	out := &Match{Groups: make([][2]int, len(loc)/2)}
	for i := range out.Groups {
		out.Groups[i] = [2]int{loc[2*i], loc[2*i+1]}
	}
	return out
}

// anchored runs matches() (whole) or lookingAt() (!whole).
func (re *Regexp) anchored(s string, whole bool) (*Match, error) {
	if !re.pre.ok(s) {
		return nil, nil
	}
	if re.useSimple(s) {
		m := re.simple.get(s)
		defer re.simple.put(m)
		if whole {
			m.end = len(s)
		}
		if m.at(0) {
			return capsMatch(m.caps), nil
		}
		if !m.abort {
			return nil, nil
		}
	}
	in := re.prepare(s)
	if in.useGo {
		g := re.goPrefix
		if whole {
			g = re.goWhole
		}
		loc := g.FindStringSubmatchIndex(in.s)
		if loc == nil {
			return nil, nil
		}
		return goMatch(loc), nil
	}
	in.toRunes()
	r := re.prefix
	if whole {
		r = re.whole
	}
	m, err := r.FindRunesMatch(in.runes)
	if err != nil {
		return nil, timeoutErr(re, err)
	}
	if m == nil {
		return nil, nil
	}
	return re.convert(in, m), nil
}

// MatchesErr is Matcher.matches: the whole input matches.
func (re *Regexp) MatchesErr(s string) (bool, error) {
	m, err := re.anchored(s, true)
	return m != nil, err
}

// Matches is Matcher.matches; a timeout counts as no match.
func (re *Regexp) Matches(s string) bool {
	ok, _ := re.MatchesErr(s)
	return ok
}

// MatchWhole is Matcher.matches returning the groups.
func (re *Regexp) MatchWhole(s string) (*Match, error) { return re.anchored(s, true) }

// LookingAtErr is Matcher.lookingAt: a prefix of the input matches.
func (re *Regexp) LookingAtErr(s string) (bool, error) {
	m, err := re.anchored(s, false)
	return m != nil, err
}

// LookingAt is Matcher.lookingAt; a timeout counts as no match.
func (re *Regexp) LookingAt(s string) bool {
	ok, _ := re.LookingAtErr(s)
	return ok
}

// FindErr is Matcher.find: the pattern occurs in s.
func (re *Regexp) FindErr(s string) (bool, error) {
	ms, err := re.FindAll(s, 1)
	return len(ms) > 0, err
}

// Find is Matcher.find; a timeout counts as no match.
func (re *Regexp) Find(s string) bool {
	ok, _ := re.FindErr(s)
	return ok
}

// FindFirst returns the first match (Matcher.find once), or nil.
func (re *Regexp) FindFirst(s string) (*Match, error) {
	ms, err := re.FindAll(s, 1)
	if len(ms) == 0 {
		return nil, err
	}
	return ms[0], err
}

// FindAll returns the successive matches Matcher.find reports, at most n
// when n >= 0.
func (re *Regexp) FindAll(s string, n int) ([]*Match, error) {
	var out []*Match
	err := re.each(s, func(_ *input, m *Match) bool {
		out = append(out, m)
		return n < 0 || len(out) < n
	})
	return out, err
}

// each calls f for every match in order until f returns false.
func (re *Regexp) each(s string, f func(*input, *Match) bool) error {
	if !re.pre.ok(s) {
		return nil
	}
	return re.eachIn(re.prepareSimple(s), true, f)
}

// eachSlow is each on the engines other than the simple one.
func (re *Regexp) eachSlow(s string, f func(*input, *Match) bool) error {
	return re.eachIn(re.prepare(s), true, f)
}

// eachSpanSlow is eachSlow when only group 0 is needed (other groups may
// be absent).
func (re *Regexp) eachSpanSlow(s string, f func(*input, *Match) bool) error {
	return re.eachIn(re.prepare(s), false, f)
}

// useSimple reports whether the simple engine runs on the valid UTF-8 s.
func (re *Regexp) useSimple(s string) bool {
	return re.simple != nil && (!re.simple.hasLoop || len(s) <= maxLoopInput) && utf8.ValidString(s)
}

// prepareSimple is prepare, skipping the input scan when the simple
// engine will run.
func (re *Regexp) prepareSimple(s string) *input {
	if re.useSimple(s) {
		return &input{s: s}
	}
	return re.prepare(s)
}

// capsMatch converts capture positions (two per group) into a Match.
func capsMatch(caps []int) *Match {
	out := &Match{Groups: make([][2]int, len(caps)/2)}
	for i := range out.Groups {
		out.Groups[i] = [2]int{caps[2*i], caps[2*i+1]}
	}
	return out
}

func (re *Regexp) eachIn(in *input, groups bool, f func(*input, *Match) bool) error {
	if re.useSimple(in.s) && in.runes == nil && !in.useGo {
		m := re.simple.get(in.s)
		defer re.simple.put(m)
		pos := 0
		for {
			if !m.find(pos) {
				if m.abort {
					in.toRunes()
					return re.eachRegexp2(in, in.runeIndex(pos), f)
				}
				return nil
			}
			pos = m.caps[1]
			if !f(in, capsMatch(m.caps)) {
				return nil
			}
		}
	}
	if in.useGo {
		// The pattern cannot match empty, so Go's successive matches are
		// Java's.
		if !groups {
			for _, loc := range re.goRe.FindAllStringIndex(in.s, -1) {
				if !f(in, &Match{Groups: [][2]int{{loc[0], loc[1]}}}) {
					return nil
				}
			}
			return nil
		}
		for _, loc := range re.goRe.FindAllStringSubmatchIndex(in.s, -1) {
			if !f(in, goMatch(loc)) {
				return nil
			}
		}
		return nil
	}
	in.toRunes()
	return re.eachRegexp2(in, 0, f)
}

// eachRegexp2 runs the search loop on regexp2 from rune index start.
func (re *Regexp) eachRegexp2(in *input, start int, f func(*input, *Match) bool) error {
	first, last := -1, start // rune indexes of the previous match
	for {
		from := last
		r := re.re
		if from == first {
			from++
			if re.reNoG != nil {
				r = re.reNoG
			}
		}
		if from > len(in.runes) {
			return nil
		}
		m, err := r.FindRunesMatchStartingAt(in.runes, from)
		if err != nil {
			return timeoutErr(re, err)
		}
		if m == nil {
			return nil
		}
		first, last = m.Index, m.Index+m.Length
		if !f(in, re.convert(in, m)) {
			return nil
		}
	}
}

// Split is Pattern.split(s, limit).
func (re *Regexp) Split(s string, limit int) ([]string, error) {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	var list []string
	index := 0
	count := 0
	limited := limit > 0
	err := re.each(s, func(_ *input, m *Match) bool {
		st, en := m.Start(), m.End()
		if !limited || count < limit-1 {
			if index == 0 && st == 0 && st == en {
				return true
			}
			list = append(list, s[index:st])
			index = en
			count++
			return true
		}
		if count == limit-1 {
			list = append(list, s[index:])
			index = en
			count++
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if index == 0 {
		return []string{s}, nil
	}
	if !limited || count < limit {
		list = append(list, s[index:])
	}
	if limit == 0 {
		for len(list) > 0 && list[len(list)-1] == "" {
			list = list[:len(list)-1]
		}
	}
	return list, nil
}

// MayMatch reports whether s passes the pattern's quick checks: false
// means the pattern cannot occur in s; true means a search is needed.
func (re *Regexp) MayMatch(s string) bool { return re.pre.ok(s) }
