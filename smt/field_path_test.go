package smt

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
)

// ---- helpers shared by the tests of this package ----

// newXform builds and configures a registered transformation.
func newXform(t testing.TB, class string, cfg map[string]string) (sluice.Transformation, error) {
	t.Helper()
	p, _, err := sluice.Plugins.Lookup(class)
	if err != nil {
		t.Fatalf("lookup %s: %v", class, err)
	}
	x := p.New().(sluice.Transformation)
	return x, x.Configure(cfg)
}

// mustXform is newXform that fails the test on a configuration error.
func mustXform(t testing.TB, class string, cfg map[string]string) sluice.Transformation {
	t.Helper()
	x, err := newXform(t, class, cfg)
	if err != nil {
		t.Fatalf("configure %s: %v", class, err)
	}
	return x
}

// smap builds a schemaless HashMap-like map from alternating keys and values.
func smap(kv ...any) *sluice.Map {
	m := &sluice.Map{Hashed: true}
	for i := 0; i < len(kv); i += 2 {
		m.Entries = append(m.Entries, sluice.MapEntry{Key: kv[i], Value: kv[i+1]})
	}
	return m
}

// structOf builds a struct schema from alternating names and schemas.
func structSchema(nameSchemas ...any) *sluice.Schema {
	s := &sluice.Schema{Type: sluice.StructType}
	for i := 0; i < len(nameSchemas); i += 2 {
		s.Fields = append(s.Fields, sluice.Field{Name: nameSchemas[i].(string), Index: i / 2, Schema: nameSchemas[i+1].(*sluice.Schema)})
	}
	return s
}

// structVal builds a struct of schema s from values in field order.
func structVal(t testing.TB, s *sluice.Schema, vals ...any) *sluice.Struct {
	t.Helper()
	st := sluice.NewStruct(s)
	for i, v := range vals {
		if err := st.PutField(&s.Fields[i], v); err != nil {
			t.Fatalf("struct value: %v", err)
		}
	}
	return st
}

// dump renders a value deterministically (maps sorted by key, types shown)
// so tests can compare results and prove inputs unchanged.
func dump(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case *sluice.Map:
		parts := make([]string, 0, len(x.Entries))
		for _, e := range x.Entries {
			parts = append(parts, dump(e.Key)+"="+dump(e.Value))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case *sluice.Struct:
		parts := make([]string, 0)
		for i, f := range x.Schema().Fields {
			parts = append(parts, f.Name+"="+dump(x.Values()[i]))
		}
		return "Struct{" + strings.Join(parts, ",") + "}"
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, dump(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case string:
		return fmt.Sprintf("%q", x)
	case sluice.Decimal:
		return "Decimal(" + x.String() + ")"
	case time.Time:
		return "Date(" + fmt.Sprint(x.UnixMilli()) + ")"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// schemaDump renders a schema with its fields.
func schemaDump(s *sluice.Schema) string {
	if s == nil {
		return "null"
	}
	var b strings.Builder
	b.WriteString(s.Type.String())
	if s.Optional {
		b.WriteString("?")
	}
	if s.Name != "" {
		b.WriteString("<" + s.Name + ">")
	}
	if s.Version != nil {
		fmt.Fprintf(&b, "v%d", *s.Version)
	}
	if s.Default != nil {
		b.WriteString("=" + dump(s.Default))
	}
	if s.Type == sluice.StructType {
		b.WriteString("{")
		for i, f := range s.Fields {
			if i > 0 {
				b.WriteString(",")
			}
			if f.Index != i {
				b.WriteString("BADINDEX!")
			}
			b.WriteString(f.Name + ":" + schemaDump(f.Schema))
		}
		b.WriteString("}")
	}
	if s.Value != nil {
		b.WriteString("[" + schemaDump(s.Value) + "]")
	}
	return b.String()
}

// recordOf makes a source record whose operating side is key or value.
func recordOf(key bool, s *sluice.Schema, v any) *sluice.Record {
	r := &sluice.Record{Topic: "orders", Partition: 3, HasPartition: true, Timestamp: 1700000000000, HasTimestamp: true,
		KeySchema: sluice.StringSchema, Key: "k1", ValueSchema: sluice.StringSchema, Value: "v1"}
	if key {
		r.KeySchema, r.Key = s, v
	} else {
		r.ValueSchema, r.Value = s, v
	}
	return r
}

// xcase is one table row shared by the transformation tests.
type xcase struct {
	name    string
	class   string
	cfg     map[string]string
	key     bool // operate on the key side
	schema  *sluice.Schema
	value   any
	want    string // dump of the resulting operating value
	wantSch string // schemaDump of the resulting operating schema ("" = not checked)
	cfgErr  string // expected configure error class ("" none)
	err     string // expected apply error class
	errMsg  string // expected apply/config error substring
	same    bool   // the very same record must come back
}

func runCases(t *testing.T, cases []xcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x, err := newXform(t, tc.class, tc.cfg)
			if tc.cfgErr != "" {
				if err == nil {
					t.Fatalf("configure: want %s, got nil", tc.cfgErr)
				}
				if c := sluice.ErrorClass(err); c != tc.cfgErr {
					t.Fatalf("configure: want %s, got %s: %v", tc.cfgErr, c, err)
				}
				if tc.errMsg != "" && !strings.Contains(err.Error(), tc.errMsg) {
					t.Fatalf("configure message %q lacks %q", err, tc.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("configure: %v", err)
			}
			r := recordOf(tc.key, tc.schema, tc.value)
			before := dump(tc.value)
			orig := *r
			out, err := x.Apply(r)
			if after := dump(tc.value); after != before {
				t.Fatalf("input mutated: %s -> %s", before, after)
			}
			if !reflect.DeepEqual(orig.Headers, r.Headers) || orig.Topic != r.Topic || orig.KeySchema != r.KeySchema || orig.ValueSchema != r.ValueSchema {
				t.Fatalf("input record mutated")
			}
			if tc.err != "" {
				if err == nil {
					t.Fatalf("want %s, got result %s", tc.err, dump(out.Value))
				}
				if c := sluice.ErrorClass(err); c != tc.err {
					t.Fatalf("want %s, got %s: %v", tc.err, c, err)
				}
				if tc.errMsg != "" && !strings.Contains(err.Error(), tc.errMsg) {
					t.Fatalf("message %q lacks %q", err, tc.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("apply: %v", err)
			}
			if tc.same && out != r {
				t.Fatalf("want the same record back")
			}
			gotS, gotV := out.ValueSchema, out.Value
			otherS, otherV := out.KeySchema, out.Key
			if tc.key {
				gotS, gotV, otherS, otherV = out.KeySchema, out.Key, out.ValueSchema, out.Value
			}
			if tc.class != valueToKeyClass && (otherV != "k1" && otherV != "v1" || otherS != sluice.StringSchema) {
				t.Fatalf("other side changed: %v", otherV)
			}
			if got := dump(gotV); got != tc.want {
				t.Fatalf("value\n got %s\nwant %s", got, tc.want)
			}
			if tc.wantSch != "" {
				if got := schemaDump(gotS); got != tc.wantSch {
					t.Fatalf("schema\n got %s\nwant %s", got, tc.wantSch)
				}
			}
			if out.Topic != "orders" || out.Partition != 3 || out.Timestamp != 1700000000000 {
				t.Fatalf("metadata changed")
			}
		})
	}
}

// ---- field path ----

func TestParseFieldPathV2(t *testing.T) {
	tests := []struct {
		in    string
		steps []string
		err   string
	}{
		{"a", []string{"a"}, ""},
		{"a.b.c", []string{"a", "b", "c"}, ""},
		{"a.", []string{"a", ""}, ""},
		{"a..b", []string{"a", "", "b"}, ""},
		{"", []string{}, ""},
		{".", []string{"", ""}, ""},
		{"`a.b`.c", []string{"a.b", "c"}, ""},
		{"`a.b`", []string{"a.b"}, ""},
		{"c.`a.b`", []string{"c", "a.b"}, ""},
		{"`a`b`.c", []string{"a`b", "c"}, ""},
		{"`a\\`.b`", []string{"a`.b"}, ""},
		{"``", []string{""}, ""},
		{"``.x", []string{"", "x"}, ""},
		{"`a.b", nil, "Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it"},
		{"x.`a\\`", nil, "at position 2 "},
		{"é.`ab", nil, "at position 2 "},
		{"😀.`ab", nil, "at position 3 "},
		{"a`b.c", []string{"a`b", "c"}, ""},
	}
	for _, tc := range tests {
		p, err := parseFieldPath(tc.in, true)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || sluice.ErrorClass(err) != "ConfigException" {
				t.Errorf("%q: want error %q, got %v", tc.in, tc.err, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(p.steps, tc.steps) {
			t.Errorf("%q: steps %q, want %q", tc.in, p.steps, tc.steps)
		}
	}
	p, _ := parseFieldPath("a.b", false)
	if !reflect.DeepEqual(p.steps, []string{"a.b"}) {
		t.Errorf("V1 path split: %q", p.steps)
	}
}

func TestFieldPathAccess(t *testing.T) {
	inner := structSchema("ip", sluice.OptionalStringSchema, "port", &sluice.Schema{Type: sluice.Int32, Optional: true, Default: int32(80)})
	outer := structSchema("src", &sluice.Schema{Type: sluice.StructType, Optional: true, Fields: inner.Fields}, "name", sluice.StringSchema)
	srcSchema := outer.Fields[0].Schema
	st := structVal(t, outer, structVal(t, srcSchema, "10.0.0.1", nil), "n")
	p, _ := parseFieldPath("src.port", true)
	f, err := p.fieldFrom(outer)
	if err != nil || f == nil || f.Name != "port" {
		t.Fatalf("fieldFrom: %v %v", f, err)
	}
	if v, _ := p.valueFromStruct(st, true); v != int32(80) {
		t.Errorf("with default: %v", v)
	}
	if v, _ := p.valueFromStruct(st, false); v != nil {
		t.Errorf("without default: %v", v)
	}
	p2, _ := parseFieldPath("name.x", true)
	if _, err := p2.fieldFrom(outer); err == nil || sluice.ErrorClass(err) != "DataException" {
		t.Errorf("non-struct step: %v", err)
	}
	m := smap("a", smap("b", int64(1)), "s", "str")
	p3, _ := parseFieldPath("a.b", true)
	if v, err := p3.valueFromMap(m); err != nil || v != int64(1) {
		t.Errorf("map path: %v %v", v, err)
	}
	p4, _ := parseFieldPath("s.b", true)
	if _, err := p4.valueFromMap(m); err == nil || !strings.Contains(err.Error(), "nested field access") {
		t.Errorf("map non-map step: %v", err)
	}
	p5, _ := parseFieldPath("zz.b", true)
	if v, err := p5.valueFromMap(m); err != nil || v != nil {
		t.Errorf("map missing step: %v %v", v, err)
	}
	empty, _ := parseFieldPath("", true)
	if _, err := empty.valueFromMap(m); err == nil || sluice.ErrorClass(err) != "IllegalArgumentException" {
		t.Errorf("empty V2 path: %v", err)
	}
}

func FuzzParseFieldPath(f *testing.F) {
	for _, s := range []string{"a.b", "`a.b`.c", "`a\\`.b`", "``", "a.", "`", "x.`y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseFieldPath(s, true)
		if err != nil {
			var ce *sluice.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("non-config error %T", err)
			}
			if !strings.Contains(s, "`") {
				t.Fatalf("error without a backtick: %q", s)
			}
			return
		}
		if !strings.Contains(s, "`") {
			want := strings.Split(s, ".")
			if s == "" {
				want = []string{}
			}
			if !reflect.DeepEqual(p.steps, want) {
				t.Fatalf("%q: steps %q want %q", s, p.steps, want)
			}
		}
		total := 0
		for _, st := range p.steps {
			total += len(st)
		}
		if total > len(s) {
			t.Fatalf("steps longer than the path: %q", s)
		}
	})
}

// benchMap is a ~190-byte schemaless value with 8 string fields, as a
// JsonConverter decodes it (a HashMap).
func benchMap() *sluice.Map {
	return smap("id", "7f3a9c2e", "user", "alice", "email", "alice@example.com", "ssn", "123-45-6789",
		"card", "4111-1111-1111-1111", "ip", "10.1.2.3", "action", "login", "msg", "Failed password for root")
}

// benchStruct is the same data as a Struct.
func benchStruct(b testing.TB) (*sluice.Schema, *sluice.Struct) {
	m := benchMap()
	s := &sluice.Schema{Type: sluice.StructType}
	vals := make([]any, 0, len(m.Entries))
	for i, e := range m.Entries {
		s.Fields = append(s.Fields, sluice.Field{Name: e.Key.(string), Index: i, Schema: sluice.StringSchema})
		vals = append(vals, e.Value)
	}
	return s, structVal(b, s, vals...)
}

// benchXform measures Apply on one record.
func benchXform(b *testing.B, class string, cfg map[string]string, r *sluice.Record) {
	x := mustXform(b, class, cfg)
	if _, err := x.Apply(r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := x.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractFieldValue(b *testing.B) {
	benchXform(b, extractValue, map[string]string{"field": "user"}, recordOf(false, nil, benchMap()))
}

func BenchmarkExtractFieldValueStructV2(b *testing.B) {
	s, st := benchStruct(b)
	outer := structSchema("inner", s)
	benchXform(b, extractValue, map[string]string{"field": "inner.user", "field.syntax.version": "V2"},
		recordOf(false, outer, structVal(b, outer, st)))
}
