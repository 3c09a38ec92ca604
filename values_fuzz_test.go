package sluice

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func numericValue(v any) (float64, bool) {
	switch v.(type) {
	case int8, int16, int32, int64, float32, float64:
		f, _ := numberDouble(v)
		return f, true
	}
	return 0, false
}

// FuzzParseString checks that parsing never panics, that a STRING result is
// the input itself (or a blank token of it), and that numbers and booleans
// survive ConvertToString and a second parse with the same value.
func FuzzParseString(f *testing.F) {
	for _, s := range []string{"42", "-1.5", "1e3", "1e400", "true", " null ", "abc", "[1,2.5]", `{"a":[1,{"b":null}]}`,
		"2024-01-31", "12:34:56.789Z", "2024-01-31T12:34:56.789Z", `["a\"b",1]`, "١٢", "99999999999999999999", "1,2", " [1 2]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			s = DecodeUTF8Java([]byte(s))
		}
		slow := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("ParseString(%q) takes more than 10s", s)) })
		defer slow.Stop()
		sc, v, err := ParseStringErr(s)
		if err != nil {
			return
		}
		if sc == nil {
			if v != nil || strings.TrimSpace(s) != "null" && JavaTrim(s) != "null" {
				t.Fatalf("ParseString(%q) gave no schema but value %v", s, v)
			}
			return
		}
		if err := ValidateValue(sc, v); err != nil && sc.Type != Array && sc.Type != Map_ {
			t.Fatalf("ParseString(%q) = %v that does not match its schema %v: %v", s, v, sc, err)
		}
		text, ok := ConvertToString(sc, v)
		if !ok {
			t.Fatalf("ConvertToString of ParseString(%q) is null", s)
		}
		switch sc.Type {
		case String:
			if str := v.(string); str != s && !isBlank(str) {
				t.Fatalf("ParseString(%q) = STRING %q", s, str)
			}
		case Boolean:
			if _, v2 := ParseString(text); v2 != v {
				t.Fatalf("boolean %v of %q re-parsed from %q as %v", v, s, text, v2)
			}
		}
		if want, ok := numericValue(v); ok {
			_, v2, err := ParseStringErr(text)
			got, ok2 := numericValue(v2)
			if err != nil || !ok2 || got != want {
				t.Fatalf("number %v (%T) of %q rendered %q re-parsed as %v (%T)", v, v, s, text, v2, v2)
			}
		}
	})
}

// FuzzDecodeUTF8Java checks that decoding always yields valid UTF-8 and
// leaves valid input unchanged.
func FuzzDecodeUTF8Java(f *testing.F) {
	for _, s := range []string{"abc", "a\xffb", "\xe2\x82", "\xed\xa0\x80", "\xf0\x9f\x98", "é€😀"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := DecodeUTF8Java(b)
		if !utf8.ValidString(s) {
			t.Fatalf("DecodeUTF8Java(% x) = %q is not valid UTF-8", b, s)
		}
		if utf8.Valid(b) && s != string(b) {
			t.Fatalf("DecodeUTF8Java changed valid input % x", b)
		}
	})
}
