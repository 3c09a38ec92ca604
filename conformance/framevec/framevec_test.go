package framevec

import (
	"testing"

	"sluice.io/sluice/conformance/conformancetest"
)

const vectorFile = "../testdata/tcp-framing.jsonl"

// TestVectors runs every vendored vector of this kind, one subtest per id.
func TestVectors(t *testing.T) {
	conformancetest.RunFile(t, vectorFile, conformancetest.Options{Kind: "framing"})
}

// TestRunReportsDifferences checks that the kind notices each way an
// outcome can differ from the expectation.
func TestRunReportsDifferences(t *testing.T) {
	cases := map[string]string{
		"frame bytes":     `{"id":"x","config":{},"chunks":["YQo="],"close":true,"expect":{"frames":[{"b64":"Yg==","text":"b","blank":false,"at":0}],"records":["b"],"buffered":""}}`,
		"frame at":        `{"id":"x","config":{},"chunks":["YQo="],"close":true,"expect":{"frames":[{"b64":"YQ==","text":"a","blank":false,"at":1}],"records":["a"],"buffered":""}}`,
		"frame text":      `{"id":"x","config":{},"chunks":["YQo="],"close":true,"expect":{"frames":[{"b64":"YQ==","text":"b","blank":false,"at":0}],"records":["a"],"buffered":""}}`,
		"frame blank":     `{"id":"x","config":{},"chunks":["YQo="],"close":true,"expect":{"frames":[{"b64":"YQ==","text":"a","blank":true,"at":0}],"records":["a"],"buffered":""}}`,
		"missing frame":   `{"id":"x","config":{},"chunks":["YQpiCg=="],"close":true,"expect":{"frames":[{"b64":"YQ==","text":"a","blank":false,"at":0}],"records":["a"],"buffered":""}}`,
		"extra frame":     `{"id":"x","config":{},"chunks":["YQo="],"close":true,"expect":{"frames":[{"b64":"YQ==","text":"a","blank":false,"at":0},{"b64":"YQ==","text":"a","blank":false,"at":0}],"records":["a","a"],"buffered":""}}`,
		"records":         `{"id":"x","config":{},"chunks":["YQo="],"close":true,"expect":{"frames":[{"b64":"YQ==","text":"a","blank":false,"at":0}],"records":[],"buffered":""}}`,
		"buffered":        `{"id":"x","config":{},"chunks":["YQpi"],"close":false,"expect":{"frames":[{"b64":"YQ==","text":"a","blank":false,"at":0}],"records":["a"],"buffered":"Yw=="}}`,
		"close record":    `{"id":"x","config":{},"chunks":["YQpi"],"close":true,"expect":{"frames":[{"b64":"YQ==","text":"a","blank":false,"at":0}],"records":["a"],"buffered":""}}`,
		"maxLength":       `{"id":"x","config":{},"chunks":[],"close":true,"maxLength":4,"expect":{"frames":[],"records":[],"buffered":""}}`,
		"delimiters":      `{"id":"x","config":{},"chunks":[],"close":true,"delimiters":["Cg=="],"expect":{"frames":[],"records":[],"buffered":""}}`,
		"stripDelimiter":  `{"id":"x","config":{},"chunks":[],"close":true,"stripDelimiter":false,"expect":{"frames":[],"records":[],"buffered":""}}`,
		"error expected":  `{"id":"x","config":{},"chunks":[],"close":true,"expect":{"error":{"stage":"config","class":"NullPointerException","message":"m"}}}`,
		"config message":  `{"id":"x","config":{"channel.tcp.frame.maxLength":"x"},"chunks":[],"close":true,"expect":{"error":{"stage":"config","class":"ConfigException","message":"other"}}}`,
		"config class":    `{"id":"x","config":{"channel.tcp.frame.delimeters":""},"chunks":[],"close":true,"expect":{"error":{"stage":"config","class":"ConfigException","message":"m"}}}`,
		"unexpected err":  `{"id":"x","config":{"channel.tcp.frame.maxLength":"0"},"chunks":[],"close":true,"expect":{"frames":[],"records":[],"buffered":""}}`,
		"unknown decoder": `{"id":"x","config":{},"decoder":"line","chunks":[],"close":true,"expect":{"frames":[],"records":[],"buffered":""}}`,
	}
	for name, c := range cases {
		if err := Run([]byte(c)); err == nil {
			t.Errorf("%s: expected a difference", name)
		}
	}
}
