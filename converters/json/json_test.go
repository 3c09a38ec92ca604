package json

import (
	"bytes"
	"testing"

	"sluice.io/sluice"
)

func newConv(t testing.TB, cfg map[string]string) *Converter {
	t.Helper()
	c := New()
	if err := c.Configure(cfg, false); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRoundTrip checks that decoding then encoding reproduces Java's bytes.
func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name, schemas, in, out string
	}{
		{"int", "false", `42`, `42`},
		{"float", "false", `1e2`, `100.0`},
		{"big float", "false", `1e23`, `9.999999999999999E22`},
		{"negative zero", "false", `-0.0`, `0.0`},
		{"overflow", "false", `1e400`, `"Infinity"`},
		{"wrap", "false", `12345678901234567890`, `-6101065172474983726`},
		{"leading zeros", "false", `007`, `7`},
		{"string escapes", "false", `"a\u0001\t\"\\\/é😀"`, `"a\u0001\t\"\\/é\uD83D\uDE00"`},
		{"hash order", "false", `{"b":1,"a":2,"ab":3}`, `{"a":2,"ab":3,"b":1}`},
		{"duplicate keys", "false", `{"a":1,"a":2}`, `{"a":2}`},
		{"array", "false", `[1,"x",null,true,[]]`, `[1,"x",null,true,[]]`},
		{"trailing garbage", "false", `[1]]`, `[1]`},
		{"envelope", "true", `{"schema":{"type":"int8","optional":false},"payload":128}`, `{"schema":{"type":"int8","optional":false},"payload":-128}`},
		{"schema members", "true", `{"schema":{"type":"int32","optional":true,"name":"n","version":3,"doc":"d","parameters":{"z":"1","a":"2"},"default":5},"payload":null}`,
			`{"schema":{"type":"int32","optional":true,"name":"n","version":3,"doc":"d","parameters":{"z":"1","a":"2"},"default":5},"payload":5}`},
		{"struct", "true", `{"schema":{"type":"struct","fields":[{"field":"a","type":"int64"},{"field":"b","type":"string","optional":true}]},"payload":{"b":"x","a":1}}`,
			`{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"a"},{"type":"string","optional":true,"field":"b"}],"optional":false},"payload":{"a":1,"b":"x"}}`},
		{"int map", "true", `{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"string"}},"payload":[[2,"b"],[1,"a"]]}`,
			`{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":false},"payload":[[1,"a"],[2,"b"]]}`},
		{"decimal", "true", `{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AIA="}`,
			`{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AIA="}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conv := newConv(t, map[string]string{"schemas.enable": c.schemas})
			s, v, err := conv.ToConnect("t", nil, []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			out, err := conv.FromConnect("t", nil, s, v)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.out {
				t.Errorf("got %s, want %s", out, c.out)
			}
		})
	}
}

// TestDecodeErrors checks inputs Jackson rejects.
func TestDecodeErrors(t *testing.T) {
	conv := newConv(t, map[string]string{"schemas.enable": "false"})
	for _, in := range []string{`{`, `[1,`, `tru`, `truex`, `NaN`, `+1`, `.5`, `1.`, `-`, `0x10`, `"\q"`, "\"a\x01\"", `/*c*/1`,
		`{'a':1}`, `[1,]`, `{"a":1,}`, "\"caf\xe9\"", `1x`} {
		if _, _, err := conv.ToConnect("t", nil, []byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		} else if sluice.ErrorClass(err) != "DataException" {
			t.Errorf("%q: class %s", in, sluice.ErrorClass(err))
		}
	}
}

func TestEnvelopeStrict(t *testing.T) {
	conv := newConv(t, nil)
	for _, in := range []string{`{"schema":null}`, `{"payload":1}`, `{"schema":null,"payload":1,"x":2}`, `"x"`, `null`, `  `} {
		_, _, err := conv.ToConnect("t", nil, []byte(in))
		if err == nil || err.Error() != envelopeMsg {
			t.Errorf("%q: got %v", in, err)
		}
	}
}

func TestJavaOrder(t *testing.T) {
	m := sluice.NewMap(0, true)
	for _, k := range []string{"name", "id", "email", "zip", "a", "b"} {
		m.Put(k, int64(1))
	}
	var got []string
	for _, i := range javaOrder(m, nil) {
		got = append(got, m.Entries[i].Key.(string))
	}
	// java.util.HashMap iteration order of these keys (JDK 17)
	want := []string{"zip", "a", "b", "name", "id", "email"}
	if !equalStrings(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzJSONEnvelopeDecode(f *testing.F) {
	f.Add([]byte(`{"schema":{"type":"struct","fields":[{"field":"a","type":"int64"},{"field":"m","type":"map","keys":{"type":"int32"},"values":{"type":"string","optional":true}}]},"payload":{"a":1,"m":[[1,null]]}}`))
	f.Add([]byte(`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":"AIA="}`))
	f.Add([]byte(`{"schema":null,"payload":[1,2.5,"x",{"k":true}]}`))
	conv := newConv(f, nil)
	f.Fuzz(func(t *testing.T, b []byte) {
		s, v, err := conv.ToConnect("t", nil, b)
		if err != nil {
			return
		}
		out, err := conv.FromConnect("t", nil, s, v)
		if err != nil {
			return // e.g. a required field decoded to null
		}
		s2, v2, err := conv.ToConnect("t", nil, out)
		if err != nil {
			t.Fatalf("re-decoding %q: %v", out, err)
		}
		out2, err := conv.FromConnect("t", nil, s2, v2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n%s (%v)", out, out2, err)
		}
	})
}

func FuzzJSONSchemalessDecode(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":[1,2.5e3,"x\u00e9",null,true],"c":{"d":-0}}`))
	f.Add([]byte(`12345678901234567890`))
	f.Add([]byte("\xef\xbb\xbf\"\\ud83d\\ude00\""))
	conv := newConv(f, map[string]string{"schemas.enable": "false"})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, v, err := conv.ToConnect("t", nil, b)
		if err != nil {
			return
		}
		out, err := conv.FromConnect("t", nil, nil, v)
		if err != nil {
			t.Fatalf("encoding %#v: %v", v, err)
		}
		if v == nil {
			return
		}
		_, v2, err := conv.ToConnect("t", nil, out)
		if err != nil {
			t.Fatalf("re-decoding %q: %v", out, err)
		}
		out2, _ := conv.FromConnect("t", nil, nil, v2)
		if !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n%s", out, out2)
		}
	})
}

var benchInput = []byte(`{"host":"web-01.example.com","app":"checkout","level":"INFO","user":"ada","region":"eu-west-1","method":"POST","path":"/api/v1/orders/12345/items","status":"201 Created (new order)"}`)

func BenchmarkSchemalessRoundTrip(b *testing.B) {
	conv := newConv(b, map[string]string{"schemas.enable": "false"})
	b.SetBytes(int64(len(benchInput)))
	b.ReportAllocs()
	for b.Loop() {
		s, v, err := conv.ToConnect("t", nil, benchInput)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conv.FromConnect("t", nil, s, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEnvelopeRoundTrip(b *testing.B) {
	conv := newConv(b, nil)
	in := []byte(`{"schema":null,"payload":` + string(benchInput) + `}`)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		s, v, err := conv.ToConnect("t", nil, in)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conv.FromConnect("t", nil, s, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStructEnvelopeRoundTrip(b *testing.B) {
	conv := newConv(b, nil)
	in := []byte(`{"schema":{"type":"struct","fields":[{"field":"host","type":"string"},{"field":"app","type":"string"},{"field":"level","type":"string"},{"field":"user","type":"string"},{"field":"region","type":"string"},{"field":"method","type":"string"},{"field":"path","type":"string"},{"field":"status","type":"string"}]},"payload":` + string(benchInput) + `}`)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		s, v, err := conv.ToConnect("t", nil, in)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conv.FromConnect("t", nil, s, v); err != nil {
			b.Fatal(err)
		}
	}
}
