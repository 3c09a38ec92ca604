// Package conformancetest runs conformance vector files as Go subtests, one
// per vector id, so that a family can be selected with -run.
package conformancetest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"sluice.io/sluice/conformance"
)

// Options narrow a run.
type Options struct {
	// Kind, when set, is the kind every vector must be detected as.
	Kind string
	// IDPrefix, when set, runs only the vectors whose id starts with it.
	IDPrefix string
}

// RunFile runs every vector of a JSON Lines file as a subtest named by its
// id. A vector that fails and that conformance.Unreproducible names is
// reported as skipped with the reason; every other failure fails its
// subtest. The file must hold at least one selected vector.
func RunFile(t *testing.T, path string, opts Options) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n, selected := 0, 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		id := conformance.VectorID(line)
		if id == "" {
			id = fmt.Sprintf("line-%d", n)
		}
		if !strings.HasPrefix(id, opts.IDPrefix) {
			continue
		}
		selected++
		lineNo := n
		t.Run(id, func(t *testing.T) {
			res := conformance.RunLine(lineNo, line)
			if res.Kind == "" {
				t.Fatalf("line %d: %v", lineNo, res.Err)
			}
			if opts.Kind != "" && res.Kind != opts.Kind {
				t.Fatalf("line %d detected as kind %q, want %q", lineNo, res.Kind, opts.Kind)
			}
			if res.Err != nil {
				if why := conformance.Unreproducible(id); why != "" {
					t.Skipf("line %d: recorded vector cannot be reproduced from its file (%s): %v", lineNo, why, res.Err)
				}
				t.Errorf("line %d (%s): %v", lineNo, res.Kind, res.Err)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if selected == 0 {
		t.Fatalf("%s: no vectors selected", path)
	}
}
