// Package convvec runs converter conformance vectors: one call of
// JsonConverter, StringConverter, ByteArrayConverter or
// SimpleHeaderConverter (toConnect or fromConnect) compared with the outcome
// Java produced.
package convvec

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance"
	jsonconv "sluice.io/sluice/converters/json"
)

func init() {
	conformance.Register(conformance.Kind{
		Name:     "converter",
		Priority: 10,
		Detect:   func(f map[string]json.RawMessage) bool { return conformance.IsString(f, "converter") },
		Run:      Run,
	})
}

// classes maps the vector's converter names to Java classes.
var classes = map[string]string{
	"json":      "org.apache.kafka.connect.json.JsonConverter",
	"string":    "org.apache.kafka.connect.storage.StringConverter",
	"bytearray": "org.apache.kafka.connect.converters.ByteArrayConverter",
	"header":    "org.apache.kafka.connect.storage.SimpleHeaderConverter",
}

type vecError struct {
	Stage   string `json:"stage"`
	Class   string `json:"class"`
	Message string `json:"message"`
}

type vector struct {
	ID          string            `json:"id"`
	Converter   string            `json:"converter"`
	Config      map[string]string `json:"config"`
	IsKey       bool              `json:"isKey"`
	AsHeader    bool              `json:"asHeader"`
	Topic       string            `json:"topic"`
	HeaderKey   string            `json:"headerKey"`
	Direction   string            `json:"direction"`
	Input       json.RawMessage   `json:"input"`
	InputConfig map[string]string `json:"inputConfig"`
	TypedInput  *struct {
		Schema json.RawMessage `json:"schema"`
		Value  json.RawMessage `json:"value"`
	} `json:"typedInput"`
	Expect struct {
		Result       json.RawMessage `json:"result"`
		Types        json.RawMessage `json:"types"`
		JavaNull     bool            `json:"javaNull"`
		Connect      json.RawMessage `json:"connect"`
		ConnectTypes json.RawMessage `json:"connectTypes"`
		Error        *vecError       `json:"error"`
	} `json:"expect"`
}

// infSentinel stands for a bare Infinity/NaN token in a vector line (the
// recording tool wrote non-finite numbers that way).
const infSentinel = "\x00num:"

// quotedSentinel is the JSON string standing for a bare token.
func quotedSentinel(w string) string { return `"\u0000num:` + w + `"` }

// sanitize turns bare Infinity, -Infinity and NaN tokens outside strings
// into sentinel strings so that encoding/json accepts the line.
func sanitize(line []byte) []byte {
	var out []byte
	inStr := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if inStr {
			if c == '\\' && i+1 < len(line) {
				if out != nil {
					out = append(out, c, line[i+1])
				}
				i++
				continue
			}
			if c == '"' {
				inStr = false
			}
		} else if c == '"' {
			inStr = true
		} else {
			for _, w := range []string{"-Infinity", "Infinity", "NaN"} {
				if bytes.HasPrefix(line[i:], []byte(w)) {
					if out == nil {
						out = append([]byte(nil), line[:i]...)
					}
					out = append(out, quotedSentinel(w)...)
					i += len(w) - 1
					goto next
				}
			}
		}
		if out != nil {
			out = append(out, c)
		}
	next:
	}
	if out == nil {
		return line
	}
	return out
}

// Detect reports whether a line is a converter vector (its "converter"
// field is a string).
func Detect(line []byte) bool {
	var f map[string]json.RawMessage
	if json.Unmarshal(sanitize(line), &f) != nil {
		return false
	}
	return conformance.IsString(f, "converter")
}

// ID returns the id of a vector line.
func ID(line []byte) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(sanitize(line), &v)
	return v.ID
}

// instance is a configured converter seen through one interface.
type instance struct {
	conv   sluice.Converter
	header sluice.HeaderConverter
}

func newInstance(v *vector) (*instance, error) {
	class, ok := classes[v.Converter]
	if !ok {
		return nil, fmt.Errorf("unknown converter %q", v.Converter)
	}
	p, _, err := sluice.Plugins.Lookup(class)
	if err != nil {
		return nil, err
	}
	obj := p.New()
	cfg := v.Config
	if cfg == nil {
		cfg = map[string]string{}
	}
	if v.Converter == "header" || v.AsHeader {
		var hc sluice.HeaderConverter
		switch x := obj.(type) {
		case sluice.HeaderConverter:
			hc = x
		case interface{ HeaderConverter() sluice.HeaderConverter }:
			hc = x.HeaderConverter()
		default:
			return nil, fmt.Errorf("%s is not a header converter", class)
		}
		return &instance{header: hc}, configureErr(hc.Configure(cfg))
	}
	c, ok := obj.(sluice.Converter)
	if !ok {
		return nil, fmt.Errorf("%s is not a converter", class)
	}
	return &instance{conv: c}, configureErr(c.Configure(cfg, v.IsKey))
}

type stageErr struct {
	stage string
	err   error
}

func (e *stageErr) Error() string { return e.stage + ": " + e.err.Error() }
func (e *stageErr) Unwrap() error { return e.err }

func configureErr(err error) error {
	if err == nil {
		return nil
	}
	return &stageErr{"configure", err}
}

// Run runs one converter vector line.
func Run(line []byte) error {
	var v vector
	if err := json.Unmarshal(sanitize(line), &v); err != nil {
		return fmt.Errorf("bad vector: %w", err)
	}
	inst, err := newInstance(&v)
	if err != nil {
		var se *stageErr
		if errors.As(err, &se) {
			return checkError(&v, se.stage, se.err)
		}
		return err
	}
	if v.Direction == "toConnect" {
		return runTo(&v, inst)
	}
	return runFrom(&v, inst)
}

// checkError compares an actual error (nil: success) at a stage with the
// vector's expected error.
func checkError(v *vector, stage string, err error) error {
	want := v.Expect.Error
	if want == nil {
		return fmt.Errorf("unexpected %s error: %s: %v", stage, sluice.ErrorClass(err), err)
	}
	if err == nil {
		return fmt.Errorf("expected %s error %s (%s), got success", want.Stage, want.Class, want.Message)
	}
	if want.Stage != stage {
		return fmt.Errorf("error at stage %s (%v), expected stage %s: %s", stage, err, want.Stage, want.Message)
	}
	got := sluice.ErrorClass(err)
	if (want.Class == "ConfigException" || want.Class == "DataException") && got != want.Class {
		return fmt.Errorf("error class %s (%v), expected %s: %s", got, err, want.Class, want.Message)
	}
	return nil
}

func decodeInput(raw json.RawMessage) ([]byte, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(s)
}

func runTo(v *vector, inst *instance) error {
	in, err := decodeInput(v.Input)
	if err != nil {
		return fmt.Errorf("bad input: %w", err)
	}
	var s *sluice.Schema
	var val any
	if inst.header != nil {
		s, val, err = inst.header.ToConnectHeader(v.Topic, v.HeaderKey, in)
	} else {
		s, val, err = inst.conv.ToConnect(v.Topic, nil, in)
	}
	if err != nil || v.Expect.Error != nil {
		return checkError(v, "convert", err)
	}
	if err := compareView("result", v.Expect.Result, s, val); err != nil {
		return err
	}
	return compareTypes("types", v.Expect.Types, val)
}

func runFrom(v *vector, inst *instance) error {
	s, val, err := fromInput(v)
	if err != nil {
		return checkError(v, "input", err)
	}
	if len(v.Expect.Connect) > 0 {
		if err := compareView("connect", v.Expect.Connect, s, val); err != nil {
			return err
		}
	}
	if err := compareTypes("connectTypes", v.Expect.ConnectTypes, val); err != nil {
		return err
	}
	var out []byte
	if inst.header != nil {
		out, err = inst.header.FromConnectHeader(v.Topic, v.HeaderKey, s, val)
	} else {
		out, err = inst.conv.FromConnect(v.Topic, nil, s, val)
	}
	if err != nil || v.Expect.Error != nil {
		return checkError(v, "convert", err)
	}
	var res struct {
		B64 *string `json:"b64"`
	}
	if err := json.Unmarshal(v.Expect.Result, &res); err != nil {
		return fmt.Errorf("bad expected result: %w", err)
	}
	if res.B64 == nil {
		if out != nil {
			return fmt.Errorf("result differs\n  expected: null\n  actual:   %q", out)
		}
		return nil
	}
	want, err := base64.StdEncoding.DecodeString(*res.B64)
	if err != nil {
		return fmt.Errorf("bad expected b64: %w", err)
	}
	if out == nil || !bytes.Equal(out, want) {
		if out == nil {
			return fmt.Errorf("result differs\n  expected: %q\n  actual:   null", want)
		}
		return fmt.Errorf("result differs\n  expected: %q\n  actual:   %q", want, out)
	}
	return nil
}

// fromInput builds the Connect schema and value handed to fromConnect.
func fromInput(v *vector) (*sluice.Schema, any, error) {
	if v.TypedInput != nil {
		c := jsonconv.New()
		if err := c.Configure(map[string]string{"schemas.enable": "true", "replace.null.with.default": "false"}, false); err != nil {
			return nil, nil, err
		}
		s, err := c.ParseSchema(v.TypedInput.Schema)
		if err != nil {
			return nil, nil, err
		}
		val, err := typed(s, v.TypedInput.Value)
		return s, val, err
	}
	in := v.Input
	if len(in) == 0 || string(in) == "null" {
		return nil, nil, nil
	}
	cfg := map[string]string{"schemas.enable": "true", "replace.null.with.default": "false"}
	for k, x := range v.InputConfig {
		cfg[k] = x
	}
	c := jsonconv.New()
	if err := c.Configure(cfg, false); err != nil {
		return nil, nil, err
	}
	return c.ToConnect(v.Topic, nil, unsanitize(in))
}

// unsanitize restores bare non-finite tokens (never valid in an envelope;
// kept so that such input fails as it did).
func unsanitize(b []byte) []byte {
	for _, w := range []string{"-Infinity", "Infinity", "NaN"} {
		b = bytes.ReplaceAll(b, []byte(quotedSentinel(w)), []byte(w))
	}
	return b
}

// typed builds a Connect value from the vector TYPED form.
func typed(s *sluice.Schema, raw json.RawMessage) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != 1 {
		return nil, fmt.Errorf("bad typed value %s", raw)
	}
	for k, x := range m {
		switch k {
		case "int8", "int16", "int32", "int64":
			bits := map[string]int{"int8": 8, "int16": 16, "int32": 32, "int64": 64}[k]
			n, err := strconv.ParseInt(string(x), 10, bits)
			if err != nil {
				return nil, err
			}
			switch bits {
			case 8:
				return int8(n), nil
			case 16:
				return int16(n), nil
			case 32:
				return int32(n), nil
			}
			return n, nil
		case "float32", "float64":
			txt := string(x)
			var str string
			if json.Unmarshal(x, &str) == nil {
				txt = str
			}
			if k == "float32" {
				f, err := strconv.ParseFloat(txt, 32)
				if err != nil && !errors.Is(err, strconv.ErrRange) {
					return nil, err
				}
				return float32(f), nil
			}
			f, err := strconv.ParseFloat(txt, 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return nil, err
			}
			return f, nil
		case "boolean":
			var b bool
			return b, json.Unmarshal(x, &b)
		case "string":
			var str string
			return str, json.Unmarshal(x, &str)
		case "bytes", "bytebuffer":
			var str string
			if err := json.Unmarshal(x, &str); err != nil {
				return nil, err
			}
			b, err := base64.StdEncoding.DecodeString(str)
			if k == "bytebuffer" {
				return sluice.ByteBuffer(b), err
			}
			return b, err
		case "decimal":
			var str string
			if err := json.Unmarshal(x, &str); err != nil {
				return nil, err
			}
			return sluice.ParseDecimal(str)
		case "date":
			n, err := strconv.ParseInt(string(x), 10, 64)
			return time.UnixMilli(n).UTC(), err
		case "array":
			var l []json.RawMessage
			if err := json.Unmarshal(x, &l); err != nil {
				return nil, err
			}
			var es *sluice.Schema
			if s != nil {
				es = s.Value
			}
			out := make([]any, len(l))
			for i, e := range l {
				ev, err := typed(es, e)
				if err != nil {
					return nil, err
				}
				out[i] = ev
			}
			return out, nil
		case "map", "hashmap":
			var l [][2]json.RawMessage
			if err := json.Unmarshal(x, &l); err != nil {
				return nil, err
			}
			var ks, vs *sluice.Schema
			if s != nil {
				ks, vs = s.Key, s.Value
			}
			out := sluice.NewMap(len(l), k == "hashmap")
			for _, e := range l {
				kv, err := typed(ks, e[0])
				if err != nil {
					return nil, err
				}
				vv, err := typed(vs, e[1])
				if err != nil {
					return nil, err
				}
				out.Put(kv, vv)
			}
			return out, nil
		case "struct":
			if s == nil || s.Type != sluice.StructType {
				return nil, fmt.Errorf("struct value without a struct schema")
			}
			var fields map[string]json.RawMessage
			if err := json.Unmarshal(x, &fields); err != nil {
				return nil, err
			}
			st := sluice.NewStruct(s)
			for name, fx := range fields {
				f := s.Field(name)
				if f == nil {
					return nil, fmt.Errorf("no field %q", name)
				}
				fv, err := typed(f.Schema, fx)
				if err != nil {
					return nil, err
				}
				st.Set(f.Index, fv)
			}
			return st, nil
		}
		return nil, fmt.Errorf("unknown typed kind %q", k)
	}
	return nil, nil
}

// viewConverter renders Connect data as the vectors' VIEW: a schemas-enabled
// JsonConverter with NUMERIC decimals that keeps nulls.
func viewConverter() *jsonconv.Converter {
	c := jsonconv.New()
	_ = c.Configure(map[string]string{"schemas.enable": "true", "decimal.format": "NUMERIC", "replace.null.with.default": "false"}, false)
	return c
}

// view returns the VIEW of a schema and value as a decoded JSON tree.
func view(s *sluice.Schema, v any) (any, error) {
	if s == nil && v == nil {
		return nil, nil
	}
	c := viewConverter()
	b, err := c.FromConnect("", nil, s, v)
	if err == nil {
		return decodeTree(b)
	}
	sj, serr := c.SchemaJSON(s)
	if serr != nil {
		return nil, serr
	}
	st, serr := decodeTree(sj)
	if serr != nil {
		return nil, serr
	}
	return map[string]any{"schema": st, "payload": lenient(v),
		"encodeError": sluice.ErrorClass(err) + ": " + err.Error()}, nil
}

// lenient renders a value that JsonConverter rejected, the way the VIEW
// shows it.
func lenient(v any) any {
	switch x := v.(type) {
	case nil, bool, string:
		return x
	case int8, int16, int32, int64:
		return json.Number(fmt.Sprint(x))
	case float32:
		return floatView(sluice.FormatJavaFloat(x))
	case float64:
		return floatView(sluice.FormatJavaDouble(x))
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case sluice.ByteBuffer:
		return base64.StdEncoding.EncodeToString(x)
	case sluice.Decimal:
		return map[string]any{"$class": "java.math.BigDecimal", "$value": x.String()}
	case time.Time:
		return map[string]any{"$class": "java.util.Date", "$value": json.Number(strconv.FormatInt(x.UnixMilli(), 10))}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = lenient(e)
		}
		return out
	case *sluice.Map:
		allStr := true
		for _, e := range x.Entries {
			if _, ok := e.Key.(string); !ok && e.Key != nil {
				allStr = false
			}
		}
		if allStr {
			out := map[string]any{}
			for _, e := range x.Entries {
				out[javaString(e.Key)] = lenient(e.Value)
			}
			return out
		}
		out := []any{}
		for _, e := range x.Entries {
			out = append(out, []any{lenient(e.Key), lenient(e.Value)})
		}
		return out
	case *sluice.Struct:
		out := map[string]any{}
		for i, f := range x.Schema().Fields {
			out[f.Name] = lenient(x.Values()[i])
		}
		return out
	}
	return fmt.Sprint(v)
}

func floatView(s string) any {
	switch s {
	case "NaN", "Infinity", "-Infinity":
		return s
	}
	return json.Number(s)
}

func decodeTree(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("decoding %q: %w", b, err)
	}
	return v, nil
}

func compareView(what string, expected json.RawMessage, s *sluice.Schema, v any) error {
	want, err := decodeTree(expected)
	if err != nil {
		return err
	}
	got, err := view(s, v)
	if err != nil {
		return fmt.Errorf("%s: cannot render the view: %w", what, err)
	}
	if path, ok := jsonEqual("$", want, got); !ok {
		return fmt.Errorf("%s differs at %s\n  expected: %s\n  actual:   %s", what, path, show(want), show(got))
	}
	return nil
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return strings.ReplaceAll(string(b), infSentinel, "")
}

// number returns a JSON number (or a non-finite sentinel) as a rational and
// a float, and whether the text was an integer literal.
func number(v any) (r *big.Rat, f float64, integer bool, ok bool) {
	switch x := v.(type) {
	case json.Number:
		r, ok = new(big.Rat).SetString(string(x))
		f, _ = strconv.ParseFloat(string(x), 64)
		integer = !strings.ContainsAny(string(x), ".eE")
		return r, f, integer, ok
	case string:
		if strings.HasPrefix(x, infSentinel) {
			switch strings.TrimPrefix(x, infSentinel) {
			case "Infinity":
				return nil, math.Inf(1), false, true
			case "-Infinity":
				return nil, math.Inf(-1), false, true
			}
			return nil, math.NaN(), false, true
		}
	}
	return nil, 0, false, false
}

// jsonEqual compares JSON trees: member order ignored; numbers equal by
// value, or as doubles when the expected side went through a double.
func jsonEqual(path string, want, got any) (string, bool) {
	if rw, fw, intW, ok := number(want); ok {
		rg, fg, _, ok := number(got)
		if !ok {
			return path, false
		}
		if rw != nil && rg != nil && rw.Cmp(rg) == 0 {
			return "", true
		}
		if !intW && (fw == fg || math.IsNaN(fw) && math.IsNaN(fg)) {
			return "", true
		}
		return path, false
	}
	switch x := want.(type) {
	case map[string]any:
		y, ok := got.(map[string]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := y[k]
			if !ok {
				return path + "." + k, false
			}
			if p, ok := jsonEqual(path+"."+k, x[k], gv); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		y, ok := got.([]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for i := range x {
			if p, ok := jsonEqual(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); !ok {
				return p, false
			}
		}
		return "", true
	}
	if !reflect.DeepEqual(want, got) {
		return path, false
	}
	return "", true
}

func compareTypes(what string, expected json.RawMessage, v any) error {
	if len(expected) == 0 {
		return nil
	}
	want, err := decodeTree(expected)
	if err != nil {
		return err
	}
	got := typeTree(v)
	gb, _ := json.Marshal(got)
	gt, _ := decodeTree(gb)
	if !reflect.DeepEqual(want, gt) {
		return fmt.Errorf("%s differ\n  expected: %s\n  actual:   %s", what, expected, gb)
	}
	return nil
}

// typeTree is conformance.TypeTree with map keys rendered as Java's
// toString and ByteBuffer values as BYTES.
func typeTree(v any) any {
	switch x := v.(type) {
	case sluice.ByteBuffer:
		return "BYTES"
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = typeTree(e)
		}
		return out
	case *sluice.Map:
		out := make(map[string]any, x.Len())
		for _, e := range x.Entries {
			out[javaString(e.Key)] = typeTree(e.Value)
		}
		return out
	}
	return conformance.TypeTree(v)
}

// javaString renders a map key as Java's String.valueOf does.
func javaString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case float32:
		return sluice.FormatJavaFloat(x)
	case float64:
		return sluice.FormatJavaDouble(x)
	case sluice.Decimal:
		return x.String()
	case *sluice.Struct:
		var b strings.Builder
		b.WriteString("Struct{")
		first := true
		for i, f := range x.Schema().Fields {
			fv := x.Values()[i]
			if fv == nil {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(f.Name + "=" + javaString(fv))
		}
		b.WriteByte('}')
		return b.String()
	}
	return fmt.Sprint(v)
}
