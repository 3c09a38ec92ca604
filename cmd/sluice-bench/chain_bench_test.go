package main

import (
	"strings"
	"testing"

	"sluice.io/sluice"
	"sluice.io/sluice/rules"
)

// routeVariants are the chains the benchmark can run: the SIEM
// RegexRouter on the syslog.severity header (one stage), CEL-guarded Kafka
// RegexRouters (three stages, two predicates), and the mask alone.
var routeVariants = map[string]map[string]string{
	"siem": nil,
	"cel":  celRoute,
	"mask": {"transforms": "mask"},
}

// netRecord is a record as the syslog listener makes it: the message as
// the value, Java's seven network headers and the syslog ones.
func netRecord(seq int) *sluice.Record {
	l := makeLine(1, seq)
	msg := string(l.raw[strings.Index(string(l.raw), ": ")+2 : len(l.raw)-1])
	sev := int32((seq*5 + 1) % 8)
	h := sluice.Headers{
		{Key: "remoteHost", Schema: sluice.StringSchema, Value: "127.0.0.1"},
		{Key: "remotePort", Schema: sluice.Int32Schema, Value: int32(40312)},
		{Key: "remoteAddress", Schema: sluice.StringSchema, Value: "/127.0.0.1:40312"},
		{Key: "transportProtocol", Schema: sluice.StringSchema, Value: "TCP"},
		{Key: "localHost", Schema: sluice.StringSchema, Value: "127.0.0.1"},
		{Key: "localPort", Schema: sluice.Int32Schema, Value: int32(5140)},
		{Key: "localAddress", Schema: sluice.StringSchema, Value: "/127.0.0.1:5140"},
		{Key: "syslog.format", Schema: sluice.StringSchema, Value: "RFC3164"},
		{Key: "syslog.facility", Schema: sluice.Int32Schema, Value: int32(4)},
		{Key: "syslog.severity", Schema: sluice.Int32Schema, Value: sev},
		{Key: "syslog.timestamp", Schema: sluice.StringSchema, Value: "2026-10-11T22:14:15Z"},
		{Key: "syslog.hostname", Schema: sluice.StringSchema, Value: "host01"},
		{Key: "syslog.appname", Schema: sluice.StringSchema, Value: "app"},
		{Key: "syslog.procid", Schema: sluice.StringSchema, Value: "1001"},
	}
	return &sluice.Record{Topic: "syslog-raw", Value: msg, ValueSchema: sluice.StringSchema, Headers: h}
}

func benchChain(t testing.TB, variant string) *rules.Chain {
	cfg := connectorConfig(5140)
	for k, v := range routeVariants[variant] {
		cfg[k] = v
	}
	chain, err := rules.BuildChain(cfg, rules.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return chain
}

// TestRouteVariantsAgree: both routings send every record to the same
// topic with the same masked value.
func TestRouteVariantsAgree(t *testing.T) {
	cel, siem := benchChain(t, "cel"), benchChain(t, "siem")
	for seq := 0; seq < 400; seq++ {
		a, err := cel.Apply(netRecord(seq))
		if err != nil {
			t.Fatal(err)
		}
		b, err := siem.Apply(netRecord(seq))
		if err != nil {
			t.Fatal(err)
		}
		want := makeLine(1, seq)
		if a.Topic != want.topic || b.Topic != want.topic || a.Value != want.masked || b.Value != want.masked {
			t.Fatalf("line %d: cel %s %q, siem %s %q, want %s %q", seq, a.Topic, a.Value, b.Topic, b.Value,
				want.topic, want.masked)
		}
	}
}

// BenchmarkBenchChain runs the benchmark's transformation chain (card and
// SSN mask, 3-way severity route) on listener-shaped records.
func BenchmarkBenchChain(b *testing.B) {
	for _, variant := range []string{"cel", "siem", "mask"} {
		b.Run(variant, func(b *testing.B) {
			chain := benchChain(b, variant)
			recs := make([]*sluice.Record, 64)
			for i := range recs {
				recs[i] = netRecord(i)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := chain.Apply(recs[i%len(recs)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
