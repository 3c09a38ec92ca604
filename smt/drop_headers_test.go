package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestDropHeaders(t *testing.T) {
	hs := sluice.Headers{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}, {Key: "a", Value: "3"}, {Key: "A", Value: "4"}}
	cases := []struct {
		list string
		want []string
	}{
		{"a", []string{"b", "A"}},
		{"a,b", []string{"A"}},
		{"zz", []string{"a", "b", "a", "A"}},
		{"a,b,A", nil},
	}
	for _, c := range cases {
		x := mustXform(t, dropHeadersClass, map[string]string{"headers": c.list})
		r := &sluice.Record{Topic: "t", Headers: hs}
		out, err := x.Apply(r)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, h := range out.Headers {
			keys = append(keys, h.Key)
		}
		if len(keys) != len(c.want) {
			t.Fatalf("%s: got %v want %v", c.list, keys, c.want)
		}
		for i := range keys {
			if keys[i] != c.want[i] {
				t.Fatalf("%s: got %v want %v", c.list, keys, c.want)
			}
		}
		if len(r.Headers) != 4 || r.Headers[0].Key != "a" {
			t.Fatalf("input mutated")
		}
	}
	if _, err := newXform(t, dropHeadersClass, map[string]string{"headers": ""}); sluice.ErrorClass(err) != "ConfigException" {
		t.Fatalf("empty list: %v", err)
	}
}
