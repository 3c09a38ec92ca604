package netsource

import (
	"testing"
	"time"

	"github.com/leodido/go-syslog/v4/rfc3164"

	"sluice.io/sluice"
)

// fastVsMachine parses in with both the fast path and the general machine.
// It reports whether the fast path took the message, and fails t when the
// fast path took it but disagrees with the machine on any field.
func fastVsMachine(t testing.TB, year int, loc *time.Location, in string) bool {
	t.Helper()
	f := rfc3164Fast{year: year, loc: loc}
	var got fast3164
	if !f.parse([]byte(in), &got) {
		return false
	}
	msg, err := newRFC3164Machine(year, loc).Parse([]byte(in))
	if err != nil || msg == nil {
		t.Fatalf("%q: fast path accepted it, machine failed: %v", in, err)
	}
	b := &msg.(*rfc3164.SyslogMessage).Base
	if b.Priority == nil || *b.Priority != got.pri || *b.Facility != got.pri/8 || *b.Severity != got.pri%8 {
		t.Fatalf("%q: priority %v, fast %d", in, b.Priority, got.pri)
	}
	if b.Timestamp == nil || !b.Timestamp.Equal(got.ts) || b.Timestamp.Location() != got.ts.Location() ||
		b.Timestamp.Format(time.RFC3339Nano) != got.ts.Format(time.RFC3339Nano) {
		t.Fatalf("%q: timestamp %v, fast %v", in, b.Timestamp, got.ts)
	}
	same := func(field string, want *string, has bool, v string) {
		if (want != nil) != has || (want != nil && *want != v) {
			w := "<nil>"
			if want != nil {
				w = *want
			}
			t.Fatalf("%q: %s = %q, fast %q (set %v)", in, field, w, v, has)
		}
	}
	same("hostname", b.Hostname, got.hasHost, got.host)
	same("appname", b.Appname, got.hasApp, got.app)
	same("procid", b.ProcID, got.hasProc, got.procID)
	same("message", b.Message, true, got.msg)
	if b.MsgID != nil || b.MessageCounter != nil || b.Sequence != nil {
		t.Fatalf("%q: machine set fields the fast path never sets: %+v", in, b)
	}
	return true
}

var rfc3164FastCases = []struct {
	in   string
	fast bool // whether the fast path takes the message
}{
	{"<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", true},
	{"<13>Oct 11 22:14:15 host app[42]: card 4111 1111 1111 1111", true},
	{"<0>Jan  1 00:00:00 h a[1]: x", true},
	{"<191>Dec 31 23:59:59 h a[1]: x", true},
	{"<13>Feb 29 12:00:00 h a: leap day, moved to March 1 in other years", true},
	{"<13>Feb 05 12:00:00 h a: zero-padded day", true},
	{"<13>Feb  5 12:00:00 h a: space-padded day", true},
	{"<13>Oct 11 22:14:15 - -[-]: dashes are unset fields", true},
	{"<13>Oct 11 22:14:15 host app[]: empty pid", true},
	{"<13>Oct 11 22:14:15 host app[1 2]: pid with a space after a host", true},
	{"<13>Oct 11 22:14:15 host app[a:b]: pid with a colon", true},
	{"<13>Oct 11 22:14:15 host a]b: tag with a closing bracket", true},
	{"<13>Oct 11 22:14:15 host just a message", true},
	{"<13>Oct 11 22:14:15 host word", true},
	{"<13>Oct 11 22:14:15 host :starts with a colon", true},
	{"<13>Oct 11 22:14:15 host [starts with a bracket", true},
	{"<13>Oct 11 22:14:15 host\ttab", false},
	{"<13>Oct 11 22:14:15 host msg\twith tab and caf\xc3\xa9", true},
	{"<13>Oct 11 22:14:15 app[42]: no host", true},
	{"<13>Oct 11 22:14:15 app: no host", true},
	{"<13>Oct 11 22:14:15 a]b: no host, bracket in tag", true},
	{"<13>Oct 11 22:14:15 app[4 2]: no host, space in pid", false},
	{"<13>Oct 11 22:14:15 host abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh: 48-byte tag", true},
	{"<13>Oct 11 22:14:15 host abcdefghijabcdefghijabcdefghijabcdefghijabcdefghi: 49-byte tag", true},
	{"<13>Oct 11 22:14:15 host abcdefghijabcdefghijabcdefghijabcdefghijabcdefghi[1]: 49-byte tag", true},
	{"<13>Oct 11 22:14:15 host foo[bar baz", false},
	{"<13>Oct 11 22:14:15 host app:", false},
	{"<13>Oct 11 22:14:15 host app: ", false},
	{"<13>Oct 11 22:14:15 host app:x", false},
	{"<13>Oct 11 22:14:15 host app[1]x", false},
	{"<13>Oct 11 22:14:15 host  two spaces", false},
	{"<13>Oct 11 22:14:15  host x", false},
	{"<13>Oct 11 22:14:15 host", false},
	{"<13>Oct 11 22:14:15 ho[st x: y", false},
	{"<13>Oct 11 22:14:15 host a: b\nc", false},
	{"<13>Feb 30 12:00:00 h a: x", false},
	{"<13>Apr 31 12:00:00 h a: x", false},
	{"<13>Oct 00 12:00:00 h a: x", false},
	{"<13>Oct 32 12:00:00 h a: x", false},
	{"<13>Oct 11 24:00:00 h a: x", false},
	{"<13>Oct 11 23:60:00 h a: x", false},
	{"<13>Oct 11 23:00:60 h a: x", false},
	{"<13>Oct  0 12:00:00 h a: x", false},
	{"<13>oct 11 12:00:00 h a: x", false},
	{"<192>Oct 11 12:00:00 h a: x", false},
	{"<013>Oct 11 12:00:00 h a: x", false},
	{"<00>Oct 11 12:00:00 h a: x", false},
	{"<>Oct 11 12:00:00 h a: x", false},
	{"<13> Oct 11 12:00:00 h a: x", false},
	{"<13>2003-10-11T22:14:15Z h a: x", false},
	{"<13>Oct 11 22:14:15.123 h a: x", false},
}

func TestRFC3164FastMatchesMachine(t *testing.T) {
	locs := []*time.Location{time.UTC, time.Local, time.FixedZone("X", -(9*3600 + 30*60))}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		locs = append(locs, ny)
	}
	for _, loc := range locs {
		for _, year := range []int{2023, 2024} {
			for _, tt := range rfc3164FastCases {
				if got := fastVsMachine(t, year, loc, tt.in); got != tt.fast {
					t.Errorf("%q: fast path took it: %v, want %v", tt.in, got, tt.fast)
				}
			}
		}
	}
}

func TestRFC3164FastHeadersMatchGeneralPath(t *testing.T) {
	for _, valueLine := range []bool{false, true} {
		fast := newSyslogParser(&settings{syslogFormat: SyslogAuto, syslogValueLine: valueLine})
		slow := newSyslogParser(&settings{syslogFormat: SyslogAuto, syslogValueLine: valueLine})
		slow.fast = nil
		base := sluice.Headers{{Key: "remote", Schema: sluice.StringSchema, Value: "x"}}
		for _, tt := range rfc3164FastCases {
			v, h, ok := fast.parse([]byte(tt.in), base)
			sv, sh, sok := slow.parse([]byte(tt.in), base)
			if v != sv || ok != sok || headerText(h) != headerText(sh) || len(h) != cap(h) {
				t.Errorf("%q (valueLine %v): fast path %q %s (cap %d), general %q %s",
					tt.in, valueLine, v, headerText(h), cap(h), sv, headerText(sh))
			}
			for i := range h {
				if i < len(sh) && h[i].Schema != sh[i].Schema {
					t.Errorf("%q: header %s schema differs", tt.in, h[i].Key)
				}
			}
		}
	}
}

func TestRFC3164FastAllocs(t *testing.T) {
	f := rfc3164Fast{year: 2024, loc: time.Local}
	in := []byte("<13>Oct 11 22:14:15 host app[42]: card 4111 1111 1111 1111")
	var out fast3164
	if n := testing.AllocsPerRun(100, func() {
		if !f.parse(in, &out) {
			t.Fatal("not taken")
		}
	}); n != 1 {
		t.Errorf("fast path allocates %v times per message, want 1 (the kept text)", n)
	}
}

func FuzzRFC3164Fast(f *testing.F) {
	for _, tt := range rfc3164FastCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		fastVsMachine(t, 2024, time.UTC, in)
		fastVsMachine(t, 2023, time.Local, in)
	})
}

func BenchmarkRFC3164(b *testing.B) {
	in := []byte("<36>Oct 11 22:14:15 host01 app[1001]: conn=1 seq=00000001 user=u0001 action=login src=10.0.0.1")
	b.Run("fast", func(b *testing.B) {
		f := rfc3164Fast{year: 2024, loc: time.Local}
		var out fast3164
		b.ReportAllocs()
		for range b.N {
			f.parse(in, &out)
		}
	})
	b.Run("machine", func(b *testing.B) {
		m := newRFC3164Machine(2024, time.Local)
		b.ReportAllocs()
		for range b.N {
			_, _ = m.Parse(in)
		}
	})
}

// TestSyslogParseFastPathAllocs checks that a message of the common shape
// costs one allocation (its text) once the header values repeat.
func TestSyslogParseFastPathAllocs(t *testing.T) {
	p := newSyslogParser(&settings{syslogFormat: SyslogAuto})
	base := sluice.Headers{{Key: "remote", Schema: sluice.StringSchema, Value: "x"}}
	frame := []byte("<13>Oct 11 22:14:15 web-01 nginx[4242]: GET /index.html 200\n")
	if n := testing.AllocsPerRun(500, func() { p.parse(frame, base) }); n > 1 {
		t.Errorf("parse allocates %v times per message, want at most 1", n)
	}
	v, h, _ := p.parse(frame, base)
	if want := "remote=x;syslog.format=rfc3164;syslog.facility=1;syslog.severity=5;syslog.timestamp=" +
		time.Date(p.fast.year, 10, 11, 22, 14, 15, 0, time.UTC).In(time.Local).Format(time.RFC3339Nano) +
		";syslog.hostname=web-01;syslog.appname=nginx;syslog.procid=4242;"; v != "GET /index.html 200" || headerText(h) != want {
		t.Errorf("parse = %q %s, want %s", v, headerText(h), want)
	}
}

// TestRFC3164FastRandomLines compares both parsers on lines assembled from
// the pieces that make the grammar ambiguous (spaces, colons, brackets,
// dashes, tabs, long words).
func TestRFC3164FastRandomLines(t *testing.T) {
	heads := []string{"<13>Oct 11 22:14:15", "<0>Feb 29 00:00:00", "<191>Jan 05 23:59:59", "<13>Mar  1 01:02:03", "<13>Apr 31 01:02:03"}
	pieces := []string{" ", " ", " ", "  ", ":", ": ", ": ", "[", "]", "-", "host", "app", "a", "42", "\t", "\xc3\xa9",
		"x.y_z", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh", "[1]", "[1]", "[]", "[1 2]", ":x", "\x7f", "*",
		"app: ", "app[1]: ", "host ", "host ", "host app: m"}
	seed := uint64(0x9e3779b97f4a7c15)
	next := func(n int) int {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return int(seed % uint64(n))
	}
	taken := 0
	var sb []byte
	for range 100000 {
		sb = append(append(sb[:0], heads[next(len(heads))]...), ' ')
		for range 1 + next(8) {
			sb = append(sb, pieces[next(len(pieces))]...)
		}
		if fastVsMachine(t, 2023, time.UTC, string(sb)) {
			taken++
		}
	}
	if taken < 10000 {
		t.Errorf("the fast path took only %d of 100000 lines", taken)
	}
}
