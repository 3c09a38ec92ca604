package siem

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"sluice.io/sluice"
)

var toJSONDef = sluice.NewConfigDef()

func init() {
	registerTransform("ToJson", toJSONDef,
		"Serialises an ARRAY, MAP or STRUCT value to a compact JSON String (value schema STRING); other value schemas fail.",
		func() any { return &ToJson{} })
}

// ToJson is com.vrudenskyi.kafka.connect.transform.ToJson: the value, whose
// schema must be ARRAY, MAP or STRUCT, becomes its JSON text as Jackson
// writes it (Struct fields in schema order with defaults, bytes as base64,
// dates as ISO text in UTC, Java number forms).
type ToJson struct{}

var _ sluice.Transformation = (*ToJson)(nil)

// Configure implements sluice.Transformation.
func (t *ToJson) Configure(cfg map[string]string) error {
	_, err := toJSONDef.Parse(cfg)
	return err
}

// Apply implements sluice.Transformation.
func (t *ToJson) Apply(r *sluice.Record) (*sluice.Record, error) {
	if r.Value == nil {
		return r, nil
	}
	s := r.ValueSchema
	if s == nil {
		return nil, sluice.NewJavaError("NullPointerException", "ToJson: the value has no schema")
	}
	switch s.Type {
	case sluice.Array, sluice.Map_, sluice.StructType:
	default:
		spec := s.Type.String()
		if s.Name != "" {
			spec += "-" + s.Name
		}
		return nil, fmt.Errorf("Only supported schema types can be converted to JSON; specified [%s], supported [ARRAY, MAP, STRUCT]", spec)
	}
	var b strings.Builder
	if err := writeJacksonValue(&b, r.Value); err != nil {
		out := r.Clone()
		out.Headers = out.Headers.With("error", sluice.StringSchema, err.Error())
		return out, nil
	}
	out := r.Clone()
	out.ValueSchema, out.Value = sluice.StringSchema, b.String()
	return out, nil
}

// writeJacksonValue writes v as Jackson's default ObjectMapper does.
func writeJacksonValue(b *strings.Builder, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int8:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int16:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			writeJSONString(b, sluice.FormatJavaFloat(x))
		} else {
			b.WriteString(sluice.FormatJavaFloat(x))
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			writeJSONString(b, sluice.FormatJavaDouble(x))
		} else {
			b.WriteString(sluice.FormatJavaDouble(x))
		}
	case []byte:
		b.WriteByte('"')
		b.WriteString(base64.StdEncoding.EncodeToString(x))
		b.WriteByte('"')
	case sluice.Decimal:
		b.WriteString(x.String())
	case time.Time:
		b.WriteByte('"')
		b.WriteString(x.UTC().Format("2006-01-02T15:04:05.000+00:00"))
		b.WriteByte('"')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJacksonValue(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case *sluice.Map:
		entries := x.Entries
		if x.Hashed {
			entries = sluice.JavaHashOrder(x)
		}
		b.WriteByte('{')
		for i, e := range entries {
			if e.Key == nil {
				return fmt.Errorf("Null key for a Map not allowed in JSON (use a converting NullKeySerializer?)")
			}
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, sluice.JavaToString(e.Key))
			b.WriteByte(':')
			if err := writeJacksonValue(b, e.Value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case *sluice.Struct:
		s := x.Schema()
		b.WriteByte('{')
		for i := range s.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, s.Fields[i].Name)
			b.WriteByte(':')
			if err := writeJacksonValue(b, x.GetField(&s.Fields[i])); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		writeJSONString(b, sluice.JavaToString(v))
	}
	return nil
}

// Close implements sluice.Transformation.
func (t *ToJson) Close() error { return nil }
