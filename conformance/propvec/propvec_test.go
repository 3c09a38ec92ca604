package propvec

import (
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
)

const vectorFile = "../testdata/java-properties.jsonl"

// TestVectors runs every vendored vector of this kind, one subtest per id.
func TestVectors(t *testing.T) {
	conformancetest.RunFile(t, vectorFile, conformancetest.Options{Kind: "properties"})
}

func TestRunReportsDifferences(t *testing.T) {
	cases := []string{
		`{"id":"x","input_base64":"YT1iCg==","result":[["a","c"]]}`,
		`{"id":"x","input_base64":"YT1iCg==","result":[["a","b"],["c","d"]]}`,
		`{"id":"x","input_base64":"YT1iCg==","error":{"class":"IllegalArgumentException","message":"m"},"partial":[]}`,
		`{"id":"x","input_base64":"YT1cdTEyCg==","error":{"class":"IllegalArgumentException","message":"other"},"partial":[]}`,
		`{"id":"x","input_base64":"YT0xCmE9Mgo=","result":[["a","2"]],"puts":[["a","2"],["a","1"]]}`,
	}
	for _, c := range cases {
		if err := Run([]byte(c)); err == nil {
			t.Errorf("%s: expected a difference", c)
		}
	}
}
