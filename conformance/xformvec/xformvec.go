package xformvec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance"
	"sluice.io/sluice/rules"
)

// Kind is the name of the vector kind.
const Kind = "transformation"

func init() {
	conformance.Register(conformance.Kind{
		Name:     Kind,
		Priority: 50,
		Detect: func(f map[string]json.RawMessage) bool {
			return conformance.Has(f, "config") && conformance.Has(f, "record")
		},
		Run: Run,
	})
}

// Vector is one transformation vector.
type Vector struct {
	ID        string          `json:"id"`
	Config    json.RawMessage `json:"config"`
	Converter json.RawMessage `json:"converter"`
	Record    RecordJSON      `json:"record"`
	Expect    struct {
		Result json.RawMessage `json:"result"`
		Error  *ExpectedError  `json:"error"`
	} `json:"expect"`
}

// ExpectedError is the error a vector expects.
type ExpectedError struct {
	Stage   string `json:"stage"`
	Class   string `json:"class"`
	Message string `json:"message"`
}

// Outcome is what Sluice produced for a vector: a record (nil when
// dropped) or an error at a stage.
type Outcome struct {
	Result *RecordJSON
	Stage  string
	Err    error
}

// Execute runs a vector's configuration on its record: build the chain,
// decode the input, apply the chain, encode the result.
func Execute(v *Vector) (*Outcome, error) {
	props, err := StringMap(v.Config)
	if err != nil {
		return nil, fmt.Errorf("vector config: %w", err)
	}
	settings, err := StringMap(v.Converter)
	if err != nil {
		return nil, fmt.Errorf("vector converter settings: %w", err)
	}
	codec, err := NewCodec(settings)
	if err != nil {
		return nil, err
	}
	// Vectors were recorded with plain class loading: no plugin aliases.
	chain, err := rules.BuildChain(props, rules.ChainOptions{ExactClassNames: true})
	if err != nil {
		return &Outcome{Stage: rules.StageConfig, Err: err}, nil
	}
	defer chain.Close()
	in, err := codec.Decode(&v.Record)
	if err != nil {
		return &Outcome{Stage: "decode", Err: err}, nil
	}
	out, err := chain.Apply(in)
	if err != nil {
		return &Outcome{Stage: rules.StageApply, Err: err}, nil
	}
	if out == nil {
		return &Outcome{}, nil
	}
	rj, err := codec.Encode(out)
	if err != nil {
		return &Outcome{Stage: "encode", Err: err}, nil
	}
	return &Outcome{Result: rj}, nil
}

// Run runs one vector line and reports a readable difference.
func Run(line []byte) error {
	var v Vector
	if err := json.Unmarshal(line, &v); err != nil {
		return fmt.Errorf("malformed transformation vector: %w", err)
	}
	got, err := Execute(&v)
	if err != nil {
		return err
	}
	return Compare(&v, got)
}

// classStrict reports whether an expected class must be matched exactly.
func classStrict(c string) bool { return c == "ConfigException" || c == "DataException" }

func describeErr(stage string, err error) string {
	return fmt.Sprintf("error at stage %s: %s: %v", stage, sluice.ErrorClass(err), err)
}

func describeResult(r *RecordJSON) string {
	if r == nil {
		return "dropped (result null)"
	}
	b, _ := json.Marshal(r)
	return "record " + string(b)
}

// Compare checks an outcome against a vector's expectation.
func Compare(v *Vector, got *Outcome) error {
	if e := v.Expect.Error; e != nil {
		want := fmt.Sprintf("error at stage %s: %s: %s", e.Stage, e.Class, e.Message)
		if got.Err == nil {
			return fmt.Errorf("expected an error, got a result\n  expected: %s\n  actual:   %s", want, describeResult(got.Result))
		}
		if got.Stage != e.Stage || classStrict(e.Class) && sluice.ErrorClass(got.Err) != e.Class {
			return fmt.Errorf("error differs\n  expected: %s\n  actual:   %s", want, describeErr(got.Stage, got.Err))
		}
		return nil
	}
	if got.Err != nil {
		var want string
		if isNull(v.Expect.Result) {
			want = "dropped (result null)"
		} else {
			want = "record " + string(v.Expect.Result)
		}
		return fmt.Errorf("unexpected error\n  expected: %s\n  actual:   %s", want, describeErr(got.Stage, got.Err))
	}
	if isNull(v.Expect.Result) {
		if got.Result != nil {
			return fmt.Errorf("expected the record to be dropped\n  expected: dropped (result null)\n  actual:   %s", describeResult(got.Result))
		}
		return nil
	}
	if got.Result == nil {
		return fmt.Errorf("record was dropped\n  expected: record %s\n  actual:   dropped (result null)", v.Expect.Result)
	}
	var want RecordJSON
	d := json.NewDecoder(bytes.NewReader(v.Expect.Result))
	if err := d.Decode(&want); err != nil {
		return fmt.Errorf("malformed expected result: %w", err)
	}
	return CompareRecords(&want, got.Result)
}

// diffs collects field differences.
type diffs struct{ lines []string }

func (d *diffs) add(field string, expected, actual any) {
	d.lines = append(d.lines, fmt.Sprintf("%s differs\n    expected: %s\n    actual:   %s", field, show(expected), show(actual)))
}

func show(v any) string {
	switch x := v.(type) {
	case json.RawMessage:
		if x == nil {
			return "(absent)"
		}
		return string(x)
	case *int32:
		if x == nil {
			return "null"
		}
		return fmt.Sprint(*x)
	case *int64:
		if x == nil {
			return "null"
		}
		return fmt.Sprint(*x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonField compares two JSON documents as values and records a difference.
func (d *diffs) jsonField(field string, expected, actual json.RawMessage) {
	if expected == nil {
		expected = json.RawMessage("null")
	}
	if actual == nil {
		actual = json.RawMessage("null")
	}
	ok, path, err := conformance.JSONEqual(expected, actual)
	if err != nil {
		d.add(field+" (unparsable: "+err.Error()+")", expected, actual)
		return
	}
	if !ok {
		d.add(field+" at "+path, expected, actual)
	}
}

// CompareRecords compares an expected vector record with an actual one under
// the vector rules: topic, partition and timestamp equal, envelopes equal as
// JSON values, headers in order, type trees where the expectation gives them.
func CompareRecords(want, got *RecordJSON) error {
	var d diffs
	if want.Topic != got.Topic {
		d.add("topic", want.Topic, got.Topic)
	}
	if !eqPtr(want.Partition, got.Partition) {
		d.add("partition", want.Partition, got.Partition)
	}
	if !eqPtr(want.Timestamp, got.Timestamp) {
		d.add("timestamp", want.Timestamp, got.Timestamp)
	}
	d.jsonField("key", want.Key, got.Key)
	d.jsonField("value", want.Value, got.Value)
	if want.KeyTypes != nil {
		d.jsonField("keyTypes", want.KeyTypes, got.KeyTypes)
	}
	if want.ValueTypes != nil {
		d.jsonField("valueTypes", want.ValueTypes, got.ValueTypes)
	}
	if len(want.Headers) != len(got.Headers) {
		d.add("headers (count)", headerKeys(want.Headers), headerKeys(got.Headers))
	} else {
		for i := range want.Headers {
			w, g := want.Headers[i], got.Headers[i]
			f := fmt.Sprintf("headers[%d]", i)
			if w.Key != g.Key {
				d.add(f+".key", w.Key, g.Key)
				continue
			}
			d.jsonField(f+" ("+w.Key+") value", w.Value, g.Value)
			if w.Types != nil {
				d.jsonField(f+" ("+w.Key+") types", w.Types, g.Types)
			}
		}
	}
	if len(d.lines) == 0 {
		return nil
	}
	return errors.New("result differs:\n  " + strings.Join(d.lines, "\n  "))
}

func headerKeys(h []HeaderJSON) []string {
	out := make([]string, len(h))
	for i := range h {
		out[i] = h[i].Key
	}
	return out
}

func eqPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
