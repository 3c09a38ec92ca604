package sluice

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

func TestParseConfigValue(t *testing.T) {
	nan := math.Float64frombits(0x7ff8000000000000)
	cases := []struct {
		typ  ConfigType
		raw  string
		want any    // nil when an error is expected
		msg  string // the expected error text
	}{
		{TypeBoolean, "true", true, ""},
		{TypeBoolean, " TRUE\t", true, ""},
		{TypeBoolean, "False", false, ""},
		{TypeBoolean, "falſe", false, ""}, // equalsIgnoreCase: ſ upper-cases to S
		{TypeBoolean, "yes", nil, "Invalid value yes for configuration k: Expected value to be either true or false"},
		{TypeBoolean, "", nil, "Invalid value  for configuration k: Expected value to be either true or false"},
		{TypeBoolean, "\u00a0true", nil, "Invalid value \u00a0true for configuration k: Expected value to be either true or false"},
		{TypeString, "  a b \x01", "a b", ""},
		{TypeString, "\u00a0x\u00a0", "\u00a0x\u00a0", ""},
		{TypeClass, " com.x.Y ", "com.x.Y", ""},
		{TypePassword, " s3cret ", NewPassword("s3cret"), ""},
		{TypeInt, "42", int32(42), ""},
		{TypeInt, " +42 ", int32(42), ""},
		{TypeInt, "-0", int32(0), ""},
		{TypeInt, "00001", int32(1), ""},
		{TypeInt, "2147483647", int32(math.MaxInt32), ""},
		{TypeInt, "-2147483648", int32(math.MinInt32), ""},
		{TypeInt, "2147483648", nil, "Invalid value 2147483648 for configuration k: Not a number of type INT"},
		{TypeInt, "-2147483649", nil, "Invalid value -2147483649 for configuration k: Not a number of type INT"},
		{TypeInt, "١٢٣", int32(123), ""}, // Arabic-Indic digits
		{TypeInt, "１２", int32(12), ""},   // full-width digits
		{TypeInt, "𝟙", nil, "Invalid value 𝟙 for configuration k: Not a number of type INT"}, // supplementary: two surrogates
		{TypeInt, "1_0", nil, "Invalid value 1_0 for configuration k: Not a number of type INT"},
		{TypeInt, "0x10", nil, "Invalid value 0x10 for configuration k: Not a number of type INT"},
		{TypeInt, "1.0", nil, "Invalid value 1.0 for configuration k: Not a number of type INT"},
		{TypeInt, "+", nil, "Invalid value + for configuration k: Not a number of type INT"},
		{TypeInt, "+-1", nil, "Invalid value +-1 for configuration k: Not a number of type INT"},
		{TypeInt, "1 2", nil, "Invalid value 1 2 for configuration k: Not a number of type INT"},
		{TypeInt, "", nil, "Invalid value  for configuration k: Not a number of type INT"},
		{TypeShort, "32767", int16(32767), ""},
		{TypeShort, "-32768", int16(-32768), ""},
		{TypeShort, "32768", nil, "Invalid value 32768 for configuration k: Not a number of type SHORT"},
		{TypeLong, "9223372036854775807", int64(math.MaxInt64), ""},
		{TypeLong, "-9223372036854775808", int64(math.MinInt64), ""},
		{TypeLong, "9223372036854775808", nil, "Invalid value 9223372036854775808 for configuration k: Not a number of type LONG"},
		{TypeLong, "19999999999999999999", nil, "Invalid value 19999999999999999999 for configuration k: Not a number of type LONG"},
		{TypeDouble, "1e3", 1000.0, ""},
		{TypeDouble, "0x1p3", 8.0, ""},
		{TypeDouble, "0X1P-2", 0.25, ""},
		{TypeDouble, "0x.8p1", 1.0, ""},
		{TypeDouble, "0xAp0f", 10.0, ""},
		{TypeDouble, "1.5f", 1.5, ""},
		{TypeDouble, "1.0d", 1.0, ""},
		{TypeDouble, "-.5e-3D", -0.0005, ""},
		{TypeDouble, " NaN", nan, ""},
		{TypeDouble, "-NaN", nan, ""},
		{TypeDouble, "+Infinity", math.Inf(1), ""},
		{TypeDouble, "Infinity ", math.Inf(1), ""},
		{TypeDouble, "-Infinity", math.Inf(-1), ""},
		{TypeDouble, ".5", 0.5, ""},
		{TypeDouble, "5.", 5.0, ""},
		{TypeDouble, "-0", math.Copysign(0, -1), ""},
		{TypeDouble, "1e400", math.Inf(1), ""},
		{TypeDouble, "4.9e-325", 0.0, ""},
		{TypeDouble, "2.4703282292062328e-324", math.Float64frombits(1), ""},
		{TypeDouble, "0x1.fffffffffffff8p1023", math.Inf(1), ""},
		{TypeDouble, "1_0", nil, "Invalid value 1_0 for configuration k: Not a number of type DOUBLE"},
		{TypeDouble, "nan", nil, "Invalid value nan for configuration k: Not a number of type DOUBLE"},
		{TypeDouble, "infinity", nil, "Invalid value infinity for configuration k: Not a number of type DOUBLE"},
		{TypeDouble, "NaNd", nil, "Invalid value NaNd for configuration k: Not a number of type DOUBLE"},
		{TypeDouble, "0x1", nil, "Invalid value 0x1 for configuration k: Not a number of type DOUBLE"},
		{TypeDouble, "1e", nil, "Invalid value 1e for configuration k: Not a number of type DOUBLE"},
		{TypeDouble, ".", nil, "Invalid value . for configuration k: Not a number of type DOUBLE"},
		{TypeDouble, "٣", nil, "Invalid value ٣ for configuration k: Not a number of type DOUBLE"},
		{TypeList, "", []string{}, ""},
		{TypeList, "  ", []string{}, ""},
		{TypeList, "a", []string{"a"}, ""},
		{TypeList, " a , b ", []string{"a", "b"}, ""},
		{TypeList, "a,,b", []string{"a", "", "b"}, ""},
		{TypeList, "a,", []string{"a", ""}, ""},
		{TypeList, ",a", []string{"", "a"}, ""},
		{TypeList, "a\v,\vb", []string{"a", "b"}, ""}, // Java's \s includes VT
		{TypeList, "a\u00a0,b", []string{"a\u00a0", "b"}, ""},
	}
	for _, c := range cases {
		t.Run(c.typ.String()+"/"+strconv.Quote(c.raw), func(t *testing.T) {
			got, err := ParseConfigValue("k", c.typ, c.raw)
			if c.want == nil {
				if err == nil {
					t.Fatalf("got %#v, want error %q", got, c.msg)
				}
				var ce *ConfigError
				if !errors.As(err, &ce) {
					t.Fatalf("error %T is not a ConfigError", err)
				}
				if err.Error() != c.msg {
					t.Fatalf("error %q, want %q", err.Error(), c.msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if f, ok := c.want.(float64); ok {
				g, ok := got.(float64)
				if !ok || math.Float64bits(g) != math.Float64bits(f) {
					t.Fatalf("got %#v (%x), want %v (%x)", got, math.Float64bits(g), f, math.Float64bits(f))
				}
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestPasswordNeverPrints(t *testing.T) {
	p := NewPassword("hunter2")
	for _, s := range []string{fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s", p, p, p, p), fmt.Sprint([]any{p})} {
		if strings.Contains(s, "hunter2") {
			t.Fatalf("secret printed: %q", s)
		}
	}
	if p.Value() != "hunter2" {
		t.Fatal("Value lost the secret")
	}
}

func cfgFloatPtr(f float64) *float64 { return &f }

func TestValidators(t *testing.T) {
	cases := []struct {
		name string
		v    Validator
		val  any
		msg  string // "" = valid
	}{
		{"atLeast ok", AtLeast(1), int32(1), ""},
		{"atLeast int", AtLeast(1), int32(0), "Invalid value 0 for configuration k: Value must be at least 1"},
		{"atLeast long", AtLeast(0), int64(-5), "Invalid value -5 for configuration k: Value must be at least 0"},
		{"atLeast double", AtLeast(0), -0.5, "Invalid value -0.5 for configuration k: Value must be at least 0.0"},
		{"between max", Between(1, 10), int16(11), "Invalid value 11 for configuration k: Value must be no more than 10"},
		{"between ok", Between(1, 10), int16(10), ""},
		{"range null", AtLeast(1), nil, "Invalid value null for configuration k: Value must be non-null"},
		{"max only", Range{Max: cfgFloatPtr(3)}, int32(4), "Invalid value 4 for configuration k: Value must be no more than 3"},
		{"valid string ok", ValidString{"none", "all"}, "all", ""},
		{"valid string case", ValidString{"none", "all"}, "ALL", "Invalid value ALL for configuration k: String must be one of: none, all"},
		{"valid string null", ValidString{"none", "all"}, nil, "Invalid value null for configuration k: String must be one of: none, all"},
		{"ci ok", CaseInsensitiveValidString{"requested", "required"}, "ReQuired", ""},
		{"ci sharp s", CaseInsensitiveValidString{"class"}, "claß", ""},
		{"ci kelvin", CaseInsensitiveValidString{"k"}, "\u212a", "Invalid value \u212a for configuration k: String must be one of (case insensitive): K"},
		{"ci hash order", CaseInsensitiveValidString{"only_scan", "hybrid_warn", "hybrid_fail", "service_load"}, "x",
			"Invalid value x for configuration k: String must be one of (case insensitive): ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL"},
		{"ci null", CaseInsensitiveValidString{"a"}, nil, "Invalid value null for configuration k: String must be one of (case insensitive): A"},
		{"non-empty ok", NonEmptyString{}, "x", ""},
		{"non-empty null", NonEmptyString{}, nil, ""},
		{"non-empty", NonEmptyString{}, "", "Invalid value  for configuration k: String must be non-empty"},
		{"non-null", NonNull{}, nil, "Invalid value null for configuration k: entry must be non null"},
		{"non-null ok", NonNull{}, "", ""},
		{"non-empty list", NonEmptyList{}, []string{}, "Invalid value [] for configuration k: Empty list"},
		{"non-empty list ok", NonEmptyList{}, []string{""}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.v.Validate("k", c.val)
			if c.msg == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if err == nil || err.Error() != c.msg {
				t.Fatalf("got %v, want %q", err, c.msg)
			}
			if ErrorClass(err) != "ConfigException" {
				t.Fatalf("class %s", ErrorClass(err))
			}
		})
	}
}

func TestValidatorDocs(t *testing.T) {
	cases := map[string]Validator{
		"[1,...]":          AtLeast(1),
		"[1,...,10]":       Between(1, 10),
		"[...]":            Range{},
		"[none, all]":      ValidString{"none", "all"},
		"non-empty string": NonEmptyString{},
		"non-null string":  NonNull{},
		"non-empty list":   NonEmptyList{},
		"(case insensitive) [ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL]": CaseInsensitiveValidString{"only_scan", "hybrid_warn", "hybrid_fail", "service_load"},
	}
	for want, v := range cases {
		if got := v.String(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestConfigDefParse(t *testing.T) {
	d := NewConfigDef().
		Define(ConfigKey{Name: "req", Type: TypeString, Default: NoDefault}).
		Define(ConfigKey{Name: "n", Type: TypeInt, Default: "5", Validator: AtLeast(1)}).
		Define(ConfigKey{Name: "l", Type: TypeList}).
		Define(ConfigKey{Name: "bad.default", Type: TypeInt, Default: int32(0), Validator: AtLeast(1)})
	if _, err := d.Parse(map[string]string{"n": "2", "bad.default": "3"}); err == nil ||
		err.Error() != `Missing required configuration "req" which has no default value.` {
		t.Fatalf("missing: %v", err)
	}
	// validators run on defaults too
	if _, err := d.Parse(map[string]string{"req": "x"}); err == nil ||
		err.Error() != "Invalid value 0 for configuration bad.default: Value must be at least 1" {
		t.Fatalf("default validation: %v", err)
	}
	c, err := d.Parse(map[string]string{"req": " x ", "bad.default": "2", "extra": "y"})
	if err != nil {
		t.Fatal(err)
	}
	if c.String("req") != "x" || c.Int("n") != 5 || c.List("l") != nil || c.Int("bad.default") != 2 {
		t.Fatalf("values: %q %d %v %d", c.String("req"), c.Int("n"), c.List("l"), c.Int("bad.default"))
	}
	if c.Originals()["extra"] != "y" {
		t.Fatal("originals lost an unknown key")
	}
	errs := d.ValidateAll(map[string]string{"n": "0", "bad.default": "x"})
	if len(errs) != 3 {
		t.Fatalf("ValidateAll: %v", errs)
	}
}

func TestWithPrefix(t *testing.T) {
	m := map[string]string{"a.": "1", "a.b": " 2 ", "ab": "3", "a.b.c": "4"}
	got := WithPrefix(m, "a.")
	want := map[string]string{"b": " 2 ", "b.c": "4"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestJavaTrim(t *testing.T) {
	for in, want := range map[string]string{
		"\x00\x1f a \x20": "a",
		"\u00a0a":         "\u00a0a",
		"":                "",
		" \t\n":           "",
		"\u3000x":         "\u3000x",
	} {
		if got := JavaTrim(in); got != want {
			t.Errorf("JavaTrim(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJavaHashSetOrder(t *testing.T) {
	if h := JavaStringHash("hello"); h != 99162322 {
		t.Fatalf("hash %d", h)
	}
	if h := JavaStringHash("😀"); h != 1772899 {
		t.Fatalf("surrogate hash %d", h)
	}
	got := JavaHashSetOrder([]string{"ONLY_SCAN", "HYBRID_WARN", "HYBRID_FAIL", "SERVICE_LOAD", "ONLY_SCAN"})
	want := []string{"ONLY_SCAN", "SERVICE_LOAD", "HYBRID_WARN", "HYBRID_FAIL"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

// refParseInt is an independent model of Integer.parseInt for FuzzParseConfigValue.
func refParseInt(s string) (int32, bool) {
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var digits strings.Builder
	for _, r := range s {
		if r > 0xFFFF || !unicode.Is(unicode.Nd, r) {
			return 0, false
		}
		digits.WriteByte(byte('0' + JavaDigit(r)))
	}
	txt := digits.String()
	if neg {
		txt = "-" + txt
	}
	n, err := strconv.ParseInt(txt, 10, 32)
	return int32(n), err == nil
}

func FuzzParseConfigValue(f *testing.F) {
	for _, s := range []string{"1", "-2147483648", "2147483648", " +7 ", "١٢٣", "𝟙", "1e3", "0x1p3", "NaN", "a,,b", "true"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range []ConfigType{TypeBoolean, TypeString, TypeInt, TypeShort, TypeLong, TypeDouble, TypeList, TypeClass, TypePassword} {
			_, _ = ParseConfigValue("k", typ, s)
		}
		got, err := ParseConfigValue("k", TypeInt, s)
		want, ok := refParseInt(JavaTrim(s))
		if ok != (err == nil) {
			t.Fatalf("%q: ParseConfigValue err=%v, reference ok=%v", s, err, ok)
		}
		if ok && got.(int32) != want {
			t.Fatalf("%q: got %v, reference %d", s, got, want)
		}
	})
}

func FuzzParseJavaDouble(f *testing.F) {
	for _, s := range []string{"1e3", "0x1p3", "1.5f", " NaN", "+Infinity", ".5", "5.", "1_0", "Infinity ", "0x.8p-1074", "1e-400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseJavaDouble(s)
		if err != nil {
			return
		}
		// A decimal result re-parses to the same bits from Go's shortest form.
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			back, err := ParseJavaDouble(strconv.FormatFloat(v, 'g', -1, 64))
			if err != nil || math.Float64bits(back) != math.Float64bits(v) {
				t.Fatalf("%q → %v does not round-trip: %v %v", s, v, back, err)
			}
		}
		// Every accepted string is a Java literal body: no letters other than
		// the exponent, hex digits, x/p, NaN/Infinity and a type suffix.
		if math.IsNaN(v) && !strings.Contains(s, "NaN") {
			t.Fatalf("%q parsed as NaN", s)
		}
	})
}
