package convvec

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"

	_ "sluice.io/sluice/converters/bytearray"
	_ "sluice.io/sluice/converters/header"
	_ "sluice.io/sluice/converters/json"
	_ "sluice.io/sluice/converters/str"
)

// TestConverterVectors runs every converter vector, one subtest per id.
func TestConverterVectors(t *testing.T) {
	f, err := os.Open("../testdata/converters.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	counts := map[string][3]int{} // passed, run, skipped
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		line = append([]byte(nil), line...)
		if !Detect(line) {
			t.Errorf("not a converter vector: %.80s", line)
			continue
		}
		id := ID(line)
		conv := id[:strings.IndexAny(id+"/", "./")]
		c := counts[conv]
		skipped := false
		ok := t.Run(id, func(t *testing.T) {
			if conv == "header" && !headerAvailable() {
				skipped = true
				t.Skip("SimpleHeaderConverter is not registered")
			}
			if err := Run(line); err != nil {
				t.Fatal(err)
			}
		})
		c[1]++
		switch {
		case skipped:
			c[2]++
		case ok:
			c[0]++
		}
		counts[conv] = c
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for k, c := range counts {
		t.Logf("%s: %d/%d passed, %d skipped", k, c[0], c[1], c[2])
	}
}
