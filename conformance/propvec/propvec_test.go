package propvec

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"sluice.io/sluice/conformance"
)

const vectorFile = "../testdata/java-properties.jsonl"

func TestVectors(t *testing.T) {
	data, err := os.ReadFile(vectorFile)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
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
		if r.Kind != "properties" {
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
