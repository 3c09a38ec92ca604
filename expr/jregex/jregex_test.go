package jregex

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
)

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		pattern, desc string
		index         int
	}{
		{`a{2147483648}`, "Illegal repetition range", 11},
		{`(?<=(ab)+)c`, "Look-behind group does not have an obvious maximum length", 8},
		{`(?<n>a)|(?<n>b)`, "Named capturing group <n> is already defined", 12},
		{`[z-a]`, "Illegal character range", 3},
		{`\p{IsEmoji}`, "Unknown character property name {IsEmoji}", 10},
		{`a\`, "Unexpected internal error", 2},
		{`x{,3}`, "Illegal repetition", 2},
		{`(?x)a b )`, "Unmatched closing ')'", 7},
		{`(?#c)`, "Unknown inline modifier", 2},
		{`\N{NO SUCH}`, "Unknown character name [NO SUCH]", 10},
	}
	for _, tc := range tests {
		_, err := Compile(tc.pattern)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: want SyntaxError, got %v", tc.pattern, err)
			continue
		}
		if se.Desc != tc.desc || se.Index != tc.index {
			t.Errorf("%q: got %q@%d, want %q@%d", tc.pattern, se.Desc, se.Index, tc.desc, tc.index)
		}
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Compile(`a)`)
	want := "Unmatched closing ')' near index 0\na)\n^"
	if err == nil || err.Error() != want {
		t.Fatalf("got %q, want %q", err, want)
	}
}

func TestSemantics(t *testing.T) {
	tests := []struct {
		pattern, input string
		want           []string // matched texts in find order
	}{
		{`\b\w+\b`, "café naïve", nil},
		{`(?<=xa+)b`, "xaab", []string{"b"}},
		{`(?m)^`, "a\nb\n", []string{"", ""}},
		{`abc$`, "abc\r\n", []string{"abc"}},
		{`(?i)é`, "É", nil},
		{`(?iu)é`, "É", []string{"É"}},
		{`\d+`, "12٣٤５", []string{"12"}},
		{`[a-z&&[^aeiou]]+`, "hello", []string{"h", "ll"}},
		{`\R`, "\r\n\n", []string{"\r\n", "\n"}},
		{`a|ab`, "ab", []string{"a"}},
		{`\h+`, "a\u00a0\u2003b", []string{"\u00a0\u2003"}},
		{`\x{1F600}+`, "😀😀x", []string{"😀😀"}},
		{`\Qa.b\E+`, "a.bbb", []string{"a.bbb"}},
	}
	for _, tc := range tests {
		re := MustCompile(tc.pattern)
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

func TestReplace(t *testing.T) {
	tests := []struct {
		pattern, input, repl, want, errClass string
	}{
		{`(\d)`, "a1b2", `\$$1`, "a$1b$2", ""},
		{`(\d)`, "a1", `$10`, "a10", ""},
		{`(?<a>x)(y)`, "xy", `[$1][$2][${a}]`, "[x][y][x]", ""},
		{`(\d)`, "a1", `$2`, "", "IndexOutOfBoundsException"},
		{`(\d)`, "a1", `x$`, "", "IllegalArgumentException"},
		{`(\d)`, "ab", `x$`, "ab", ""}, // no match: the replacement is never read
		{`a*`, "baaac", `-`, "-b--c-", ""},
	}
	for _, tc := range tests {
		got, err := MustCompile(tc.pattern).ReplaceAll(tc.input, tc.repl)
		if tc.errClass != "" {
			if err == nil || sluice.ErrorClass(err) != tc.errClass {
				t.Errorf("%q/%q: want %s, got %v", tc.pattern, tc.repl, tc.errClass, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q/%q on %q: got %q, %v; want %q", tc.pattern, tc.repl, tc.input, got, err, tc.want)
		}
	}
	got, err := MustCompile(`a|ab`).ReplaceFirst("ab", "X")
	if err != nil || got != "Xb" {
		t.Errorf("replaceFirst: %q %v", got, err)
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		pattern, input string
		limit          int
		want           []string
	}{
		{`:`, "boo:and:foo", 2, []string{"boo", "and:foo"}},
		{`o`, "boo:and:foo", 0, []string{"b", "", ":and:f"}},
		{`o`, "boo:and:foo", -1, []string{"b", "", ":and:f", "", ""}},
		{``, "abc", 0, []string{"a", "b", "c"}},
		{`x`, "abc", 0, []string{"abc"}},
	}
	for _, tc := range tests {
		got, err := MustCompile(tc.pattern).Split(tc.input, tc.limit)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q split %q (%d): got %q %v, want %q", tc.pattern, tc.input, tc.limit, got, err, tc.want)
		}
	}
}

func TestTimeout(t *testing.T) {
	re := MustCompile(`(?=a)(a|aa)+b`).WithTimeout(50 * time.Millisecond)
	if re.goRe != nil {
		t.Fatal("look-ahead pattern must not use the Go engine")
	}
	_, err := re.FindAll(strings.Repeat("a", 60)+"cb", -1)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("want ErrTimeout, got %v", err)
	}
}

func TestGoEngineChosen(t *testing.T) {
	for _, p := range []string{`\b\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b`, `(.*)-raw`, `\b\d{3}-\d{2}-\d{4}\b`} {
		if MustCompile(p).goRe == nil {
			t.Errorf("%q should run on the Go engine", p)
		}
	}
	for _, p := range []string{`a*`, `(a)\1`, `(?<=a)b`, `a*+`, `\G`} {
		if MustCompile(p).goRe != nil {
			t.Errorf("%q must not run on the Go engine", p)
		}
	}
}

func TestPrefilter(t *testing.T) {
	re := MustCompile(`\b\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b`)
	if re.pre.ok("only 123 digits here") {
		t.Error("prefilter should reject an input with fewer than 16 digits")
	}
	if !re.pre.ok("card 4111-1111-1111-1111") {
		t.Error("prefilter rejected a matching input")
	}
}

// TestEnginesAgree runs every pattern of the regex vectors on the Go engine
// (where chosen) and on regexp2, over several inputs, and compares.
func TestEnginesAgree(t *testing.T) {
	f, err := os.Open("../../conformance/testdata/java-regex.jsonl")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	extra := []string{"", "abc 123", "a-raw", "x\ny\r\n", "4111-1111-1111-1111 123-45-6789", "AbC_dEf 9 ...,;"}
	n := 0
	for sc.Scan() {
		var v struct{ Pattern, Input string }
		if json.Unmarshal(sc.Bytes(), &v) != nil {
			continue
		}
		re, err := Compile(v.Pattern)
		if err != nil || re.goRe == nil {
			continue
		}
		n++
		slow := *re
		slow.goRe = nil
		for _, in := range append([]string{v.Input}, extra...) {
			a, err1 := re.FindAll(in, -1)
			b, err2 := slow.FindAll(in, -1)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
				t.Errorf("%q on %q: go %v, regexp2 %v", v.Pattern, in, a, b)
			}
			if re.Matches(in) != slow.Matches(in) || re.LookingAt(in) != slow.LookingAt(in) {
				t.Errorf("%q on %q: matches/lookingAt differ", v.Pattern, in)
			}
		}
	}
	if n == 0 {
		t.Fatal("no pattern ran on the Go engine")
	}
}
