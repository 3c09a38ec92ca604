package jregex

import (
	"errors"
	"testing"
	"time"
)

func FuzzTranslate(f *testing.F) {
	for _, s := range []string{`a*+a`, `(?<n>x)\k<n>`, `[a-z&&[^aeiou]]`, `\Qa.b`, `(?x) a # c`, `\p{IsLatin}\p{InGreek}`,
		`(?<=a{1,3})b`, `\b\d{4}\b`, `(?iu)ß`, `\R\X\b{g}`, `$|^|\Z|\G`, `(a)\10`, `\0101\x{1F600}\uD83D\uDE00\cA`} {
		f.Add(s, "abc aé 123\r\n😀")
	}
	f.Fuzz(func(t *testing.T, pattern, input string) {
		re, err := Compile(pattern)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: non-syntax error %v", pattern, err)
			}
			return
		}
		re = re.WithTimeout(200 * time.Millisecond)
		for _, in := range []string{input, "", "a\nb"} {
			ok := func(err error) {
				if err != nil && !errors.Is(err, ErrTimeout) {
					t.Fatalf("%q on %q: %v", pattern, in, err)
				}
			}
			re.Matches(in)
			re.Find(in)
			_, err := re.ReplaceAll(in, "[$0]")
			ok(err)
			_, err = re.Split(in, 0)
			ok(err)
		}
	})
}
