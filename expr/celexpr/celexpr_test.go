package celexpr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
)

// Fixtures -------------------------------------------------------------------

var innerSchema = &sluice.Schema{Type: sluice.StructType, Optional: true, Fields: []sluice.Field{
	{Name: "ip", Index: 0, Schema: sluice.StringSchema},
}}

var testSchema = &sluice.Schema{Type: sluice.StructType, Name: "event", Fields: []sluice.Field{
	{Name: "name", Index: 0, Schema: sluice.StringSchema},
	{Name: "age", Index: 1, Schema: sluice.Int32Schema},
	{Name: "score", Index: 2, Schema: sluice.Float64Schema},
	{Name: "ok", Index: 3, Schema: sluice.BooleanSchema},
	{Name: "tags", Index: 4, Schema: sluice.ArraySchema(sluice.StringSchema, false)},
	{Name: "attrs", Index: 5, Schema: sluice.MapSchema(sluice.StringSchema, sluice.StringSchema, false)},
	{Name: "inner", Index: 6, Schema: innerSchema},
	{Name: "opt", Index: 7, Schema: sluice.OptionalStringSchema},
	{Name: "def", Index: 8, Schema: &sluice.Schema{Type: sluice.Int32, Optional: true, Default: int32(7)}},
	{Name: "amount", Index: 9, Schema: sluice.DecimalSchema(2, false)},
	{Name: "at", Index: 10, Schema: sluice.TimestampSchema},
	{Name: "data", Index: 11, Schema: sluice.BytesSchema},
	{Name: "small", Index: 12, Schema: sluice.Int8Schema},
	{Name: "ratio", Index: 13, Schema: sluice.Float32Schema},
}}

func mustDecimal(t testing.TB, s string) sluice.Decimal {
	d, err := sluice.ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func structRecord(t testing.TB) *sluice.Record {
	inner := sluice.NewStruct(innerSchema)
	mustPut(t, inner, "ip", "10.0.0.1")
	s := sluice.NewStruct(testSchema)
	attrs := sluice.NewMap(2, false)
	attrs.Put("env", "prod")
	attrs.Put("zone", "eu")
	for _, kv := range []struct {
		k string
		v any
	}{
		{"name", "alice"}, {"age", int32(42)}, {"score", 2.5}, {"ok", true},
		{"tags", []any{"a", "b"}}, {"attrs", attrs}, {"inner", inner},
		{"amount", mustDecimal(t, "12.30")}, {"at", time.UnixMilli(1714564800000).UTC()},
		{"data", []byte("hi")}, {"small", int8(-3)}, {"ratio", float32(0.25)},
	} {
		mustPut(t, s, kv.k, kv.v)
	}
	return &sluice.Record{Topic: "events", KeySchema: sluice.Int64Schema, Key: int64(9),
		ValueSchema: testSchema, Value: s}
}

func mustPut(t testing.TB, s *sluice.Struct, k string, v any) {
	if err := s.Put(k, v); err != nil {
		t.Fatal(err)
	}
}

func mapRecord() *sluice.Record {
	sub := sluice.NewMap(1, true)
	sub.Put("k", "v")
	m := sluice.NewMap(8, true)
	m.Put("action", "DENY")
	m.Put("count", int64(5))
	m.Put("ratio", 0.5)
	m.Put("flag", true)
	m.Put("list", []any{"a", int64(2), nil})
	m.Put("sub", sub)
	m.Put("nul", nil)
	keyed := sluice.NewMap(2, false)
	keyed.Put(int32(1), "one")
	keyed.Put(int64(2), "two")
	return &sluice.Record{Topic: "logs", Key: keyed, Value: m}
}

func stringRecord() *sluice.Record {
	return &sluice.Record{
		Topic: "logs", Partition: 3, HasPartition: true, Timestamp: 1714564800123, HasTimestamp: true,
		KeySchema: sluice.StringSchema, Key: "k1", ValueSchema: sluice.StringSchema, Value: "hello DENY world",
		Headers: sluice.Headers{
			{Key: "x", Schema: sluice.StringSchema, Value: "y"},
			{Key: "dup", Schema: sluice.StringSchema, Value: "first"},
			{Key: "n", Schema: sluice.Int32Schema, Value: int32(42)},
			{Key: "dup", Schema: sluice.StringSchema, Value: "last"},
			{Key: "nul", Schema: sluice.OptionalStringSchema, Value: nil},
			{Key: "flag", Schema: sluice.BooleanSchema, Value: true},
			{Key: "list", Schema: sluice.ArraySchema(sluice.Int32Schema, false), Value: []any{int32(1), int32(2)}},
			{Key: "pat", Schema: sluice.StringSchema, Value: "h.*+"},
			{Key: "badpat", Schema: sluice.StringSchema, Value: "(unclosed"},
		},
	}
}

func tombstone() *sluice.Record {
	return &sluice.Record{Topic: "logs", KeySchema: sluice.StringSchema, Key: "k1"}
}

func primitive(key, value any) *sluice.Record {
	return &sluice.Record{Topic: "t", Key: key, Value: value}
}

// Tests ----------------------------------------------------------------------

type evalCase struct {
	name string
	src  string
	rec  *sluice.Record
	want bool
	err  string // substring of the DataError; "" for success
}

func runCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Compile(c.src)
			if err != nil {
				t.Fatalf("Compile(%q): %v", c.src, err)
			}
			got, err := p.Eval(c.rec)
			if c.err != "" {
				var de *sluice.DataError
				if !errors.As(err, &de) {
					t.Fatalf("Eval(%q) = %v, %v; want a DataError containing %q", c.src, got, err, c.err)
				}
				if !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Eval(%q) error %q; want it to contain %q", c.src, err, c.err)
				}
				if sluice.ErrorClass(err) != "DataException" {
					t.Fatalf("ErrorClass = %s", sluice.ErrorClass(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("Eval(%q): %v", c.src, err)
			}
			if got != c.want {
				t.Fatalf("Eval(%q) = %v; want %v", c.src, got, c.want)
			}
		})
	}
}

func TestRecordVariables(t *testing.T) {
	s := stringRecord()
	tomb := tombstone()
	runCases(t, []evalCase{
		{"topic", `topic == "logs"`, s, true, ""},
		{"topic-startsWith", `topic.startsWith("lo") && !topic.endsWith("x")`, s, true, ""},
		{"partition", `partition == 3`, s, true, ""},
		{"partition-arith", `partition + 1 > 3`, s, true, ""},
		{"partition-null", `partition == null`, tomb, true, ""},
		{"partition-not-null", `partition != null`, s, true, ""},
		{"timestamp", `timestamp == timestamp("2024-05-01T12:00:00.123Z")`, s, true, ""},
		{"timestamp-parts", `timestamp.getFullYear() == 2024 && timestamp.getMilliseconds() == 123`, s, true, ""},
		{"timestamp-compare", `timestamp > timestamp("2024-01-01T00:00:00Z")`, s, true, ""},
		{"timestamp-null", `timestamp == null`, tomb, true, ""},
		{"key-string", `key == "k1"`, s, true, ""},
		{"value-string", `value.contains("DENY") && value.size() == 16`, s, true, ""},
		{"value-type", `type(value) == string`, s, true, ""},
		{"tombstone-value", `value == null`, tomb, true, ""},
		{"tombstone-key-kept", `key == "k1" && value == null`, tomb, true, ""},
		{"tombstone-no-headers", `headers.size() == 0`, tomb, true, ""},
	})
}

func TestHeaders(t *testing.T) {
	s := stringRecord()
	runCases(t, []evalCase{
		{"index", `headers["x"] == "y"`, s, true, ""},
		{"select", `headers.x == "y"`, s, true, ""},
		{"duplicate-last-wins", `headers["dup"] == "last"`, s, true, ""},
		{"typed-int", `headers["n"] == "42" && int(headers.n) == 42`, s, true, ""},
		{"typed-bool", `headers["flag"] == "true"`, s, true, ""},
		{"typed-array", `headers["list"] == "[1,2]"`, s, true, ""},
		{"null-header", `"nul" in headers && headers["nul"] == null`, s, true, ""},
		{"in", `"x" in headers && !("missing" in headers)`, s, true, ""},
		{"has", `has(headers.x) && !has(headers.missing)`, s, true, ""},
		{"size-distinct", `headers.size() == 8`, s, true, ""},
		{"keys-distinct", `headers.filter(k, k == "dup").size() == 1`, s, true, ""},
		{"exists", `headers.exists(k, headers[k] == "last")`, s, true, ""},
		{"optional", `headers.?missing.orValue("none") == "none" && headers.?x.orValue("") == "y"`, s, true, ""},
		{"equal-map", `{"a": "1"} != headers`, s, true, ""},
		{"missing-key", `headers["missing"] == "y"`, s, false, "no such key: missing"},
		{"missing-absorbed", `headers["missing"] == "y" || true`, s, true, ""},
	})
}

func TestStructValue(t *testing.T) {
	r := structRecord(t)
	runCases(t, []evalCase{
		{"string", `value.name == "alice"`, r, true, ""},
		{"int32", `value.age == 42 && value.age > 40`, r, true, ""},
		{"int8", `value.small == -3`, r, true, ""},
		{"float64", `value.score == 2.5`, r, true, ""},
		{"float32", `value.ratio == 0.25`, r, true, ""},
		{"bool", `value.ok`, r, true, ""},
		{"array", `value.tags == ["a", "b"] && "b" in value.tags && value.tags[0] == "a"`, r, true, ""},
		{"map-field", `value.attrs.env == "prod" && value.attrs["zone"] == "eu"`, r, true, ""},
		{"nested-struct", `value.inner.ip.startsWith("10.")`, r, true, ""},
		{"unset-optional", `value.opt == null`, r, true, ""},
		{"default", `value.def == 7`, r, true, ""},
		{"decimal", `value.amount == "12.30"`, r, true, ""},
		{"timestamp", `value.at == timestamp("2024-05-01T12:00:00Z")`, r, true, ""},
		{"bytes", `value.data == b"hi"`, r, true, ""},
		{"has-field", `has(value.name) && !has(value.nope) && "opt" in value`, r, true, ""},
		{"size", `value.size() == 14`, r, true, ""},
		{"iterate", `value.exists(f, f == "score")`, r, true, ""},
		{"struct-key-rendered", `key == "9"`, r, true, ""},
		{"missing-field", `value.nope == 1`, r, false, "no such key: nope"},
		{"map-equal", `value.attrs == {"env": "prod", "zone": "eu"}`, r, true, ""},
		{"map-not-equal", `value.attrs != {"env": "prod"}`, r, true, ""},
		{"wrong-type", `value.contains("alice")`, r, false, "no such overload"},
	})
}

func TestMapValue(t *testing.T) {
	r := mapRecord()
	runCases(t, []evalCase{
		{"string", `value.action == "DENY"`, r, true, ""},
		{"int64", `value.count == 5 && value.count * 2 == 10`, r, true, ""},
		{"double", `value.ratio == 0.5`, r, true, ""},
		{"bool", `value.flag`, r, true, ""},
		{"list", `value.list.size() == 3 && value.list[1] == 2 && value.list[2] == null`, r, true, ""},
		{"sub-map", `value.sub.k == "v"`, r, true, ""},
		{"null-entry", `"nul" in value && value.nul == null`, r, true, ""},
		{"optional", `value.?missing.orValue("-") == "-"`, r, true, ""},
		{"int-keys", `key[1] == "one" && key[2] == "two" && key[2u] == "two" && key[1.0] == "one"`, r, true, ""},
		{"int-key-missing", `3 in key || "1" in key`, r, false, ""},
		{"keys", `value.all(k, k.size() > 0)`, r, true, ""},
		{"map-json-style", `value.exists(k, k == "action" && value[k] == "DENY")`, r, true, ""},
		{"missing", `value.missing == 1`, r, false, "no such key: missing"},
		{"type", `type(value) == map`, r, true, ""},
	})
}

func TestPrimitiveValues(t *testing.T) {
	ts := time.UnixMilli(1714521600000).UTC()
	runCases(t, []evalCase{
		{"int64", `value == "42" && key == "7"`, primitive(int32(7), int64(42)), true, ""},
		{"float64", `value == "1.0E10"`, primitive(nil, 1e10), true, ""},
		{"float32", `value == "0.1"`, primitive(nil, float32(0.1)), true, ""},
		{"bool", `value == "true"`, primitive(nil, true), true, ""},
		{"bytes", `value == "aGk="`, primitive(nil, []byte("hi")), true, ""},
		{"decimal", `value == "1.50"`, primitive(nil, mustDecimal(t, "1.50")), true, ""},
		{"date", `value == "2024-05-01"`, primitive(nil, ts), true, ""},
		{"array", `value == ["a", 1]`, primitive(nil, []any{"a", int64(1)}), true, ""},
		{"null-key", `key == null`, primitive(nil, "x"), true, ""},
	})
}

func TestRuntimeErrors(t *testing.T) {
	s := stringRecord()
	runCases(t, []evalCase{
		{"not-bool-dyn", `value`, s, false, `evaluated to "hello DENY world" (type string), not a bool`},
		{"not-bool-null", `value`, tombstone(), false, "not a bool"},
		{"null-contains", `value.contains("x")`, tombstone(), false, "no such overload"},
		{"div-zero", `partition / 0 == 1`, s, false, "division by zero"},
		{"bad-dynamic-pattern", `jmatches(value, headers.badpat)`, s, false, "invalid Java regular expression"},
		{"jmatches-on-map", `jmatches(value, "x")`, mapRecord(), false, "no such overload"},
		{"names-expression", `headers.nope == ""`, s, false, `CEL expression "headers.nope == \"\"" failed`},
	})
}

func TestJavaRegex(t *testing.T) {
	s := stringRecord()
	runCases(t, []evalCase{
		{"whole", `jmatches(value, "hello.*")`, s, true, ""},
		{"whole-not-partial", `jmatches(value, "DENY")`, s, false, ""},
		{"find", `jfind(value, "DENY") && value.jfind("D[E]NY")`, s, true, ""},
		{"member", `value.jmatches("hello DENY world")`, s, true, ""},
		{"possessive-fails", `"aaa".jmatches("a*+a")`, s, false, ""},
		{"greedy-succeeds", `"aaa".jmatches("a*a")`, s, true, ""},
		{"possessive-group", `jmatches("xyz", "(?:x|xy)++z")`, s, false, ""},
		{"quote", `jmatches("1+1=2", "\\Q1+1=2\\E")`, s, true, ""},
		{"ascii-posix", `!jmatches("é", "\\p{Alpha}") && jmatches("e", "\\p{Alpha}")`, s, true, ""},
		{"ascii-digit", `!jmatches("٣", "\\d")`, s, true, ""},
		{"horizontal-space", `jmatches("a\tb", "a\\hb")`, s, true, ""},
		{"named-group-backref", `jmatches("abab", "(?<p>ab)\\k<p>")`, s, true, ""},
		{"dynamic-pattern", `jmatches(value, headers.pat) && jmatches(value, headers.pat)`, s, true, ""},
		{"dynamic-pattern-find", `value.jfind(headers["dup"].substring(0, 2))`, s, false, ""},
		{"re2-matches-still-partial", `value.matches("DENY")`, s, true, ""},
	})
}

func TestExtensions(t *testing.T) {
	s := stringRecord()
	runCases(t, []evalCase{
		{"strings", `value.split(" ").size() == 3 && value.lowerAscii().indexOf("deny") == 6`, s, true, ""},
		{"encoders", `base64.encode(b"hi") == "aGk="`, s, true, ""},
		{"math", `math.greatest(1, 5, 3) == 5`, s, true, ""},
		{"lists", `[3, 1, 2].sort() == [1, 2, 3]`, s, true, ""},
		{"sets", `sets.contains([1, 2, 3], [2])`, s, true, ""},
		{"regex", `regex.extract(value, "D(E)NY") == optional.of("E")`, s, true, ""},
	})
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		src       string
		line, col int
		msg       string
	}{
		{`nope == 1`, 1, 1, "undeclared reference to 'nope'"},
		{`topic ==`, 1, 9, "Syntax error"},
		{"topic == \"a\" &&\n  1 +", 2, 6, "Syntax error"},
		{`topic`, 1, 1, "of type string, not bool"},
		{`partition`, 1, 1, "not bool"},
		{`1 + 1`, 1, 1, "of type int, not bool"},
		{`jmatches(value, "(")`, 1, 17, `invalid Java regular expression "("`},
		{"topic == 'a' ||\n value.jfind('a**')", 2, 14, "invalid Java regular expression"},
		{`jmatches(1, "a")`, 1, 9, "found no matching overload for 'jmatches'"},
		{`topic.contains(1)`, 1, 15, "found no matching overload"},
		{`headers["x"] == 1`, 1, 14, "found no matching overload for '_==_'"},
	}
	for _, c := range cases {
		_, err := Compile(c.src)
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("Compile(%q) = %v; want a CompileError", c.src, err)
			continue
		}
		if !strings.Contains(ce.Msg, c.msg) || !strings.Contains(err.Error(), "CEL expression "+quote(c.src)) {
			t.Errorf("Compile(%q) error %q; want it to name the expression and contain %q", c.src, err, c.msg)
		}
		if c.line != 0 && (ce.Line != c.line || ce.Column != c.col) {
			t.Errorf("Compile(%q) at %d:%d; want %d:%d (%v)", c.src, ce.Line, ce.Column, c.line, c.col, err)
		}
	}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	b.WriteString(strings.NewReplacer(`"`, `\"`, "\n", `\n`, `\`, `\\`).Replace(s))
	b.WriteByte('"')
	return b.String()
}

func TestConcurrentEval(t *testing.T) {
	p, err := Compile(`headers["x"] == "y" && value.contains("DENY") && jmatches(value, headers.pat)`)
	if err != nil {
		t.Fatal(err)
	}
	r := stringRecord()
	other := mapRecord()
	done := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 500; i++ {
				if ok, err := p.Eval(r); !ok || err != nil {
					done <- errors.New("string record not matched")
					return
				}
				if _, err := p.Eval(other); err == nil {
					done <- errors.New("map record: missing header should fail")
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

func TestNoAllocsOnStringRecord(t *testing.T) {
	p, err := Compile(`headers["x"] == "y" && value.contains("DENY")`)
	if err != nil {
		t.Fatal(err)
	}
	r := stringRecord()
	n := testing.AllocsPerRun(200, func() {
		if ok, err := p.Eval(r); !ok || err != nil {
			t.Fatal(ok, err)
		}
	})
	if n > 3 {
		t.Fatalf("Eval allocates %v times per record; want at most 3", n)
	}
}

func TestIntegerHeaderText(t *testing.T) {
	for _, v := range []any{int8(-128), int8(0), int8(7), int16(255), int16(256), int32(-1), int32(99), int32(100),
		int32(2147483647), int64(-9223372036854775808), int64(255), int64(1 << 40)} {
		r := &sluice.Record{Headers: sluice.Headers{{Key: "n", Value: v}}}
		want := fmt.Sprint(v)
		p, err := Compile(`headers.n == "` + want + `" && string(int(headers.n)) == headers.n`)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := p.Eval(r); !ok || err != nil {
			t.Errorf("%T %v: headers.n is not %q (%v, %v)", v, v, want, ok, err)
		}
	}
}

func TestNoAllocsOnSeverityRoute(t *testing.T) {
	for _, src := range []string{`int(headers["syslog.severity"]) <= 3`, `int(headers["syslog.severity"]) in [4, 5]`} {
		p, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		for sev := int32(0); sev < 8; sev++ {
			r := syslogRecord(sev)
			want := sev <= 3
			if src[len(src)-1] == ']' {
				want = sev == 4 || sev == 5
			}
			if ok, err := p.Eval(r); ok != want || err != nil {
				t.Errorf("%s on severity %d = %v, %v; want %v", src, sev, ok, err, want)
			}
			if n := testing.AllocsPerRun(50, func() { _, _ = p.Eval(r) }); n != 0 {
				t.Errorf("%s allocates %v times per record; want 0", src, n)
			}
		}
	}
}
