package jtime

import (
	"strings"
	"testing"
)

// roundTrips reports whether Java's SimpleDateFormat reads back what the
// pattern writes for years 1000..9999: it holds the full date and time with
// fixed-width numbers, separated by literals a number cannot swallow.
func roundTrips(f *Format) bool {
	need := map[int]bool{pYear: false, pMonth: false, pDayOfMonth: false, pHourOfDay0: false, pMinute: false, pSecond: false, pMillisecond: false}
	prevNumeric := false
	for _, it := range f.items {
		if it.tag < 0 {
			if it.lit == "" || strings.ContainsAny(it.lit, "0123456789E-+ \t'") || strings.HasPrefix(it.lit, "NaN") {
				return false
			}
			for _, r := range it.lit {
				if digitValue(r) >= 0 || r == '∞' {
					return false
				}
			}
			prevNumeric = false
			continue
		}
		tag := int(it.tag)
		seen, ok := need[tag]
		if !ok || seen {
			return false
		}
		need[tag] = true
		numeric := !(tag == pMonth && it.count >= 3)
		if numeric && prevNumeric {
			return false
		}
		if tag == pYear && it.count < 4 || tag == pMillisecond && it.count < 3 {
			return false
		}
		prevNumeric = numeric
	}
	for _, seen := range need {
		if !seen {
			return false
		}
	}
	return true
}

func FuzzSimpleDateFormat(f *testing.F) {
	for _, p := range []string{"yyyy-MM-dd HH:mm:ss.SSS", "yyyyMMdd", "EEE, d MMM yyyy HH:mm:ss Z", "'quoted''s' yyyy",
		"G y Y M L w W D d F E u a H k K h m s S z Z X", "yyyy.MMMM.dd/HH:mm:ss,SSS", "x", "'", "XXXX", "ä"} {
		f.Add(p, int64(1700000000123), "2024-01-05 10:00:00.000")
	}
	f.Fuzz(func(t *testing.T, pattern string, ms int64, text string) {
		fm, err := Compile(pattern)
		if err != nil {
			return
		}
		_, _ = fm.ParseMillis(text)
		out := fm.FormatMillis(ms)
		_, _ = fm.ParseMillis(out)
		if !roundTrips(fm) {
			return
		}
		// Years 1000..9999.
		const lo, hi = -30610224000000, 253402300799999
		m := lo + int64(uint64(ms)%uint64(hi-lo))
		s := fm.FormatMillis(m)
		back, err := fm.ParseMillis(s)
		if err != nil || back != m {
			t.Fatalf("pattern %q: %d formats as %q and parses back as %d, %v", pattern, m, s, back, err)
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	f := MustCompile("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = f.AppendFormat(buf[:0], 1700000000123+int64(i))
	}
}

func BenchmarkFormatMillis(b *testing.B) {
	f := MustCompile("yyyy-MM-dd HH:mm:ss")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = f.FormatMillis(1700000000123)
	}
}

func BenchmarkParse(b *testing.B) {
	f := MustCompile("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := f.ParseMillis("2023-11-14T22:13:20.123+0000"); err != nil {
			b.Fatal(err)
		}
	}
}
