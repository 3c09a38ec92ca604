package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestRegexRouter(t *testing.T) {
	cases := []struct {
		regex, repl, topic, want, err string
	}{
		{"(.*)-raw", "$1-clean", "payments-raw", "payments-clean", ""},
		{"(.*)-raw", "$1-clean", "payments", "payments", ""},
		{"raw", "x", "payments-raw", "payments-raw", ""}, // must match the whole topic
		{"(?<env>prod|dev)-(.*)", "${env}.$2", "prod-firewall", "prod.firewall", ""},
		{"([a-z]+)-(\\d+)", "$2-$1", "fw-01", "01-fw", ""},
		{".*", "", "logs", "", ""},
		{"(.*)", "$2", "logs", "", "IndexOutOfBoundsException"},
	}
	for _, c := range cases {
		x := mustXform(t, regexRouterClass, map[string]string{"regex": c.regex, "replacement": c.repl})
		for round := 0; round < 2; round++ { // the second round is served from the memo
			r := &sluice.Record{Topic: c.topic, Value: "v", Headers: sluice.Headers{{Key: "h", Value: "1"}}}
			out, err := x.Apply(r)
			if c.err != "" {
				if sluice.ErrorClass(err) != c.err {
					t.Fatalf("%s on %s: err %v, want %s", c.regex, c.topic, err, c.err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if out.Topic != c.want || r.Topic != c.topic || out.Value != "v" || len(out.Headers) != 1 {
				t.Fatalf("%s on %s: got %q (input now %q)", c.regex, c.topic, out.Topic, r.Topic)
			}
			if c.want == c.topic && out != r {
				t.Fatalf("unchanged topic should return the record itself")
			}
		}
	}
}

func TestRegexRouterConfig(t *testing.T) {
	_, err := newXform(t, regexRouterClass, map[string]string{"regex": "(", "replacement": "x"})
	if sluice.ErrorClass(err) != "ConfigException" || !containsAll(err.Error(), "Invalid value ( for configuration regex: Invalid regex: ") {
		t.Fatalf("bad regex: %v", err)
	}
	_, err = newXform(t, regexRouterClass, map[string]string{"regex": "a"})
	if sluice.ErrorClass(err) != "ConfigException" || !containsAll(err.Error(), `"replacement"`) {
		t.Fatalf("missing replacement: %v", err)
	}
	x := mustXform(t, regexRouterClass, map[string]string{"regex": "a", "replacement": "  b  "})
	out, _ := x.Apply(&sluice.Record{Topic: "a"})
	if out.Topic != "b" {
		t.Fatalf("replacement should be trimmed, got %q", out.Topic)
	}
}

func TestRegexRouterMemoBounded(t *testing.T) {
	x := mustXform(t, regexRouterClass, map[string]string{"regex": "t(\\d+)", "replacement": "u$1"}).(*RegexRouter)
	for i := 0; i < 3*topicMemoSize; i++ {
		topic := "t" + itoa(i)
		out, err := x.Apply(&sluice.Record{Topic: topic})
		if err != nil || out.Topic != "u"+itoa(i) {
			t.Fatalf("%s -> %v %v", topic, out, err)
		}
	}
	if n := x.memo.len(); n > topicMemoSize || n == 0 {
		t.Fatalf("memo holds %d topics", n)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !contains(s, p) {
			return false
		}
	}
	return true
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func BenchmarkRegexRouter(b *testing.B) {
	x := mustXform(b, regexRouterClass, map[string]string{"regex": "(.*)-raw", "replacement": "$1-clean"})
	r := &sluice.Record{Topic: "payments-raw", Value: "v"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := x.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}
