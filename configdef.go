package sluice

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// ConfigType is the type of a configuration key (Kafka's ConfigDef.Type).
type ConfigType uint8

// The configuration key types.
const (
	TypeBoolean ConfigType = iota + 1
	TypeString
	TypeInt
	TypeShort
	TypeLong
	TypeDouble
	TypeList
	TypeClass
	TypePassword
)

var configTypeNames = [...]string{"", "BOOLEAN", "STRING", "INT", "SHORT", "LONG", "DOUBLE", "LIST", "CLASS", "PASSWORD"}

// String returns Kafka's name of the type, e.g. "INT".
func (t ConfigType) String() string {
	if int(t) < len(configTypeNames) {
		return configTypeNames[t]
	}
	return "UNKNOWN"
}

// Importance ranks a configuration key in documentation.
type Importance uint8

// Importance levels.
const (
	High Importance = iota + 1
	Medium
	Low
)

// String returns "HIGH", "MEDIUM" or "LOW".
func (i Importance) String() string {
	switch i {
	case High:
		return "HIGH"
	case Medium:
		return "MEDIUM"
	}
	return "LOW"
}

// Password is a secret configuration value; it prints as "[hidden]".
type Password struct{ value string }

// NewPassword wraps a secret.
func NewPassword(s string) Password { return Password{s} }

// Value returns the secret itself.
func (p Password) Value() string { return p.value }

// String returns "[hidden]" so that secrets never reach logs.
func (p Password) String() string { return "[hidden]" }

// GoString returns "[hidden]".
func (p Password) GoString() string { return "[hidden]" }

// Validator checks a parsed configuration value (Kafka's ConfigDef.Validator).
// Implementations return a *ConfigError in Kafka's words.
type Validator interface {
	Validate(name string, value any) error
	// String describes the valid values for the docs, e.g. "[1,...]".
	String() string
}

// noDefault marks a required key.
type noDefault struct{}

// NoDefault is the Default of a required key.
var NoDefault any = noDefault{}

// ConfigKey defines one configuration key.
type ConfigKey struct {
	Name       string
	Type       ConfigType
	Default    any // NoDefault for a required key; a string default is parsed by Define
	Validator  Validator
	Importance Importance
	Doc        string
	Group      string
	// Internal keys are parsed but not documented.
	Internal bool
}

// Required reports whether the key has no default.
func (k *ConfigKey) Required() bool { return k.Default == NoDefault }

// ConfigDef is an ordered set of configuration keys; it parses and validates
// raw string properties exactly as Kafka's ConfigDef does.
type ConfigDef struct {
	keys  []*ConfigKey
	index map[string]*ConfigKey
}

// NewConfigDef returns an empty definition.
func NewConfigDef() *ConfigDef { return &ConfigDef{index: map[string]*ConfigKey{}} }

// Define adds a key. A string Default for a non-string type is parsed now; a
// duplicate name or an unparsable default panics (a programming error).
func (d *ConfigDef) Define(k ConfigKey) *ConfigDef {
	if _, dup := d.index[k.Name]; dup {
		panic("sluice: configuration key " + k.Name + " defined twice")
	}
	if s, ok := k.Default.(string); ok && k.Type != TypeString && k.Type != TypeClass {
		v, err := ParseConfigValue(k.Name, k.Type, s)
		if err != nil {
			panic("sluice: default of " + k.Name + ": " + err.Error())
		}
		k.Default = v
	}
	if k.Default == nil && k.Type == TypeList {
		k.Default = []string(nil)
	}
	kk := k
	d.keys = append(d.keys, &kk)
	d.index[k.Name] = &kk
	return d
}

// Keys returns the keys in definition order.
func (d *ConfigDef) Keys() []*ConfigKey { return d.keys }

// Key returns the named key, or nil.
func (d *ConfigDef) Key(name string) *ConfigKey { return d.index[name] }

// Parse parses and validates props against the definition, failing on the
// first error in definition order (Kafka's ConfigDef.parse).
func (d *ConfigDef) Parse(props map[string]string) (*Config, error) {
	c := &Config{def: d, values: make(map[string]any, len(d.keys)), originals: props}
	for _, k := range d.keys {
		v, err := d.parseKey(k, props)
		if err != nil {
			return nil, err
		}
		c.values[k.Name] = v
	}
	return c, nil
}

// ValidateAll parses every key and returns every error (for `sluice validate`
// and REST validation), in definition order.
func (d *ConfigDef) ValidateAll(props map[string]string) []error {
	var errs []error
	for _, k := range d.keys {
		if _, err := d.parseKey(k, props); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func (d *ConfigDef) parseKey(k *ConfigKey, props map[string]string) (any, error) {
	var v any
	if raw, ok := props[k.Name]; ok {
		p, err := ParseConfigValue(k.Name, k.Type, raw)
		if err != nil {
			return nil, err
		}
		v = p
	} else if k.Required() {
		return nil, MissingConfig(k.Name)
	} else {
		v = k.Default
	}
	if k.Validator != nil {
		if err := k.Validator.Validate(k.Name, v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// JavaTrim trims like Java's String.trim: every char <= U+0020 at both ends.
func JavaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// listSplit is Java's \s*,\s* (Java's \s includes the vertical tab).
var listSplit = regexp.MustCompile(`[ \t\n\x0B\f\r]*,[ \t\n\x0B\f\r]*`)

// SplitList splits a LIST value the way Kafka does: trimmed, empty → empty
// list, else split on \s*,\s* keeping empty items.
func SplitList(s string) []string {
	t := JavaTrim(s)
	if t == "" {
		return []string{}
	}
	if !strings.Contains(t, ",") {
		return []string{t}
	}
	return listSplit.Split(t, -1)
}

// ParseConfigValue parses one raw value of the given type with Kafka's
// ConfigDef.parseType rules, returning bool, string, int32, int16, int64,
// float64, []string or Password.
func ParseConfigValue(name string, t ConfigType, raw string) (any, error) {
	trimmed := JavaTrim(raw)
	switch t {
	case TypeBoolean:
		// Java's equalsIgnoreCase: per-char upper- or lower-case equality.
		switch {
		case strings.EqualFold(trimmed, "true"):
			return true, nil
		case strings.EqualFold(trimmed, "false"):
			return false, nil
		}
		return nil, &ConfigError{Name: name, Value: raw, Msg: "Expected value to be either true or false"}
	case TypeString, TypeClass:
		return trimmed, nil
	case TypePassword:
		return Password{trimmed}, nil
	case TypeInt, TypeShort, TypeLong:
		bits := map[ConfigType]int{TypeInt: 32, TypeShort: 16, TypeLong: 64}[t]
		n, err := ParseJavaInt(trimmed, bits)
		if err != nil {
			return nil, &ConfigError{Name: name, Value: raw, Msg: "Not a number of type " + t.String()}
		}
		switch t {
		case TypeInt:
			return int32(n), nil
		case TypeShort:
			return int16(n), nil
		}
		return n, nil
	case TypeDouble:
		f, err := ParseJavaDouble(trimmed)
		if err != nil {
			return nil, &ConfigError{Name: name, Value: raw, Msg: "Not a number of type DOUBLE"}
		}
		return f, nil
	case TypeList:
		return SplitList(raw), nil
	}
	return nil, &ConfigError{Name: name, Value: raw, Msg: "Unknown type"}
}

var errNumber = errors.New("not a number")

// javaNaN is Java's canonical Double.NaN (bits 0x7ff8000000000000), which
// Double.parseDouble returns; Go's math.NaN() has different bits.
var javaNaN = math.Float64frombits(0x7ff8000000000000)

// ParseJavaInt parses like Java's Integer/Short/Long.parseX(s, 10): an
// optional sign then decimal digits (any Unicode decimal digit, as Java's
// Character.digit accepts), range-checked to the given bit size.
func ParseJavaInt(s string, bits int) (int64, error) {
	if s == "" {
		return 0, errNumber
	}
	neg := false
	rs := []rune(s)
	i := 0
	if rs[0] == '-' || rs[0] == '+' {
		neg = rs[0] == '-'
		i++
		if len(rs) == 1 {
			return 0, errNumber
		}
	}
	limit := uint64(1) << (bits - 1) // magnitude limit for negative numbers
	var acc uint64
	for ; i < len(rs); i++ {
		if rs[i] > 0xFFFF {
			// Java sees a supplementary character as two surrogate chars,
			// neither of which is a digit.
			return 0, errNumber
		}
		d := JavaDigit(rs[i])
		if d < 0 {
			return 0, errNumber
		}
		if acc > limit/10 {
			return 0, errNumber
		}
		acc = acc*10 + uint64(d)
		if acc > limit {
			return 0, errNumber
		}
	}
	if neg {
		return -int64(acc), nil
	}
	if acc > limit-1 {
		return 0, errNumber
	}
	return int64(acc), nil
}

// JavaDigit returns the decimal value of a Unicode decimal digit, or -1
// (Java's Character.digit(c, 10) for Nd characters).
func JavaDigit(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return -1
	}
	start := r
	for unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return int(r-start) % 10
}

// ParseJavaDouble parses like Java's Double.parseDouble: surrounding
// whitespace (<= U+0020) ignored, optional sign, decimal or hexadecimal
// (with a binary exponent) significand, "NaN", "Infinity", and an optional
// trailing f/F/d/D.
func ParseJavaDouble(s string) (float64, error) {
	s = JavaTrim(s)
	if s == "" {
		return 0, errNumber
	}
	body := s
	sign := 1.0
	if body[0] == '+' || body[0] == '-' {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	switch body {
	case "NaN":
		return javaNaN, nil
	case "Infinity":
		return math.Inf(int(sign)), nil
	}
	if n := len(body); n > 0 && strings.ContainsRune("fFdD", rune(body[n-1])) {
		body = body[:n-1]
	}
	if !javaFloatSyntax(body) {
		return 0, errNumber
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return sign * f, nil
		}
		return 0, errNumber
	}
	return sign * f, nil
}

func isDigits(s string, hex bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
			return false
		}
	}
	return true
}

// javaFloatSyntax checks the unsigned body of a Java floating literal.
func javaFloatSyntax(b string) bool {
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		rest := b[2:]
		p := strings.IndexAny(rest, "pP")
		if p < 0 {
			return false
		}
		mant, exp := rest[:p], rest[p+1:]
		ip, fp, _ := strings.Cut(mant, ".")
		if ip+fp == "" || !isDigits(ip, true) || !isDigits(fp, true) {
			return false
		}
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		return exp != "" && isDigits(exp, false)
	}
	mant, exp, hasExp := b, "", false
	if e := strings.IndexAny(b, "eE"); e >= 0 {
		mant, exp, hasExp = b[:e], b[e+1:], true
	}
	ip, fp, _ := strings.Cut(mant, ".")
	if ip+fp == "" || !isDigits(ip, false) || !isDigits(fp, false) {
		return false
	}
	if hasExp {
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		return exp != "" && isDigits(exp, false)
	}
	return true
}

// Config is a parsed configuration: typed values by key plus the raw originals.
type Config struct {
	def       *ConfigDef
	values    map[string]any
	originals map[string]string
}

// Get returns the parsed value of a key (nil when unset without default).
func (c *Config) Get(name string) any { return c.values[name] }

// String returns a STRING or CLASS value ("" when null).
func (c *Config) String(name string) string {
	s, _ := c.values[name].(string)
	return s
}

// StringOrNil returns a STRING value, or nil when it is Java null.
func (c *Config) StringOrNil(name string) *string {
	if s, ok := c.values[name].(string); ok {
		return &s
	}
	return nil
}

// Int returns an INT value.
func (c *Config) Int(name string) int32 { v, _ := c.values[name].(int32); return v }

// Short returns a SHORT value.
func (c *Config) Short(name string) int16 { v, _ := c.values[name].(int16); return v }

// Long returns a LONG value.
func (c *Config) Long(name string) int64 { v, _ := c.values[name].(int64); return v }

// Double returns a DOUBLE value.
func (c *Config) Double(name string) float64 { v, _ := c.values[name].(float64); return v }

// Bool returns a BOOLEAN value.
func (c *Config) Bool(name string) bool { v, _ := c.values[name].(bool); return v }

// List returns a LIST value.
func (c *Config) List(name string) []string { v, _ := c.values[name].([]string); return v }

// Password returns a PASSWORD value.
func (c *Config) Password(name string) Password { v, _ := c.values[name].(Password); return v }

// Originals returns the raw properties the config was parsed from.
func (c *Config) Originals() map[string]string { return c.originals }

// OriginalsWithPrefix returns every original key that starts with prefix and
// is longer than it, with the prefix stripped (Kafka's originalsWithPrefix).
func (c *Config) OriginalsWithPrefix(prefix string) map[string]string {
	return WithPrefix(c.originals, prefix)
}

// WithPrefix returns the entries of m whose key starts with prefix and is
// longer than it, with the prefix stripped.
func WithPrefix(m map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if len(k) > len(prefix) && strings.HasPrefix(k, prefix) {
			out[k[len(prefix):]] = v
		}
	}
	return out
}

// Range validates that a number lies within [Min, Max]; a nil bound is open.
type Range struct{ Min, Max *float64 }

// AtLeast returns a Range with only a lower bound.
func AtLeast(min float64) Range { return Range{Min: &min} }

// Between returns a closed Range.
func Between(min, max float64) Range { return Range{Min: &min, Max: &max} }

// Validate implements Validator.
func (r Range) Validate(name string, v any) error {
	if v == nil {
		return &ConfigError{Name: name, Value: nil, Msg: "Value must be non-null"}
	}
	var f float64
	switch n := v.(type) {
	case int16:
		f = float64(n)
	case int32:
		f = float64(n)
	case int64:
		f = float64(n)
	case float64:
		f = n
	}
	if r.Min != nil && f < *r.Min {
		return &ConfigError{Name: name, Value: v, Msg: "Value must be at least " + fmtBound(*r.Min, v)}
	}
	if r.Max != nil && f > *r.Max {
		return &ConfigError{Name: name, Value: v, Msg: "Value must be no more than " + fmtBound(*r.Max, v)}
	}
	return nil
}

func fmtBound(b float64, v any) string {
	if _, ok := v.(float64); ok {
		return FormatJavaDouble(b)
	}
	return strconv.FormatInt(int64(b), 10)
}

// String implements Validator.
func (r Range) String() string {
	switch {
	case r.Min == nil && r.Max == nil:
		return "[...]"
	case r.Min == nil:
		return "[...," + fmtBound(*r.Max, int64(0)) + "]"
	case r.Max == nil:
		return "[" + fmtBound(*r.Min, int64(0)) + ",...]"
	}
	return "[" + fmtBound(*r.Min, int64(0)) + ",...," + fmtBound(*r.Max, int64(0)) + "]"
}

// ValidString accepts only the listed strings (case-sensitive); like Kafka's,
// it rejects null too.
type ValidString []string

// Validate implements Validator.
func (vs ValidString) Validate(name string, v any) error {
	s, ok := v.(string)
	if !ok {
		return &ConfigError{Name: name, Value: v, Msg: "String must be one of: " + strings.Join(vs, ", ")}
	}
	for _, x := range vs {
		if x == s {
			return nil
		}
	}
	return &ConfigError{Name: name, Value: v, Msg: "String must be one of: " + strings.Join(vs, ", ")}
}

// String implements Validator.
func (vs ValidString) String() string { return "[" + strings.Join(vs, ", ") + "]" }

// CaseInsensitiveValidString accepts the listed strings in any case: like
// Kafka's, it compares Java toUpperCase(Locale.ROOT) forms, rejects null, and
// lists the upper-cased strings in Java HashSet order in its messages.
type CaseInsensitiveValidString []string

// Validate implements Validator.
func (vs CaseInsensitiveValidString) Validate(name string, v any) error {
	s, ok := v.(string)
	if ok {
		u := JavaUpperCase(s)
		for _, x := range vs {
			if JavaUpperCase(x) == u {
				return nil
			}
		}
	}
	return &ConfigError{Name: name, Value: v, Msg: "String must be one of (case insensitive): " + vs.upperSet()}
}

func (vs CaseInsensitiveValidString) upperSet() string {
	up := make([]string, len(vs))
	for i, x := range vs {
		up[i] = JavaUpperCase(x)
	}
	return strings.Join(JavaHashSetOrder(up), ", ")
}

// String implements Validator.
func (vs CaseInsensitiveValidString) String() string {
	return "(case insensitive) [" + vs.upperSet() + "]"
}

// javaUpperSpecial holds Java's full (one-to-many) upper-case mappings that
// Go's per-rune mapping lacks and that matter for ASCII comparisons.
var javaUpperSpecial = map[rune]string{
	'ß': "SS", 'ﬀ': "FF", 'ﬁ': "FI", 'ﬂ': "FL", 'ﬃ': "FFI", 'ﬄ': "FFL", 'ﬅ': "ST", 'ﬆ': "ST",
}

// JavaUpperCase approximates Java's String.toUpperCase(Locale.ROOT): per-rune
// upper-casing plus the full mappings of ß and the Latin ligatures.
func JavaUpperCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if sp, ok := javaUpperSpecial[r]; ok {
			b.WriteString(sp)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// JavaStringHash is Java's String.hashCode over the UTF-16 units of s.
func JavaStringHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			h = 31*h + int32(0xD800+(r>>10))
			h = 31*h + int32(0xDC00+(r&0x3FF))
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

// JavaHashSetOrder returns the distinct strings in the iteration order of a
// java.util.HashSet they were added to in the given order (no treeified bins).
func JavaHashSetOrder(items []string) []string {
	var uniq []string
	seen := map[string]bool{}
	for _, x := range items {
		if !seen[x] {
			seen[x] = true
			uniq = append(uniq, x)
		}
	}
	n := 16
	for float64(len(uniq)) > 0.75*float64(n) {
		n *= 2
	}
	buckets := make([][]string, n)
	for _, x := range uniq {
		h := uint32(JavaStringHash(x))
		i := (h ^ h>>16) & uint32(n-1)
		buckets[i] = append(buckets[i], x)
	}
	out := make([]string, 0, len(uniq))
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out
}

// NonEmptyString rejects "" (null is allowed).
type NonEmptyString struct{}

// Validate implements Validator.
func (NonEmptyString) Validate(name string, v any) error {
	if s, ok := v.(string); ok && s == "" {
		return &ConfigError{Name: name, Value: v, Msg: "String must be non-empty"}
	}
	return nil
}

// String implements Validator.
func (NonEmptyString) String() string { return "non-empty string" }

// NonNull rejects a null value.
type NonNull struct{}

// Validate implements Validator.
func (NonNull) Validate(name string, v any) error {
	if v == nil {
		return &ConfigError{Name: name, Value: nil, Msg: "entry must be non null"}
	}
	return nil
}

// String implements Validator.
func (NonNull) String() string { return "non-null string" }

// NonEmptyList rejects an empty LIST (Connect's NonEmptyListValidator).
type NonEmptyList struct{}

// Validate implements Validator.
func (NonEmptyList) Validate(name string, v any) error {
	if l, _ := v.([]string); len(l) == 0 {
		return &ConfigError{Name: name, Value: JavaListString(l), Msg: "Empty list"}
	}
	return nil
}

// String implements Validator.
func (NonEmptyList) String() string { return "non-empty list" }

// ValidatorFunc adapts a function (with a doc description) to Validator.
type ValidatorFunc struct {
	Fn   func(name string, v any) error
	Desc string
}

// Validate implements Validator.
func (f ValidatorFunc) Validate(name string, v any) error { return f.Fn(name, v) }

// String implements Validator.
func (f ValidatorFunc) String() string { return f.Desc }

// JavaListString renders a list like Java's List.toString: "[a, b]".
func JavaListString(l []string) string { return "[" + strings.Join(l, ", ") + "]" }

// String renders a Config for logs: passwords stay hidden.
func (c *Config) GoString() string { return fmt.Sprintf("Config%v", c.values) }
