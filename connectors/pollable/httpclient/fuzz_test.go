package httpclient

import (
	"encoding/json"
	"strings"
	"testing"
)

func FuzzLinkHeader(f *testing.F) {
	for _, s := range []string{
		`<https://x.okta.com/api/v1/logs?after=abc>; rel="next"`,
		`<a>; rel=self, <b,c>; rel="next last"; title="x\"y"`,
		`<a`, `;;,,<>`, `<u>; rel`, `junk, <v>; rel=next`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, l := range ParseLinkHeader(v) {
			if strings.ContainsRune(l.URL, '>') {
				t.Fatalf("URL %q holds '>'", l.URL)
			}
			if !strings.Contains(v, l.URL) {
				t.Fatalf("URL %q not in input", l.URL)
			}
		}
	})
}

func FuzzExtract(f *testing.F) {
	for _, s := range [][2]string{
		{`{"items":[{"a":1},{"b":[1,2]}]}`, "/items"},
		{`[1,"x",null]`, ""},
		{`{"":{"x":1}}`, "/"},
		{`{"a~b":{"c/d":[0,1]}}`, "/a~0b/c~11"},
		{`{"a":1} trailing`, "/a"},
		{``, ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, body, ptr string) {
		p, err := ParsePointer(ptr)
		if err != nil {
			return
		}
		elems, err := p.Extract([]byte(body))
		if err != nil {
			return
		}
		if len(elems) == 0 && !p.IsRoot() {
			// only an empty array yields no records
			node, ok := p.Lookup(mustFirst(t, body))
			if !ok || len(node) == 0 || node[0] != '[' {
				t.Fatalf("no records from %q at %q", body, ptr)
			}
		}
		for _, e := range elems {
			if !json.Valid(e) {
				t.Fatalf("invalid element %q from %q at %q", e, body, ptr)
			}
		}
	})
}

func mustFirst(t *testing.T, body string) json.RawMessage {
	raw, err := firstValue([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
