package netsource

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"sluice.io/sluice"
)

func headerText(h sluice.Headers) string {
	var b strings.Builder
	for _, x := range h {
		fmt.Fprintf(&b, "%s=%v;", x.Key, x.Value)
	}
	return b.String()
}

// TestSyslogParseOwnsItsResult checks that value and headers stay intact
// when the connection reuses the frame's bytes for the next read.
func TestSyslogParseOwnsItsResult(t *testing.T) {
	for _, valueLine := range []bool{false, true} {
		p := newSyslogParser(&settings{syslogFormat: SyslogAuto, syslogValueLine: valueLine})
		base := sluice.Headers{{Key: "remote", Schema: sluice.StringSchema, Value: "x"}}
		for _, msg := range []string{
			"<34>1 2003-10-11T22:14:15.003Z mymachine su 77 ID47 [a@1 k=\"v\"][b@2] 'su root' failed\n",
			"<13>Oct 11 22:14:15 host app[42]: card 4111 1111 1111 1111\r\n",
			"<bad> not syslog\n",
			"caf\xe9 latin-1 bytes\n",
		} {
			frame := []byte(msg)
			v, h, ok := p.parse(frame, base)
			if !ok {
				t.Fatalf("parse(%q) reported a blank message", msg)
			}
			wantV, wantH := v, headerText(h)
			if len(h) != cap(h) {
				t.Errorf("parse(%q): headers len %d cap %d, want an exact size", msg, len(h), cap(h))
			}
			copy(frame, bytes.Repeat([]byte{'#'}, len(frame)))
			if v != wantV || headerText(h) != wantH {
				t.Fatalf("parse(%q) result changed when the frame was overwritten: %q %s", msg, v, headerText(h))
			}
			if h[0] != base[0] {
				t.Fatalf("parse(%q) headers do not start with the base: %s", msg, wantH)
			}
		}
	}
}

func TestSyslogParseResults(t *testing.T) {
	p := newSyslogParser(&settings{syslogFormat: SyslogAuto})
	tests := []struct{ in, value, headers string }{
		{"<34>1 2003-10-11T22:14:15.003Z mymachine su 77 ID47 [b@2][a@1 z=\"1\" k=\"v\"] hi\n", "hi",
			"syslog.format=rfc5424;syslog.facility=4;syslog.severity=2;syslog.version=1;syslog.timestamp=2003-10-11T22:14:15.003Z;" +
				"syslog.hostname=mymachine;syslog.appname=su;syslog.procid=77;syslog.msgid=ID47;" +
				"syslog.sd.a@1.k=v;syslog.sd.a@1.z=1;syslog.sd.b@2=;"},
		// The same instant in another zone keeps its own offset.
		{"<34>1 2003-10-11T23:14:15.003+01:00 h a - - - x", "x",
			"syslog.format=rfc5424;syslog.facility=4;syslog.severity=2;syslog.version=1;syslog.timestamp=2003-10-11T23:14:15.003+01:00;" +
				"syslog.hostname=h;syslog.appname=a;"},
		{"<34>1 2003-10-11T23:14:15.003+01:00 h a - - - y", "y",
			"syslog.format=rfc5424;syslog.facility=4;syslog.severity=2;syslog.version=1;syslog.timestamp=2003-10-11T23:14:15.003+01:00;" +
				"syslog.hostname=h;syslog.appname=a;"},
		{"<34>1 2003-10-11T22:14:15.004Z h a - - - z", "z",
			"syslog.format=rfc5424;syslog.facility=4;syslog.severity=2;syslog.version=1;syslog.timestamp=2003-10-11T22:14:15.004Z;" +
				"syslog.hostname=h;syslog.appname=a;"},
		{"  \r\n", "", ""},
	}
	for _, tt := range tests {
		v, h, ok := p.parse([]byte(tt.in), nil)
		if got := headerText(h); v != tt.value || got != tt.headers || ok != (tt.headers != "") {
			t.Errorf("parse(%q) = %q, %s, %v; want %q, %s", tt.in, v, got, ok, tt.value, tt.headers)
		}
	}
}

func BenchmarkSyslogParse(b *testing.B) {
	for _, fast := range []bool{true, false} {
		name := "fast"
		if !fast {
			name = "general"
		}
		b.Run(name, func(b *testing.B) {
			p := newSyslogParser(&settings{syslogFormat: SyslogAuto})
			if !fast {
				p.fast = nil
			}
			base := sluice.Headers{{Key: "remote", Schema: sluice.StringSchema, Value: "x"}}
			frame := []byte("<13>Oct 11 22:14:15 web-01 nginx[4242]: GET /index.html 200 user=alice card=4111-1111-1111-1111 took 12ms\n")
			b.ReportAllocs()
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				if _, _, ok := p.parse(frame, base); !ok {
					b.Fatal("blank")
				}
			}
		})
	}
}

// FuzzSyslogParse checks that parsing never panics, never reports a
// non-blank frame as blank and never depends on the frame after it returns.
func FuzzSyslogParse(f *testing.F) {
	f.Add([]byte("<34>1 2003-10-11T22:14:15.003Z mymachine su 77 ID47 [a@1 k=\"v\"] hi\n"), false)
	f.Add([]byte("<13>Oct 11 22:14:15 host app[42]: message\r\n"), true)
	f.Add([]byte("caf\xe9 \x00"), false)
	f.Fuzz(func(t *testing.T, frame []byte, valueLine bool) {
		p := newSyslogParser(&settings{syslogFormat: SyslogAuto, syslogValueLine: valueLine})
		v, h, ok := p.parse(frame, nil)
		wantH := headerText(h)
		if blank := IsBlank(FrameText(trimTrailer(frame))); ok == blank {
			t.Fatalf("ok = %v for a frame whose blankness is %v", ok, blank)
		}
		want := strings.Clone(v)
		for i := range frame {
			frame[i] = '#'
		}
		if v != want || headerText(h) != wantH {
			t.Fatalf("result changed with the frame: %q -> %q", want, v)
		}
	})
}

// TestSyslogParseHeadersDisjoint checks that records' header slices, carved
// from one block, never share storage.
func TestSyslogParseHeadersDisjoint(t *testing.T) {
	p := newSyslogParser(&settings{syslogFormat: SyslogAuto})
	var all []sluice.Headers
	for i := range 3 * headerSlabSize {
		_, h, _ := p.parse([]byte(fmt.Sprintf("<13>Oct 11 22:14:15 host app[%d]: m\n", i)), nil)
		all = append(all, h)
	}
	for i := 0; i+1 < len(all); i++ {
		want := headerText(all[i+1])
		all[i] = append(all[i], sluice.Header{Key: "extra", Value: "x"})
		if got := headerText(all[i+1]); got != want {
			t.Fatalf("appending to record %d changed record %d: %s", i, i+1, got)
		}
	}
}
