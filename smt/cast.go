package smt

import (
	"encoding/base64"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"sluice.io/sluice"
)

const castClass = "org.apache.kafka.connect.transforms.Cast"

var castDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "spec", Type: sluice.TypeList, Default: sluice.NoDefault,
		Validator: sluice.ValidatorFunc{Fn: func(name string, v any) error {
			l, _ := v.([]string)
			if len(l) == 0 {
				return sluice.NewConfigError("Must specify at least one field to cast.")
			}
			_, _, err := parseCastSpec(l)
			return err
		}, Desc: "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"},
		Importance: sluice.High,
		Doc: "Casts as field1:type,field2:type for fields of a Struct or map, or a single type to cast the whole key or value. " +
			"Types: int8, int16, int32, int64, float32, float64, boolean, string; bytes can only be cast to string."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "When a struct field is null and its schema has a default, cast the default (true) or keep null (false)."})

func init() {
	registerKV(castClass, castDef,
		"Casts fields, or the whole key or value, to another primitive type: integers, floats, booleans and strings to one another, and bytes to base64 strings.",
		func(s side) sluice.Transformation { return &Cast{side: s} })
}

// fieldCast is one field:type item of the spec.
type fieldCast struct {
	field  string
	target sluice.Type
}

const castOutputTypes = "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]"
const castInputTypes = "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]"

// parseCastSpec parses the spec list: field casts (duplicates: last wins),
// or one whole-value target type (returned as whole, 0 when none).
func parseCastSpec(items []string) (casts []fieldCast, whole sluice.Type, err error) {
	isWhole := false
	for _, it := range items {
		parts := javaSplitColon(it)
		if len(parts) > 2 {
			return nil, 0, &sluice.ConfigError{Name: "renames", Value: sluice.JavaListString(items), Msg: "Invalid rename mapping: " + it}
		}
		if len(parts) == 0 {
			// Java indexes the missing second part of ":".
			return nil, 0, sluice.NewJavaError("ArrayIndexOutOfBoundsException", "Index 1 out of bounds for length 0")
		}
		typeText := parts[len(parts)-1]
		t, err := parseCastType(sluice.JavaTrim(typeText))
		if err != nil {
			return nil, 0, err
		}
		if len(parts) == 1 {
			whole, isWhole = t, true
			continue
		}
		f := sluice.JavaTrim(parts[0])
		replaced := false
		for i := range casts {
			if casts[i].field == f {
				casts[i].target, replaced = t, true
			}
		}
		if !replaced {
			casts = append(casts, fieldCast{f, t})
		}
	}
	if isWhole && len(items) > 1 {
		return nil, 0, sluice.NewConfigError("Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec")
	}
	return casts, whole, nil
}

func parseCastType(s string) (sluice.Type, error) {
	u := strings.ToUpper(s)
	t, ok := sluice.ParseType(u)
	if !ok || t.String() != u {
		return 0, &sluice.ConfigError{Name: "Invalid type found in casting spec: " + s,
			Value: "java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type." + u}
	}
	if !t.IsPrimitive() || t == sluice.Bytes {
		return 0, sluice.NewConfigError("Cast transformation does not support casting to %s; supported types are %s", t, castOutputTypes)
	}
	return t, nil
}

// Cast casts fields or the whole key or value (Kafka's Cast$Key / $Value).
type Cast struct {
	side        side
	casts       []fieldCast // in Java's HashMap iteration order
	keys        []any       // the cast field names, boxed once
	whole       sluice.Type // 0: per-field casts
	withDefault bool
	cache       planCache[*castPlan]
}

// castPlan is the output schema for one input schema and the target type of
// each input field (0: copied unchanged).
type castPlan struct {
	out     *sluice.Schema
	targets []sluice.Type
}

var _ sluice.Transformation = (*Cast)(nil)

// Configure implements sluice.Transformation.
func (t *Cast) Configure(props map[string]string) error {
	cfg, err := castDef.Parse(props)
	if err != nil {
		return err
	}
	casts, whole, err := parseCastSpec(cfg.List("spec"))
	if err != nil {
		return err
	}
	t.whole = whole
	t.withDefault = cfg.Bool("replace.null.with.default")
	if len(casts) > 1 {
		// Java walks its HashMap of casts: that order decides which failing
		// cast is reported first.
		hm := &sluice.Map{Hashed: true}
		for _, c := range casts {
			hm.Entries = append(hm.Entries, sluice.MapEntry{Key: c.field, Value: c.target})
		}
		ordered := make([]fieldCast, 0, len(casts))
		for _, e := range sluice.JavaHashOrder(hm) {
			ordered = append(ordered, fieldCast{e.Key.(string), e.Value.(sluice.Type)})
		}
		casts = ordered
	}
	t.casts = casts
	t.keys = make([]any, len(casts))
	for i, c := range casts {
		t.keys[i] = c.field
	}
	return nil
}

const castPurpose = "cast types"

// Apply implements sluice.Transformation.
func (t *Cast) Apply(r *sluice.Record) (*sluice.Record, error) {
	v := t.side.value(r)
	if v == nil {
		return r, nil
	}
	sch := t.side.schema(r)
	if sch == nil {
		if t.whole != 0 {
			nv, err := castValue(nil, v, t.whole)
			if err != nil {
				return nil, err
			}
			return t.side.with(r, nil, nv), nil
		}
		m, err := requireMap(v, castPurpose)
		if err != nil {
			return nil, err
		}
		out := copyMapHashed(m, len(t.casts))
		for ci, c := range t.casts {
			old, at := mapGetString(m, c.field)
			nv, err := castValue(nil, old, c.target)
			if err != nil {
				return nil, err
			}
			if at >= 0 {
				out.Entries[at].Value = nv
			} else {
				out.Entries = append(out.Entries, sluice.MapEntry{Key: t.keys[ci], Value: nv})
			}
		}
		return t.side.with(r, nil, out), nil
	}
	plan, ok := t.cache.get(sch)
	if !ok {
		var err error
		if plan, err = t.buildPlan(sch); err != nil {
			return nil, err
		}
		t.cache.put(sch, plan)
	}
	if t.whole != 0 {
		nv, err := castValue(sch, v, t.whole)
		if err != nil {
			return nil, err
		}
		return t.side.with(r, plan.out, nv), nil
	}
	st, err := requireStruct(v, castPurpose)
	if err != nil {
		return nil, err
	}
	ns := sluice.NewStruct(plan.out)
	in := st.Schema()
	for i := range in.Fields {
		f := &in.Fields[i]
		fv := fieldValue(st, f, t.withDefault)
		var target sluice.Type
		if i < len(plan.targets) && in.Fields[i].Name == plan.out.Fields[i].Name {
			target = plan.targets[i]
		} else {
			target = t.targetOf(f.Name)
		}
		if target != 0 {
			if fv, err = castValue(f.Schema, fv, target); err != nil {
				return nil, err
			}
		}
		var of *sluice.Field
		if i < len(plan.out.Fields) && plan.out.Fields[i].Name == f.Name {
			of = &plan.out.Fields[i]
		} else {
			of = plan.out.Field(f.Name)
		}
		if of == nil {
			return nil, sluice.NewDataError("field cannot be null.")
		}
		if err := ns.PutField(of, fv); err != nil {
			return nil, err
		}
	}
	return t.side.with(r, plan.out, ns), nil
}

func (t *Cast) targetOf(name string) sluice.Type {
	for _, c := range t.casts {
		if c.field == name {
			return c.target
		}
	}
	return 0
}

func (t *Cast) buildPlan(in *sluice.Schema) (*castPlan, error) {
	var out *sluice.Schema
	var targets []sluice.Type
	if t.whole != 0 {
		out = copySchemaBasics(in, t.whole)
	} else {
		if in.Type != sluice.StructType {
			return nil, errNonStructFields()
		}
		fields := make([]sluice.Field, len(in.Fields))
		targets = make([]sluice.Type, len(in.Fields))
		for i := range in.Fields {
			f := &in.Fields[i]
			target := t.targetOf(f.Name)
			targets[i] = target
			if target == 0 {
				fields[i] = sluice.Field{Name: f.Name, Schema: f.Schema}
				continue
			}
			fs := &sluice.Schema{Type: target, Optional: f.Schema.Optional}
			if f.Schema.Default != nil {
				d, err := castValue(f.Schema, f.Schema.Default, target)
				if err != nil {
					return nil, err
				}
				fs.Default = d
			}
			fields[i] = sluice.Field{Name: f.Name, Schema: fs}
		}
		var err error
		if out, err = newStructSchema(in, fields); err != nil {
			return nil, err
		}
	}
	out.Optional = in.Optional
	if in.Default != nil {
		d, err := castValue(in, in.Default, out.Type)
		if err != nil {
			return nil, err
		}
		if err := validateLogicalDefault(out, d); err != nil {
			return nil, err
		}
		out.Default = d
	}
	return &castPlan{out: out, targets: targets}, nil
}

// validateLogicalDefault checks a default the way Java's SchemaBuilder does:
// a schema carrying a logical name expects that logical type's Java class
// whatever its underlying type.
func validateLogicalDefault(s *sluice.Schema, v any) error {
	ok := true
	switch s.Name {
	case sluice.DecimalName:
		_, ok = v.(sluice.Decimal)
	case sluice.DateName, sluice.TimeName, sluice.TimestampName:
		_, ok = v.(time.Time)
	default:
		if err := sluice.ValidateValue(s, v); err != nil {
			return &sluice.DataError{Msg: "Invalid default value", Err: err}
		}
	}
	if !ok {
		return sluice.NewDataError("Invalid default value")
	}
	return nil
}

// castInputType is the Connect type Cast sees a value as: the schema's type,
// or for schemaless values the type of its Java class (0 when Connect has
// none, as for BigDecimal and java.util.Date).
func castInputType(s *sluice.Schema, v any) sluice.Type {
	if s != nil {
		return s.Type
	}
	return sluice.TypeOf(v)
}

// castValue is Java's Cast.castValueToType.
func castValue(s *sluice.Schema, v any, target sluice.Type) (any, error) {
	if v == nil {
		return nil, nil
	}
	in := castInputType(s, v)
	if in == 0 {
		return nil, sluice.NewDataError("Cast transformation was passed a value of type %s which is not supported by Connect's data API", sluice.JavaClassName(v))
	}
	if !in.IsPrimitive() {
		return nil, sluice.NewDataError("Cast transformation does not support casting from %s; supported types are %s", in, castInputTypes)
	}
	if s != nil && s.Name != "" && target != sluice.String {
		var err error
		if v, err = encodeLogical(s, v); err != nil {
			return nil, err
		}
	}
	var out any
	ok := true
	switch target {
	case sluice.Int8:
		out, ok = castToInteger(v, 8)
	case sluice.Int16:
		out, ok = castToInteger(v, 16)
	case sluice.Int32:
		out, ok = castToInteger(v, 32)
	case sluice.Int64:
		out, ok = castToInteger(v, 64)
	case sluice.Float32:
		out, ok = castToFloat(v, 32)
	case sluice.Float64:
		out, ok = castToFloat(v, 64)
	case sluice.Boolean:
		out, ok = castToBoolean(v)
	case sluice.String:
		if _, isStr := v.(string); isStr {
			return v, nil
		}
		return castToString(v), nil
	default:
		return nil, sluice.NewDataError("%s is not supported in the Cast transformation.", target)
	}
	if out == nil {
		return nil, sluice.NewDataError("Unexpected type in Cast transformation: %s", sluice.JavaClassName(v))
	}
	if !ok {
		return nil, sluice.NewDataError("Value (%s) was out of range for requested data type", castToString(v))
	}
	return out, nil
}

const millisPerDay = 24 * 60 * 60 * 1000

// encodeLogical turns Date, Time and Timestamp values into their integer
// encodings (Java's Date/Time/Timestamp.fromLogical).
func encodeLogical(s *sluice.Schema, v any) (any, error) {
	switch s.Name {
	case sluice.DateName, sluice.TimeName, sluice.TimestampName:
	default:
		return v, nil
	}
	tv, ok := v.(time.Time)
	if !ok {
		return nil, sluice.NewJavaError("ClassCastException", "%s cannot be cast to class java.util.Date", sluice.JavaClassName(v))
	}
	ms := tv.UnixMilli()
	switch s.Name {
	case sluice.DateName:
		u := tv.UTC()
		if u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond()/1e6 != 0 {
			return nil, sluice.NewDataError("Kafka Connect Date type should not have any time fields set to non-zero values.")
		}
		return int32(ms / millisPerDay), nil
	case sluice.TimeName:
		u := tv.UTC()
		if u.Year() != 1970 || u.Month() != time.January || u.Day() != 1 {
			return nil, sluice.NewDataError("Kafka Connect Time type should not have any date fields set to non-zero values.")
		}
		return int32(ms), nil
	}
	return ms, nil
}

// javaFloatToInt is Java's (int) conversion of a double: NaN → 0, values
// beyond the range saturate.
func javaFloatToInt(f float64) int32 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int32(f)
}

// javaFloatToLong is Java's (long) conversion of a double.
func javaFloatToLong(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

var mask64 = new(big.Int).SetUint64(math.MaxUint64)

// decimalLow64 is the low 64 bits of a decimal's integer part (Java's
// BigDecimal.longValue; intValue and the narrower ones truncate it further).
func decimalLow64(d sluice.Decimal) int64 {
	u := d.Unscaled
	if u == nil || u.Sign() == 0 {
		return 0
	}
	var ip *big.Int
	switch {
	case d.Scale == 0:
		ip = u
	case d.Scale > 0:
		if int64(d.Scale) > int64(len(u.Text(10)))+1 {
			return 0
		}
		ip = new(big.Int).Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
	default:
		if -int64(d.Scale) >= 64 {
			return 0 // 10^k holds 2^k: no low bits survive
		}
		ip = new(big.Int).Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(-int64(d.Scale)), nil))
	}
	return int64(new(big.Int).And(ip, mask64).Uint64())
}

// numberLong returns Java's Number.longValue / intValue of a numeric value
// narrowed to bits (8, 16, 32 or 64) with Java's semantics; ok is false for
// non-numbers.
func numberToInteger(v any, bits int) (int64, bool) {
	var x int64
	switch n := v.(type) {
	case int8:
		x = int64(n)
	case int16:
		x = int64(n)
	case int32:
		x = int64(n)
	case int64:
		x = n
	case float32:
		if bits == 64 {
			return javaFloatToLong(float64(n)), true
		}
		x = int64(javaFloatToInt(float64(n)))
	case float64:
		if bits == 64 {
			return javaFloatToLong(n), true
		}
		x = int64(javaFloatToInt(n))
	case sluice.Decimal:
		x = decimalLow64(n)
	default:
		return 0, false
	}
	switch bits {
	case 8:
		return int64(int8(x)), true
	case 16:
		return int64(int16(x)), true
	case 32:
		return int64(int32(x)), true
	}
	return x, true
}

func sizedInt(x int64, bits int) any {
	switch bits {
	case 8:
		return int8(x)
	case 16:
		return int16(x)
	case 32:
		return int32(x)
	}
	return x
}

// castToInteger casts to INT8..INT64; out is nil for an unsupported class,
// ok false for a string Java cannot parse.
func castToInteger(v any, bits int) (out any, ok bool) {
	if x, isNum := numberToInteger(v, bits); isNum {
		return sizedInt(x, bits), true
	}
	switch x := v.(type) {
	case bool:
		if x {
			return sizedInt(1, bits), true
		}
		return sizedInt(0, bits), true
	case string:
		n, err := sluice.ParseJavaInt(x, bits)
		if err != nil {
			return sizedInt(0, bits), false
		}
		return sizedInt(n, bits), true
	}
	return nil, true
}

// castToFloat casts to FLOAT32 or FLOAT64.
func castToFloat(v any, bits int) (out any, ok bool) {
	var f float64
	switch x := v.(type) {
	case int8:
		f = float64(x)
	case int16:
		f = float64(x)
	case int32:
		f = float64(x)
	case int64:
		if bits == 32 {
			return float32(x), true
		}
		f = float64(x)
	case float32:
		if bits == 32 {
			return x, true
		}
		f = float64(x)
	case float64:
		f = x
	case sluice.Decimal:
		r := x.Rat()
		if bits == 32 {
			f32, _ := r.Float32()
			return f32, true
		}
		f, _ = r.Float64()
	case bool:
		if x {
			f = 1
		}
	case string:
		if bits == 32 {
			f32, err := parseJavaFloat32(x)
			if err != nil {
				return float32(0), false
			}
			return f32, true
		}
		d, err := sluice.ParseJavaDouble(x)
		if err != nil {
			return float64(0), false
		}
		f = d
	default:
		return nil, true
	}
	if bits == 32 {
		return float32(f), true
	}
	return f, true
}

// parseJavaFloat32 is Java's Float.parseFloat: the syntax of
// Double.parseDouble, rounded once, directly to float.
func parseJavaFloat32(s string) (float32, error) {
	d, err := sluice.ParseJavaDouble(s)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return float32(d), nil
	}
	body := sluice.JavaTrim(s)
	if n := len(body); n > 0 && strings.ContainsRune("fFdD", rune(body[n-1])) {
		body = body[:n-1]
	}
	f, err := strconv.ParseFloat(body, 32)
	if err != nil && f == 0 {
		return float32(d), nil
	}
	return float32(f), nil
}

// castToBoolean casts to BOOLEAN: numbers by longValue() != 0, strings
// by a case-insensitive "true".
func castToBoolean(v any) (out any, ok bool) {
	if x, isNum := numberToInteger(v, 64); isNum {
		return x != 0, true
	}
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		return strings.EqualFold(x, "true"), true
	}
	return nil, true
}

// castToString renders a value as Java's toString would, with dates in
// Connect's Values format and bytes in base64.
func castToString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float32:
		return sluice.FormatJavaFloat(x)
	case float64:
		return sluice.FormatJavaDouble(x)
	case bool:
		return strconv.FormatBool(x)
	case sluice.Decimal:
		return x.String()
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case sluice.ByteBuffer:
		return base64.StdEncoding.EncodeToString(x)
	case time.Time:
		return javaDateString(x)
	}
	s, _ := sluice.ConvertToString(nil, v)
	return s
}

// javaDateString formats a date like Connect's Values.dateFormatFor: a time
// of day when before one day after the epoch, a date when at midnight UTC,
// else a full timestamp, all with a literal Z.
func javaDateString(t time.Time) string {
	ms := t.UnixMilli()
	u := t.UTC()
	switch {
	case ms < millisPerDay:
		return u.Format("15:04:05.000") + "Z"
	case ms%millisPerDay == 0:
		return u.Format("2006-01-02")
	}
	return u.Format("2006-01-02T15:04:05.000") + "Z"
}

// Close implements sluice.Transformation.
func (t *Cast) Close() error { return nil }
