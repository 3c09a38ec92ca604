package netsource

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
)

type split struct{ msg, raw string }

func runSplitter(framing string, max int, chunks ...string) []split {
	s := NewSyslogSplitter(framing, max)
	var out []split
	emit := func(m, r []byte) { out = append(out, split{string(m), string(r)}) }
	for _, c := range chunks {
		_ = s.Feed([]byte(c), emit)
	}
	s.Close(emit)
	return out
}

func TestSyslogSplitter(t *testing.T) {
	tests := []struct {
		name    string
		framing string
		max     int
		chunks  []string
		want    []string // messages
	}{
		{"octet two in one read", SyslogOctetCounting, 100, []string{"5 hello3 abc"}, []string{"hello", "abc"}},
		{"octet split across reads", SyslogAuto, 100, []string{"1", "1 hello", " world", "2 ok"}, []string{"hello world", "ok"}},
		{"octet body with newline", SyslogAuto, 100, []string{"6 a\nb\nc\n"}, []string{"a\nb\nc\n"}},
		{"non-transparent LF and NUL", SyslogAuto, 100, []string{"<1>a\n<2>b\x00<3>c"}, []string{"<1>a", "<2>b", "<3>c"}},
		{"auto mixes framings", SyslogAuto, 100, []string{"<1>x\n4 <2>y<3>z\n"}, []string{"<1>x", "<2>y", "<3>z"}},
		{"malformed prefix read as line", SyslogOctetCounting, 100, []string{"12x\n0 a\n"}, []string{"12x", "0 a"}},
		{"over-long octet message in pieces", SyslogAuto, 4, []string{"10 abcdefghij<1>"}, []string{"abcd", "efgh", "ij", "<1>"}},
		{"over-long line cut", SyslogNonTransparent, 3, []string{"abcdefg\n"}, []string{"abc", "def", "g"}},
		{"partial octet message at close", SyslogAuto, 100, []string{"20 short"}, []string{"20 short"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runSplitter(tc.framing, tc.max, tc.chunks...)
			var msgs []string
			var raw strings.Builder
			for _, s := range got {
				msgs = append(msgs, s.msg)
				raw.WriteString(s.raw)
			}
			if strings.Join(msgs, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("messages = %q, want %q", msgs, tc.want)
			}
			if raw.String() != strings.Join(tc.chunks, "") {
				t.Fatalf("raw = %q, want the input", raw.String())
			}
		})
	}
}

// FuzzSyslogFraming checks that the splitter never panics and accounts for
// every byte: the raw pieces concatenate to the input, each message lies
// within its raw piece, and chunking does not change the result.
func FuzzSyslogFraming(f *testing.F) {
	f.Add([]byte("5 hello3 abc<1>x\n"), uint8(3), uint8(0), uint16(100))
	f.Add([]byte("10 abcdefghij"), uint8(1), uint8(1), uint16(4))
	f.Add([]byte("12x\n0 a\n\x00\x00"), uint8(2), uint8(2), uint16(8))
	f.Fuzz(func(t *testing.T, data []byte, chunk, mode uint8, maxLen uint16) {
		framing := []string{SyslogAuto, SyslogOctetCounting, SyslogNonTransparent}[int(mode)%3]
		max := int(maxLen%512) + 1
		ref := collectSplits(framing, max, data, len(data)+1)
		step := int(chunk)%17 + 1
		got := collectSplits(framing, max, data, step)
		if len(ref) != len(got) {
			t.Fatalf("chunking changed the result: %d vs %d messages", len(ref), len(got))
		}
		var all []byte
		for i := range ref {
			if ref[i] != got[i] {
				t.Fatalf("message %d differs with chunk %d: %q vs %q", i, step, ref[i], got[i])
			}
			if !bytes.Contains([]byte(ref[i].raw), []byte(ref[i].msg)) || len(ref[i].msg) > max {
				t.Fatalf("message %q not within raw %q (max %d)", ref[i].msg, ref[i].raw, max)
			}
			all = append(all, ref[i].raw...)
		}
		if !bytes.Equal(all, data) {
			t.Fatalf("bytes lost: raw %q, input %q", all, data)
		}
	})
}

func collectSplits(framing string, max int, data []byte, step int) []split {
	s := NewSyslogSplitter(framing, max)
	var out []split
	emit := func(m, r []byte) { out = append(out, split{string(m), string(r)}) }
	for off := 0; off < len(data); off += step {
		_ = s.Feed(data[off:min(off+step, len(data))], emit)
	}
	s.Close(emit)
	return out
}

func syslogHeaders(h sluice.Headers) []string {
	var out []string
	for _, x := range h {
		if strings.HasPrefix(x.Key, "syslog.") {
			out = append(out, fmt.Sprintf("%s=%v", x.Key, x.Value))
		}
	}
	return out
}

func TestSyslogOverTCP(t *testing.T) {
	task := startTask(t, baseProps(SyslogEnabledConfig, "true"))
	c := dialTCP(t, task)
	m1 := `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"][x@1] An application event`
	m2 := "<34>Oct 11 22:14:15 mymachine su[77]: 'su root' failed for lonvick on /dev/pts/8"
	m3 := "not syslog at all"
	stream := fmt.Sprintf("%d %s%d %s", len(m1), m1, len(m2), m2)
	// Two octet-counted messages in one read, then one split across reads,
	// then a non-transparent line.
	_, _ = c.Write([]byte(stream))
	_, _ = c.Write([]byte(fmt.Sprintf("%d %s", len(m2), m2[:10])))
	time.Sleep(20 * time.Millisecond)
	_, _ = c.Write([]byte(m2[10:]))
	_, _ = c.Write([]byte(m3 + "\n"))
	recs := pollN(t, task, 4)
	want := []string{"An application event", "'su root' failed for lonvick on /dev/pts/8", "'su root' failed for lonvick on /dev/pts/8", m3}
	if got := values(recs); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("values = %q", got)
	}
	if got := strings.Join(syslogHeaders(recs[0].Headers), ","); got != "syslog.format=rfc5424,syslog.facility=20,syslog.severity=5,syslog.version=1,"+
		"syslog.timestamp=2003-10-11T22:14:15.003Z,syslog.hostname=mymachine.example.com,syslog.appname=evntslog,syslog.msgid=ID47,"+
		"syslog.sd.exampleSDID@32473.eventSource=Application,syslog.sd.exampleSDID@32473.iut=3,syslog.sd.x@1=" {
		t.Fatalf("5424 headers: %s", got)
	}
	year := time.Now().Year()
	if got := strings.Join(syslogHeaders(recs[1].Headers), ","); got != fmt.Sprintf("syslog.format=rfc3164,syslog.facility=4,syslog.severity=2,"+
		"syslog.timestamp=%s,syslog.hostname=mymachine,syslog.appname=su,syslog.procid=77",
		time.Date(year, 10, 11, 22, 14, 15, 0, time.Local).Format(time.RFC3339Nano)) {
		t.Fatalf("3164 headers: %s", got)
	}
	if got := syslogHeaders(recs[3].Headers); len(got) != 1 || !strings.HasPrefix(got[0], "syslog.parseError=rfc3164: ") {
		t.Fatalf("unparseable headers: %q", got)
	}
	if recs[0].Headers[0].Key != HeaderRemoteHost || recs[0].Headers[3].Value != "tcp" {
		t.Fatalf("network headers missing: %v", recs[0].Headers[:4])
	}
}

func TestSyslogOverUDPWholeLine(t *testing.T) {
	task := startTask(t, baseProps(TransportProtocolConfig, "udp", SyslogEnabledConfig, "true", SyslogValueConfig, "line",
		SyslogFormatConfig, "RFC5424"))
	c, err := net.Dial("udp", task.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	line := "<14>1 2024-01-02T03:04:05+02:00 h a 1 - - msg one"
	_, _ = c.Write([]byte(line + "\n"))
	time.Sleep(2 * time.Millisecond)
	_, _ = c.Write([]byte("<14>Jan  2 03:04:05 h a: old style\r\n"))
	recs := pollN(t, task, 2)
	if recs[0].Value != line {
		t.Fatalf("value = %q", recs[0].Value)
	}
	if got := strings.Join(syslogHeaders(recs[0].Headers), ","); got != "syslog.format=rfc5424,syslog.facility=1,syslog.severity=6,syslog.version=1,"+
		"syslog.timestamp=2024-01-02T03:04:05+02:00,syslog.hostname=h,syslog.appname=a,syslog.procid=1" {
		t.Fatalf("headers: %s", got)
	}
	// Forced RFC 5424: an RFC 3164 line is kept whole, marked as not parsed.
	if recs[1].Value != "<14>Jan  2 03:04:05 h a: old style" {
		t.Fatalf("value = %q", recs[1].Value)
	}
	if got := syslogHeaders(recs[1].Headers); len(got) != 1 || !strings.HasPrefix(got[0], "syslog.parseError=rfc5424: ") {
		t.Fatalf("headers: %q", got)
	}
	if recs[1].Headers[3].Value != "udp" {
		t.Fatalf("transportProtocol = %v", recs[1].Headers[3].Value)
	}
}
