package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestInsertHeader(t *testing.T) {
	x := mustXform(t, insertHeaderClass, map[string]string{"header": "source", "value.literal": "oracle"})
	in := sluice.Headers{{Key: "source", Schema: sluice.StringSchema, Value: "old"}}
	r := &sluice.Record{Topic: "t", Value: nil, Headers: in[:1:1]}
	out, err := x.Apply(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Headers) != 2 || out.Headers[0].Value != "old" || out.Headers[1].Key != "source" || len(r.Headers) != 1 {
		t.Fatalf("headers %+v (input %+v)", out.Headers, r.Headers)
	}
	s, v := sluice.ParseString("oracle")
	if !out.Headers[1].Schema.Equal(s) || out.Headers[1].Value != v {
		t.Fatalf("header value %v %v", out.Headers[1].Schema, out.Headers[1].Value)
	}
	for _, cfg := range []map[string]string{{"header": "h"}, {"value.literal": "x"}} {
		if _, err := newXform(t, insertHeaderClass, cfg); sluice.ErrorClass(err) != "ConfigException" {
			t.Fatalf("%v: %v", cfg, err)
		}
	}
}

func BenchmarkInsertHeader(b *testing.B) {
	x := mustXform(b, insertHeaderClass, map[string]string{"header": "source", "value.literal": "oracle"})
	r := &sluice.Record{Topic: "t", Value: "v", Headers: sluice.Headers{{Key: "a", Value: "1"}}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := x.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}
