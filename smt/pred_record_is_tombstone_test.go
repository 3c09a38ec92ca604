package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestRecordIsTombstone(t *testing.T) {
	p, err := newPred(t, recordIsTombstoneClass, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		r    *sluice.Record
		want bool
	}{
		{&sluice.Record{Topic: "t"}, true},
		{&sluice.Record{Topic: "t", Key: "k", ValueSchema: sluice.OptionalStringSchema}, true},
		{&sluice.Record{Topic: "t", Value: ""}, false},
	}
	for _, c := range cases {
		if got, _ := p.Test(c.r); got != c.want {
			t.Fatalf("%+v: got %v", c.r, got)
		}
	}
}
