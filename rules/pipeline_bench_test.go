package rules_test

import (
	"testing"

	"sluice.io/sluice"
	_ "sluice.io/sluice/converters/json"
	"sluice.io/sluice/rules"
	_ "sluice.io/sluice/smt"
)

// fiveStepProps is the reference chain: InsertHeader → ReplaceField$Value
// (renames + exclude) → MaskField$Value → RegexRouter → Filter guarded by a
// TopicNameMatches predicate that does not match.
var fiveStepProps = map[string]string{
	"transforms":                   "hdr,rename,mask,route,drop",
	"transforms.hdr.type":          "org.apache.kafka.connect.transforms.InsertHeader",
	"transforms.hdr.header":        "pipeline",
	"transforms.hdr.value.literal": "siem",
	"transforms.rename.type":       "org.apache.kafka.connect.transforms.ReplaceField$Value",
	"transforms.rename.renames":    "src:source_ip,dst:dest_ip",
	"transforms.rename.exclude":    "debug",
	"transforms.mask.type":         "org.apache.kafka.connect.transforms.MaskField$Value",
	"transforms.mask.fields":       "card,ssn",
	"transforms.mask.replacement":  "****",
	"transforms.route.type":        "org.apache.kafka.connect.transforms.RegexRouter",
	"transforms.route.regex":       "(.*)-raw",
	"transforms.route.replacement": "$1-clean",
	"transforms.drop.type":         "org.apache.kafka.connect.transforms.Filter",
	"transforms.drop.predicate":    "isTest",
	"predicates":                   "isTest",
	"predicates.isTest.type":       "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
	"predicates.isTest.pattern":    "test-.*",
}

// benchRecord is a ~190-byte schemaless record with 8 string fields, as a
// SIEM feed decoded by JsonConverter would hold it.
func benchRecord() *sluice.Record {
	m := sluice.NewMap(8, true)
	for _, kv := range [][2]string{
		{"host", "fw01.example.net"}, {"src", "10.1.2.3"}, {"dst", "192.168.7.40"},
		{"user", "alice"}, {"action", "DENY"}, {"card", "4111-1111-1111-1111"},
		{"ssn", "123-45-6789"}, {"debug", "rule=17 policy=edge-default"},
	} {
		m.Put(kv[0], kv[1])
	}
	return &sluice.Record{Topic: "firewall-raw", Partition: 0, HasPartition: true,
		Timestamp: 1700000000000, HasTimestamp: true, Value: m}
}

func TestFiveStepChain(t *testing.T) {
	chain, err := rules.BuildChain(fiveStepProps, rules.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := benchRecord()
	out, err := chain.Apply(in)
	if err != nil || out == nil {
		t.Fatalf("apply: %v %v", out, err)
	}
	if out.Topic != "firewall-clean" {
		t.Errorf("topic = %q, want firewall-clean", out.Topic)
	}
	m := out.Value.(*sluice.Map)
	want := map[string]string{"source_ip": "10.1.2.3", "dest_ip": "192.168.7.40", "card": "****", "ssn": "****", "host": "fw01.example.net"}
	for k, v := range want {
		if got, _ := m.Get(k); got != v {
			t.Errorf("value[%s] = %v, want %s", k, got, v)
		}
	}
	if _, ok := m.Get("debug"); ok {
		t.Error("excluded field debug still present")
	}
	if h, ok := out.Headers.LastWithName("pipeline"); !ok || h.Value != "siem" {
		t.Errorf("header pipeline = %+v", h)
	}
	if got, _ := in.Value.(*sluice.Map).Get("card"); got != "4111-1111-1111-1111" {
		t.Error("input record was modified")
	}
	if m.Len() != 7 {
		t.Errorf("output has %d fields, want 7", m.Len())
	}
}

// BenchmarkFiveStepChain measures the reference chain on one record.
func BenchmarkFiveStepChain(b *testing.B) {
	chain, err := rules.BuildChain(fiveStepProps, rules.ChainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	in := benchRecord()
	b.ReportAllocs()
	for b.Loop() {
		if out, err := chain.Apply(in); err != nil || out == nil {
			b.Fatal(out, err)
		}
	}
}
