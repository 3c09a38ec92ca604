package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestTopicNameMatches(t *testing.T) {
	cases := []struct {
		pattern, topic string
		want           bool
	}{
		{"logs", "logs", true},
		{"logs", "mylogs", false}, // whole-topic match
		{"log.*", "logs-1", true},
		{"(?i)LOGS", "logs", true},
		{"a|b", "ab", false},
	}
	for _, c := range cases {
		p, err := newPred(t, topicNameMatchesClass, map[string]string{"pattern": c.pattern})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := p.Test(&sluice.Record{Topic: c.topic}); got != c.want {
			t.Fatalf("%s ~ %s: got %v", c.pattern, c.topic, got)
		}
	}
	_, err := newPred(t, topicNameMatchesClass, map[string]string{"pattern": "("})
	if sluice.ErrorClass(err) != "ConfigException" || !contains(err.Error(), "Invalid value ( for configuration pattern: Invalid regex: ") {
		t.Fatalf("bad regex: %v", err)
	}
	_, err = newPred(t, topicNameMatchesClass, map[string]string{"pattern": ""})
	if sluice.ErrorClass(err) != "ConfigException" || !contains(err.Error(), "String must be non-empty") {
		t.Fatalf("empty pattern: %v", err)
	}
}

func BenchmarkTopicNameMatches(b *testing.B) {
	p, err := newPred(b, topicNameMatchesClass, map[string]string{"pattern": "logs-.*"})
	if err != nil {
		b.Fatal(err)
	}
	r := &sluice.Record{Topic: "logs-firewall"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if ok, _ := p.Test(r); !ok {
			b.Fatal("no match")
		}
	}
}
