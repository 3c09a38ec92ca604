package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestFlatten(t *testing.T) {
	const cls = flattenClass + "$Value"
	inner := &sluice.Schema{Type: sluice.StructType, Optional: true, Fields: []sluice.Field{
		{Name: "ip", Index: 0, Schema: sluice.StringSchema},
		{Name: "port", Index: 1, Schema: &sluice.Schema{Type: sluice.Int32, Default: int32(80)}}}}
	s := structSchema("id", sluice.Int64Schema, "src", inner, "tags", sluice.ArraySchema(sluice.StringSchema, false))
	s.Name = "Ev"
	val := structVal(t, s, int64(1), structVal(t, inner, "10.0.0.1", int32(22)), []any{"a"})
	nullInner := structVal(t, s, int64(1), nil, []any{})
	withMap := structSchema("attrs", sluice.MapSchema(sluice.StringSchema, sluice.StringSchema, false))
	ordered := &sluice.Map{Entries: []sluice.MapEntry{{Key: "z", Value: int64(1)}, {Key: "a", Value: &sluice.Map{Entries: []sluice.MapEntry{{Key: "b", Value: "x"}, {Key: "c", Value: nil}}}}, {Key: "e", Value: &sluice.Map{}}}}
	cases := []xcase{
		{name: "schemaless", class: cls, cfg: map[string]string{}, value: ordered, want: `{"a.b"="x","a.c"=null,"z"=int64(1)}`, wantSch: "null"},
		{name: "schemaless delimiter", class: cls, cfg: map[string]string{"delimiter": "_"}, value: ordered, want: `{"a_b"="x","a_c"=null,"z"=int64(1)}`},
		{name: "schemaless collision keeps first position last value", class: cls, cfg: map[string]string{}, value: &sluice.Map{Entries: []sluice.MapEntry{{Key: "a.b", Value: int64(1)}, {Key: "a", Value: smap("b", int64(2))}}},
			want: `{"a.b"=int64(2)}`},
		{name: "schemaless struct inside", class: cls, cfg: map[string]string{}, value: smap("s", val), err: "DataException",
			errMsg: "Flatten transformation does not support class org.apache.kafka.connect.data.Struct for record without schemas (for field s)."},
		{name: "tombstone", class: cls, cfg: map[string]string{}, value: nil, want: "null", same: true},
		{name: "key", class: flattenClass + "$Key", key: true, cfg: map[string]string{}, value: smap("a", smap("b", int64(1))), want: `{"a.b"=int64(1)}`},
		{name: "struct", class: cls, cfg: map[string]string{}, schema: s, value: val,
			want:    `Struct{id=int64(1),src.ip="10.0.0.1",src.port=int32(22),tags=["a"]}`,
			wantSch: "STRUCT<Ev>{id:INT64,src.ip:STRING?,src.port:INT32?=int32(80),tags:ARRAY[STRING]}"},
		{name: "struct null nested", class: cls, cfg: map[string]string{}, schema: s, value: nullInner,
			want: `Struct{id=int64(1),src.ip=null,src.port=null,tags=[]}`},
		{name: "struct with map", class: cls, cfg: map[string]string{}, schema: withMap, value: structVal(t, withMap, smap("a", "b")), err: "DataException",
			errMsg: "Flatten transformation does not support MAP for record with schemas (for field attrs)."},
		{name: "not a struct", class: cls, cfg: map[string]string{}, schema: sluice.StringSchema, value: "x", err: "DataException", errMsg: "Only Struct objects supported for [flattening]"},
	}
	runCases(t, cases)

	// an insertion-ordered input keeps its order; the output is not hashed
	x := mustXform(t, cls, map[string]string{})
	out, err := x.Apply(recordOf(false, nil, ordered))
	if err != nil {
		t.Fatal(err)
	}
	om := out.Value.(*sluice.Map)
	if om.Hashed || om.Entries[0].Key != "z" || om.Entries[1].Key != "a.b" || om.Entries[2].Key != "a.c" {
		t.Fatalf("order: %+v", om)
	}
	// defaults inherited from a parent struct's default
	pd := &sluice.Schema{Type: sluice.StructType, Fields: []sluice.Field{{Name: "x", Index: 0, Schema: sluice.Int32Schema}}}
	def := structVal(t, pd, int32(5))
	pd2 := *pd
	pd2.Default = def
	top := structSchema("p", &pd2)
	out, err = x.Apply(recordOf(false, top, structVal(t, top, structVal(t, &pd2, int32(1)))))
	if err != nil {
		t.Fatal(err)
	}
	if got := schemaDump(out.ValueSchema); got != "STRUCT{p.x:INT32=int32(5)}" {
		t.Fatalf("inherited default: %s", got)
	}
}

func BenchmarkFlattenValue(b *testing.B) {
	benchXform(b, flattenClass+"$Value", map[string]string{}, recordOf(false, nil, benchMap()))
}

func BenchmarkFlattenValueStruct(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, flattenClass+"$Value", map[string]string{}, recordOf(false, s, st))
}
