package siem_test

import (
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
	"sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/converters/json"
	_ "sluice.io/sluice/smt"
	_ "sluice.io/sluice/smt/siem"
)

// TestSIEMVectors runs the SIEM transformation vectors, one subtest per
// vector id (run a family with -run 'TestSIEMVectors/vr.RegexRules').
func TestSIEMVectors(t *testing.T) {
	conformancetest.RunFile(t, "../../conformance/testdata/siem.jsonl", conformancetest.Options{Kind: xformvec.Kind})
}
