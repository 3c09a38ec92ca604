package conformance_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sluice.io/sluice/conformance"
	_ "sluice.io/sluice/conformance/convvec"
	_ "sluice.io/sluice/conformance/framevec"
	_ "sluice.io/sluice/conformance/propvec"
	_ "sluice.io/sluice/conformance/regexvec"
	_ "sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/plugins"
)

// TestVendoredVectors runs every vector of every vendored file whose kind is
// registered: one subtest per file, one per vector id inside it.
func TestVendoredVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no vector files in testdata")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) { runVectorFile(t, path) })
	}
}

func runVectorFile(t *testing.T, path string) {
	f, err := os.Open(path)
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
		if json.Unmarshal(line, &head) != nil || head.ID == "" {
			head.ID = fmt.Sprintf("line-%d", n)
		}
		lineNo := n
		t.Run(head.ID, func(t *testing.T) {
			res := conformance.RunLine(lineNo, line)
			if res.Kind == "" {
				t.Fatalf("line %d: no registered vector kind: %v", lineNo, res.Err)
			}
			if res.Err != nil {
				if why := conformance.Unreproducible(head.ID); why != "" {
					t.Skipf("line %d: recorded vector cannot be reproduced from its file (%s): %v", lineNo, why, res.Err)
				}
				t.Errorf("line %d (%s): %v", lineNo, res.Kind, res.Err)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
