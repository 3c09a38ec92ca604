package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestHeaderFrom(t *testing.T) {
	hfv := headerFromClass + "$Value"
	hfk := headerFromClass + "$Key"
	sch := structSchema("id", sluice.Int64Schema, "name", sluice.StringSchema,
		"ssn", &sluice.Schema{Type: sluice.String, Optional: true, Default: "n/a"})
	val := func(t *testing.T) *sluice.Struct { return structVal(t, sch, int64(7), "Ada", nil) }
	cases := []xcase{
		{name: "schemaless copy", class: hfv, cfg: map[string]string{"fields": "id,name", "headers": "pid,pname", "operation": "copy"},
			value: smap("id", int64(7), "name", "Ada"), want: `{"id"=int64(7),"name"="Ada"}`},
		{name: "schemaless move", class: hfv, cfg: map[string]string{"fields": "ssn,nope", "headers": "s,n", "operation": "move"},
			value: smap("id", int64(7), "ssn", "x"), want: `{"id"=int64(7)}`},
		{name: "struct copy", class: hfv, cfg: map[string]string{"fields": "id", "headers": "pid", "operation": "copy"},
			schema: sch, value: val(t), want: `Struct{id=int64(7),name="Ada",ssn=null}`, wantSch: "STRUCT{id:INT64,name:STRING,ssn:STRING?=\"n/a\"}"},
		{name: "struct move key", class: hfk, key: true, cfg: map[string]string{"fields": "name,id", "headers": "n,i", "operation": "move"},
			schema: sch, value: val(t), want: `Struct{ssn="n/a"}`, wantSch: "STRUCT{ssn:STRING?=\"n/a\"}"},
		{name: "tombstone", class: hfv, cfg: map[string]string{"fields": "id", "headers": "pid", "operation": "copy"},
			value: nil, err: "DataException", errMsg: "Only Map objects supported in absence of schema for [header copy], found: null"},
		{name: "struct tombstone", class: hfv, cfg: map[string]string{"fields": "id", "headers": "pid", "operation": "move"},
			schema: sch, value: nil, err: "DataException", errMsg: "Only Struct objects supported for [header move], found: null"},
		{name: "struct missing field", class: hfv, cfg: map[string]string{"fields": "nope", "headers": "n", "operation": "copy"},
			schema: sch, value: val(t), err: "NullPointerException"},
		{name: "length mismatch", class: hfv, cfg: map[string]string{"fields": "a,b", "headers": "x", "operation": "copy"},
			cfgErr: "ConfigException", errMsg: "'fields' config must have the same number of elements as 'headers' config."},
		{name: "operation case-sensitive", class: hfv, cfg: map[string]string{"fields": "a", "headers": "x", "operation": "MOVE"},
			cfgErr: "ConfigException"},
	}
	runCases(t, cases)
}

func TestHeaderFromHeaders(t *testing.T) {
	sch := structSchema("id", sluice.Int64Schema, "ssn", &sluice.Schema{Type: sluice.String, Optional: true, Default: "n/a"})
	for _, replace := range []string{"true", "false"} {
		x := mustXform(t, headerFromClass+"$Value", map[string]string{"fields": "ssn,id", "headers": "s,id", "operation": "copy",
			"replace.null.with.default": replace})
		in := sluice.Headers{{Key: "id", Schema: sluice.StringSchema, Value: "old"}}
		r := recordOf(false, sch, structVal(t, sch, int64(7), nil))
		r.Headers = in
		out, err := x.Apply(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Headers) != 1 || len(out.Headers) != 3 {
			t.Fatalf("headers %+v", out.Headers)
		}
		wantSSN := any("n/a")
		if replace == "false" {
			wantSSN = nil
		}
		h1, h2 := out.Headers[1], out.Headers[2]
		if h1.Key != "s" || h1.Value != wantSSN || h1.Schema != sch.Fields[1].Schema || h2.Key != "id" || h2.Value != int64(7) || h2.Schema != sluice.Int64Schema {
			t.Fatalf("replace=%s: headers %+v", replace, out.Headers)
		}
	}
	x := mustXform(t, headerFromClass+"$Value", map[string]string{"fields": "a", "headers": "h", "operation": "move"})
	out, err := x.Apply(recordOf(false, nil, smap("a", nil, "b", int32(1))))
	if err != nil {
		t.Fatal(err)
	}
	if h := out.Headers[0]; h.Key != "h" || h.Value != nil || h.Schema != nil || dump(out.Value) != `{"b"=int32(1)}` {
		t.Fatalf("schemaless null field: %+v %s", out.Headers, dump(out.Value))
	}
}
