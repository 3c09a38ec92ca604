package smt

import (
	"math/big"
	"testing"
	"time"

	"sluice.io/sluice"
)

func TestMaskField(t *testing.T) {
	const cls = maskFieldClass + "$Value"
	s := structSchema("id", sluice.Int64Schema, "name", sluice.StringSchema, "ok", sluice.BooleanSchema,
		"f", sluice.Float32Schema, "d", sluice.DecimalSchema(2, false), "at", sluice.TimestampSchema,
		"l", sluice.ArraySchema(sluice.StringSchema, false), "b", sluice.OptionalBytesSchema,
		"o", &sluice.Schema{Type: sluice.String, Optional: true, Default: "dd"})
	val := structVal(t, s, int64(7), "Ada", true, float32(1.5), sluice.Decimal{Unscaled: big.NewInt(12345), Scale: 2},
		time.UnixMilli(5000).UTC(), []any{"x"}, []byte{1}, nil)
	m := smap("id", int64(7), "name", "Ada", "ok", true, "score", 9.5, "l", []any{int64(1)}, "m", smap("a", "b"), "bin", []byte{1})
	cases := []xcase{
		{name: "schemaless defaults", class: cls, cfg: map[string]string{"fields": "id,name,ok,score,l,m,absent"}, value: m,
			want: `{"absent"=null,"bin"=[]uint8([1]),"id"=int64(0),"l"=[],"m"={},"name"="","ok"=bool(false),"score"=float64(0)}`},
		{name: "schemaless bytes", class: cls, cfg: map[string]string{"fields": "bin"}, value: m, err: "DataException", errMsg: "Cannot mask value of type: class [B"},
		{name: "schemaless string replacement", class: cls, cfg: map[string]string{"fields": "name", "replacement": "***"}, value: m,
			want: `{"bin"=[]uint8([1]),"id"=int64(7),"l"=[int64(1)],"m"={"a"="b"},"name"="***","ok"=bool(true),"score"=float64(9.5)}`},
		{name: "replacement on boolean", class: cls, cfg: map[string]string{"fields": "ok", "replacement": "x"}, value: m, err: "DataException",
			errMsg: "Cannot mask value of type class java.lang.Boolean with custom replacement."},
		{name: "tombstone fails", class: cls, cfg: map[string]string{"fields": "id"}, value: nil, err: "DataException",
			errMsg: "Only Map objects supported in absence of schema for [mask fields], found: null"},
		{name: "key side", class: maskFieldClass + "$Key", key: true, cfg: map[string]string{"fields": "name"}, value: smap("name", "x"), want: `{"name"=""}`},
		{name: "struct defaults", class: cls, cfg: map[string]string{"fields": "id,name,ok,f,d,at,l,o"}, schema: s, value: val,
			want: `Struct{id=int64(0),name="",ok=bool(false),f=float32(0),d=Decimal(0),at=Date(0),l=[],b=[]uint8([1]),o=""}`},
		{name: "struct bytes", class: cls, cfg: map[string]string{"fields": "b"}, schema: s, value: val, err: "DataException", errMsg: "Cannot mask value of type: class [B"},
		{name: "struct decimal replacement", class: cls, cfg: map[string]string{"fields": "d", "replacement": "1.5"}, schema: s, value: val,
			want: `Struct{id=int64(7),name="Ada",ok=bool(true),f=float32(1.5),d=Decimal(1.5),at=Date(5000),l=["x"],b=[]uint8([1]),o="dd"}`},
		{name: "struct bad decimal replacement", class: cls, cfg: map[string]string{"fields": "d", "replacement": "abc"}, schema: s, value: val, err: "DataException",
			errMsg: "Unable to convert abc (class java.lang.String) to number"},
		{name: "struct no default", class: cls, cfg: map[string]string{"fields": "o", "replace.null.with.default": "false"}, schema: s, value: val,
			want: `Struct{id=int64(7),name="Ada",ok=bool(true),f=float32(1.5),d=Decimal(123.45),at=Date(5000),l=["x"],b=[]uint8([1]),o=null}`},
		{name: "empty fields", class: cls, cfg: map[string]string{"fields": ""}, cfgErr: "ConfigException", errMsg: "Empty list"},
		{name: "empty replacement", class: cls, cfg: map[string]string{"fields": "a", "replacement": ""}, cfgErr: "ConfigException", errMsg: "String must be non-empty"},
	}
	runCases(t, cases)
}

func BenchmarkMaskFieldValue(b *testing.B) {
	benchXform(b, maskFieldClass+"$Value", map[string]string{"fields": "ssn,card,email", "replacement": "****"}, recordOf(false, nil, benchMap()))
}

func BenchmarkMaskFieldValueStruct(b *testing.B) {
	s, st := benchStruct(b)
	benchXform(b, maskFieldClass+"$Value", map[string]string{"fields": "ssn,card,email", "replacement": "****"}, recordOf(false, s, st))
}
