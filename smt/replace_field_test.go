package smt

import (
	"strings"
	"testing"

	"sluice.io/sluice"
)

func TestReplaceField(t *testing.T) {
	const cls = replaceFieldClass + "$Value"
	s := structSchema("id", sluice.Int64Schema, "name", sluice.StringSchema, "ssn", sluice.OptionalStringSchema,
		"age", &sluice.Schema{Type: sluice.Int32, Optional: true, Default: int32(9)})
	s.Name = "User"
	s.Optional = true
	val := structVal(t, s, int64(1), "Ada", "123", nil)
	m := smap("id", int64(1), "name", "Ada", "ssn", "123", "age", int64(36))
	cases := []xcase{
		{name: "schemaless exclude", class: cls, cfg: map[string]string{"exclude": "ssn,zz"}, value: m, want: `{"age"=int64(36),"id"=int64(1),"name"="Ada"}`, wantSch: "null"},
		{name: "schemaless include", class: cls, cfg: map[string]string{"include": "id,name"}, value: m, want: `{"id"=int64(1),"name"="Ada"}`},
		{name: "exclude wins", class: cls, cfg: map[string]string{"include": "id,name", "exclude": "name"}, value: m, want: `{"id"=int64(1)}`},
		{name: "schemaless renames", class: cls, cfg: map[string]string{"renames": "name:full_name,ssn:tax_id", "exclude": "age"}, value: m,
			want: `{"full_name"="Ada","id"=int64(1),"tax_id"="123"}`},
		{name: "rename onto kept field", class: cls, cfg: map[string]string{"renames": "name:id"}, value: smap("id", int64(1), "name", "Ada"), want: `{"id"=int64(1)}`},
		{name: "blacklist honoured", class: cls, cfg: map[string]string{"blacklist": "ssn,age"}, value: m, want: `{"id"=int64(1),"name"="Ada"}`},
		{name: "whitelist honoured", class: cls, cfg: map[string]string{"whitelist": "id"}, value: m, want: `{"id"=int64(1)}`},
		{name: "exclude beats blacklist", class: cls, cfg: map[string]string{"exclude": "id", "blacklist": "ssn"}, value: m, want: `{"age"=int64(36),"name"="Ada","ssn"="123"}`},
		{name: "key side", class: replaceFieldClass + "$Key", key: true, cfg: map[string]string{"include": "id"}, value: m, want: `{"id"=int64(1)}`},
		{name: "tombstone", class: cls, cfg: map[string]string{"include": "id"}, value: nil, want: "null", same: true},
		{name: "not a map", class: cls, cfg: map[string]string{"include": "id"}, value: "s", err: "DataException", errMsg: "Only Map objects supported in absence of schema for [field replacement], found: java.lang.String"},
		{name: "struct", class: cls, cfg: map[string]string{"exclude": "ssn", "renames": "name:full"}, schema: s, value: val,
			want: `Struct{id=int64(1),full="Ada",age=int32(9)}`, wantSch: "STRUCT<User>{id:INT64,full:STRING,age:INT32?=int32(9)}"},
		{name: "struct no default", class: cls, cfg: map[string]string{"include": "age", "replace.null.with.default": "false"}, schema: s, value: val, want: `Struct{age=null}`},
		{name: "struct rename collision", class: cls, cfg: map[string]string{"renames": "name:id"}, schema: s, value: val, err: "DataException", errMsg: "duplication id"},
		{name: "struct rename reads excluded source", class: cls, cfg: map[string]string{"renames": "ssn:name", "exclude": "ssn"}, schema: s, value: val,
			want: `Struct{id=int64(1),name="123",age=int32(9)}`},
		{name: "struct rename from absent field", class: cls, cfg: map[string]string{"renames": "zz:name"}, schema: s, value: val, err: "DataException", errMsg: "zz is not a valid field name"},
		{name: "leading colon", class: cls, cfg: map[string]string{"renames": ":x"}, value: smap("", "e", "a", "b"), want: `{"a"="b","x"="e"}`},
		{name: "trailing colon invalid", class: cls, cfg: map[string]string{"renames": "a:"}, cfgErr: "ConfigException", errMsg: "Invalid value [a:] for configuration renames: Invalid rename mapping: a:"},
		{name: "three parts invalid", class: cls, cfg: map[string]string{"renames": "a:b, c:d:e"}, cfgErr: "ConfigException", errMsg: "Invalid value [a:b, c:d:e] for configuration renames: Invalid rename mapping: c:d:e"},
	}
	runCases(t, cases)
}

func TestJavaSplitColon(t *testing.T) {
	for in, want := range map[string]int{"": 1, ":": 0, "a:": 1, ":b": 2, "a:b:": 2, "a::b": 3, "::": 0, "a": 1} {
		if got := len(javaSplitColon(in)); got != want {
			t.Errorf("%q: %d parts, want %d", in, got, want)
		}
	}
}

func BenchmarkReplaceFieldValue(b *testing.B) {
	benchXform(b, replaceFieldClass+"$Value", map[string]string{"renames": "user:username,ip:src_ip", "exclude": "ssn,card"}, recordOf(false, nil, benchMap()))
}

func BenchmarkReplaceFieldValueStruct(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, replaceFieldClass+"$Value", map[string]string{"renames": "user:username,ip:src_ip", "exclude": "ssn,card"}, recordOf(false, s, st))
}

func FuzzParseRenameMappings(f *testing.F) {
	for _, s := range []string{"a:b", "a:b,c:d", ":b", "a:", "a:b:c", "", "a::b", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items := sluice.SplitList(s)
		rs, err := parseRenameMappings(items)
		if err != nil {
			if sluice.ErrorClass(err) != "ConfigException" || !strings.Contains(err.Error(), "Invalid rename mapping: ") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len(rs) != len(items) {
			t.Fatalf("%q: %d renames for %d items", s, len(rs), len(items))
		}
		for i, r := range rs {
			// Java's split drops trailing empty parts, so "a:b:" is a:b
			if r.from+":"+r.to != strings.TrimRight(items[i], ":") {
				t.Fatalf("%q: %q does not rebuild %q", s, r.from+":"+r.to, items[i])
			}
		}
	})
}
