package siem

import (
	"testing"
	"time"

	"sluice.io/sluice"
)

func TestKVPairParserTable(t *testing.T) {
	for _, c := range []struct {
		cfg       map[string]string
		in        string
		want      map[string]string
		wantClass string
	}{
		{nil, `k1=v1 k2=v2 k3="v3"`, map[string]string{"k1": "v1", "k2": "v2", "k3": "v3"}, ""},
		{nil, `msg=hello world k2=v`, map[string]string{"msg": "hello world", "k2": "v"}, ""},
		{nil, `k1=a\=b k2=x`, map[string]string{"k1": `a\=b`, "k2": "x"}, ""},
		{map[string]string{"pairDelimiter": "|"}, "a=1|b=2", map[string]string{"a": "1", "|b": "2"}, ""},
		{nil, "=v1 k2=v2", nil, "NullPointerException"},
		{nil, `b=2 a="`, nil, "StringIndexOutOfBoundsException"},
		{map[string]string{"pairDelimiter": "("}, "a=1(b=2", nil, "PatternSyntaxException"},
	} {
		p := mustKV(t, &KVPairParser{}, c.cfg)
		m, err := p.Parse(c.in)
		if c.wantClass != "" {
			if err == nil || sluice.ErrorClass(err) != c.wantClass {
				t.Errorf("%q: got %v, want %s", c.in, err, c.wantClass)
			}
			continue
		}
		if err != nil || m.Len() != len(c.want) {
			t.Errorf("%q: got %v %v, want %v", c.in, m, err, c.want)
			continue
		}
		for k, v := range c.want {
			if got, _ := m.Get(k); got != v {
				t.Errorf("%q: %s = %v, want %q", c.in, k, got, v)
			}
		}
	}
}

func TestParseSyslogHeaderOrder(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 678e6, time.UTC)
	m := ParseSyslogMessage([]byte("<34>Oct 11 22:14:15 mymachine su: failed"), now)
	var names []string
	for _, f := range m.HashOrder() {
		names = append(names, f.Name)
	}
	want := []string{"severity", "hostname", "logMessage", "facility", "timestamp"}
	if len(names) != len(want) {
		t.Fatalf("got %v", names)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("got %v, want %v", names, want)
		}
	}
	if ts, _ := m.Get(SyslogTimestamp); ts != "1728684855678" {
		t.Errorf("timestamp %s", ts)
	}
}
