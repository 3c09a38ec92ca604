package jregex

import "testing"

var (
	benchLineHit  = "2024-05-01T12:00:00Z host=web-01 app=checkout user=alice action=pay card=4111-1111-1111-1111 ssn=123-45-6789 status=approved amount=42.50 currency=USD session=abcdef0123456789 trace=none"
	benchLineMiss = "time=yesterday-noon host=web-one app=checkout user=alice action=browse status=ok path=/catalog/items/shoes referrer=https://example.com/landing session=abcdefghijklmnopqrstuvwxyz trace=none"
	cardPattern   = `\b\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b`
	ssnPattern    = `\b\d{3}-\d{2}-\d{4}\b`
)

func benchReplace(b *testing.B, pattern, repl, line string) {
	re := MustCompile(pattern)
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := re.ReplaceAll(line, repl); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReplaceAllCardHit(b *testing.B) {
	benchReplace(b, cardPattern, "****-****-****-****", benchLineHit)
}

func BenchmarkReplaceAllCardMiss(b *testing.B) {
	benchReplace(b, cardPattern, "****-****-****-****", benchLineMiss)
}

func BenchmarkReplaceAllSSNHit(b *testing.B) {
	benchReplace(b, ssnPattern, "***-**-****", benchLineHit)
}

func BenchmarkReplaceAllSSNMiss(b *testing.B) {
	benchReplace(b, ssnPattern, "***-**-****", benchLineMiss)
}

// The same card mask on a non-ASCII line.
func BenchmarkReplaceAllCardHitUnicode(b *testing.B) {
	benchReplace(b, cardPattern, "****-****-****-****", benchLineHit+" café")
}

// BenchmarkReplaceAllCardHitGo runs the card mask on Go's regexp engine.
func BenchmarkReplaceAllCardHitGo(b *testing.B) {
	re := MustCompile(cardPattern)
	re.simple = nil
	b.ReportAllocs()
	for b.Loop() {
		if _, err := re.ReplaceAll(benchLineHit, "****-****-****-****"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatchesRouter(b *testing.B) {
	re := MustCompile(`(.*)-raw`)
	b.ReportAllocs()
	for b.Loop() {
		if !re.Matches("orders-eu-west-raw") {
			b.Fatal("no match")
		}
	}
}

func BenchmarkMatchesRouterRegexp2(b *testing.B) {
	re := MustCompile(`(.*)-raw`)
	re.goRe, re.goWhole, re.goPrefix = nil, nil, nil
	re.simple = nil
	b.ReportAllocs()
	for b.Loop() {
		if !re.Matches("orders-eu-west-raw") {
			b.Fatal("no match")
		}
	}
}
