package smt

import (
	"fmt"
	"math"
	"time"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/jtime"
)

const timestampConverterClass = "org.apache.kafka.connect.transforms.TimestampConverter"

var timestampConverterDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "field", Type: sluice.TypeString, Default: "", Importance: sluice.High,
		Doc: "Top-level field holding the timestamp; empty when the whole key or value is the timestamp."}).
	Define(sluice.ConfigKey{Name: "target.type", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: sluice.ValidString{"string", "unix", "Date", "Time", "Timestamp"}, Importance: sluice.High,
		Doc: "Representation to convert to: string, unix, Date, Time or Timestamp (case-sensitive)."}).
	Define(sluice.ConfigKey{Name: "format", Type: sluice.TypeString, Default: "", Importance: sluice.Medium,
		Doc: "java.text.SimpleDateFormat pattern (UTC) used to write string output and to read string input."}).
	Define(sluice.ConfigKey{Name: "unix.precision", Type: sluice.TypeString, Default: "milliseconds",
		Validator: sluice.ValidString{"nanoseconds", "microseconds", "milliseconds", "seconds"}, Importance: sluice.Low,
		Doc: "Unit of unix timestamps, both read and written: seconds, milliseconds, microseconds or nanoseconds. Sub-millisecond digits are lost."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true,
		Importance: sluice.Medium,
		Doc:        "Whether a null struct field is read as its schema default (true) or as null (false)."})

func init() {
	registerKV(timestampConverterClass, timestampConverterDef,
		"Converts a timestamp between a formatted string, a unix number and the Connect Date, Time and Timestamp types.",
		func(s side) sluice.Transformation { return &TimestampConverter{side: s} })
}

// timestamp kinds
type tsKind uint8

const (
	tsInfer tsKind = iota
	tsString
	tsUnix
	tsDate
	tsTime
	tsTimestamp
)

var tsKinds = map[string]tsKind{"string": tsString, "unix": tsUnix, "Date": tsDate, "Time": tsTime, "Timestamp": tsTimestamp}

const (
	precMillis uint8 = iota
	precSeconds
	precMicros
	precNanos
)

// TimestampConverter converts timestamps between representations (Kafka's
// TimestampConverter$Key / $Value).
type TimestampConverter struct {
	side        side
	field       string
	target      tsKind
	format      *jtime.Format
	precision   uint8
	replaceNull bool
	cache       schemaCache
}

var _ sluice.Transformation = (*TimestampConverter)(nil)

// Configure implements sluice.Transformation.
func (t *TimestampConverter) Configure(props map[string]string) error {
	cfg, err := timestampConverterDef.Parse(props)
	if err != nil {
		return err
	}
	t.field = cfg.String("field")
	t.target = tsKinds[cfg.String("target.type")]
	t.replaceNull = cfg.Bool("replace.null.with.default")
	switch cfg.String("unix.precision") {
	case "seconds":
		t.precision = precSeconds
	case "microseconds":
		t.precision = precMicros
	case "nanoseconds":
		t.precision = precNanos
	default:
		t.precision = precMillis
	}
	pattern := cfg.String("format")
	blank := sluice.JavaTrim(pattern) == ""
	if t.target == tsString && blank {
		return sluice.NewConfigError("TimestampConverter requires format option to be specified when using string timestamps")
	}
	if !blank {
		f, err := jtime.Compile(pattern)
		if err != nil {
			// Java builds this ConfigException with the message as the key
			// name and the IllegalArgumentException as the value.
			return &sluice.ConfigError{
				Name:  "TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: " + pattern,
				Value: "java.lang.IllegalArgumentException: " + err.Error(), Err: err}
		}
		t.format = f
	}
	return nil
}

// Apply implements sluice.Transformation.
func (t *TimestampConverter) Apply(r *sluice.Record) (*sluice.Record, error) {
	sch := t.side.schema(r)
	v := t.side.value(r)
	if sch == nil {
		return t.applySchemaless(r, v)
	}
	if t.field == "" {
		src, err := kindFromSchema(sch)
		if err != nil {
			return nil, err
		}
		out, err := t.convert(v, src)
		if err != nil {
			return nil, err
		}
		return t.side.with(r, targetSchema(t.target, sch.Optional), out), nil
	}
	st, err := requireStructOrNull(v, "converting timestamp formats")
	if err != nil {
		return nil, err
	}
	out := t.cache.get(sch)
	if out == nil {
		out = copySchemaBasics(sch, sluice.StructType)
		out.Optional = sch.Optional
		for _, f := range sch.Fields {
			fs := f.Schema
			if f.Name == t.field {
				fs = targetSchema(t.target, f.Schema.Optional)
			}
			out.Fields = append(out.Fields, sluice.Field{Name: f.Name, Index: len(out.Fields), Schema: fs})
		}
		if def, ok := sch.Default.(*sluice.Struct); ok && def != nil {
			d, err := t.convertStruct(def, out)
			if err != nil {
				return nil, err
			}
			out.Default = d
		}
		t.cache.put(sch, out)
	}
	nv, err := t.convertStruct(st, out)
	if err != nil {
		return nil, err
	}
	if nv == nil {
		return t.side.with(r, out, nil), nil
	}
	return t.side.with(r, out, nv), nil
}

func (t *TimestampConverter) convertStruct(st *sluice.Struct, out *sluice.Schema) (*sluice.Struct, error) {
	if st == nil {
		return nil, nil
	}
	nv := sluice.NewStruct(out)
	in := st.Schema()
	for i := range in.Fields {
		f := &in.Fields[i]
		var fv any
		if t.replaceNull {
			fv = st.GetField(f)
		} else {
			fv = st.Values()[f.Index]
		}
		if f.Name == t.field {
			src, err := kindFromSchema(f.Schema)
			if err != nil {
				return nil, err
			}
			if fv, err = t.convert(fv, src); err != nil {
				return nil, err
			}
		}
		of := out.Field(f.Name)
		if of == nil {
			return nil, &sluice.DataError{Msg: f.Name + " is not a valid field name"}
		}
		if err := nv.PutField(of, fv); err != nil {
			return nil, err
		}
	}
	return nv, nil
}

func (t *TimestampConverter) applySchemaless(r *sluice.Record, v any) (*sluice.Record, error) {
	if v == nil || t.field == "" {
		out, err := t.convert(v, tsInfer)
		if err != nil {
			return nil, err
		}
		return t.side.with(r, nil, out), nil
	}
	m, err := requireMap(v, "converting timestamp formats")
	if err != nil {
		return nil, err
	}
	fv, _ := m.Get(t.field)
	conv, err := t.convert(fv, tsInfer)
	if err != nil {
		return nil, err
	}
	out := m.Clone()
	out.Hashed = true
	out.Put(t.field, conv)
	return t.side.with(r, nil, out), nil
}

// kindFromSchema is Java's timestampTypeFromSchema.
func kindFromSchema(s *sluice.Schema) (tsKind, error) {
	switch {
	case s.Name == sluice.TimestampName:
		return tsTimestamp, nil
	case s.Name == sluice.DateName:
		return tsDate, nil
	case s.Name == sluice.TimeName:
		return tsTime, nil
	case s.Type == sluice.String:
		return tsString, nil
	case s.Type == sluice.Int64:
		return tsUnix, nil
	}
	return 0, fmt.Errorf("Schema %s does not correspond to a known timestamp type format", s)
}

// targetSchema is the schema of a converted timestamp.
func targetSchema(k tsKind, optional bool) *sluice.Schema {
	switch k {
	case tsString:
		return sluice.PrimitiveSchema(sluice.String, optional)
	case tsUnix:
		return sluice.PrimitiveSchema(sluice.Int64, optional)
	case tsDate:
		if optional {
			return sluice.OptionalDateSchema
		}
		return sluice.DateSchema
	case tsTime:
		if optional {
			return sluice.OptionalTimeSchema
		}
		return sluice.TimeSchema
	}
	if optional {
		return sluice.OptionalTimestampSchema
	}
	return sluice.TimestampSchema
}

// convert turns a timestamp of kind src (inferred from the Go type when
// tsInfer) into the target representation; null stays null.
func (t *TimestampConverter) convert(v any, src tsKind) (any, error) {
	if v == nil {
		return nil, nil
	}
	if src == tsInfer {
		switch v.(type) {
		case time.Time:
			src = tsTimestamp
		case int64:
			src = tsUnix
		case string:
			src = tsString
		default:
			return nil, sluice.NewDataError("TimestampConverter does not support %s objects as timestamps", sluice.JavaClassName(v))
		}
	}
	ms, err := t.toMillis(v, src)
	if err != nil {
		return nil, err
	}
	switch t.target {
	case tsString:
		var buf [64]byte
		return string(t.format.AppendFormat(buf[:0], ms)), nil
	case tsUnix:
		switch t.precision {
		case precSeconds:
			return ms / 1000, nil
		case precMicros:
			return saturatingMul(ms, 1000), nil
		case precNanos:
			return saturatingMul(ms, 1000000), nil
		}
		return ms, nil
	case tsDate:
		return time.UnixMilli(floorDivMs(ms) * msPerDay).UTC(), nil
	case tsTime:
		return time.UnixMilli(ms - floorDivMs(ms)*msPerDay).UTC(), nil
	}
	return time.UnixMilli(ms).UTC(), nil
}

const msPerDay = 86400000

func floorDivMs(ms int64) int64 {
	q := ms / msPerDay
	if ms%msPerDay < 0 {
		q--
	}
	return q
}

// saturatingMul is Java's TimeUnit conversion to a finer unit: it clamps
// at the long range instead of overflowing.
func saturatingMul(v, by int64) int64 {
	if v > math.MaxInt64/by {
		return math.MaxInt64
	}
	if v < math.MinInt64/by {
		return math.MinInt64
	}
	return v * by
}

func (t *TimestampConverter) toMillis(v any, src tsKind) (int64, error) {
	switch src {
	case tsString:
		s, ok := v.(string)
		if !ok {
			return 0, sluice.NewDataError("Expected string timestamp to be a String, but found %s", sluice.JavaClassName(v))
		}
		if t.format == nil {
			return 0, sluice.NewJavaError("NullPointerException", "TimestampConverter has no format to parse the string timestamp %q", s)
		}
		ms, err := t.format.ParseMillis(s)
		if err != nil {
			return 0, &sluice.DataError{Msg: "Could not parse timestamp: value (" + s + ") does not match pattern (" + t.format.Pattern() + ")", Err: err}
		}
		return ms, nil
	case tsUnix:
		n, ok := v.(int64)
		if !ok {
			return 0, sluice.NewDataError("Expected Unix timestamp to be a Long, but found %s", sluice.JavaClassName(v))
		}
		switch t.precision {
		case precSeconds:
			return saturatingMul(n, 1000), nil
		case precMicros:
			return n / 1000, nil
		case precNanos:
			return n / 1000000, nil
		}
		return n, nil
	}
	tm, ok := v.(time.Time)
	if !ok {
		what := map[tsKind]string{tsDate: "Date", tsTime: "Time", tsTimestamp: "Timestamp"}[src]
		return 0, sluice.NewDataError("Expected %s to be a java.util.Date, but found %s", what, sluice.JavaClassName(v))
	}
	return tm.UnixMilli(), nil
}

// Close implements sluice.Transformation.
func (t *TimestampConverter) Close() error { return nil }
