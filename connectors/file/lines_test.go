package file

import (
	"bytes"
	"testing"
)

func TestNextLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		eof  bool
		line string
		adv  int
	}{
		{"abc\ndef", false, "abc", 4},
		{"abc\r\ndef", false, "abc", 5},
		{"abc\rdef", false, "abc", 4},
		{"abc\r", false, "", 0},
		{"abc\r", true, "abc", 4},
		{"\n", false, "", 1},
		{"\r\n", false, "", 2},
		{"\r\r\n", false, "", 1},
		{"\n\r", false, "", 1},
		{"abc", false, "", 0},
		{"abc", true, "abc", 3},
		{"", true, "", 0},
		{"", false, "", 0},
		{"a\rb\nc", false, "a", 2},
	} {
		line, adv := nextLine([]byte(tc.in), tc.eof)
		if string(line) != tc.line || adv != tc.adv {
			t.Errorf("nextLine(%q, %v) = %q, %d; want %q, %d", tc.in, tc.eof, line, adv, tc.line, tc.adv)
		}
	}
}

// splitAll splits a whole input at once (end of input reached).
func splitAll(b []byte, atEOF bool) (lines []string, consumed int) {
	for {
		line, adv := nextLine(b[consumed:], atEOF)
		if adv == 0 {
			return lines, consumed
		}
		lines = append(lines, string(line))
		consumed += adv
	}
}

// refSplit is an independent statement of the line rules for a complete
// input that may still grow: \n, \r\n and \r end lines, a trailing \r or
// unterminated tail is held back.
func refSplit(b []byte) (lines []string, consumed int) {
	start := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			lines = append(lines, string(b[start:i]))
			start = i + 1
		case '\r':
			if i+1 == len(b) {
				return lines, start
			}
			lines = append(lines, string(b[start:i]))
			if b[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return lines, start
}

func FuzzNextLine(f *testing.F) {
	for _, s := range []string{"a\nb", "a\r\nb\r", "\r\r\n\n", "x\ry\rz", "héllo\r\n日本\n", "\xff\xfe\r"} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		want, wantN := refSplit(data)
		got, gotN := splitAll(data, false)
		if gotN != wantN || len(got) != len(want) {
			t.Fatalf("split %q: got %q (%d), want %q (%d)", data, got, gotN, want, wantN)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("split %q: line %d = %q, want %q", data, i, got[i], want[i])
			}
		}
		// Feeding the input in chunks yields the same lines and positions.
		n := int(step%16) + 1
		var buf []byte
		var lines []string
		consumed := 0
		for off := 0; off < len(data); off += n {
			buf = append(buf, data[off:min(off+n, len(data))]...)
			ls, c := splitAll(buf, false)
			lines = append(lines, ls...)
			buf = buf[c:]
			consumed += c
		}
		if consumed != wantN || len(lines) != len(want) {
			t.Fatalf("chunked %q by %d: got %q (%d), want %q (%d)", data, n, lines, consumed, want, wantN)
		}
		for _, l := range lines {
			if bytes.ContainsAny([]byte(l), "\r\n") {
				t.Fatalf("line %q holds a terminator", l)
			}
		}
		// At end of input everything is consumed.
		_, c := splitAll(data, true)
		if c != len(data) {
			t.Fatalf("at EOF consumed %d of %d bytes", c, len(data))
		}
	})
}

func BenchmarkNextLine(b *testing.B) {
	data := bytes.Repeat([]byte("<134>Oct 11 22:14:15 host app[42]: a typical syslog line of moderate length\n"), 1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rest := data
		for {
			_, adv := nextLine(rest, false)
			if adv == 0 {
				break
			}
			rest = rest[adv:]
		}
	}
}
