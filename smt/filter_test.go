package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestFilter(t *testing.T) {
	x := mustXform(t, filterClass, map[string]string{"type": filterClass, "anything": "ignored"})
	for _, r := range []*sluice.Record{{Topic: "t", Value: "v"}, {Topic: "t"}} {
		out, err := x.Apply(r)
		if err != nil || out != nil {
			t.Fatalf("Filter kept %v, %v", out, err)
		}
	}
}
