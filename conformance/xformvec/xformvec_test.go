package xformvec_test

import (
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
	"sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/converters/json"
	_ "sluice.io/sluice/smt"
)

// TestVectors runs every vendored Kafka transformation vector, one subtest
// per vector id (run a family with -run 'TestVectors/Cast').
func TestVectors(t *testing.T) {
	conformancetest.RunFile(t, "../testdata/kafka-smt.jsonl", conformancetest.Options{Kind: xformvec.Kind})
}
