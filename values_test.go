package sluice

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// describeSchema renders a schema compactly: TYPE[/logical][{params}][?][<elements>].
func describeSchema(s *Schema) string {
	if s == nil {
		return "null"
	}
	var b strings.Builder
	b.WriteString(s.Type.String())
	if s.Name != "" {
		b.WriteString("/" + strings.TrimPrefix(s.Name, "org.apache.kafka.connect.data."))
	}
	if len(s.Parameters) > 0 {
		keys := make([]string, 0, len(s.Parameters))
		for k := range s.Parameters {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + "=" + s.Parameters[k])
		}
		b.WriteString("}")
	}
	if s.Optional {
		b.WriteString("?")
	}
	switch s.Type {
	case Array:
		b.WriteString("<" + describeSchema(s.Value) + ">")
	case Map_:
		b.WriteString("<" + describeSchema(s.Key) + "," + describeSchema(s.Value) + ">")
	}
	return b.String()
}

// describeValue renders a value with its exact Java class and bits.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case int8:
		return fmt.Sprintf("i8:%d", x)
	case int16:
		return fmt.Sprintf("i16:%d", x)
	case int32:
		return fmt.Sprintf("i32:%d", x)
	case int64:
		return fmt.Sprintf("i64:%d", x)
	case float32:
		return fmt.Sprintf("f32:%x", math.Float32bits(x))
	case float64:
		return fmt.Sprintf("f64:%x", math.Float64bits(x))
	case bool:
		return fmt.Sprintf("b:%v", x)
	case string:
		return "s:" + base64.StdEncoding.EncodeToString([]byte(x))
	case Decimal:
		return fmt.Sprintf("dec:%se%d", x.unscaled().String(), x.Scale)
	case time.Time:
		return fmt.Sprintf("date:%d", x.UnixMilli())
	case []byte:
		return "bytes:" + base64.StdEncoding.EncodeToString(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = describeValue(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *Map:
		parts := make([]string, len(x.Entries))
		for i, e := range x.Entries {
			parts[i] = describeValue(e.Key) + "=" + describeValue(e.Value)
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprintf("?%T", v)
}

func describeParse(in string) string {
	s, v, err := ParseStringErr(in)
	if err != nil {
		return "EXC:" + ErrorClass(err) + ":" + err.Error()
	}
	if s == nil && v == nil {
		return "JNULL"
	}
	str, ok := ConvertToString(s, v)
	rendered := "NULL"
	if ok {
		rendered = base64.StdEncoding.EncodeToString([]byte(str))
	}
	return describeSchema(s) + " " + describeValue(v) + " " + rendered
}

// TestParseStringGolden compares ParseString and ConvertToString of the
// parsed value with results recorded from Java's Values class.
func TestParseStringGolden(t *testing.T) {
	f, err := os.Open("testdata/values_parse.golden")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, failed := 0, 0
	for sc.Scan() {
		in64, want, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("bad golden line %q", sc.Text())
		}
		raw, err := base64.StdEncoding.DecodeString(in64)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if got := describeParse(string(raw)); got != want {
			failed++
			if failed <= 40 {
				t.Errorf("ParseString(%q)\n got %s\nwant %s", raw, got, want)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d golden cases differ", failed, n)
	}
	t.Logf("%d golden cases", n)
	if n < 1000 {
		t.Fatalf("only %d golden cases", n)
	}
}

// TestDecodeUTF8JavaGolden compares DecodeUTF8Java with Java's
// new String(bytes, UTF_8) on malformed and valid byte strings.
func TestDecodeUTF8JavaGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/utf8_decode.golden")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	failed := 0
	for _, l := range lines {
		in64, want64, _ := strings.Cut(l, "\t")
		in, _ := base64.StdEncoding.DecodeString(in64)
		want, _ := base64.StdEncoding.DecodeString(want64)
		if got := DecodeUTF8Java(in); got != string(want) {
			failed++
			if failed < 20 {
				t.Errorf("DecodeUTF8Java(% x) = %q, want %q", in, got, want)
			}
		}
	}
	if failed > 0 || len(lines) < 1000 {
		t.Errorf("%d of %d cases differ", failed, len(lines))
	}
}

var convertFuncs = []func(s *Schema, v any) (any, error){
	ConvertToBoolean, ConvertToByte, ConvertToShort, ConvertToInteger, ConvertToLong, ConvertToFloat, ConvertToDouble,
	func(s *Schema, v any) (any, error) { return ConvertToDecimal(s, v, 2) },
	ConvertToDate, ConvertToTime, ConvertToTimestamp, ConvertToList, ConvertToMap,
	func(s *Schema, v any) (any, error) {
		if is := InferSchema(v); is != nil {
			return describeSchema(is), nil
		}
		return "none", nil
	},
}

func describeConvert(f func(*Schema, any) (any, error), s *Schema, v any) string {
	r, err := f(s, v)
	if err != nil {
		return "EXC:" + strings.TrimSuffix(ErrorClass(err), "Error")
	}
	return describeValue(r)
}

// TestConvertGolden compares the ConvertToX functions, applied to text and
// to the value parsed from it, with results recorded from Java.
func TestConvertGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/values_convert.golden")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	failed := 0
	for _, l := range lines {
		cols := strings.Split(l, "\t")
		raw, _ := base64.StdEncoding.DecodeString(cols[0])
		in := string(raw)
		ps, pv, perr := ParseStringErr(in)
		n := len(convertFuncs)
		for i, f := range convertFuncs {
			got := describeConvert(f, nil, in)
			if want := cols[1+i]; got != want {
				failed++
				t.Errorf("func %d on %q (string): got %s, want %s", i, in, got, want)
			}
			want := cols[1+n+i]
			if want == "-" {
				if perr == nil && (ps != nil || pv != nil) {
					t.Errorf("%q parsed to a value, Java's parse gave none", in)
				}
				continue
			}
			if got := describeConvert(f, ps, pv); got != want {
				failed++
				t.Errorf("func %d on %q (parsed %s): got %s, want %s", i, in, describeSchema(ps), got, want)
			}
		}
	}
	if failed > 0 || len(lines) < 500 {
		t.Errorf("%d differences in %d lines", failed, len(lines))
	}
}

// TestJavaHashOrderGolden compares JavaHashOrder with the iteration order
// of java.util.HashMap filled with the same keys in the same order.
func TestJavaHashOrderGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/hashmap_order.golden")
	if err != nil {
		t.Fatal(err)
	}
	key := func(kind, tok string) any {
		if kind == "S" {
			b, _ := base64.StdEncoding.DecodeString(tok)
			return string(b)
		}
		var n int64
		fmt.Sscan(tok[1:], &n)
		if tok[0] == 'L' {
			return n
		}
		return int32(n)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for _, l := range lines {
		cols := strings.Split(l, "\t")
		m := &Map{Hashed: true}
		for _, tok := range strings.Fields(cols[1]) {
			m.Put(key(cols[0], tok), nil)
		}
		want := strings.Fields(cols[2])
		got := JavaHashOrder(m)
		if len(got) != len(want) {
			t.Fatalf("length %d, want %d", len(got), len(want))
		}
		for i := range want {
			if !ValuesEqual(got[i].Key, key(cols[0], want[i])) {
				t.Errorf("order of %s: position %d is %v, want %v", cols[1], i, got[i].Key, key(cols[0], want[i]))
				break
			}
		}
	}
	if len(lines) < 300 {
		t.Errorf("only %d cases", len(lines))
	}
}

// TestConvertToStringForms checks the text form of typed values that text
// parsing never produces.
func TestConvertToStringForms(t *testing.T) {
	st := NewStruct(&Schema{Type: StructType, Fields: []Field{
		{Name: "a", Index: 0, Schema: &Schema{Type: Int32, Optional: true, Default: int32(5)}},
		{Name: "b\"q", Index: 1, Schema: OptionalStringSchema},
		{Name: "c", Index: 2, Schema: OptionalBytesSchema},
	}})
	st.Set(2, []byte{0, 1, 2, 255})
	hashed := &Map{Hashed: true, Entries: []MapEntry{{"name", "Ada"}, {"id", int32(7)}}}
	cases := []struct {
		v    any
		want string
	}{
		{int8(-5), "-5"},
		{int64(math.MinInt64), "-9223372036854775808"},
		{float32(1.5), "1.5"},
		{float64(1e10), "1.0E10"},
		{math.NaN(), "NaN"},
		{math.Copysign(0, -1), "-0.0"},
		{true, "true"},
		{"a \"q\" \\ raw", "a \"q\" \\ raw"},
		{[]byte{0, 1, 2, 255}, "AAEC/w=="},
		{ByteBuffer{0, 1, 2, 255}, "AAEC/w=="},
		{[]any{"a", "b\"c", `d\e`, nil, []byte{1}}, `["a","b\"c","d\\e",null,"AQ=="]`},
		{&Map{Entries: []MapEntry{{"b", int32(2)}, {"a", int32(1)}}}, `{"b":2,"a":1}`},
		{hashed, `{"name":"Ada","id":7}`},
		{&Map{Hashed: true, Entries: []MapEntry{{"id", int32(7)}, {"name", "Ada"}}}, `{"name":"Ada","id":7}`},
		{st, `{"a":5,"b\"q":null,"c":"AAEC/w=="}`},
		{Decimal{Unscaled: big.NewInt(1), Scale: 10}, "1E-10"},
		{Decimal{Unscaled: big.NewInt(123), Scale: -2}, "1.23E+4"},
		{time.UnixMilli(1704112496789).UTC(), "2024-01-01T12:34:56.789Z"},
		{time.UnixMilli(1704067200000).UTC(), "2024-01-01"},
		{time.UnixMilli(86399999).UTC(), "23:59:59.999Z"},
		{time.UnixMilli(-62135596800001).UTC(), "23:59:59.999Z"},
		{time.UnixMilli(253402300800000).UTC(), "10000-01-01"},
	}
	for _, c := range cases {
		got, ok := ConvertToString(nil, c.v)
		if !ok || got != c.want {
			t.Errorf("ConvertToString(%#v) = %q, %v; want %q", c.v, got, ok, c.want)
		}
	}
	if _, ok := ConvertToString(nil, nil); ok {
		t.Error("ConvertToString(nil) reported a value")
	}
}
