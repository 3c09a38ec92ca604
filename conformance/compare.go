package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"sluice.io/sluice"
)

// TypeTree returns the vector TYPETREE of a Connect value: the Connect type
// name of each primitive ("INT32", "STRING", "BYTES", "STRUCT"),
// "java:java.math.BigDecimal" and "java:java.util.Date" for logical values,
// an object for a map (keys rendered as text), an array for a list, and nil
// for null.
func TypeTree(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int8:
		return "INT8"
	case int16:
		return "INT16"
	case int32:
		return "INT32"
	case int64:
		return "INT64"
	case float32:
		return "FLOAT32"
	case float64:
		return "FLOAT64"
	case bool:
		return "BOOLEAN"
	case string:
		return "STRING"
	case []byte:
		return "BYTES"
	case *sluice.Struct:
		return "STRUCT"
	case sluice.Decimal:
		return "java:java.math.BigDecimal"
	case time.Time:
		return "java:java.util.Date"
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = TypeTree(e)
		}
		return out
	case *sluice.Map:
		out := make(map[string]any, x.Len())
		for _, e := range x.Entries {
			out[fmt.Sprint(e.Key)] = TypeTree(e.Value)
		}
		return out
	}
	return fmt.Sprintf("java:%T", v)
}

// decodeJSON decodes JSON keeping numbers exact.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// JSONEqual compares two JSON documents as values: object member order is
// ignored and numbers compare by value. On a difference it returns the path
// of the first one found.
func JSONEqual(a, b []byte) (bool, string, error) {
	va, err := decodeJSON(a)
	if err != nil {
		return false, "", fmt.Errorf("expected side: %w", err)
	}
	vb, err := decodeJSON(b)
	if err != nil {
		return false, "", fmt.Errorf("actual side: %w", err)
	}
	p, ok := valueDiff("$", va, vb)
	return ok, p, nil
}

// ValuesEqualJSON compares two decoded JSON values (as produced by
// encoding/json with UseNumber, or plain float64 numbers) and returns the
// path of the first difference.
func ValuesEqualJSON(a, b any) (bool, string) {
	p, ok := valueDiff("$", a, b)
	return ok, p
}

func numRat(v any) (*big.Rat, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = string(n)
	case float64:
		s = fmt.Sprint(n)
	case int:
		s = fmt.Sprint(n)
	case int64:
		s = fmt.Sprint(n)
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

func valueDiff(path string, a, b any) (string, bool) {
	if ra, ok := numRat(a); ok {
		rb, ok := numRat(b)
		if !ok || ra.Cmp(rb) != 0 {
			return path, false
		}
		return "", true
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path, false
		}
		ks := make([]string, 0, len(x)+len(y))
		for k := range x {
			ks = append(ks, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				ks = append(ks, k)
			}
		}
		sort.Strings(ks)
		for _, k := range ks {
			va, oka := x[k]
			vb, okb := y[k]
			if oka != okb {
				return path + "." + k, false
			}
			if p, ok := valueDiff(path+"."+k, va, vb); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for i := range x {
			if p, ok := valueDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); !ok {
				return p, false
			}
		}
		return "", true
	}
	if a != b {
		return path, false
	}
	return "", true
}

// Diff renders an expected/actual pair for a failure report.
func Diff(what string, expected, actual any) error {
	e, _ := json.Marshal(expected)
	a, _ := json.Marshal(actual)
	var b strings.Builder
	fmt.Fprintf(&b, "%s differs\n  expected: %s\n  actual:   %s", what, e, a)
	return fmt.Errorf("%s", b.String())
}
