package smt

import (
	"math"
	"math/big"
	"testing"
	"time"

	"sluice.io/sluice"
)

func TestCast(t *testing.T) {
	const cls = castClass + "$Value"
	s := structSchema("id", sluice.Int64Schema, "name", sluice.StringSchema,
		"score", &sluice.Schema{Type: sluice.Float64, Optional: true, Default: 2.5},
		"amt", sluice.DecimalSchema(2, false), "day", sluice.DateSchema, "bin", sluice.OptionalBytesSchema)
	s.Name = "U"
	val := structVal(t, s, int64(300), "42", nil, sluice.Decimal{Unscaled: big.NewInt(-12345), Scale: 2},
		time.UnixMilli(3*millisPerDay).UTC(), []byte("hi"))
	m := smap("id", int64(300), "f", 1e10, "s", "12", "b", true, "bin", []byte("hi"))
	cases := []xcase{
		{name: "schemaless fields", class: cls, cfg: map[string]string{"spec": "id:int8,f:string,s:int16,b:int32,bin:string,absent:int8"}, value: m,
			want: `{"absent"=null,"b"=int32(1),"bin"="aGk=","f"="1.0E10","id"=int8(44),"s"=int16(12)}`},
		{name: "schemaless whole", class: cls, cfg: map[string]string{"spec": "string"}, value: int64(5), want: `"5"`, wantSch: "null"},
		{name: "schemaless whole map", class: cls, cfg: map[string]string{"spec": "string"}, value: m, err: "DataException", errMsg: "does not support casting from MAP"},
		{name: "schemaless bad int", class: cls, cfg: map[string]string{"spec": "int32"}, value: "abc", err: "DataException", errMsg: "Value (abc) was out of range for requested data type"},
		{name: "schemaless decimal unsupported", class: cls, cfg: map[string]string{"spec": "int32"}, value: sluice.Decimal{Unscaled: big.NewInt(1)}, err: "DataException",
			errMsg: "Cast transformation was passed a value of type class java.math.BigDecimal which is not supported by Connect's data API"},
		{name: "bytes to int", class: cls, cfg: map[string]string{"spec": "int32"}, value: []byte{1}, err: "DataException", errMsg: "Unexpected type in Cast transformation: class [B"},
		{name: "tombstone", class: cls, cfg: map[string]string{"spec": "a:int8"}, value: nil, want: "null", same: true},
		{name: "key", class: castClass + "$Key", key: true, cfg: map[string]string{"spec": "boolean"}, value: 0.5, want: "bool(false)"},
		{name: "struct", class: cls, cfg: map[string]string{"spec": "id:int8,name:int32,score:string,amt:int32,day:int64,bin:string,nope:int8"}, schema: s, value: val,
			want:    `Struct{id=int8(44),name=int32(42),score="2.5",amt=int32(-123),day=int64(3),bin="aGk="}`,
			wantSch: `STRUCT<U>{id:INT8,name:INT32,score:STRING?="2.5",amt:INT32,day:INT64,bin:STRING?}`},
		{name: "struct decimal to string and float", class: cls, cfg: map[string]string{"spec": "amt:string,id:float32"}, schema: s, value: val,
			want: `Struct{id=float32(300),name="42",score=float64(2.5),amt="-123.45",day=Date(259200000),bin=[]uint8([104 105])}`},
		{name: "struct no default", class: cls, cfg: map[string]string{"spec": "score:string", "replace.null.with.default": "false"}, schema: s, value: val,
			want: `Struct{id=int64(300),name="42",score=null,amt=Decimal(-123.45),day=Date(259200000),bin=[]uint8([104 105])}`},
		{name: "struct date to string", class: cls, cfg: map[string]string{"spec": "day:string"}, schema: s, value: val,
			want: `Struct{id=int64(300),name="42",score=float64(2.5),amt=Decimal(-123.45),day="1970-01-04",bin=[]uint8([104 105])}`},
		{name: "whole value keeps basics", class: cls, cfg: map[string]string{"spec": "int64"}, schema: sluice.OptionalTimestampSchema, value: time.UnixMilli(99).UTC(),
			want: "int64(99)", wantSch: "INT64?<org.apache.kafka.connect.data.Timestamp>v1"},
		{name: "per-field on non-struct", class: cls, cfg: map[string]string{"spec": "a:int8"}, schema: sluice.StringSchema, value: "x", err: "DataException", errMsg: "Cannot list fields on non-struct type"},
		{name: "struct with default", class: cls, cfg: map[string]string{"spec": "id:int8"}, schema: &sluice.Schema{Type: sluice.StructType, Fields: s.Fields, Default: val}, value: val,
			err: "DataException", errMsg: "does not support casting from STRUCT"},
		{name: "bytes target", class: cls, cfg: map[string]string{"spec": "a:bytes"}, cfgErr: "ConfigException",
			errMsg: "Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]"},
		{name: "unknown type", class: cls, cfg: map[string]string{"spec": "badspec"}, cfgErr: "ConfigException",
			errMsg: "Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.BADSPEC for configuration Invalid type found in casting spec: badspec"},
		{name: "trailing colon is whole-value type", class: cls, cfg: map[string]string{"spec": "f:"}, cfgErr: "ConfigException", errMsg: "Invalid type found in casting spec: f"},
		{name: "three parts", class: cls, cfg: map[string]string{"spec": "a:b:c"}, cfgErr: "ConfigException", errMsg: "Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c"},
		{name: "whole plus field", class: cls, cfg: map[string]string{"spec": "int8,a:int8"}, cfgErr: "ConfigException", errMsg: "may only specify a single cast"},
		{name: "empty", class: cls, cfg: map[string]string{"spec": ""}, cfgErr: "ConfigException", errMsg: "Must specify at least one field to cast."},
		{name: "lone colon", class: cls, cfg: map[string]string{"spec": ":"}, cfgErr: "ArrayIndexOutOfBoundsException"},
	}
	runCases(t, cases)
}

func TestCastNumeric(t *testing.T) {
	tests := []struct {
		v      any
		target sluice.Type
		want   string
	}{
		{int64(300), sluice.Int8, "int8(44)"},
		{int64(-129), sluice.Int8, "int8(127)"},
		{int32(70000), sluice.Int16, "int16(4464)"},
		{1e20, sluice.Int32, "int32(2147483647)"},
		{1e20, sluice.Int8, "int8(-1)"},
		{-1e20, sluice.Int64, "int64(-9223372036854775808)"},
		{math.NaN(), sluice.Int64, "int64(0)"},
		{float32(3.9), sluice.Int16, "int16(3)"},
		{-3.9, sluice.Int32, "int32(-3)"},
		{sluice.Decimal{Unscaled: new(big.Int).Lsh(big.NewInt(1), 64), Scale: 0}, sluice.Boolean, "bool(false)"},
		{sluice.Decimal{Unscaled: big.NewInt(5), Scale: 1}, sluice.Boolean, "bool(false)"},
		{sluice.Decimal{Unscaled: big.NewInt(1), Scale: -3}, sluice.Int16, "int16(1000)"},
		{sluice.Decimal{Unscaled: big.NewInt(1), Scale: -70}, sluice.Int64, "int64(0)"},
		{int64(1<<53 + 1), sluice.Float64, "float64(9.007199254740992e+15)"},
		{"  1.5f ", sluice.Float32, "float32(1.5)"},
		{"0x1p3", sluice.Float64, "float64(8)"},
		{"+7", sluice.Int32, "int32(7)"},
		{"TRUE", sluice.Boolean, "bool(true)"},
		{"yes", sluice.Boolean, "bool(false)"},
		{float32(0.1), sluice.String, `"0.1"`},
		{1e-5, sluice.String, `"1.0E-5"`},
		{true, sluice.Float32, "float32(1)"},
		{sluice.Decimal{Unscaled: big.NewInt(1), Scale: -3}, sluice.String, `"1E+3"`},
	}
	for _, tc := range tests {
		var s *sluice.Schema
		if _, ok := tc.v.(sluice.Decimal); ok {
			s = sluice.DecimalSchema(0, false)
		}
		got, err := castValue(s, tc.v, tc.target)
		if err != nil {
			t.Errorf("%v → %s: %v", tc.v, tc.target, err)
			continue
		}
		if dump(got) != tc.want {
			t.Errorf("%v → %s: %s, want %s", tc.v, tc.target, dump(got), tc.want)
		}
	}
	for _, bad := range []string{" 1", "1.0", "99999999999"} {
		if _, err := castValue(nil, bad, sluice.Int32); err == nil {
			t.Errorf("%q parsed as int", bad)
		}
	}
	if got := javaDateString(time.UnixMilli(-1000).UTC()); got != "23:59:59.000Z" {
		t.Errorf("negative time: %s", got)
	}
	if got := javaDateString(time.UnixMilli(millisPerDay + 1).UTC()); got != "1970-01-02T00:00:00.001Z" {
		t.Errorf("timestamp: %s", got)
	}
}

func BenchmarkCastValue(b *testing.B) {
	benchXform(b, castClass+"$Value", map[string]string{"spec": "id:string,user:string"}, recordOf(false, nil, benchMap()))
}

func BenchmarkCastValueStruct(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, castClass+"$Value", map[string]string{"spec": "id:string,user:string"}, recordOf(false, s, st))
}

func FuzzParseCastSpec(f *testing.F) {
	for _, s := range []string{"a:int8,b:string", "int32", "f:", ":", "a:b:c", " x : Float64 ", "int8,a:int8", "", "a:bytes", "ſtring"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		casts, whole, err := parseCastSpec(sluice.SplitList(s))
		if err != nil {
			switch sluice.ErrorClass(err) {
			case "ConfigException", "ArrayIndexOutOfBoundsException":
			default:
				t.Fatalf("unexpected error class for %q: %v", s, err)
			}
			return
		}
		if whole != 0 && len(casts) != 0 {
			t.Fatalf("%q: whole-value and field casts together", s)
		}
		seen := map[string]bool{}
		for _, c := range casts {
			if seen[c.field] {
				t.Fatalf("%q: duplicate field %q", s, c.field)
			}
			seen[c.field] = true
			if !c.target.IsPrimitive() || c.target == sluice.Bytes {
				t.Fatalf("%q: bad target %v", s, c.target)
			}
		}
	})
}
