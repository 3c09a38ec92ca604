package siem_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"sluice.io/sluice/conformance"
	_ "sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/converters/json"
	_ "sluice.io/sluice/smt"
	_ "sluice.io/sluice/smt/siem"
)

// TestSIEMVectors runs the SIEM transformation vectors, one subtest per
// vector id (run a family with -run 'TestSIEMVectors/vr.RegexRules').
func TestSIEMVectors(t *testing.T) {
	f, err := os.Open("../../conformance/testdata/siem.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		line := append([]byte(nil), bytes.TrimSpace(sc.Bytes())...)
		if len(line) == 0 {
			continue
		}
		var head struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(line, &head); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		lineNo := n
		t.Run(head.ID, func(t *testing.T) {
			res := conformance.RunLine(lineNo, line)
			if res.Kind != "transformation" {
				t.Fatalf("line %d detected as kind %q", lineNo, res.Kind)
			}
			if res.Err != nil {
				if why := conformance.Unreproducible(head.ID); why != "" {
					t.Skipf("line %d: recorded vector cannot be reproduced from its file (%s): %v", lineNo, why, res.Err)
				}
				t.Errorf("line %d: %v", lineNo, res.Err)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no vectors found")
	}
}
