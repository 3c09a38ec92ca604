package conformance_test

import (
	"path/filepath"
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
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
	conformancetest.RunFile(t, path, conformancetest.Options{})
}
