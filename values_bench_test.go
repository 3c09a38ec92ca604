package sluice

import (
	"testing"
	"time"
)

var benchHeaderTexts = []struct{ name, text string }{
	{"int", "42"},
	{"long", "1704112496789"},
	{"float", "3.25"},
	{"bool", "true"},
	{"word", "application/json"},
	{"uuid", "3f2b8c1e-9a4d-4b7e-8c2f-1d5e6a7b8c9d"},
	{"date", "2024-01-31"},
	{"timestamp", "2024-01-31T12:34:56.789Z"},
	{"array", "[1,2,3]"},
	{"map", `{"a":1,"b":"x"}`},
}

func BenchmarkParseString(b *testing.B) {
	for _, c := range benchHeaderTexts {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ParseString(c.text)
			}
		})
	}
}

func BenchmarkConvertToString(b *testing.B) {
	values := []struct {
		name string
		v    any
	}{
		{"int32", int32(123456)},
		{"float64", 3.25},
		{"string", "application/json"},
		{"timestamp", time.UnixMilli(1704112496789).UTC()},
		{"array", []any{int32(1), "two", 3.5}},
		{"map", &Map{Hashed: true, Entries: []MapEntry{{"name", "Ada"}, {"id", int32(7)}}}},
	}
	for _, c := range values {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, 64)
			for b.Loop() {
				buf = AppendValueString(buf[:0], c.v)
			}
		})
	}
}
