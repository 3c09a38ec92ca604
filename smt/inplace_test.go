package smt

import (
	"reflect"
	"testing"

	"sluice.io/sluice"
)

// ownedCase is one transformation whose ApplyOwned is checked against Apply.
type ownedCase struct {
	name  string
	class string
	cfg   map[string]string
	rec   func(t testing.TB) *sluice.Record
	// fresh is the ownership ApplyOwned reports for an unowned input.
	fresh sluice.Ownership
}

func withHeaders(r *sluice.Record, keys ...string) *sluice.Record {
	for _, k := range keys {
		r.Headers = append(r.Headers, sluice.Header{Key: k, Schema: sluice.StringSchema, Value: "v-" + k})
	}
	return r
}

func ownedStruct(t testing.TB) (*sluice.Schema, *sluice.Struct) {
	s := structSchema("user", sluice.StringSchema, "card", sluice.OptionalStringSchema,
		"age", &sluice.Schema{Type: sluice.Int32, Optional: true, Default: int32(18)})
	return s, structVal(t, s, "alice", "4111", nil)
}

var ownedCases = []ownedCase{
	{name: "InsertHeader/no headers", class: insertHeaderClass,
		cfg:   map[string]string{"header": "h", "value.literal": "42"},
		rec:   func(t testing.TB) *sluice.Record { return recordOf(false, nil, smap("a", "b")) },
		fresh: sluice.OwnRecord | sluice.OwnHeaders},
	{name: "InsertHeader/headers", class: insertHeaderClass,
		cfg: map[string]string{"header": "h", "value.literal": "x"},
		rec: func(t testing.TB) *sluice.Record {
			return withHeaders(recordOf(false, nil, smap("a", "b")), "h", "z")
		},
		fresh: sluice.OwnRecord | sluice.OwnHeaders},
	{name: "DropHeaders", class: dropHeadersClass, cfg: map[string]string{"headers": "a,c"},
		rec: func(t testing.TB) *sluice.Record {
			return withHeaders(recordOf(false, nil, smap("a", "b")), "a", "b", "a", "c", "d")
		},
		fresh: sluice.OwnRecord | sluice.OwnHeaders},
	{name: "DropHeaders/none dropped", class: dropHeadersClass, cfg: map[string]string{"headers": "x"},
		rec: func(t testing.TB) *sluice.Record {
			return withHeaders(recordOf(false, nil, smap("a", "b")), "a", "b")
		},
		fresh: sluice.OwnNone},
	{name: "ReplaceField/map", class: replaceFieldClass + "$Value",
		cfg: map[string]string{"renames": "card:cc", "exclude": "x"},
		rec: func(t testing.TB) *sluice.Record {
			return recordOf(false, nil, smap("user", "alice", "x", 1, "card", "4111"))
		},
		fresh: sluice.OwnRecord | sluice.OwnValue},
	{name: "ReplaceField/key struct", class: replaceFieldClass + "$Key",
		cfg: map[string]string{"renames": "card:cc", "exclude": "user"},
		rec: func(t testing.TB) *sluice.Record {
			s, v := ownedStruct(t)
			return recordOf(true, s, v)
		},
		fresh: sluice.OwnRecord | sluice.OwnKey},
	{name: "MaskField/map", class: maskFieldClass + "$Value",
		cfg: map[string]string{"fields": "card,missing,age", "replacement": "0"},
		rec: func(t testing.TB) *sluice.Record {
			m := smap("user", "alice", "card", "4111", "age", int32(40))
			m.Hashed = false
			return recordOf(false, nil, m)
		},
		fresh: sluice.OwnRecord | sluice.OwnValue},
	{name: "MaskField/struct", class: maskFieldClass + "$Value",
		cfg: map[string]string{"fields": "card"},
		rec: func(t testing.TB) *sluice.Record {
			s, v := ownedStruct(t)
			return recordOf(false, s, v)
		},
		fresh: sluice.OwnRecord | sluice.OwnValue},
	{name: "RegexRouter", class: regexRouterClass,
		cfg:   map[string]string{"regex": "(ord)ers", "replacement": "$1-x"},
		rec:   func(t testing.TB) *sluice.Record { return recordOf(false, nil, smap("a", "b")) },
		fresh: sluice.OwnRecord},
	{name: "RegexRouter/no match", class: regexRouterClass,
		cfg:   map[string]string{"regex": "nope", "replacement": "x"},
		rec:   func(t testing.TB) *sluice.Record { return recordOf(false, nil, smap("a", "b")) },
		fresh: sluice.OwnNone},
	{name: "TimestampRouter", class: timestampRouterClass, cfg: map[string]string{},
		rec:   func(t testing.TB) *sluice.Record { return recordOf(false, nil, smap("a", "b")) },
		fresh: sluice.OwnRecord},
	{name: "InsertField/map", class: insertFieldClass + "$Value",
		cfg:   map[string]string{"topic.field": "t", "static.field": "s", "static.value": "v", "timestamp.field": "a"},
		rec:   func(t testing.TB) *sluice.Record { return recordOf(false, nil, smap("a", "b", "c", "d")) },
		fresh: sluice.OwnRecord | sluice.OwnValue},
	{name: "InsertField/struct", class: insertFieldClass + "$Value",
		cfg: map[string]string{"topic.field": "t"},
		rec: func(t testing.TB) *sluice.Record {
			s, v := ownedStruct(t)
			return recordOf(false, s, v)
		},
		fresh: sluice.OwnRecord | sluice.OwnValue},
	{name: "SetSchemaMetadata/struct", class: setSchemaMetadataClass + "$Value",
		cfg: map[string]string{"schema.name": "n", "schema.version": "3"},
		rec: func(t testing.TB) *sluice.Record {
			s, v := ownedStruct(t)
			return recordOf(false, s, v)
		},
		fresh: sluice.OwnRecord | sluice.OwnValue},
	{name: "HoistField/map", class: hoistFieldClass + "$Value", cfg: map[string]string{"field": "w"},
		rec:   func(t testing.TB) *sluice.Record { return recordOf(false, nil, smap("a", "b")) },
		fresh: sluice.OwnRecord | sluice.OwnValue},
	{name: "HoistField/struct", class: hoistFieldClass + "$Key", cfg: map[string]string{"field": "w"},
		rec: func(t testing.TB) *sluice.Record {
			s, v := ownedStruct(t)
			return recordOf(true, s, v)
		},
		fresh: sluice.OwnRecord | sluice.OwnKey},
}

// TestApplyOwned checks, for every in-place transformation, that ApplyOwned
// gives Apply's result whatever the caller owns, changes owned records in
// place, never writes into parts the caller does not own, and reports the
// ownership of what it returns.
func TestApplyOwned(t *testing.T) {
	for _, c := range ownedCases {
		t.Run(c.name, func(t *testing.T) {
			x, ok := mustXform(t, c.class, c.cfg).(sluice.InPlaceTransformation)
			if !ok {
				t.Fatalf("%s is not an InPlaceTransformation", c.class)
			}
			want, err := x.Apply(c.rec(t))
			if err != nil || want == nil {
				t.Fatalf("Apply: %v %v", want, err)
			}

			// Nothing owned: the input stays as it was.
			in, before := c.rec(t), c.rec(t)
			got, own, err := x.ApplyOwned(in, sluice.OwnNone)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in, before) {
				t.Fatalf("unowned input changed: %s", dump(in.Value))
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("OwnNone result differs from Apply:\n got %+v\nwant %+v", got, want)
			}
			if own != c.fresh {
				t.Errorf("OwnNone: reported ownership %b, want %b", own, c.fresh)
			}
			if (got == in) != (own == sluice.OwnNone) {
				t.Errorf("OwnNone: same record %v with ownership %b", got == in, own)
			}

			// Only the Record struct owned: it may change, what it points to not.
			in = c.rec(t)
			hdrs, key, val := in.Headers, c.rec(t).Key, c.rec(t).Value
			hdrsBefore := append(sluice.Headers(nil), hdrs...)
			got, own, err = x.ApplyOwned(in, sluice.OwnRecord)
			if err != nil {
				t.Fatal(err)
			}
			if got != in {
				t.Error("OwnRecord: record copied instead of changed in place")
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("OwnRecord result differs from Apply:\n got %+v\nwant %+v", got, want)
			}
			if !reflect.DeepEqual(append(sluice.Headers(nil), hdrs...), hdrsBefore) {
				t.Error("OwnRecord: unowned headers changed")
			}
			if dump(key) != dump(c.rec(t).Key) || dump(val) != dump(c.rec(t).Value) {
				t.Error("OwnRecord: key or value changed")
			}
			if own != c.fresh|sluice.OwnRecord {
				t.Errorf("OwnRecord: reported ownership %b, want %b", own, c.fresh|sluice.OwnRecord)
			}

			// Everything owned: changed in place, still owned.
			in = c.rec(t)
			got, own, err = x.ApplyOwned(in, sluice.OwnAll)
			if err != nil {
				t.Fatal(err)
			}
			if got != in {
				t.Error("OwnAll: record copied instead of changed in place")
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("OwnAll result differs from Apply:\n got %+v\nwant %+v", got, want)
			}
			if own != sluice.OwnAll {
				t.Errorf("OwnAll: reported ownership %b", own)
			}
		})
	}
}

// TestApplyOwnedInPlace checks that owned maps, structs and headers are
// reused rather than copied.
func TestApplyOwnedInPlace(t *testing.T) {
	mask := mustXform(t, maskFieldClass+"$Value", map[string]string{"fields": "card"}).(sluice.InPlaceTransformation)
	m := smap("card", "4111", "user", "u")
	r := recordOf(false, nil, m)
	out, _, err := mask.ApplyOwned(r, sluice.OwnAll)
	if err != nil || out.Value != any(m) || m.Entries[0].Value != "" {
		t.Fatalf("map not masked in place: %v %s", err, dump(out.Value))
	}
	s, st := ownedStruct(t)
	r = recordOf(false, s, st)
	out, _, err = mask.ApplyOwned(r, sluice.OwnAll)
	if err != nil || out.Value != any(st) || st.Values()[1] != "" {
		t.Fatalf("struct not masked in place: %v %s", err, dump(out.Value))
	}
	// replace.null.with.default still fills defaults in place.
	if st.Values()[2] != int32(18) {
		t.Fatalf("default not applied: %v", st.Values()[2])
	}

	ins := mustXform(t, insertHeaderClass, map[string]string{"header": "h", "value.literal": "v"}).(sluice.InPlaceTransformation)
	r = withHeaders(recordOf(false, nil, smap()), "a")
	r.Headers = append(make(sluice.Headers, 0, 4), r.Headers...)
	arr := &r.Headers[:1][0]
	out, _, _ = ins.ApplyOwned(r, sluice.OwnAll)
	if len(out.Headers) != 2 || &out.Headers[0] != arr {
		t.Fatal("owned headers not appended in place")
	}

	drop := mustXform(t, dropHeadersClass, map[string]string{"headers": "a"}).(sluice.InPlaceTransformation)
	out, _, _ = drop.ApplyOwned(out, sluice.OwnAll)
	if len(out.Headers) != 1 || &out.Headers[0] != arr || out.Headers[0].Key != "h" {
		t.Fatalf("owned headers not compacted in place: %+v", out.Headers)
	}
}

// TestApplyOwnedError checks that an error on a shared input leaves it
// unchanged.
func TestApplyOwnedError(t *testing.T) {
	x := mustXform(t, maskFieldClass+"$Value", map[string]string{"fields": "a,b", "replacement": "x"}).(sluice.InPlaceTransformation)
	in := recordOf(false, nil, smap("a", "s", "b", true))
	before := dump(in.Value)
	if _, _, err := x.ApplyOwned(in, sluice.OwnNone); sluice.ErrorClass(err) != "DataException" {
		t.Fatalf("err = %v", err)
	}
	if dump(in.Value) != before {
		t.Fatal("input changed on error")
	}
}

func BenchmarkMaskFieldValueOwned(b *testing.B) {
	x := mustXform(b, maskFieldClass+"$Value", map[string]string{"fields": "card,ssn", "replacement": "****"}).(sluice.InPlaceTransformation)
	r := recordOf(false, nil, benchMap())
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := x.ApplyOwned(r, sluice.OwnAll); err != nil {
			b.Fatal(err)
		}
	}
}
