package regexvec

import (
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
)

const vectorFile = "../testdata/java-regex.jsonl"

// TestVectors runs every vendored vector of this kind, one subtest per id.
func TestVectors(t *testing.T) {
	conformancetest.RunFile(t, vectorFile, conformancetest.Options{Kind: "regex"})
}
