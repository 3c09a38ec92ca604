package siem_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/converters/json"
	_ "sluice.io/sluice/smt"
)

// part2Classes are the classes whose vectors TestPart2Vectors runs.
var part2Classes = []string{
	"vr.TimestampConverter", "vr.ParseSyslog", "vr.KVPairParser", "vr.ExtractField", "vr.CEF2Map",
	"vr.RemoveField", "vr.FieldToValueTransformation", "vr.ToJson",
}

// part2VectorFile finds the SIEM vector file: vendored, or the shared copy.
func part2VectorFile(t *testing.T) string {
	for _, p := range []string{
		filepath.Join("..", "..", "conformance", "testdata", "siem.jsonl"),
		filepath.Join("..", "..", "..", "shared", "conformance", "siem.jsonl"),
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("siem.jsonl not found")
	return ""
}

// TestPart2Vectors runs the recorded vectors of the parsing and field
// transformations (and the chains using them), one subtest per vector.
func TestPart2Vectors(t *testing.T) {
	f, err := os.Open(part2VectorFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := append([]byte(nil), bytes.TrimSpace(sc.Bytes())...)
		if len(line) == 0 {
			continue
		}
		var head struct {
			ID     string            `json:"id"`
			Config map[string]string `json:"config"`
		}
		if err := json.Unmarshal(line, &head); err != nil {
			t.Fatal(err)
		}
		if !part2Selected(head.ID, head.Config) {
			continue
		}
		t.Run(head.ID, func(t *testing.T) {
			if err := xformvec.Run(line); err != nil {
				t.Error(err)
			}
		})
	}
}

func part2Selected(id string, cfg map[string]string) bool {
	for _, c := range part2Classes {
		if strings.HasPrefix(id, c+"/") {
			return true
		}
	}
	if !strings.HasPrefix(id, "vr.Chain") {
		return false
	}
	for k, v := range cfg {
		if strings.HasSuffix(k, ".type") {
			for _, c := range part2Classes {
				if v == "com.vrudenskyi.kafka.connect.transform."+strings.TrimPrefix(c, "vr.") {
					return true
				}
			}
		}
	}
	return false
}
