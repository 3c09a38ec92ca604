package jregex

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// slowCopy returns re running on regexp2 only.
func slowCopy(re *Regexp) *Regexp {
	c := *re
	c.simple = nil
	c.goRe, c.goWhole, c.goPrefix = nil, nil, nil
	return &c
}

// compareEngines reports the first difference between re's simple engine
// and regexp2 on in, or "" (and whether regexp2 gave up).
func compareEngines(re *Regexp, in string) (diff string, timeout bool) {
	slow := slowCopy(re).WithTimeout(time.Second)
	want, err := slow.FindAll(in, -1)
	if errors.Is(err, ErrTimeout) {
		return "", true
	}
	got, err2 := re.FindAll(in, -1)
	if err != nil || err2 != nil {
		return fmt.Sprintf("errors %v / %v", err2, err), false
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("find: simple %v, regexp2 %v", got, want), false
	}
	for _, whole := range []bool{true, false} {
		a, err1 := re.anchored(in, whole)
		b, err2 := slow.anchored(in, whole)
		if errors.Is(err2, ErrTimeout) {
			return "", true
		}
		if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
			return fmt.Sprintf("anchored(whole=%v): simple %v, regexp2 %v", whole, a, b), false
		}
	}
	r1, err1 := re.ReplaceAll(in, "<$0>")
	r2, err2 := slow.ReplaceAll(in, "<$0>")
	if err1 != nil || err2 != nil || r1 != r2 {
		return fmt.Sprintf("replaceAll: simple %q %v, regexp2 %q %v", r1, err1, r2, err2), false
	}
	return "", false
}

type regexVector struct {
	ID, Pattern, Input string
	Find               []struct {
		U8     [2]int
		Groups []*string
	}
}

// TestSimpleEngineVectors runs every vector pattern the simple engine
// accepts on both engines and against the recorded Java matches.
func TestSimpleEngineVectors(t *testing.T) {
	f, err := os.Open("../../conformance/testdata/java-regex.jsonl")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	extra := []string{"", "abc 123", "a-raw", "x\ny\r\n", "4111-1111-1111-1111 123-45-6789", "AbC_dEf 9 ...,;",
		"café naïve e\u0301 😀 x", "\r\n", "a\u2028b\u0085", "__ 12 ab-cd ef"}
	accepted, inputs := 0, 0
	for sc.Scan() {
		var v regexVector
		if json.Unmarshal(sc.Bytes(), &v) != nil {
			continue
		}
		re, err := Compile(v.Pattern)
		if err != nil || re.simple == nil {
			continue
		}
		accepted++
		if v.Find != nil {
			ms, err := re.FindAll(v.Input, -1)
			if err != nil || len(ms) != len(v.Find) {
				t.Errorf("%s %q on %q: %d matches, Java %d (%v)", v.ID, v.Pattern, v.Input, len(ms), len(v.Find), err)
			} else {
				for i, m := range ms {
					if m.Groups[0] != v.Find[i].U8 {
						t.Errorf("%s: match %d at %v, Java %v", v.ID, i, m.Groups[0], v.Find[i].U8)
					}
					for g, want := range v.Find[i].Groups {
						got, ok := m.Group(v.Input, g)
						if ok != (want != nil) || (ok && got != *want) {
							t.Errorf("%s: match %d group %d = %q/%v, Java %v", v.ID, i, g, got, ok, want)
						}
					}
				}
			}
		}
		for _, in := range append([]string{v.Input}, extra...) {
			inputs++
			if d, _ := compareEngines(re, in); d != "" {
				t.Errorf("%s %q on %q: %s", v.ID, v.Pattern, in, d)
			}
		}
	}
	t.Logf("simple engine: %d vector patterns, %d inputs compared", accepted, inputs)
	if accepted < 20 {
		t.Fatalf("only %d vector patterns run on the simple engine", accepted)
	}
}

func TestSimpleEngineChosen(t *testing.T) {
	for _, p := range []string{cardPattern, ssnPattern, `\b(\d{4})[- ]?(\d{4})\b`, `(?i)user=(\w+)`, `(ab|cd){2}x`,
		`a+?b`, `\d++x`, `^\s+$`, `(?m)^a$`, `(?:a|bc)+?d`, `(?:\d{4}[- ]?){3}\d{4}`} {
		if MustCompile(p).simple == nil {
			t.Errorf("%q should run on the simple engine", p)
		}
	}
	for _, p := range []string{`a*`, `(a)\1`, `(?<=a)b`, `(?:a|ab)+c`, `(?:(a)b)+`, `(?>a)`, `(?:ab)++`, `\Ga`, `\R`} {
		if MustCompile(p).simple != nil {
			t.Errorf("%q must not run on the simple engine", p)
		}
	}
}

// TestSimpleEngineCases pins Java results (checked with JDK 17).
func TestSimpleEngineCases(t *testing.T) {
	tests := []struct {
		pattern, input string
		want           []string
	}{
		{`\b\w+\b`, "e\u0301x ab", []string{"ab"}},
		{`\b.`, "\u0301a", []string{"a"}},
		{`\b\p{L}`, "😀\u0301a é", []string{"a", "é"}},
		{`\b\d{3}-\d{2}-\d{4}\b`, "a123-45-6789 123-45-6789", []string{"123-45-6789"}},
		// \b before a word character: only the first byte of a run of word
		// bytes can start a match, whether or not a match failed there.
		{`\b\d{4}`, "12345 x1234 _1234 -1234 é1234 1234", []string{"1234", "1234", "1234"}},
		{`\b\d{2}x`, "12y12x 123x 12x", []string{"12x"}},
		{`\b\d+\b`, "a1 22 3b 4-5 666", []string{"22", "4", "5", "666"}},
		{`(ab|a)(c|bcd)`, "abcd", []string{"abc"}},
		{`a{2,3}?b`, "aaab", []string{"aaab"}},
		{`x*+x`, "xxx", nil},
		{`(?:ab){2,}`, "abababa", []string{"ababab"}},
		{`.$`, "ab\r\n", []string{"b"}},
		{`(?m)^.`, "a\r\nb", []string{"a", "b"}},
		{`\Bb`, "ab b", []string{"b"}},
		{`é+`, "éé😀é", []string{"éé", "é"}},
	}
	for _, tc := range tests {
		re := MustCompile(tc.pattern)
		if re.simple == nil {
			t.Errorf("%q: not on the simple engine", tc.pattern)
			continue
		}
		ms, err := re.FindAll(tc.input, -1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			g, _ := m.Group(tc.input, 0)
			got = append(got, g)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q on %q: got %q, want %q", tc.pattern, tc.input, got, tc.want)
		}
	}
}

func TestSimpleEngineBudget(t *testing.T) {
	re := MustCompile(`(?:a|b)(?:a|b)\w*\w*\w*\w*\w*\w*c`)
	if re.simple == nil {
		t.Fatal("pattern should be simple")
	}
	in := "c" + strings.Repeat("ab", 30)
	ms, err := re.WithTimeout(20*time.Millisecond).FindAll(in, -1)
	if !errors.Is(err, ErrTimeout) || len(ms) != 0 {
		t.Fatalf("want ErrTimeout from the fallback engine, got %v %v", ms, err)
	}
}

func TestPrefilterSWAR(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "0123456789--  abcXYZé\n"
	for _, p := range []string{cardPattern, ssnPattern, `[a-c]{3}[X-Z]x`, `\d{2}[-_.:]{2}[ab]`} {
		re := MustCompile(p)
		table := re.pre
		table.ranges = nil
		if re.pre.ranges == nil {
			t.Fatalf("%q: no SWAR ranges", p)
		}
		for i := 0; i < 3000; i++ {
			n := rng.IntN(80)
			var b strings.Builder
			for j := 0; j < n; j++ {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
			s := b.String()
			if re.pre.ok(s) != table.ok(s) {
				t.Fatalf("%q on %q: SWAR %v, table %v", p, s, re.pre.ok(s), table.ok(s))
			}
		}
	}
}

// fuzzAtoms and friends are the pieces random simple patterns are made of.
var (
	fuzzAtoms = []string{"a", "b", "-", " ", "1", "é", `\d`, `\w`, `\s`, `\W`, `[a-c]`, `[^b]`, ".", `[- ]`, `\p{L}`,
		`[\x{301}]`, `_`, `\.`, `[0-9a-f]`, `(?i:a)`, "\u0301", "😀"}
	fuzzQuants  = []string{"", "", "", "?", "*", "+", "{2}", "{1,3}", "{2,}", "{0,2}"}
	fuzzSuffix  = []string{"", "", "?", "+"}
	fuzzAsserts = []string{`\b`, `\B`, `^`, `$`, `\A`, `\z`, `\Z`}
	fuzzInput   = []string{"a", "b", "1", "2", " ", "-", "_", "é", "e", "\u0301", "😀", "\n", "\r", ".", "x", "A", "\u2028"}
)

// genPattern builds a pattern from data.
func genPattern(data []byte) string {
	i := 0
	next := func(n int) int {
		if i >= len(data) {
			return 0
		}
		v := int(data[i]) % n
		i++
		return v
	}
	var b strings.Builder
	switch next(6) {
	case 1:
		b.WriteString("(?m)")
	case 2:
		b.WriteString("(?i)")
	}
	var seq func(depth int)
	seq = func(depth int) {
		n := 1 + next(4)
		for k := 0; k < n; k++ {
			switch c := next(10); {
			case c < 6 || depth > 1:
				b.WriteString(fuzzAtoms[next(len(fuzzAtoms))])
			case c < 8:
				b.WriteString(fuzzAsserts[next(len(fuzzAsserts))])
				continue
			default:
				open := []string{"(", "(?:"}[next(2)]
				b.WriteString(open)
				seq(depth + 1)
				if next(3) == 0 {
					b.WriteString("|")
					seq(depth + 1)
				}
				b.WriteString(")")
			}
			if q := fuzzQuants[next(len(fuzzQuants))]; q != "" {
				b.WriteString(q)
				b.WriteString(fuzzSuffix[next(len(fuzzSuffix))])
			}
		}
	}
	seq(0)
	if next(4) == 0 {
		b.WriteString("|")
		seq(1)
	}
	return b.String()
}

func genInput(data []byte) string {
	var b strings.Builder
	for _, c := range data {
		b.WriteString(fuzzInput[int(c)%len(fuzzInput)])
	}
	return b.String()
}

// FuzzSimpleEngine compares the simple engine with regexp2 on random
// simple patterns and inputs.
func FuzzSimpleEngine(f *testing.F) {
	f.Add([]byte{0, 3, 4, 5, 6}, []byte("ab 12-3"), "4111-1111-1111-1111 x")
	f.Add([]byte{2, 9, 200, 17, 33, 8, 1, 99}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, "é\u0301a_b")
	f.Add([]byte{1, 8, 8, 1, 3, 2, 7, 7}, []byte{12, 11, 13, 0, 0, 1}, "a\r\nb\n")
	f.Fuzz(func(t *testing.T, pdata, idata []byte, raw string) {
		if len(pdata) > 64 || len(idata) > 64 || len(raw) > 64 {
			return
		}
		p := genPattern(pdata)
		re, err := Compile(p)
		if err != nil || re.simple == nil {
			return
		}
		for _, in := range []string{genInput(idata), raw} {
			if d, _ := compareEngines(re, in); d != "" {
				t.Fatalf("%q on %q: %s", p, in, d)
			}
		}
	})
}

// TestSimpleEngineBudgetReset checks that pooled matchers start every
// search with a fresh step budget.
func TestSimpleEngineBudgetReset(t *testing.T) {
	re := MustCompile(`(.*)-raw`)
	in := "orders-eu-west-raw"
	for i := 0; i < 2*stepBudget/8; i++ {
		re.Matches(in)
	}
	m := re.simple.get(in)
	defer re.simple.put(m)
	m.end = len(in)
	if !m.at(0) || m.abort || m.steps > 100 {
		t.Fatalf("match %v abort %v steps %d", m.caps, m.abort, m.steps)
	}
}
