package header_test

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"

	"sluice.io/sluice/conformance/convvec"
	_ "sluice.io/sluice/converters/header"
	_ "sluice.io/sluice/converters/json"
)

// TestHeaderVectors runs the SimpleHeaderConverter vectors recorded from
// Java through the converter vector runner.
func TestHeaderVectors(t *testing.T) {
	f, err := os.Open("../../conformance/testdata/converters.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	total, passed := 0, 0
	for sc.Scan() {
		line := append([]byte(nil), bytes.TrimSpace(sc.Bytes())...)
		if len(line) == 0 || !convvec.Detect(line) {
			continue
		}
		id := convvec.ID(line)
		if !strings.HasPrefix(id, "header.") {
			continue
		}
		total++
		if t.Run(id, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			if err := convvec.Run(line); err != nil {
				t.Fatal(err)
			}
		}) {
			passed++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("header vectors: %d/%d passed", passed, total)
	if total != 169 {
		t.Errorf("found %d header vectors, want 169", total)
	}
}
