package celexpr

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"sluice.io/sluice"
)

// FuzzCompile compiles any source: it must either fail with a CompileError
// or give a program whose evaluation on a few records returns a bool or a
// DataError, without panicking.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`headers["x"] == "y" && value.contains("DENY")`,
		`value.action == "DENY"`,
		`jmatches(value, "a*+b")`,
		`value.jfind(headers.pat)`,
		`partition != null && timestamp > timestamp("2024-01-01T00:00:00Z")`,
		`value.exists(k, k == "count" && value[k] > 1)`,
		`key[1] == "one"`,
		`headers.?x.orValue("") == "y"`,
		`[1, 2, 3].map(x, x * 2).sort() == [2, 4, 6]`,
		`value.tags.all(t, t.size() < 5) || value.inner.ip.startsWith("10.")`,
	} {
		f.Add(s)
	}
	recs := []*sluice.Record{stringRecord(), mapRecord(), structRecord(f), tombstone(),
		primitive(int64(1), []any{"a", int64(2), nil, 1.5})}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		tm := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow: %q", src)) })
		defer tm.Stop()
		p, err := Compile(src)
		if err != nil {
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile(%q) error %v (%T); want a CompileError", src, err, err)
			}
			return
		}
		for _, r := range recs {
			if _, err := p.Eval(r); err != nil {
				var de *sluice.DataError
				if !errors.As(err, &de) {
					t.Fatalf("Eval(%q) error %v (%T); want a DataError", src, err, err)
				}
			}
		}
	})
}
