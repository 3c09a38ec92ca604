package siem

import (
	"testing"

	"sluice.io/sluice"
)

func sp(s string) *string { return &s }

func TestCondition(t *testing.T) {
	cases := []struct {
		id         string
		cfg        map[string]string
		in         *string
		configured bool
		want       bool
		errClass   string // from ParseCondition or Test
	}{
		{"IF01", map[string]string{"if": "^a"}, sp("ba"), true, false, ""},
		{"IF02", map[string]string{"if": "a"}, sp("ba"), true, true, ""},
		{"IF03", map[string]string{"if": "a.*", "if_mode": "match"}, sp("abc"), true, true, ""},
		{"IF04", map[string]string{"if": "b", "if_mode": "match"}, sp("abc"), true, false, ""},
		{"IF05", map[string]string{"if": "b", "if_mode": "contain"}, sp("abc"), true, true, ""},
		{"IF06", map[string]string{"if": "b", "if_mode": "contain"}, sp("  "), true, false, ""},
		{"IF07", map[string]string{"if": "a, b ,c", "if_mode": "in"}, sp("b"), true, true, ""},
		{"IF08", map[string]string{"if": "a, b ,c", "if_mode": "in"}, sp(" b"), true, false, ""},
		{"IF09", map[string]string{"if": "x", "if_mode": "eq"}, nil, true, false, ""},
		{"IF10", map[string]string{"if": "x"}, nil, true, false, "NullPointerException"},
		{"IF11", map[string]string{"if": ""}, sp(""), true, false, ""},
		{"IF12", map[string]string{"if": "", "if_mode": "eq"}, sp(""), true, true, ""},
		{"IF13", map[string]string{"if": "  abc  ", "if_mode": "eq"}, sp("abc"), true, true, ""},
		{"IF14", map[string]string{"if_mode": "eq"}, sp("abc"), false, false, ""},
		{"IF15", map[string]string{"if": "(?i)ERROR"}, sp("an error here"), true, true, ""},
		{"IF16", map[string]string{"if": "[unclosed"}, sp("x"), false, false, "PatternSyntaxException"},
		{"IF17", map[string]string{"if": "x", "if_mode": "CONTAINS"}, sp("x"), false, false, "ConfigException"},
		{"IF18", map[string]string{"if": "a,,b,", "if_mode": "in"}, sp(""), true, false, ""},
		{"IF19", map[string]string{"if": "x", "if_mode": "in"}, sp("x"), true, true, ""},
		{"IF20", map[string]string{"if": "x", "if_mode": "match"}, nil, true, false, "NullPointerException"},
		{"mode-Eq", map[string]string{"if": "Test", "if_mode": "Eq"}, sp("test"), true, false, ""},
		{"mode-xxx", map[string]string{"if_mode": "xxx"}, nil, false, false, "ConfigException"},
		{"in-list", map[string]string{"if": "111,222,333,xxx,555", "if_mode": "IN"}, sp("3333"), true, false, ""},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			cfg := map[string]string{}
			for k, v := range c.cfg {
				cfg["condition."+k] = v
			}
			cond, err := ParseCondition(cfg, "condition.")
			if err != nil {
				if c.errClass == "" || errClass(err) != c.errClass {
					t.Fatalf("ParseCondition: %v (class %s), want %q", err, errClass(err), c.errClass)
				}
				return
			}
			if cond.Configured() != c.configured {
				t.Fatalf("Configured() = %v", cond.Configured())
			}
			if !c.configured {
				return
			}
			got, err := cond.Test(c.in)
			if c.errClass != "" {
				if errClass(err) != c.errClass {
					t.Fatalf("Test error %v, want %s", err, c.errClass)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("Test = %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

// errClass maps regex syntax errors to Java's class and the rest through
// sluice.ErrorClass.
func errClass(err error) string {
	if err == nil {
		return ""
	}
	if isSyntax(err) {
		return "PatternSyntaxException"
	}
	return sluice.ErrorClass(err)
}

func TestConditionRecord(t *testing.T) {
	cfg := map[string]string{"condition.if": "prod", "condition.if_mode": "eq", "condition.if_data": "${HEADER.env}"}
	cond, err := ParseCondition(cfg, "condition.")
	if err != nil {
		t.Fatal(err)
	}
	r := &sluice.Record{Topic: "t", Value: "x", Headers: sluice.Headers{{Key: "env", Schema: sluice.StringSchema, Value: "prod"}}}
	if ok, err := cond.TestRecord(r); !ok || err != nil {
		t.Fatalf("TestRecord = %v, %v", ok, err)
	}
	r.Headers[0].Value = "dev"
	if ok, err := cond.TestRecord(r); ok || err != nil {
		t.Fatalf("TestRecord = %v, %v", ok, err)
	}
}

func TestConditionCEL(t *testing.T) {
	cond, err := ParseCondition(map[string]string{"if": `topic == "a" && value.startsWith("ERR")`, "if_mode": "cel"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		topic, value string
		want         bool
	}{{"a", "ERR x", true}, {"a", "INFO", false}, {"b", "ERR", false}} {
		got, err := cond.TestRecord(&sluice.Record{Topic: c.topic, Value: c.value})
		if err != nil || got != c.want {
			t.Errorf("%+v: got %v, %v", c, got, err)
		}
	}
	if _, err := ParseCondition(map[string]string{"if": "topic ==", "if_mode": "CEL"}, ""); sluice.ErrorClass(err) != "ConfigException" {
		t.Fatalf("bad CEL: %v", err)
	}
}
