package convvec

import (
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
	_ "sluice.io/sluice/converters/bytearray"
	_ "sluice.io/sluice/converters/header"
	_ "sluice.io/sluice/converters/json"
	_ "sluice.io/sluice/converters/str"
)

// TestConverterVectors runs every converter vector, one subtest per id.
func TestConverterVectors(t *testing.T) {
	conformancetest.RunFile(t, "../testdata/converters.jsonl", conformancetest.Options{Kind: "converter"})
}
