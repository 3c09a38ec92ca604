package smt

import (
	"strings"
	"testing"

	"sluice.io/sluice"
)

func TestValueToKey(t *testing.T) {
	s := structSchema("id", sluice.Int64Schema, "name", sluice.StringSchema,
		"age", &sluice.Schema{Type: sluice.Int32, Optional: true, Default: int32(1)})
	val := structVal(t, s, int64(7), "Ada", nil)
	tests := []struct {
		name    string
		cfg     map[string]string
		schema  *sluice.Schema
		value   any
		wantKey string
		wantSch string
		err     string
	}{
		{"schemaless", map[string]string{"fields": "id,missing"}, nil, smap("id", int64(7), "x", "y"), `{"id"=int64(7),"missing"=null}`, "null", ""},
		{"schemaless tombstone", map[string]string{"fields": "id"}, nil, nil, "", "", "Only Map objects supported in absence of schema for [copying fields from value to key], found: null"},
		{"struct", map[string]string{"fields": "name,id"}, s, val, `Struct{name="Ada",id=int64(7)}`, "STRUCT{name:STRING,id:INT64}", ""},
		{"struct default", map[string]string{"fields": "age"}, s, val, `Struct{age=int32(1)}`, "STRUCT{age:INT32?=int32(1)}", ""},
		{"struct no default", map[string]string{"fields": "age", "replace.null.with.default": "false"}, s, val, `Struct{age=null}`, "", ""},
		{"struct missing field", map[string]string{"fields": "nope"}, s, val, "", "", "Field does not exist: nope"},
		{"struct duplicate field", map[string]string{"fields": "id,id"}, s, val, "", "", "field name duplication id"},
		{"schema'd tombstone", map[string]string{"fields": "id"}, s, nil, "", "", "Only Struct objects supported for [copying fields from value to key], found: null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := mustXform(t, valueToKeyClass, tc.cfg)
			r := &sluice.Record{Topic: "t", KeySchema: sluice.StringSchema, Key: "old", ValueSchema: tc.schema, Value: tc.value}
			before := dump(tc.value)
			out, err := x.Apply(r)
			if dump(tc.value) != before || r.Key != "old" {
				t.Fatal("input mutated")
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || sluice.ErrorClass(err) != "DataException" {
					t.Fatalf("want %q, got %v", tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := dump(out.Key); got != tc.wantKey {
				t.Fatalf("key %s, want %s", got, tc.wantKey)
			}
			if tc.wantSch != "" && schemaDump(out.KeySchema) != tc.wantSch {
				t.Fatalf("key schema %s, want %s", schemaDump(out.KeySchema), tc.wantSch)
			}
			if out.Value != tc.value {
				t.Fatal("value changed")
			}
		})
	}
	if _, err := newXform(t, valueToKeyClass, map[string]string{"fields": ""}); err == nil || sluice.ErrorClass(err) != "ConfigException" {
		t.Fatalf("empty fields: %v", err)
	}
}

func BenchmarkValueToKey(b *testing.B) {
	benchXform(b, valueToKeyClass, map[string]string{"fields": "id,user"}, recordOf(false, nil, benchMap()))
}

func BenchmarkValueToKeyStruct(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, valueToKeyClass, map[string]string{"fields": "id,user"}, recordOf(false, s, st))
}
