package xformvec_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/plugins"
	"sluice.io/sluice/rules"
)

// TestChainsLeaveInputUnchanged runs the chain of every transformation
// vector twice on the same input record: stages that change records they
// own in place must never write into the input, and both runs must give the
// same outcome.
func TestChainsLeaveInputUnchanged(t *testing.T) {
	total := 0
	for _, path := range []string{"../testdata/kafka-smt.jsonl", "../testdata/siem.jsonl"} {
		for _, line := range readLines(t, path) {
			var f map[string]json.RawMessage
			if json.Unmarshal(line, &f) != nil || f["config"] == nil || f["record"] == nil {
				continue
			}
			var v xformvec.Vector
			if err := json.Unmarshal(line, &v); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			total++
			t.Run(v.ID, func(t *testing.T) { checkTwice(t, &v) })
		}
	}
	if total < 100 {
		t.Fatalf("only %d transformation vectors found", total)
	}
}

func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var out [][]byte
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			out = append(out, append([]byte(nil), l...))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkTwice applies a vector's chain twice to one decoded input.
func checkTwice(t *testing.T, v *xformvec.Vector) {
	props, err := xformvec.StringMap(v.Config)
	if err != nil {
		t.Skip("config is not a string map")
	}
	settings, err := xformvec.StringMap(v.Converter)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := xformvec.NewCodec(settings)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := rules.BuildChain(props, rules.ChainOptions{ExactClassNames: true})
	if err != nil {
		return // a configuration error: no record is involved
	}
	defer chain.Close()
	in, err := codec.Decode(&v.Record)
	if err != nil {
		return
	}
	ref, err := codec.Decode(&v.Record)
	if err != nil {
		t.Fatal(err)
	}
	out1, err1 := chain.Apply(in)
	if !reflect.DeepEqual(in, ref) {
		t.Fatalf("first run changed the input record\n  before: %s\n  after:  %s", show(codec, ref), show(codec, in))
	}
	out2, err2 := chain.Apply(in)
	if !reflect.DeepEqual(in, ref) {
		t.Fatalf("second run changed the input record\n  before: %s\n  after:  %s", show(codec, ref), show(codec, in))
	}
	if fmt.Sprint(err1) != fmt.Sprint(err2) {
		t.Fatalf("runs differ: %v / %v", err1, err2)
	}
	if !reflect.DeepEqual(out1, out2) {
		t.Fatalf("runs differ\n  first:  %s\n  second: %s", show(codec, out1), show(codec, out2))
	}
	if out1 != nil && out1 == out2 && out1 != in {
		t.Fatal("two runs returned the same new record")
	}
}

func show(c *xformvec.Codec, r *sluice.Record) string {
	if r == nil {
		return "null"
	}
	rj, err := c.Encode(r)
	if err != nil {
		return fmt.Sprintf("%+v (%v)", *r, err)
	}
	b, _ := json.Marshal(rj)
	return string(b)
}
