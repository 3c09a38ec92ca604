package siem

import (
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
)

func mustKV(t testing.TB, p *KVPairParser, cfg map[string]string) *KVPairParser {
	t.Helper()
	if err := p.Configure(cfg); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkSubstringValues asserts every value of m occurs in text.
func checkSubstringValues(t *testing.T, text string, m *sluice.Map) {
	for _, e := range m.Entries {
		v, _ := e.Value.(string)
		if !strings.Contains(text, v) {
			t.Fatalf("value %q is not part of %q", v, text)
		}
	}
}

func FuzzKVPairParser(f *testing.F) {
	for _, s := range []string{`k1=v1 k2="v 2" k3=\"x\"`, `=a`, `a=" b=2`, `b=2 a="`, "a==b", ""} {
		f.Add(s)
	}
	p := mustKV(f, &KVPairParser{}, map[string]string{})
	f.Fuzz(func(t *testing.T, s string) {
		m, err := p.Parse(s)
		if err != nil {
			return
		}
		checkSubstringValues(t, s, m)
	})
}

func FuzzCEF2Map(f *testing.F) {
	for _, s := range []string{"CEF:0|V|P|1|100|name|5|src=10.0.0.1 msg=hello world", "|k=v", "a|b|c k=v", "CEF:"} {
		f.Add(s)
	}
	p := mustKV(f, NewCEF2Map(), map[string]string{})
	f.Fuzz(func(t *testing.T, s string) {
		m, err := p.Parse(s)
		if err != nil {
			return
		}
		if h, ok := m.Get(kvDefaultHeader); ok && !strings.HasPrefix(s, h.(string)) {
			t.Fatalf("header %q is not a prefix of %q", h, s)
		}
		checkSubstringValues(t, s, m)
	})
}

func FuzzParseSyslog(f *testing.F) {
	for _, s := range []string{"<34>Oct 11 22:14:15 mymachine su: 'su root' failed",
		"<165>1 2003-10-11T22:14:15.003Z host app - ID47 [a b=\"c\"] msg", "<13>1 - h a - - - m", "<999999999999>x", "<"} {
		f.Add([]byte(s))
	}
	now := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		m := ParseSyslogMessage(b, now)
		msg, ok := m.Get(SyslogLogMessage)
		if !ok {
			t.Fatal("no logMessage")
		}
		if _, inv := m.Get(SyslogInvalid); inv {
			if msg != sluice.DecodeUTF8Java(b) {
				t.Fatalf("invalid message %q is not the whole input", msg)
			}
			return
		}
		if _, ok := m.Get(SyslogFacility); !ok {
			t.Fatal("valid message without facility")
		}
		if len(m.HashOrder()) != len(m.Fields) {
			t.Fatal("hash order lost fields")
		}
	})
}

var benchLines = struct{ kv, cef, syslog string }{
	kv: `date=2024-01-15 time=10:22:33 devname="FGT60E" devid="FGT60E4Q16000000" logid="0000000013" type="traffic" ` +
		`subtype="forward" level="notice" srcip=192.168.1.100 srcport=54321 dstip=8.8.8.8 dstport=53 action="accept"`,
	cef: "CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 " +
		"suser=alice@example.com act=blocked msg=Worm stopped on host cs1Label=policy cs1=default-deny dpt=445",
	syslog: "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 " +
		"[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] An application event log entry here",
}

func benchTransform(b *testing.B, tr sluice.Transformation, line string) {
	r := &sluice.Record{Topic: "t", Value: line}
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for i := 0; i < b.N; i++ {
		if _, err := tr.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKVPairParser(b *testing.B) {
	benchTransform(b, mustKV(b, &KVPairParser{}, map[string]string{}), benchLines.kv)
}

func BenchmarkCEF2Map(b *testing.B) {
	benchTransform(b, mustKV(b, NewCEF2Map(), map[string]string{}), benchLines.cef)
}

func BenchmarkParseSyslog(b *testing.B) {
	benchTransform(b, &ParseSyslog{}, benchLines.syslog)
}
