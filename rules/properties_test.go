package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"sluice.io/sluice"
)

func TestLoadPropertiesGolden(t *testing.T) {
	p, err := LoadPropertiesFile("testdata/worker.properties")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/worker.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var want [][3]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	puts := p.Puts()
	if len(puts) != len(want) {
		t.Fatalf("got %d puts, want %d: %+v", len(puts), len(want), puts)
	}
	for i, w := range want {
		g := puts[i]
		if g.Key != w[0] || g.Value != w[1] || float64(g.Line) != w[2] {
			t.Errorf("put %d: got %q=%q (line %d), want %v", i, g.Key, g.Value, g.Line, w)
		}
	}
}

func TestLoadProperties(t *testing.T) {
	cases := []struct {
		name, in string
		want     map[string]string
	}{
		{"separators", "a=1\nb:2\nc 3\nd\t4\ne\f5\n", map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}},
		{"second separator kept", "k = = v", map[string]string{"k": "= v"}},
		{"colon after spaces", "k  :  v", map[string]string{"k": "v"}},
		{"escaped separators in key", `a\=b\:c\ d=e`, map[string]string{"a=b:c d": "e"}},
		{"trailing whitespace kept", "k=v \t", map[string]string{"k": "v \t"}},
		{"unknown escape", `k=C:\data\kafka`, map[string]string{"k": "C:datakafka"}},
		{"tab escape", `k=C:\temp`, map[string]string{"k": "C:\temp"}},
		{"latin1", "k=\xe9", map[string]string{"k": "é"}},
		{"utf8 bytes are latin1", "k=\xc3\xa9", map[string]string{"k": "Ã©"}},
		{"surrogate pair", `k=\uD83D\uDE00`, map[string]string{"k": "😀"}},
		{"lone surrogate", `k=\uD83D`, map[string]string{"k": "\uFFFD"}},
		{"continuation", "k=a\\\n   b\\\r\n\tc\\\rd", map[string]string{"k": "abcd"}},
		{"even backslashes", "k=a\\\\\nb=c", map[string]string{"k": `a\`, "b": "c"}},
		{"comment not continued", "#a\\\nb=c", map[string]string{"b": "c"}},
		{"hash inside continuation", "k=a\\\n#b", map[string]string{"k": "a#b"}},
		{"comment after empty continuation", "\\\n#a=b\n", map[string]string{}},
		{"lone backslash line", "\\", map[string]string{"": ""}},
		{"backslash at eof", "k=v\\", map[string]string{"k": "v"}},
		{"continued to empty line", "k=a\\\n\nb=c", map[string]string{"k": "a", "b": "c"}},
		{"no expansion", "k=${env:HOME}", map[string]string{"k": "${env:HOME}"}},
		{"blank lines", "\n\r\n  \t\n", map[string]string{}},
		{"later wins", "k=1\nk=2", map[string]string{"k": "2"}},
		{"vertical tab is not blank", "a\vb=c", map[string]string{"a\vb": "c"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := LoadProperties(strings.NewReader(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Map(); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestLoadPropertiesMalformed(t *testing.T) {
	p, err := ParseProperties([]byte("a=1\nb=2\\\n  3\nc=\\u12G4\nd=4\n"))
	var pe *PropertiesError
	if !errors.As(err, &pe) || pe.Line != 4 {
		t.Fatalf("error %v", err)
	}
	var je *sluice.JavaError
	if !errors.As(err, &je) || je.Class != "IllegalArgumentException" || je.Msg != `Malformed \uxxxx encoding.` {
		t.Fatalf("java error %v", err)
	}
	if sluice.ErrorClass(err) != "IllegalArgumentException" {
		t.Fatal(sluice.ErrorClass(err))
	}
	if got := p.Map(); !reflect.DeepEqual(got, map[string]string{"a": "1", "b": "23"}) {
		t.Fatalf("partial %q", got)
	}
	// a malformed key aborts too
	if _, err := ParseProperties([]byte(`a\u12=b`)); err == nil {
		t.Fatal("malformed key accepted")
	}
}

func TestLoadPropertiesFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadPropertiesFile(filepath.Join(dir, "missing.properties")); err == nil {
		t.Fatal("missing file accepted")
	}
	bad := filepath.Join(dir, "bad.properties")
	if err := os.WriteFile(bad, []byte("x=\\u00"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadPropertiesFile(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+":1: ") {
		t.Fatalf("error %v", err)
	}
}

func TestParsePropertiesText(t *testing.T) {
	p, err := ParsePropertiesText("k=é😀 \\u0041\nπ:1")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Map(); !reflect.DeepEqual(got, map[string]string{"k": "é😀 A", "π": "1"}) {
		t.Fatalf("got %q", got)
	}
	if p.Len() != 2 || !reflect.DeepEqual(p.Keys(), []string{"k", "π"}) || p.Line("π") != 2 || p.Line("x") != 0 {
		t.Fatalf("accessors: %d %v %d", p.Len(), p.Keys(), p.Line("π"))
	}
}

func FuzzLoadProperties(f *testing.F) {
	for _, s := range []string{"a=b", "k = = v\n", "a\\\n b", "#c\\\nx", "\\u00e9=\\uD83D\\uDE00", "a=\\u12", "\\", "\r\n\r", "a\\\r\n\\\n#x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p1, err1 := ParseProperties(data)
		p2, err2 := LoadProperties(bytes.NewReader(data))
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors differ: %v / %v", err1, err2)
		}
		if !reflect.DeepEqual(p1.Puts(), p2.Puts()) || !reflect.DeepEqual(p1.Map(), p2.Map()) {
			t.Fatal("two loads of the same bytes differ")
		}
		if err1 != nil && sluice.ErrorClass(err1) != "IllegalArgumentException" {
			t.Fatalf("unexpected error %v", err1)
		}
		for _, put := range p1.Puts() {
			if !utf8.ValidString(put.Key) || !utf8.ValidString(put.Value) {
				t.Fatalf("invalid text %q=%q", put.Key, put.Value)
			}
			if put.Line < 1 || put.Line > bytes.Count(data, []byte("\n"))+bytes.Count(data, []byte("\r"))+1 {
				t.Fatalf("line %d out of range", put.Line)
			}
			if v, _ := p1.Get(put.Key); p1.Line(put.Key) == put.Line && v != put.Value {
				t.Fatalf("final value of %q is not its last put", put.Key)
			}
		}
		// No escapes and no continuations: the result is byte-for-byte the
		// Latin-1 text of the input.
		if !bytes.ContainsAny(data, "\\") {
			for _, put := range p1.Puts() {
				for _, r := range put.Key + put.Value {
					if r > 0xFF {
						t.Fatalf("non-Latin-1 char %U without escapes", r)
					}
				}
			}
		}
	})
}

func BenchmarkLoadProperties(b *testing.B) {
	data, err := os.ReadFile("testdata/worker.properties")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseProperties(data); err != nil {
			b.Fatal(err)
		}
	}
}
