package celexpr

import (
	"testing"

	"sluice.io/sluice"
)

// benchValue is a ~190-byte log line.
var benchValue = "<134>1 2024-05-01T12:00:00.000Z fw01 filterlog 4412 - - 5,,,1000000103,igb0,match,DENY,in,4,0x0,,64,12345,0,none,6,tcp,60,10.0.0.1,192.168.1.20,51514,443,0,S,3141592653,,64240,,mss"

func benchRecord() *sluice.Record {
	return &sluice.Record{
		Topic: "logs", Partition: 3, HasPartition: true, Timestamp: 1714564800000, HasTimestamp: true,
		ValueSchema: sluice.StringSchema, Value: benchValue,
		Headers: sluice.Headers{
			{Key: "source", Schema: sluice.StringSchema, Value: "fw01"},
			{Key: "x", Schema: sluice.StringSchema, Value: "y"},
			{Key: "format", Schema: sluice.StringSchema, Value: "syslog"},
		},
	}
}

func benchEval(b *testing.B, src string, r *sluice.Record) {
	p, err := Compile(src)
	if err != nil {
		b.Fatal(err)
	}
	if ok, err := p.Eval(r); err != nil || !ok {
		b.Fatalf("Eval = %v, %v; want true", ok, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if ok, _ := p.Eval(r); !ok {
			b.Fatal("false")
		}
	}
}

// BenchmarkHeaderAndContains is the typical routing condition on a string value.
func BenchmarkHeaderAndContains(b *testing.B) {
	benchEval(b, `headers["x"] == "y" && value.contains("DENY")`, benchRecord())
}

// BenchmarkMapField reads one field of a schemaless map value.
func BenchmarkMapField(b *testing.B) {
	m := sluice.NewMap(8, true)
	for _, kv := range [][2]string{{"src", "10.0.0.1"}, {"dst", "192.168.1.20"}, {"proto", "tcp"}, {"dport", "443"},
		{"iface", "igb0"}, {"host", "fw01"}, {"action", "DENY"}, {"rule", "1000000103"}} {
		m.Put(kv[0], kv[1])
	}
	r := benchRecord()
	r.ValueSchema, r.Value = nil, m
	benchEval(b, `value.action == "DENY"`, r)
}

// BenchmarkJMatches runs a constant Java pattern (possessive quantifier).
func BenchmarkJMatches(b *testing.B) {
	benchEval(b, `value.jmatches(".*,DENY,.*+")`, benchRecord())
}

// BenchmarkJFind looks for a constant Java pattern anywhere in the value.
func BenchmarkJFind(b *testing.B) {
	benchEval(b, `value.jfind(",DENY,\\w++")`, benchRecord())
}

// BenchmarkStructField reads a nested field of a STRUCT value.
func BenchmarkStructField(b *testing.B) {
	r := structRecord(b)
	benchEval(b, `value.inner.ip.startsWith("10.") && value.age > 40`, r)
}

// BenchmarkCompile measures the configure-time cost of one expression.
func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(`headers["x"] == "y" && value.contains("DENY")`); err != nil {
			b.Fatal(err)
		}
	}
}

// syslogRecord is a record as the syslog source makes it: a line value and
// INT32 severity/facility headers among string ones.
func syslogRecord(sev int32) *sluice.Record {
	return &sluice.Record{
		Topic: "syslog", ValueSchema: sluice.StringSchema, Value: "conn=1 seq=00000001 user=u0001 action=login",
		Headers: sluice.Headers{
			{Key: "remote.address", Schema: sluice.StringSchema, Value: "127.0.0.1:50000"},
			{Key: "syslog.format", Schema: sluice.StringSchema, Value: "rfc3164"},
			{Key: "syslog.facility", Schema: sluice.Int32Schema, Value: int32(4)},
			{Key: "syslog.severity", Schema: sluice.Int32Schema, Value: sev},
			{Key: "syslog.timestamp", Schema: sluice.StringSchema, Value: "2024-10-11T22:14:15Z"},
			{Key: "syslog.hostname", Schema: sluice.StringSchema, Value: "host01"},
			{Key: "syslog.appname", Schema: sluice.StringSchema, Value: "app"},
			{Key: "syslog.procid", Schema: sluice.StringSchema, Value: "1001"},
		},
	}
}

// BenchmarkSeverityLE is a routing condition on an INT32 header.
func BenchmarkSeverityLE(b *testing.B) {
	benchEval(b, `int(headers["syslog.severity"]) <= 3`, syslogRecord(2))
}

// BenchmarkSeverityIn is a routing condition on an INT32 header and a list.
func BenchmarkSeverityIn(b *testing.B) {
	benchEval(b, `int(headers["syslog.severity"]) in [4, 5]`, syslogRecord(4))
}
