package main

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"sluice.io/sluice/conformance/xformvec"
	"sluice.io/sluice/rules"
)

// BenchmarkMaskAndRoute applies the mask-and-route example chain to its
// first sample record (schemaless map value).
func BenchmarkMaskAndRoute(b *testing.B) {
	props, err := loadProps("../../examples/mask-and-route.properties")
	if err != nil {
		b.Fatal(err)
	}
	chain, err := rules.BuildChain(props, rules.ChainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open("../../examples/mask-and-route.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	var rj xformvec.RecordJSON
	if err := json.Unmarshal(sc.Bytes(), &rj); err != nil {
		b.Fatal(err)
	}
	codec, err := xformvec.NewCodec(nil)
	if err != nil {
		b.Fatal(err)
	}
	rec, err := codec.Decode(&rj)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		out, err := chain.Apply(rec)
		if err != nil || out == nil {
			b.Fatal(out, err)
		}
	}
}
