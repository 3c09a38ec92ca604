package smt

import (
	"testing"

	"sluice.io/sluice"
)

func newPred(t testing.TB, class string, cfg map[string]string) (sluice.Predicate, error) {
	t.Helper()
	p, _, err := sluice.Plugins.Lookup(class)
	if err != nil {
		t.Fatalf("lookup %s: %v", class, err)
	}
	x := p.New().(sluice.Predicate)
	return x, x.Configure(cfg)
}

func TestHasHeaderKey(t *testing.T) {
	p, err := newPred(t, hasHeaderKeyClass, map[string]string{"name": "trace"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		h    sluice.Headers
		want bool
	}{
		{nil, false},
		{sluice.Headers{{Key: "Trace"}}, false},
		{sluice.Headers{{Key: "a"}, {Key: "trace", Value: nil}}, true},
	}
	for _, c := range cases {
		if got, err := p.Test(&sluice.Record{Topic: "t", Headers: c.h}); err != nil || got != c.want {
			t.Fatalf("%+v: got %v %v", c.h, got, err)
		}
	}
	if _, err := newPred(t, hasHeaderKeyClass, map[string]string{"name": ""}); sluice.ErrorClass(err) != "ConfigException" {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := newPred(t, hasHeaderKeyClass, map[string]string{}); sluice.ErrorClass(err) != "ConfigException" {
		t.Fatalf("missing name: %v", err)
	}
}
