package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestInsertField(t *testing.T) {
	const cls = insertFieldClass + "$Value"
	s := structSchema("id", sluice.Int64Schema, "n", &sluice.Schema{Type: sluice.String, Optional: true, Default: "d"})
	s.Name = "com.example.User"
	s.Optional = true
	val := structVal(t, s, int64(1), nil)
	all := map[string]string{"topic.field": "t!", "partition.field": "p?", "timestamp.field": "ts", "static.field": "src", "static.value": "app"}
	cases := []xcase{
		{name: "schemaless all", class: cls, cfg: all, value: smap("id", int64(1)),
			want: `{"id"=int64(1),"p"=int32(3),"src"="app","t"="orders","ts"=int64(1700000000000)}`, wantSch: "null"},
		{name: "schemaless key", class: insertFieldClass + "$Key", key: true, cfg: map[string]string{"topic.field": "t"}, value: smap("id", int64(1)),
			want: `{"id"=int64(1),"t"="orders"}`},
		{name: "schemaless overwrite", class: cls, cfg: map[string]string{"static.field": "id", "static.value": "x"}, value: smap("id", int64(1)), want: `{"id"="x"}`},
		{name: "tombstone passes", class: cls, cfg: all, value: nil, want: "null", same: true},
		{name: "schemaless offset on source record", class: cls, cfg: map[string]string{"offset.field": "o"}, value: smap("id", int64(1)), err: "DataException",
			errMsg: "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord"},
		{name: "struct all", class: cls, cfg: all, schema: s, value: val,
			want:    `Struct{id=int64(1),n="d",t="orders",p=int32(3),ts=Date(1700000000000),src="app"}`,
			wantSch: `STRUCT<com.example.User>{id:INT64,n:STRING?="d",t:STRING,p:INT32?,ts:INT64?<org.apache.kafka.connect.data.Timestamp>v1,src:STRING?}`},
		{name: "struct no default", class: cls, cfg: map[string]string{"topic.field": "t", "replace.null.with.default": "false"}, schema: s, value: val,
			want: `Struct{id=int64(1),n=null,t="orders"}`},
		{name: "struct duplicate", class: cls, cfg: map[string]string{"topic.field": "id"}, schema: s, value: val, err: "DataException", errMsg: "duplication id"},
		{name: "struct offset on source record", class: cls, cfg: map[string]string{"offset.field": "o"}, schema: s, value: val, err: "DataException"},
		{name: "not a struct", class: cls, cfg: all, schema: sluice.StringSchema, value: "x", err: "DataException", errMsg: "Only Struct objects supported for [field insertion], found: java.lang.String"},
		{name: "nothing configured", class: cls, cfg: map[string]string{}, cfgErr: "ConfigException", errMsg: "No field insertion configured"},
		{name: "static without value", class: cls, cfg: map[string]string{"static.field": "s"}, cfgErr: "ConfigException", errMsg: "Invalid value null for configuration static.value: No value specified for static field: "},
	}
	runCases(t, cases)

	// sink records carry an offset; missing partition/timestamp are skipped
	x := mustXform(t, cls, map[string]string{"offset.field": "o", "partition.field": "p", "timestamp.field": "ts"})
	r := &sluice.Record{Topic: "t", IsSinkRecord: true, KafkaOffset: 42, Value: smap("a", "b")}
	out, err := x.Apply(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(out.Value); got != `{"a"="b","o"=int64(42)}` {
		t.Fatalf("sink: %s", got)
	}
	r = &sluice.Record{Topic: "t", IsSinkRecord: true, KafkaOffset: 42, ValueSchema: s, Value: val}
	out, err = x.Apply(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(out.Value); got != `Struct{id=int64(1),n="d",p=null,o=int64(42),ts=null}` {
		t.Fatalf("sink struct: %s", got)
	}
}

func BenchmarkInsertFieldValue(b *testing.B) {
	benchXform(b, insertFieldClass+"$Value", map[string]string{"topic.field": "t", "static.field": "s", "static.value": "v"}, recordOf(false, nil, benchMap()))
}

func BenchmarkInsertFieldValueStruct(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, insertFieldClass+"$Value", map[string]string{"topic.field": "t", "static.field": "s", "static.value": "v"}, recordOf(false, s, st))
}
