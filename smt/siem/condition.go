package siem

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"sluice.io/sluice"
	"sluice.io/sluice/expr"
	"sluice.io/sluice/expr/jregex"
)

// Condition keys, relative to a condition's prefix.
const (
	CondIf     = "if"
	CondIfMode = "if_mode"
	CondIfData = "if_data"
)

// IfMode is how a condition tests its input.
type IfMode uint8

// Condition modes. The first five are the Java library's; ModeCEL is a
// Sluice extension testing the whole record with a CEL expression.
const (
	ModeMatch IfMode = iota
	ModeFind
	ModeEq
	ModeContain
	ModeIn
	ModeCEL
)

var ifModeNames = [...]string{"MATCH", "FIND", "EQ", "CONTAIN", "IN", "CEL"}

// String returns the mode name.
func (m IfMode) String() string { return ifModeNames[m] }

// ifModeEnumClass is how Java names the mode enum in its error messages.
const ifModeEnumClass = "class com.vrudenskyi.kafka.connect.transform.IfRegex$IfMode"

// conditionDef documents the condition keys (their parsing is done by
// ParseCondition, which reads them under a prefix).
var conditionDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: CondIf, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
		Doc: "Regex (modes find, match), literal (eq, contain), comma-separated list (in) or CEL expression (cel). The condition applies only when this key is present."}).
	Define(sluice.ConfigKey{Name: CondIfMode, Type: sluice.TypeString, Default: "FIND", Importance: sluice.Low,
		Validator: sluice.ValidatorFunc{Fn: validateIfMode, Desc: "[MATCH, FIND, EQ, CONTAIN, IN, CEL]"},
		Doc:       "How `if` is tested, case-insensitive: find (regex found), match (regex matches all), eq (equal), contain (substring), in (member of the list), cel (CEL expression on the record)."}).
	Define(sluice.ConfigKey{Name: CondIfData, Type: sluice.TypeString, Default: nil, Importance: sluice.Low,
		Doc: "Expression producing the text to test, for transformations with one transformation-wide condition."})

// Condition is the SIEM library's IfRegex: an optional test of a string.
type Condition struct {
	configured bool
	src        string
	mode       IfMode
	re         *jregex.Regexp
	set        map[string]struct{}
	data       *expr.Template // nil when if_data is absent
	cel        celProgram
}

// equalsIgnoreCase is Java's String.equalsIgnoreCase.
func equalsIgnoreCase(a, b string) bool {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	if len(ua) != len(ub) {
		return false
	}
	for i := range ua {
		x, y := rune(ua[i]), rune(ub[i])
		if x == y {
			continue
		}
		ux, uy := unicode.ToUpper(x), unicode.ToUpper(y)
		if ux == uy || unicode.ToLower(ux) == unicode.ToLower(uy) {
			continue
		}
		return false
	}
	return true
}

func parseIfMode(s string) (IfMode, bool) {
	for i, n := range ifModeNames {
		if equalsIgnoreCase(n, s) {
			return IfMode(i), true
		}
	}
	return 0, false
}

func validateIfMode(name string, v any) error {
	s, _ := v.(string)
	if _, ok := parseIfMode(s); !ok {
		return &sluice.ConfigError{Name: name, Value: v, Msg: "Invalid value for enum: " + ifModeEnumClass}
	}
	return nil
}

// ParseCondition reads the condition keys under prefix (e.g. "condition."
// or "rules.r.") of cfg, Kafka-parsed (values trimmed), and compiles it: an
// invalid mode is a ConfigError, an invalid regex a *jregex.SyntaxError.
func ParseCondition(cfg map[string]string, prefix string) (*Condition, error) {
	sub := cfg
	if prefix != "" {
		sub = sluice.WithPrefix(cfg, prefix)
	}
	c, err := conditionDef.Parse(sub)
	if err != nil {
		return nil, err
	}
	mode, _ := parseIfMode(c.String(CondIfMode))
	cond := &Condition{mode: mode}
	if p := c.StringOrNil(CondIf); p != nil {
		cond.configured = true
		cond.src = *p
	}
	if d := c.StringOrNil(CondIfData); d != nil {
		if cond.data, err = expr.CompileTemplate(*d); err != nil {
			return nil, err
		}
	}
	if !cond.configured || expr.JavaIsBlank(cond.src) {
		return cond, nil
	}
	switch mode {
	case ModeFind, ModeMatch:
		if cond.re, err = jregex.Compile(cond.src); err != nil {
			return nil, err
		}
	case ModeIn:
		items := sluice.SplitList(cond.src)
		cond.set = make(map[string]struct{}, len(items))
		for _, it := range items {
			cond.set[it] = struct{}{}
		}
	case ModeCEL:
		if cond.cel, err = compileCEL(cond.src); err != nil {
			return nil, err
		}
	}
	return cond, nil
}

// Configured reports whether the condition has an `if` key (even an empty
// one); an unconfigured condition is not tested by the transformations.
func (c *Condition) Configured() bool { return c != nil && c.configured }

// Mode returns the condition's mode.
func (c *Condition) Mode() IfMode { return c.mode }

// HasData reports whether if_data is set.
func (c *Condition) HasData() bool { return c.data != nil }

// Data evaluates if_data on r, or def when if_data is absent (def is then
// evaluated as an expression too, as Java does with its default ${VALUE}).
func (c *Condition) Data(r *sluice.Record, def *expr.Template) (string, error) {
	t := c.data
	if t == nil {
		t = def
	}
	return t.Eval(r)
}

// Test tests a string (s == nil is Java null): find and match raise
// NullPointerException on null; eq, contain and in are false for it. In
// mode cel, Test fails: use TestWith.
func (c *Condition) Test(s *string) (bool, error) {
	switch c.mode {
	case ModeEq:
		return s != nil && c.configured && c.src == *s, nil
	case ModeContain:
		return c.configured && s != nil && !expr.JavaIsBlank(*s) && strings.Contains(*s, c.src), nil
	case ModeIn:
		if c.set == nil || s == nil || expr.JavaIsBlank(*s) {
			return false, nil
		}
		_, ok := c.set[*s]
		return ok, nil
	case ModeFind, ModeMatch:
		if c.re == nil {
			return false, nil
		}
		if s == nil {
			return false, sluice.NewJavaError("NullPointerException",
				"condition %q: cannot test a null value", c.src)
		}
		var ok bool
		var err error
		if c.mode == ModeFind {
			ok, err = c.re.FindErr(*s)
		} else {
			ok, err = c.re.MatchesErr(*s)
		}
		if err != nil {
			return false, sluice.NewJavaError("RuntimeException", "condition %q: %v", c.src, err)
		}
		return ok, nil
	case ModeCEL:
		return false, sluice.NewJavaError("IllegalStateException", "condition %q: a cel condition tests a record", c.src)
	}
	return false, nil
}

// TestWith tests the string s taken from record r: mode cel evaluates the
// expression on r, the other modes test s.
func (c *Condition) TestWith(r *sluice.Record, s *string) (bool, error) {
	if c.mode == ModeCEL {
		if c.cel == nil {
			return false, nil
		}
		return c.cel.Eval(r)
	}
	return c.Test(s)
}

// valueExpr is the default if_data of AddHeader, ExtractField and
// RemoveField.
var valueExpr = expr.MustCompileTemplate("${VALUE}")

// TestRecord tests a transformation-wide condition on r: mode cel evaluates
// the expression on r; the other modes test if_data (default ${VALUE})
// evaluated on r.
func (c *Condition) TestRecord(r *sluice.Record) (bool, error) {
	if c.mode == ModeCEL {
		return c.TestWith(r, nil)
	}
	s, err := c.Data(r, valueExpr)
	if err != nil {
		return false, err
	}
	return c.Test(&s)
}
