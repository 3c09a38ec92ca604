// Package propvec runs properties vectors: one file loaded by
// java.util.Properties.load(InputStream), with the pairs (or the error) the
// JDK produced. Importing the package registers the kind with the
// conformance runner; vectors are detected by their "input_base64" field.
package propvec

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance"
	"sluice.io/sluice/rules"
)

func init() {
	conformance.Register(conformance.Kind{
		Name:     "properties",
		Priority: 40,
		Detect: func(fields map[string]json.RawMessage) bool {
			return conformance.IsString(fields, "input_base64")
		},
		Run: Run,
	})
}

// Vector is one properties vector.
type Vector struct {
	ID          string      `json:"id"`
	InputBase64 string      `json:"input_base64"`
	Result      [][2]string `json:"result"`
	Puts        [][2]string `json:"puts"`
	Error       *struct {
		Class   string `json:"class"`
		Message string `json:"message"`
	} `json:"error"`
	Partial [][2]string `json:"partial"`
}

// Run runs one vector line and reports the first difference.
func Run(line []byte) error {
	var v Vector
	if err := json.Unmarshal(line, &v); err != nil {
		return fmt.Errorf("decoding properties vector: %w", err)
	}
	input, err := base64.StdEncoding.DecodeString(v.InputBase64)
	if err != nil {
		return fmt.Errorf("decoding input_base64: %w", err)
	}
	props, loadErr := rules.ParseProperties(input)
	if v.Error != nil {
		if loadErr == nil {
			return fmt.Errorf("expected %s %q, got success with %s", v.Error.Class, v.Error.Message, showMap(props.Map()))
		}
		var je *sluice.JavaError
		if !errors.As(loadErr, &je) {
			return fmt.Errorf("expected %s %q, got %v", v.Error.Class, v.Error.Message, loadErr)
		}
		if je.Class != v.Error.Class || je.Msg != v.Error.Message {
			return fmt.Errorf("expected %s %q, got %s %q", v.Error.Class, v.Error.Message, je.Class, je.Msg)
		}
		return compareMap("partial", v.Partial, props.Map())
	}
	if loadErr != nil {
		return fmt.Errorf("expected success, got %v", loadErr)
	}
	if err := compareMap("result", v.Result, props.Map()); err != nil {
		return err
	}
	if v.Puts != nil {
		got := props.Puts()
		pairs := make([][2]string, len(got))
		for i, p := range got {
			pairs[i] = [2]string{p.Key, p.Value}
		}
		if !equalPairs(v.Puts, pairs) {
			return fmt.Errorf("puts: expected %q, got %q", v.Puts, pairs)
		}
	}
	return nil
}

func equalPairs(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func compareMap(what string, want [][2]string, got map[string]string) error {
	wm := make(map[string]string, len(want))
	for _, p := range want {
		wm[p[0]] = p[1]
	}
	if len(wm) == len(got) {
		same := true
		for k, v := range wm {
			if gv, ok := got[k]; !ok || gv != v {
				same = false
				break
			}
		}
		if same {
			return nil
		}
	}
	return fmt.Errorf("%s: expected %s, got %s", what, showMap(wm), showMap(got))
}

func showMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%q=%q", k, m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
