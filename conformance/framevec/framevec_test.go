package framevec

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"sluice.io/sluice/conformance"
)

const vectorFile = "../testdata/tcp-framing.jsonl"

func TestVectors(t *testing.T) {
	data, err := os.ReadFile(vectorFile)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		line = append([]byte(nil), line...)
		var head struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(line, &head); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		t.Run(head.ID, func(t *testing.T) {
			if err := Run(line); err != nil {
				t.Error(err)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no vectors")
	}
}

func TestRunnerDetectsKind(t *testing.T) {
	res, err := conformance.RunFile(vectorFile)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, r := range res {
		if r.Kind != "framing" {
			t.Errorf("line %d (%s): detected kind %q", r.Line, r.ID, r.Kind)
		}
		if !r.Passed() {
			failed++
		}
	}
	if failed != 0 {
		t.Errorf("%d of %d vectors failed", failed, len(res))
	}
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
