package xformvec

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"sluice.io/sluice"
)

func vec(t *testing.T, expect string) *Vector {
	t.Helper()
	var v Vector
	if err := json.Unmarshal([]byte(`{"id":"x","config":{},"record":{"topic":"t"},"expect":`+expect+`}`), &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func rec(t *testing.T, s string) *RecordJSON {
	t.Helper()
	var r RecordJSON
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestCompare(t *testing.T) {
	const base = `{"topic":"t","partition":0,"timestamp":5,"key":null,"value":{"schema":null,"payload":{"a":1,"b":[1,2]}},"headers":[{"key":"h","value":{"schema":null,"payload":"x"}}]`
	tests := []struct {
		name   string
		expect string
		got    *Outcome
		want   string // "" = pass, else a substring of the failure
	}{
		{"equal, member order ignored", `{"result":` + base + `,"valueTypes":{"a":"INT64","b":["INT64","INT64"]}}}`,
			&Outcome{Result: rec(t, `{"topic":"t","partition":0,"timestamp":5,"key":null,"value":{"payload":{"b":[1,2.0],"a":1},"schema":null},"valueTypes":{"b":["INT64","INT64"],"a":"INT64"},"headers":[{"key":"h","value":{"schema":null,"payload":"x"}}]}`)}, ""},
		{"type tree differs", `{"result":` + base + `,"valueTypes":{"a":"INT32","b":["INT64","INT64"]}}}`,
			&Outcome{Result: rec(t, base+`,"valueTypes":{"a":"INT64","b":["INT64","INT64"]}}`)}, "valueTypes at $.a"},
		{"payload differs", `{"result":` + base + `}}`,
			&Outcome{Result: rec(t, strings.Replace(base, `"a":1`, `"a":2`, 1)+`}`)}, "value at $.payload.a"},
		{"topic and partition differ", `{"result":` + base + `}}`,
			&Outcome{Result: rec(t, strings.Replace(strings.Replace(base, `"topic":"t"`, `"topic":"u"`, 1), `"partition":0`, `"partition":null`, 1)+`}`)}, "partition differs"},
		{"header order matters", `{"result":` + strings.Replace(base, `[{"key":"h"`, `[{"key":"g","value":null},{"key":"h"`, 1) + `}}`,
			&Outcome{Result: rec(t, strings.Replace(base, `[{"key":"h","value":{"schema":null,"payload":"x"}}`, `[{"key":"h","value":{"schema":null,"payload":"x"}},{"key":"g","value":null}`, 1)+`}`)}, "headers[0].key"},
		{"drop expected", `{"result":null}`, &Outcome{Result: rec(t, base+`}`)}, "expected the record to be dropped"},
		{"drop matches", `{"result":null}`, &Outcome{}, ""},
		{"kept expected", `{"result":` + base + `}}`, &Outcome{}, "record was dropped"},
		{"error matches by stage and strict class", `{"error":{"stage":"apply","class":"DataException","message":"m"}}`,
			&Outcome{Stage: "apply", Err: sluice.NewDataError("m")}, ""},
		{"strict class differs", `{"error":{"stage":"apply","class":"DataException","message":"m"}}`,
			&Outcome{Stage: "apply", Err: errors.New("m")}, "error differs"},
		{"other classes match by stage", `{"error":{"stage":"apply","class":"NullPointerException","message":"m"}}`,
			&Outcome{Stage: "apply", Err: sluice.NewDataError("m")}, ""},
		{"stage differs", `{"error":{"stage":"config","class":"ConfigException","message":"m"}}`,
			&Outcome{Stage: "apply", Err: sluice.NewConfigError("m")}, "error differs"},
		{"error expected, result produced", `{"error":{"stage":"encode","class":"DataException","message":"m"}}`,
			&Outcome{Result: rec(t, base+`}`)}, "expected an error"},
		{"unexpected error", `{"result":null}`, &Outcome{Stage: "apply", Err: sluice.NewDataError("boom")}, "unexpected error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Compare(vec(t, tc.expect), tc.got)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected failure: %v", err)
			case tc.want != "" && err == nil:
				t.Errorf("passed, want failure containing %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("failure %q lacks %q", err, tc.want)
			}
		})
	}
}

func TestStringMap(t *testing.T) {
	m, err := StringMap(json.RawMessage(`{"a":"x","b":true,"c":10,"d":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 3 || m["a"] != "x" || m["b"] != "true" || m["c"] != "10" {
		t.Errorf("got %v", m)
	}
}
