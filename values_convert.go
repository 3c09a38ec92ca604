package sluice

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Conversions between Connect types, as Connect's Values.convertToX methods
// perform them.

// ConvertToString renders a value as Values.convertToString does; ok is
// false where Java returns null (a nil value). The schema is not consulted.
func ConvertToString(s *Schema, v any) (string, bool) {
	if v == nil {
		return "", false
	}
	if str, ok := v.(string); ok {
		return str, true
	}
	return string(AppendValueString(nil, v)), true
}

// AppendValueString appends the Values.convertToString form of v to b (nil
// renders as "null").
func AppendValueString(b []byte, v any) []byte { return appendValue(b, v, false) }

func appendValue(b []byte, v any, embedded bool) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case int8:
		return strconv.AppendInt(b, int64(x), 10)
	case int16:
		return strconv.AppendInt(b, int64(x), 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float32:
		return AppendJavaFloat(b, x)
	case float64:
		return AppendJavaDouble(b, x)
	case Decimal:
		return append(b, x.String()...)
	case bool:
		return strconv.AppendBool(b, x)
	case string:
		if !embedded {
			return append(b, x...)
		}
		b = append(b, '"')
		for i := 0; i < len(x); i++ {
			if c := x[i]; c == '\\' || c == '"' {
				b = append(b, '\\')
			}
			b = append(b, x[i])
		}
		return append(b, '"')
	case ByteBuffer:
		return appendValue(b, []byte(x), embedded)
	case []byte:
		if embedded {
			b = append(b, '"')
		}
		b = base64.StdEncoding.AppendEncode(b, x)
		if embedded {
			b = append(b, '"')
		}
		return b
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e, true)
		}
		return append(b, ']')
	case *Map:
		b = append(b, '{')
		entries := x.Entries
		if x.Hashed {
			entries = JavaHashOrder(x)
		}
		for i, e := range entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e.Key, true)
			b = append(b, ':')
			b = appendValue(b, e.Value, true)
		}
		return append(b, '}')
	case *Struct:
		b = append(b, '{')
		for i := range x.schema.Fields {
			f := &x.schema.Fields[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, f.Name, true)
			b = append(b, ':')
			b = appendValue(b, x.GetField(f), true)
		}
		return append(b, '}')
	case time.Time:
		return appendJavaDate(b, x.UnixMilli())
	}
	return append(b, fmt.Sprint(v)...)
}

// InferSchema returns the schema Java's Values.inferSchema infers for a
// value, or nil when none can be inferred (nil, Decimal and temporal values,
// empty or mixed collections).
func InferSchema(v any) *Schema {
	switch x := v.(type) {
	case string:
		return StringSchema
	case bool:
		return BooleanSchema
	case int8:
		return Int8Schema
	case int16:
		return Int16Schema
	case int32:
		return Int32Schema
	case int64:
		return Int64Schema
	case float32:
		return Float32Schema
	case float64:
		return Float64Schema
	case []byte, ByteBuffer:
		return BytesSchema
	case []any:
		if len(x) == 0 {
			return nil
		}
		var d schemaDetector
		for _, e := range x {
			if !d.detect(e) {
				return nil
			}
		}
		if d.known == 0 {
			return nil
		}
		return ArraySchema(d.schema(), false)
	case *Map:
		if x.Len() == 0 {
			return nil
		}
		var kd, vd schemaDetector
		for _, e := range x.Entries {
			if !kd.detect(e.Key) || !vd.detect(e.Value) {
				return nil
			}
		}
		if kd.known == 0 || vd.known == 0 {
			return nil
		}
		return MapSchema(kd.schema(), vd.schema(), false)
	case *Struct:
		return x.schema
	}
	return nil
}

// schemaDetector finds the single type of a collection's elements.
type schemaDetector struct {
	known    Type
	optional bool
}

func (d *schemaDetector) detect(v any) bool {
	if v == nil {
		d.optional = true
		return true
	}
	s := InferSchema(v)
	if s == nil {
		return false
	}
	if d.known == 0 {
		d.known = s.Type
	} else if d.known != s.Type {
		return false
	}
	return true
}

func (d *schemaDetector) schema() *Schema {
	if d.known.IsPrimitive() {
		return PrimitiveSchema(d.known, d.optional)
	}
	return &Schema{Type: d.known, Optional: d.optional}
}

// convertTo is Values.convertTo: convert a value to the type of toSchema.
func convertTo(to, from *Schema, v any) (any, error) {
	if v == nil {
		if to.Optional {
			return nil, nil
		}
		return nil, errNullValue()
	}
	switch to.Type {
	case Bytes:
		if to.Name == DecimalName {
			return convertToDecimal(to, v)
		}
		return convertToBytes(to, v)
	case String:
		s, _ := ConvertToString(from, v)
		return s, nil
	case Boolean:
		return ConvertToBoolean(from, v)
	case Int8:
		return ConvertToByte(from, v)
	case Int16:
		return ConvertToShort(from, v)
	case Int32:
		switch to.Name {
		case DateName:
			return convertToDate(to, from, v)
		case TimeName:
			return convertToTime(to, from, v)
		}
		return ConvertToInteger(from, v)
	case Int64:
		if to.Name == TimestampName {
			return convertToTimestamp(to, from, v)
		}
		return ConvertToLong(from, v)
	case Float32:
		return ConvertToFloat(from, v)
	case Float64:
		return ConvertToDouble(from, v)
	case Array:
		return convertToArray(to, v)
	case Map_:
		return convertToMap(to, v)
	case StructType:
		return convertToStruct(to, v)
	}
	return nil, unableToConvert(v, to.String())
}

func errNullValue() error {
	return &DataError{Msg: "Unable to convert a null value to a schema that requires a value"}
}

func unableToConvert(v any, to string) error {
	return &DataError{Msg: "Unable to convert " + JavaToString(v) + " (" + JavaClassName(v) + ") to " + to}
}

// ConvertToBoolean converts a value to a bool (nil for nil) as
// Values.convertToBoolean does: strings are parsed, numbers are true unless 0.
func ConvertToBoolean(s *Schema, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool:
		return x, nil
	case string:
		pv, err := parsedValue(x)
		if err != nil {
			return nil, err
		}
		if b, ok := pv.(bool); ok {
			return b, nil
		}
	}
	n, err := asLong(v, s)
	if err != nil {
		return nil, err
	}
	return n != 0, nil
}

// ConvertToByte converts a value to an int8 (nil for nil).
func ConvertToByte(s *Schema, v any) (any, error) { return convertInteger[int8](s, v) }

// ConvertToShort converts a value to an int16 (nil for nil).
func ConvertToShort(s *Schema, v any) (any, error) { return convertInteger[int16](s, v) }

// ConvertToInteger converts a value to an int32 (nil for nil).
func ConvertToInteger(s *Schema, v any) (any, error) { return convertInteger[int32](s, v) }

// ConvertToLong converts a value to an int64 (nil for nil).
func ConvertToLong(s *Schema, v any) (any, error) { return convertInteger[int64](s, v) }

// ConvertToFloat converts a value to a float32 (nil for nil).
func ConvertToFloat(s *Schema, v any) (any, error) { return convertFloating[float32](s, v) }

// ConvertToDouble converts a value to a float64 (nil for nil).
func ConvertToDouble(s *Schema, v any) (any, error) { return convertFloating[float64](s, v) }

// convertInteger returns v unchanged when it already is a T, else its value
// as a long narrowed to T with Java's wrapping.
func convertInteger[T int8 | int16 | int32 | int64](s *Schema, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case T:
		return x, nil
	}
	n, err := asLong(v, s)
	if err != nil {
		return nil, err
	}
	return T(n), nil
}

// convertFloating returns v unchanged when it already is a T, else its
// value as a double narrowed to T.
func convertFloating[T float32 | float64](s *Schema, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case T:
		return x, nil
	}
	f, err := asDouble(v, s)
	if err != nil {
		return nil, err
	}
	return T(f), nil
}

// ConvertToDecimal converts a value to a Decimal as Values.convertToDecimal
// does (a nil value is an error). Numbers other than Decimal go through
// their double value, as BigDecimal.valueOf(double) does; the scale argument
// only matters for BYTES input.
func ConvertToDecimal(s *Schema, v any, scale int32) (any, error) {
	if v == nil {
		return nil, errNullValue()
	}
	return convertToDecimal(DecimalSchema(scale, false), v)
}

func convertToDecimal(to *Schema, v any) (any, error) {
	if bb, ok := v.(ByteBuffer); ok {
		v = []byte(bb)
	}
	switch x := v.(type) {
	case []byte:
		scale, err := decimalScale(to)
		if err != nil {
			return nil, err
		}
		if len(x) == 0 {
			return nil, &JavaError{Class: "NumberFormatException", Msg: "Zero length BigInteger"}
		}
		return Decimal{Unscaled: twosComplementInt(x), Scale: scale}, nil
	case Decimal:
		return x, nil
	case string:
		d, ok := parseJavaBigDecimal(x)
		if !ok {
			return nil, &JavaError{Class: "NumberFormatException", Msg: "Character array is not a valid decimal number: " + x}
		}
		return d.decimal(), nil
	}
	if f, ok := numberDouble(v); ok {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, &JavaError{Class: "NumberFormatException", Msg: "Infinite or NaN"}
		}
		d, _ := parseJavaBigDecimal(FormatJavaDouble(f))
		return d.decimal(), nil
	}
	return nil, unableToConvert(v, to.String())
}

func decimalScale(s *Schema) (int32, error) {
	str, ok := s.Parameters[DecimalScaleParam]
	if !ok {
		return 0, &DataError{Msg: "Invalid Decimal schema: scale parameter not found."}
	}
	n, err := ParseJavaInt(str, 32)
	if err != nil {
		return 0, &DataError{Msg: "Invalid scale parameter found in Decimal schema: ", Err: err}
	}
	return int32(n), nil
}

// twosComplementInt reads big-endian two's complement bytes (Java's new
// BigInteger(byte[])).
func twosComplementInt(b []byte) *big.Int {
	u := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(len(b))*8))
	}
	return u
}

func convertToBytes(to *Schema, v any) (any, error) {
	switch x := v.(type) {
	case []byte:
		return x, nil
	case ByteBuffer:
		return []byte(x), nil
	case Decimal:
		scale, err := decimalScale(to)
		if err != nil {
			return nil, err
		}
		if x.Scale != scale {
			return nil, NewDataError("Decimal value has mismatching scale for given Decimal schema. Schema has scale %d, value has scale %d.", scale, x.Scale)
		}
		return bigIntBytes(x.unscaled()), nil
	}
	return nil, unableToConvert(v, to.String())
}

// bigIntBytes is Java's BigInteger.toByteArray: minimal two's complement.
func bigIntBytes(u *big.Int) []byte {
	n := u.BitLen()/8 + 1
	out := make([]byte, n)
	if u.Sign() >= 0 {
		u.FillBytes(out)
		return out
	}
	t := new(big.Int).Add(u, new(big.Int).Lsh(big.NewInt(1), uint(n)*8))
	t.FillBytes(out)
	return out
}

// ConvertToDate converts a value to a Date (time.Time at a UTC midnight) as
// Values.convertToDate does; a nil value is an error.
func ConvertToDate(s *Schema, v any) (any, error) {
	if v == nil {
		return nil, errNullValue()
	}
	return convertToDate(DateSchema, s, v)
}

// ConvertToTime converts a value to a Time (time.Time within 1970-01-01 UTC)
// as Values.convertToTime does; a nil value is an error.
func ConvertToTime(s *Schema, v any) (any, error) {
	if v == nil {
		return nil, errNullValue()
	}
	return convertToTime(TimeSchema, s, v)
}

// ConvertToTimestamp converts a value to a Timestamp (time.Time) as
// Values.convertToTimestamp does; a nil value is an error.
func ConvertToTimestamp(s *Schema, v any) (any, error) {
	if v == nil {
		return nil, errNullValue()
	}
	return convertToTimestamp(TimestampSchema, s, v)
}

// parsedValue is what convertToX does with a string: parse it and keep the
// value; Java's null result makes it throw a NullPointerException.
func parsedValue(str string) (any, error) {
	sc, v, err := ParseStringErr(str)
	if err != nil {
		return nil, err
	}
	if sc == nil && v == nil {
		return nil, &JavaError{Class: "NullPointerException", Msg: "cannot convert the text null: it parses to no value"}
	}
	return v, nil
}

func millisOf(t time.Time) int64 { return t.UnixMilli() }

func dateOf(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func dateToLogical(days int32) time.Time { return dateOf(int64(days) * millisPerDay) }

func timeToLogical(ms int32) (time.Time, error) {
	if ms < 0 || ms > millisPerDay {
		return time.Time{}, &DataError{Msg: "Time values must use number of milliseconds greater than 0 and less than 86400000"}
	}
	return dateOf(int64(ms)), nil
}

func convertToDate(to, from *Schema, v any) (any, error) {
	v, err := parseIfString(v)
	if err != nil {
		return nil, err
	}
	if t, ok := v.(time.Time); ok {
		if from == nil {
			return t, nil
		}
		switch from.Name {
		case DateName:
			return t, nil
		case TimestampName:
			return dateToLogical(int32(millisOf(t) / millisPerDay)), nil
		}
	}
	n, err := asLong(v, from)
	if err != nil {
		return nil, err
	}
	return dateToLogical(int32(n)), nil
}

func convertToTime(to, from *Schema, v any) (any, error) {
	v, err := parseIfString(v)
	if err != nil {
		return nil, err
	}
	if t, ok := v.(time.Time); ok {
		if from == nil {
			return t, nil
		}
		switch from.Name {
		case TimeName:
			return t, nil
		case TimestampName:
			return timeToLogical(int32(timeOfDayIn1970(millisOf(t))))
		}
	}
	n, err := asLong(v, from)
	if err != nil {
		return nil, err
	}
	return timeToLogical(int32(n))
}

// timeOfDayIn1970 is what a UTC GregorianCalendar gives after setting the
// date of a time to 1970-01-01: its time of day, except that a date before
// year 1 keeps its BC era, making it 1970 BC.
func timeOfDayIn1970(ms int64) int64 {
	tod := floorMod(ms, millisPerDay)
	fd := floorDiv(ms, millisPerDay) + epochFixedDate
	if fd >= julianFixed(1, 1, 1) {
		return tod
	}
	return (julianFixed(1-1970, 1, 1)-epochFixedDate)*millisPerDay + tod
}

func convertToTimestamp(to, from *Schema, v any) (any, error) {
	v, err := parseIfString(v)
	if err != nil {
		return nil, err
	}
	if t, ok := v.(time.Time); ok {
		if from == nil {
			return t, nil
		}
		switch from.Name {
		case DateName:
			days, err := dateFromLogical(from, t)
			if err != nil {
				return nil, err
			}
			return dateOf(int64(days) * millisPerDay), nil
		case TimeName:
			ms, err := timeFromLogical(t)
			if err != nil {
				return nil, err
			}
			return dateOf(int64(ms)), nil
		case TimestampName:
			return t, nil
		}
	}
	n, err := asLong(v, from)
	if err != nil {
		return nil, err
	}
	return dateOf(n), nil
}

func dateFromLogical(s *Schema, t time.Time) (int32, error) {
	ms := millisOf(t)
	if floorMod(ms, millisPerDay) != 0 {
		return 0, &DataError{Msg: "Kafka Connect Date type should not have any time fields set to non-zero values."}
	}
	return int32(ms / millisPerDay), nil
}

func timeFromLogical(t time.Time) (int32, error) {
	ms := millisOf(t)
	if ms < 0 || ms > millisPerDay {
		return 0, &DataError{Msg: "Kafka Connect Time type should not have any date fields set to non-zero values."}
	}
	return int32(ms), nil
}

func convertToArray(to *Schema, v any) (any, error) {
	v, err := parseIfString(v)
	if err != nil {
		return nil, err
	}
	if l, ok := v.([]any); ok {
		return l, nil
	}
	return nil, unableToConvert(v, to.String())
}

func convertToMap(to *Schema, v any) (any, error) {
	v, err := parseIfString(v)
	if err != nil {
		return nil, err
	}
	if m, ok := v.(*Map); ok {
		return m, nil
	}
	return nil, unableToConvert(v, to.String())
}

func convertToStruct(to *Schema, v any) (any, error) {
	if st, ok := v.(*Struct); ok {
		return st, nil
	}
	return nil, unableToConvert(v, to.String())
}

var (
	arraySelector  = &Schema{Type: Array, Value: StringSchema}
	mapSelector    = &Schema{Type: Map_, Key: StringSchema, Value: StringSchema}
	structSelector = &Schema{Type: StructType}
)

// ConvertToList converts a value to a []any as Values.convertToList does:
// lists pass through, strings are parsed; nil is an error.
func ConvertToList(s *Schema, v any) (any, error) {
	if v == nil {
		return nil, errNullValue()
	}
	return convertToArray(arraySelector, v)
}

// ConvertToMap converts a value to a *Map as Values.convertToMap does: maps
// pass through, strings are parsed; nil is an error.
func ConvertToMap(s *Schema, v any) (any, error) {
	if v == nil {
		return nil, errNullValue()
	}
	return convertToMap(mapSelector, v)
}

// ConvertToStruct returns v when it is a *Struct, as Values.convertToStruct
// does; anything else (nil included) is an error.
func ConvertToStruct(s *Schema, v any) (any, error) {
	if v == nil {
		return nil, errNullValue()
	}
	return convertToStruct(structSelector, v)
}

// numberDouble returns Number.doubleValue() of a Java number.
func numberDouble(v any) (float64, bool) {
	switch x := v.(type) {
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		return x, true
	case Decimal:
		f, _ := strconv.ParseFloat(x.String(), 64)
		return f, true
	}
	return 0, false
}

// asLong is Values.asLong: Number.longValue(), a string read as BigDecimal,
// or a temporal value through its logical schema.
func asLong(v any, from *Schema) (int64, error) {
	switch x := v.(type) {
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case float32:
		return javaDoubleToLong(float64(x)), nil
	case float64:
		return javaDoubleToLong(x), nil
	case Decimal:
		return decimalLongValue(x), nil
	case string:
		if d, ok := parseJavaBigDecimal(x); ok {
			return decimalLongValue(d.decimal()), nil
		}
	}
	if from != nil {
		if t, ok := v.(time.Time); ok {
			switch from.Name {
			case DateName:
				n, err := dateFromLogical(from, t)
				return int64(n), err
			case TimeName:
				n, err := timeFromLogical(t)
				return int64(n), err
			case TimestampName:
				return millisOf(t), nil
			}
		}
		return 0, unableToConvert(v, from.String())
	}
	return 0, unableToConvert(v, "a number")
}

// asDouble is Values.asDouble.
func asDouble(v any, from *Schema) (float64, error) {
	if f, ok := numberDouble(v); ok {
		return f, nil
	}
	if s, ok := v.(string); ok {
		if d, ok := parseJavaBigDecimal(s); ok {
			return d.float(64), nil
		}
	}
	n, err := asLong(v, from)
	return float64(n), err
}

// javaDoubleToLong is Java's (long) cast of a double.
func javaDoubleToLong(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// decimalLongValue is BigDecimal.longValue(): the integer part, truncated
// toward zero, reduced to its low 64 bits.
func decimalLongValue(d Decimal) int64 {
	u := d.unscaled()
	switch {
	case d.Scale == 0:
	case d.Scale > 0:
		if int64(d.Scale) > int64(len(u.String()))+1 {
			return 0
		}
		u = new(big.Int).Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
	default:
		if -int64(d.Scale) >= 64 {
			return 0 // a multiple of 2^64
		}
		u = new(big.Int).Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(-int64(d.Scale)), nil))
	}
	if u.IsInt64() {
		return u.Int64()
	}
	low := new(big.Int).And(u, new(big.Int).SetUint64(math.MaxUint64))
	return int64(low.Uint64())
}

// JavaToString renders a value as Java's toString would for the class
// Connect holds it as (used in error messages).
func JavaToString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
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
	case []byte:
		return "[B@" + strconv.FormatUint(uint64(len(x)), 16)
	case ByteBuffer:
		n := strconv.Itoa(len(x))
		return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]"
	case []any:
		var sb strings.Builder
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(JavaToString(e))
		}
		sb.WriteByte(']')
		return sb.String()
	case *Map:
		var sb strings.Builder
		sb.WriteByte('{')
		entries := x.Entries
		if x.Hashed {
			entries = JavaHashOrder(x)
		}
		for i, e := range entries {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(JavaToString(e.Key))
			sb.WriteByte('=')
			sb.WriteString(JavaToString(e.Value))
		}
		sb.WriteByte('}')
		return sb.String()
	case *Struct:
		var sb strings.Builder
		sb.WriteString("Struct{")
		first := true
		for i := range x.schema.Fields {
			if x.values[i] == nil {
				continue
			}
			if !first {
				sb.WriteByte(',')
			}
			first = false
			sb.WriteString(x.schema.Fields[i].Name)
			sb.WriteByte('=')
			sb.WriteString(JavaToString(x.values[i]))
		}
		sb.WriteByte('}')
		return sb.String()
	case time.Time:
		return x.UTC().Format("Mon Jan 02 15:04:05 UTC 2006")
	}
	return string(appendValue(nil, v, false))
}

// JavaHashOrder returns the entries of m in the order a java.util.HashMap
// holding them iterates: by bucket (h ^ h>>>16) & (n-1), where h is the
// key's Java hashCode and the table starts at 16 buckets and doubles while
// the size exceeds 0.75·n, and in insertion order within a bucket.
func JavaHashOrder(m *Map) []MapEntry {
	if m == nil || len(m.Entries) < 2 {
		if m == nil {
			return nil
		}
		return m.Entries
	}
	n := uint32(16)
	for float64(len(m.Entries)) > 0.75*float64(n) {
		n <<= 1
	}
	type slot struct {
		bucket uint32
		i      int
	}
	slots := make([]slot, len(m.Entries))
	for i, e := range m.Entries {
		h := uint32(JavaHashCode(e.Key))
		slots[i] = slot{(h ^ h>>16) & (n - 1), i}
	}
	sort.SliceStable(slots, func(a, b int) bool { return slots[a].bucket < slots[b].bucket })
	out := make([]MapEntry, len(slots))
	for i, s := range slots {
		out[i] = m.Entries[s.i]
	}
	return out
}

// JavaHashCode returns the Java hashCode of the boxed form of a Connect
// value (String, Byte, Short, Integer, Long, Float, Double, Boolean,
// BigDecimal, java.util.Date, List, Map); 0 for nil and for values whose
// Java hash is identity-based.
func JavaHashCode(v any) int32 {
	switch x := v.(type) {
	case string:
		var h int32
		for _, r := range x {
			if r > 0xFFFF {
				r -= 0x10000
				h = 31*h + int32(0xD800+(r>>10))
				h = 31*h + int32(0xDC00+(r&0x3FF))
				continue
			}
			h = 31*h + int32(r)
		}
		return h
	case int8:
		return int32(x)
	case int16:
		return int32(x)
	case int32:
		return x
	case int64:
		return int32(x ^ int64(uint64(x)>>32))
	case bool:
		if x {
			return 1231
		}
		return 1237
	case float32:
		return int32(floatBits32(x))
	case float64:
		b := floatBits64(x)
		return int32(b ^ b>>32)
	case time.Time:
		ms := x.UnixMilli()
		return int32(ms ^ int64(uint64(ms)>>32))
	case Decimal:
		return decimalHashCode(x)
	case ByteBuffer:
		h := int32(1)
		for i := len(x) - 1; i >= 0; i-- {
			h = 31*h + int32(int8(x[i]))
		}
		return h
	case []any:
		h := int32(1)
		for _, e := range x {
			h = 31*h + JavaHashCode(e)
		}
		return h
	case *Map:
		var h int32
		for _, e := range x.Entries {
			h += JavaHashCode(e.Key) ^ JavaHashCode(e.Value)
		}
		return h
	}
	return 0
}

// decimalHashCode is BigDecimal.hashCode.
func decimalHashCode(d Decimal) int32 {
	u := d.unscaled()
	if u.IsInt64() && u.Int64() != math.MinInt64 {
		c := u.Int64()
		a := c
		if a < 0 {
			a = -a
		}
		temp := int32(int64(int32(uint64(a)>>32))*31 + (a & 0xFFFFFFFF))
		if c < 0 {
			temp = -temp
		}
		return 31*temp + d.Scale
	}
	// BigInteger.hashCode: 31-polynomial over the magnitude's 32-bit words.
	mag := new(big.Int).Abs(u).Bytes()
	for len(mag)%4 != 0 {
		mag = append([]byte{0}, mag...)
	}
	var h int32
	for i := 0; i < len(mag); i += 4 {
		w := uint32(mag[i])<<24 | uint32(mag[i+1])<<16 | uint32(mag[i+2])<<8 | uint32(mag[i+3])
		h = 31*h + int32(w)
	}
	h *= int32(u.Sign())
	return 31*h + d.Scale
}

// parseIfString returns the value a string parses to (Values.parseString,
// as the temporal and structured conversions first do); other values are
// returned unchanged.
func parseIfString(v any) (any, error) {
	if str, ok := v.(string); ok {
		return parsedValue(str)
	}
	return v, nil
}
