package siem

import (
	"strings"
	"testing"

	"sluice.io/sluice"
)

var maskCfg = map[string]string{
	"rules":                 "cc,ssn",
	"rules.cc.find":         `\b(\d{4})[- ]?(\d{4})[- ]?(\d{4})[- ]?(\d{4})\b`,
	"rules.cc.replacement":  "****-****-****-$4",
	"rules.ssn.find":        `\b\d{3}-\d{2}-\d{4}\b`,
	"rules.ssn.replacement": "XXX-XX-XXXX",
}

const (
	lineWithPII = "<134>Feb  6 16:09:55 web01 app[2231]: payment accepted user=alice card=4111-1111-1111-1111 " +
		"ssn=123-45-6789 amount=12.50 currency=USD ip=10.1.2.3 session=af3e9c1b status=ok"
	lineNoDigits = "<xx>Feb  x xx:xx:xx webxx app[xxxx]: payment accepted user=alice card=none provided here " +
		"ssn=withheld by customer amount=small currency=USD ip=internal session=afexcb status=ok trailing text"
)

func benchRules(b *testing.B, line string) {
	tr, err := newTransform(b, "RegexRules", maskCfg)
	if err != nil {
		b.Fatal(err)
	}
	r := &sluice.Record{Topic: "t", Value: line}
	out, err := tr.Apply(r)
	if err != nil {
		b.Fatal(err)
	}
	if strings.Contains(line, "4111") && !strings.Contains(out.Value.(string), "****-****-****-1111 ssn=XXX-XX-XXXX") {
		b.Fatalf("not masked: %v", out.Value)
	}
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegexRulesMask(b *testing.B)         { benchRules(b, lineWithPII) }
func BenchmarkRegexRulesMaskNoDigits(b *testing.B) { benchRules(b, lineNoDigits) }
