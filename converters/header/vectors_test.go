package header_test

import (
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
	_ "sluice.io/sluice/conformance/convvec"
	_ "sluice.io/sluice/converters/header"
	_ "sluice.io/sluice/converters/json"
)

// TestHeaderVectors runs the SimpleHeaderConverter vectors recorded from
// Java through the converter vector runner.
func TestHeaderVectors(t *testing.T) {
	conformancetest.RunFile(t, "../../conformance/testdata/converters.jsonl",
		conformancetest.Options{Kind: "converter", IDPrefix: "header."})
}
