package siem

import "testing"

// FuzzJacksonTree checks that the JSON reader never panics and that what it
// reads serialises to JSON it reads back identically.
func FuzzJacksonTree(f *testing.F) {
	for _, s := range []string{`{"a":{"b":[1,2.5e3,"x\u00e9"]},"a":null}`, `[true,false,null]`, `"\ud83d\ude00"`, `-0.0`, `1 2`, `{"":""}`} {
		f.Add(s, "/a/b/1")
	}
	f.Fuzz(func(t *testing.T, doc, ptr string) {
		n, err := parseJacksonTree(doc)
		if err != nil {
			return
		}
		if p, ok := compileJSONPointer(ptr); ok {
			_ = n.at(p).asText()
		}
		s := n.String()
		if n.kind == jnMissing {
			return
		}
		m, err := parseJacksonTree(s)
		if err != nil {
			t.Fatalf("re-read %q (from %q): %v", s, doc, err)
		}
		if m.String() != s {
			t.Fatalf("round trip %q -> %q", s, m.String())
		}
	})
}
