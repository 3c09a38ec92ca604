package smt

import (
	"testing"
	"time"

	"sluice.io/sluice"
)

func TestTimestampConverter(t *testing.T) {
	tcv := timestampConverterClass + "$Value"
	tck := timestampConverterClass + "$Key"
	ts := time.UnixMilli(1700000000123).UTC()
	sch := structSchema("at", sluice.TimestampSchema, "s", sluice.StringSchema, "n", sluice.OptionalInt64Schema)
	st := func(t *testing.T) *sluice.Struct {
		return structVal(t, sch, ts, "2023-11-14 22:13:20", int64(1700000000123))
	}
	cfg := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cases := []xcase{
		{name: "schemaless unix to string", class: tcv, cfg: cfg("field", "at", "target.type", "string", "format", "yyyy-MM-dd HH:mm:ss"),
			value: smap("at", int64(1700000000123), "x", int32(1)), want: `{"at"="2023-11-14 22:13:20","x"=int32(1)}`},
		{name: "schemaless missing field becomes null", class: tcv, cfg: cfg("field", "at", "target.type", "unix"),
			value: smap("x", int32(1)), want: `{"at"=null,"x"=int32(1)}`},
		{name: "schemaless string to Timestamp", class: tcv, cfg: cfg("field", "at", "target.type", "Timestamp", "format", "yyyy-MM-dd"),
			value: smap("at", "2024-02-30"), want: `{"at"=Date(1709251200000)}`},
		{name: "schemaless whole Date to unix micros", class: tcv, cfg: cfg("target.type", "unix", "unix.precision", "microseconds"),
			value: ts, want: "int64(1700000000123000)"},
		{name: "schemaless tombstone", class: tcv, cfg: cfg("field", "at", "target.type", "unix"), value: nil, want: "null"},
		{name: "schemaless unsupported class", class: tcv, cfg: cfg("target.type", "unix"), value: int32(5),
			err: "DataException", errMsg: "TimestampConverter does not support class java.lang.Integer objects as timestamps"},
		{name: "schemaless not a map", class: tcv, cfg: cfg("field", "at", "target.type", "unix"), value: "x",
			err: "DataException", errMsg: "Only Map objects supported in absence of schema for [converting timestamp formats]"},
		{name: "unparseable", class: tcv, cfg: cfg("field", "at", "target.type", "unix", "format", "yyyy-MM-dd"),
			value: smap("at", "soon"), err: "DataException", errMsg: "Could not parse timestamp: value (soon) does not match pattern (yyyy-MM-dd)"},
		{name: "struct field to Date", class: tcv, cfg: cfg("field", "at", "target.type", "Date"), schema: sch, value: st(t),
			want:    `Struct{at=Date(1699920000000),s="2023-11-14 22:13:20",n=int64(1700000000123)}`,
			wantSch: "STRUCT{at:INT32<org.apache.kafka.connect.data.Date>v1,s:STRING,n:INT64?}"},
		{name: "struct field to Time", class: tcv, cfg: cfg("field", "at", "target.type", "Time"), schema: sch, value: st(t),
			want: `Struct{at=Date(80000123),s="2023-11-14 22:13:20",n=int64(1700000000123)}`},
		{name: "struct string field parsed", class: tcv, cfg: cfg("field", "s", "target.type", "unix", "unix.precision", "seconds", "format", "yyyy-MM-dd HH:mm:ss"),
			schema: sch, value: st(t), want: `Struct{at=Date(1700000000123),s=int64(1700000000),n=int64(1700000000123)}`,
			wantSch: "STRUCT{at:INT64<org.apache.kafka.connect.data.Timestamp>v1,s:INT64,n:INT64?}"},
		{name: "struct optional field keeps optional", class: tcv, cfg: cfg("field", "n", "target.type", "Timestamp"),
			schema: sch, value: st(t), wantSch: "STRUCT{at:INT64<org.apache.kafka.connect.data.Timestamp>v1,s:STRING,n:INT64?<org.apache.kafka.connect.data.Timestamp>v1}",
			want: `Struct{at=Date(1700000000123),s="2023-11-14 22:13:20",n=Date(1700000000123)}`},
		{name: "struct null value", class: tcv, cfg: cfg("field", "at", "target.type", "unix"), schema: sch, value: nil, want: "null"},
		{name: "whole value schema", class: tck, key: true, cfg: cfg("target.type", "string", "format", "yyyy"), schema: sluice.OptionalTimestampSchema,
			value: ts, want: `"2023"`, wantSch: "STRING?"},
		{name: "whole value unknown schema", class: tcv, cfg: cfg("target.type", "unix"), schema: sluice.Int32Schema, value: int32(1),
			err: "ConnectException", errMsg: "Schema Schema{INT32} does not correspond to a known timestamp type format"},
		{name: "string input without format", class: tcv, cfg: cfg("target.type", "unix"), schema: sluice.StringSchema, value: "x",
			err: "NullPointerException"},
		{name: "string target needs format", class: tcv, cfg: cfg("target.type", "string"), cfgErr: "ConfigException",
			errMsg: "TimestampConverter requires format option to be specified when using string timestamps"},
		{name: "bad pattern", class: tcv, cfg: cfg("target.type", "unix", "format", "bad'format"), cfgErr: "ConfigException",
			errMsg: "Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'b' for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad'format"},
		{name: "target type is case-sensitive", class: tcv, cfg: cfg("target.type", "date"), cfgErr: "ConfigException"},
		{name: "bad precision", class: tcv, cfg: cfg("target.type", "unix", "unix.precision", "minutes"), cfgErr: "ConfigException"},
	}
	runCases(t, cases)
}

func TestTimestampConverterDefaults(t *testing.T) {
	fieldSch := &sluice.Schema{Type: sluice.Int64, Optional: true, Default: int64(86400001)}
	sch := structSchema("at", fieldSch)
	def := structVal(t, structSchema("at", fieldSch), int64(86400001))
	sch.Optional = true
	sch.Default = def
	for _, replace := range []string{"true", "false"} {
		x := mustXform(t, timestampConverterClass+"$Value", map[string]string{"field": "at", "target.type": "Date", "replace.null.with.default": replace})
		out, err := x.Apply(recordOf(false, sch, sluice.NewStruct(sch)))
		if err != nil {
			t.Fatal(err)
		}
		if got := schemaDump(out.ValueSchema); got != "STRUCT?=Struct{at=Date(86400000)}{at:INT32?<org.apache.kafka.connect.data.Date>v1}" {
			t.Fatalf("schema %s", got)
		}
		want := "Struct{at=Date(86400000)}"
		if replace == "false" {
			want = "Struct{at=null}"
		}
		if got := dump(out.Value); got != want {
			t.Fatalf("replace=%s: got %s want %s", replace, got, want)
		}
	}
}

func TestTimestampConverterUnixPrecision(t *testing.T) {
	cases := []struct {
		prec string
		in   int64
		ms   int64
		out  int64
	}{
		{"seconds", 1700000000, 1700000000000, 1700000000},
		{"milliseconds", -1, -1, -1},
		{"microseconds", -1500, -1, -1000},
		{"nanoseconds", 1700000000123456789, 1700000000123, 1700000000123000000},
		{"seconds", 9223372036854775807, 9223372036854775807, 9223372036854775},
	}
	for _, c := range cases {
		x := mustXform(t, timestampConverterClass+"$Value", map[string]string{"target.type": "Timestamp", "unix.precision": c.prec})
		out, err := x.Apply(recordOf(false, nil, c.in))
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Value.(time.Time).UnixMilli(); got != c.ms {
			t.Errorf("%s %d -> %d ms, want %d", c.prec, c.in, got, c.ms)
		}
		y := mustXform(t, timestampConverterClass+"$Value", map[string]string{"target.type": "unix", "unix.precision": c.prec})
		back, err := y.Apply(out)
		if err != nil {
			t.Fatal(err)
		}
		if back.Value.(int64) != c.out {
			t.Errorf("%s back = %d, want %d", c.prec, back.Value, c.out)
		}
	}
}

func BenchmarkTimestampConverter(b *testing.B) {
	x := mustXform(b, timestampConverterClass+"$Value", map[string]string{"field": "at", "target.type": "string", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSZ"})
	r := recordOf(false, nil, smap("at", int64(1700000000123), "id", int64(7), "name", "Ada"))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := x.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}
