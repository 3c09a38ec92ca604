package siem

import (
	"strings"
	"testing"
)

// TestRegexRulesChained checks rules that replace into scratch buffers in
// turn, mixed with conditional and whole-text rules.
func TestRegexRulesChained(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]string
		in   any
		want any
	}{
		{"three plain rules", map[string]string{"rules": "a,b,c",
			"rules.a.find": `\d`, "rules.a.replacement": "#",
			"rules.b.find": `#+`, "rules.b.replacement": "<$0>",
			"rules.c.find": `<`, "rules.c.replacement": "["}, "x12y3", "x[##>y[#>"},
		{"plain then conditional", map[string]string{"rules": "a,b",
			"rules.a.find": `secret`, "rules.a.replacement": "s3cret",
			"rules.b.if": "^s3", "rules.b.find": `\d`, "rules.b.replacement": "*"}, "secret1", "s*cret*"},
		{"empty result then more", map[string]string{"rules": "a,b",
			"rules.a.find": `.+`, "rules.a.replacement": "",
			"rules.b.find": `x`, "rules.b.replacement": "y"}, "abc", ""},
		{"whole text rule between", map[string]string{"rules": "a,b,c",
			"rules.a.find": `a`, "rules.a.replacement": "b",
			"rules.b.replacement": "zzz",
			"rules.c.find":        `z`, "rules.c.replacement": "q"}, "aaa", "qqq"},
		{"failing rule skipped", map[string]string{"rules": "a,b",
			"rules.a.find": `(a)`, "rules.a.replacement": "$2",
			"rules.b.find": `a`, "rules.b.replacement": "c"}, "aa", "cc"},
		{"long text", map[string]string{"rules": "a,b",
			"rules.a.find": `\d{4}`, "rules.a.replacement": "****",
			"rules.b.find": `\*+`, "rules.b.replacement": "X"}, strings.Repeat("1234 ", 400), strings.Repeat("X ", 400)},
	}
	for _, tc := range tests {
		tr, err := newTransform(t, "RegexRules", tc.cfg)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for range 2 { // the second run reuses the pooled buffers
			out, err := tr.Apply(rec(tc.in))
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if out.Value != tc.want {
				t.Errorf("%s: got %q, want %q", tc.name, out.Value, tc.want)
			}
		}
	}
}

// TestRegexRulesPassThrough checks that an unchanged record is returned
// as is, and that a header target still rewrites its headers.
func TestRegexRulesPassThrough(t *testing.T) {
	tr, err := newTransform(t, "RegexRules", maskCfg)
	if err != nil {
		t.Fatal(err)
	}
	r := rec(lineNoDigits)
	out, err := tr.Apply(r)
	if err != nil || out != r {
		t.Fatalf("unchanged record: got %p %v, want the input %p", out, err, r)
	}
	r = rec(lineWithPII)
	out, err = tr.Apply(r)
	if err != nil || out == r || r.Value != lineWithPII {
		t.Fatalf("masked record must be a new record, input untouched: %v", err)
	}
	if v := out.Value.(string); !strings.Contains(v, "****-****-****-1111 ssn=XXX-XX-XXXX") {
		t.Errorf("not masked: %q", v)
	}
	tr, err = newTransform(t, "RegexRules", map[string]string{"applyTo": "header.h", "rules": "r", "rules.r.find": "x", "rules.r.replacement": "y"})
	if err != nil {
		t.Fatal(err)
	}
	r = rec("v", hv{"h", "abc"}, hv{"g", "1"}, hv{"h", "def"})
	out, err = tr.Apply(r)
	if err != nil || out == r {
		t.Fatalf("header target must rebuild the record: %v", err)
	}
	if len(out.Headers) != 3 || out.Headers[0].Key != "g" || out.Headers[1].Value != "abc" || out.Headers[2].Value != "def" {
		t.Errorf("headers: %+v", out.Headers)
	}
}
