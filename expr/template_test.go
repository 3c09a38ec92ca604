package expr

import (
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
)

func testRecord() *sluice.Record {
	return &sluice.Record{Topic: "t", Partition: 0, HasPartition: true, Value: "v",
		Timestamp: 1581005395000, HasTimestamp: true}
}

func TestTemplateEval(t *testing.T) {
	st := sluice.NewStruct(&sluice.Schema{Type: sluice.StructType, Fields: []sluice.Field{
		{Name: "a", Index: 0, Schema: sluice.OptionalStringSchema},
		{Name: "b", Index: 1, Schema: &sluice.Schema{Type: sluice.Int32, Optional: true}},
		{Name: "c", Index: 2, Schema: sluice.OptionalStringSchema},
	}})
	_ = st.Put("a", "x")
	_ = st.Put("b", int32(1))
	m := sluice.NewMap(2, true)
	m.Put("a", "x")
	m.Put("b", int32(1))
	cases := []struct {
		name, expr string
		mod        func(r *sluice.Record)
		want       string
		errClass   string
	}{
		{name: "EL01", expr: "${VALUE}", mod: func(r *sluice.Record) { r.Value = "abc" }, want: "abc"},
		{name: "EL02", expr: "[${KEY}]", want: "[]"},
		{name: "EL03", expr: "${TOPIC}-${PARTITION}", mod: func(r *sluice.Record) { r.Topic, r.Partition = "top", 3 }, want: "top-3"},
		{name: "EL04", expr: "${HEADER.h1}", mod: withHeaders("h1", "x"), want: "x"},
		{name: "EL05", expr: "a${HEADER.missing}b", mod: withHeaders("h1", "x"), want: "ab"},
		{name: "EL06", expr: "${header.h1}", mod: withHeaders("h1", "x"), want: "x"},
		{name: "EL07", expr: "${HEADER.H1}", mod: withHeaders("h1", "x"), want: ""},
		{name: "EL08", expr: "${HEADER.my-hdr}", mod: withHeaders("my-hdr", "x"), want: "${HEADER.my-hdr}"},
		{name: "EL09", expr: "${HEADER.my-hdr}/${VALUE}", mod: withHeaders("my-hdr", "x"), want: "${HEADER.my-hdr}/v"},
		{name: "EL10", expr: "${TIMESTAMP}", want: "${TIMESTAMP}"},
		{name: "EL11", expr: "${TIMESTAMP,yyyyMMdd}", want: "20200206"},
		{name: "EL12", expr: "${TIMESTAMP,yyyy-MM-dd}", want: "${TIMESTAMP,yyyy-MM-dd}"},
		{name: "EL13", expr: "${VALUE} ${TIMESTAMP,yyyy}", mod: func(r *sluice.Record) { r.Value = "it's" }, want: "its {0,date,yyyy}"},
		{name: "EL14", expr: "${VALUE}", mod: func(r *sluice.Record) { r.Key, r.Value = "K", "a${KEY}b" }, want: "aKb"},
		{name: "EL15", expr: "${HEADER.a.b}", mod: withHeaders("a.b", "dotted"), want: "dotted"},
		{name: "EL16", expr: "${HEADER.h}", mod: withHeaders("h", "first", "h", "last"), want: "last"},
		{name: "EL17", expr: "${VALUE}", mod: func(r *sluice.Record) { r.Value = int32(42) }, want: "42"},
		{name: "EL18", expr: "${TIMESTAMP,short}", want: "2/6/20"},
		{name: "EL19", expr: "${TIMESTAMP,HHmmss}", want: "160955"},
		{name: "EL20", expr: "$VALUE ${ VALUE }", want: "$VALUE ${ VALUE }"},
		{name: "EL21", expr: "${TIMESTAMP,yyyy} {x}", errClass: "IllegalArgumentException"},
		{name: "EL22", expr: "${KEY}", mod: func(r *sluice.Record) { r.Key = `$1\z` }, want: `$1\z`},
		{name: "EL23", expr: "${value}-${Topic}", want: "v-t"},
		{name: "EL24", expr: "${PARTITION}", mod: func(r *sluice.Record) { r.HasPartition = false }, want: ""},
		{name: "EL25", expr: `{"a":"${VALUE}"}`, want: `{"a":"v"}`},
		{name: "EL26", expr: `{"a":"${VALUE}","d":"${TIMESTAMP,yyyy}"}`, errClass: "IllegalArgumentException"},
		{name: "EL28", expr: "${HEADER.}", want: ""},
		{name: "EL29", expr: "${HEADER.n}", mod: withHeaders("n", nil), want: "null"},
		{name: "EL30", expr: "${VALUE}", mod: func(r *sluice.Record) { r.Value = st }, want: "Struct{a=x,b=1}"},
		{name: "EL31", expr: "${VALUE}", mod: func(r *sluice.Record) { r.Value = m }, want: "{a=x, b=1}"},
		{name: "EL32", expr: "x${HEADER.h1}${HEADER.H1}", mod: withHeaders("h1", "lower", "H1", "upper"), want: "xlowerlower"},
		{name: "EL33", expr: "${TIMESTAMP ,yyyy}${VALUE}", want: "2020v"},
		{name: "EL34", expr: "${TIMESTAMP,MMMM}", want: "February"},
		{name: "EL35", expr: "${TIMESTAMP,yyyy}''", want: "2020'"},
		{name: "dotted-name-wildcard", expr: "${HEADER.a.b}|${HEADER.aXb}", mod: withHeaders("a.b", "D", "aXb", "X"), want: "D|D"},
		{name: "bare-timestamp-next-to-valid", expr: "${TIMESTAMP} ${TIMESTAMP,yyyy}", want: "Feb 6, 2020 2020"},
		{name: "bare-timestamp-alone", expr: "${TIMESTAMP} ${VALUE}", want: "${TIMESTAMP} v"},
		{name: "styles", expr: "${TIMESTAMP,medium}|${TIMESTAMP,long}|${TIMESTAMP,full}", want: "Feb 6, 2020|February 6, 2020|Thursday, February 6, 2020"},
		{name: "arg0-default", expr: "${TIMESTAMP,yyyy} {0}", want: "2020 2/6/20, 4:09 PM"},
		{name: "arg1-missing", expr: "${TIMESTAMP,yyyy} {1}", want: "2020 {1}"},
		{name: "arg0-number", expr: "${TIMESTAMP,yyyy} {0,number}", errClass: "IllegalArgumentException"},
		{name: "time-style", expr: "${TIMESTAMP,yyyy} {0,time,short}", want: "2020 4:09 PM"},
		{name: "unmatched-brace", expr: "${TIMESTAMP,yyyy} {0", errClass: "IllegalArgumentException"},
		{name: "illegal-letter", expr: "${TIMESTAMP,yyyyMMddTHHmm}", errClass: "IllegalArgumentException"},
		{name: "header-rescanned-for-timestamp", expr: "${HEADER.h}", mod: withHeaders("h", "${TIMESTAMP,yyyy}"), want: "2020"},
		{name: "lowercase-keyword", expr: "${timestamp,yyyy}", want: "2020"},
		{name: "plain", expr: "no tokens {x} 'q'", want: "no tokens {x} 'q'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := testRecord()
			if c.mod != nil {
				c.mod(r)
			}
			tpl, err := CompileTemplate(c.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tpl.Eval(r)
			if c.errClass != "" {
				if err == nil || sluice.ErrorClass(err) != c.errClass {
					t.Fatalf("Eval(%q) = %q, %v; want %s", c.expr, got, err, c.errClass)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("Eval(%q) = %q, %v; want %q", c.expr, got, err, c.want)
			}
		})
	}
}

func withHeaders(kv ...any) func(r *sluice.Record) {
	return func(r *sluice.Record) {
		for i := 0; i < len(kv); i += 2 {
			r.Headers = append(r.Headers, sluice.Header{Key: kv[i].(string), Schema: sluice.OptionalStringSchema, Value: kv[i+1]})
		}
	}
}

func TestTemplateTimestampZeroIsNow(t *testing.T) {
	r := testRecord()
	r.Timestamp = 0
	got, err := MustCompileTemplate("${TIMESTAMP,yyyy}").Eval(r)
	if err != nil || got != time.Now().UTC().Format("2006") {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestContainsExpr(t *testing.T) {
	for s, want := range map[string]bool{
		"${KEY}": true, "${value}": true, "x${TOPIC}": true, "${PARTITION}": true,
		"${TIMESTAMP,x}": true, "${HEADER.}": true, "${HEADER.a_1.b}": true,
		"${TIMESTAMP}": false, "${TIMESTAMP ,yyyy}": false, "${HEADER.a-b}": false, "   ": false,
		"": false, "$VALUE": false, "${ VALUE }": false,
	} {
		if got := ContainsExpr(s); got != want {
			t.Errorf("ContainsExpr(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestJavaIsBlank(t *testing.T) {
	for s, want := range map[string]bool{"": true, " \t\n\x1c": true, "\u2003": true, "\u00a0": false, "a": false, " \u3000x": false} {
		if got := JavaIsBlank(s); got != want {
			t.Errorf("JavaIsBlank(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzTemplate checks that any template on any record text evaluates without
// panicking, and that text without a token evaluates to itself.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"${VALUE}", "${HEADER.a.b}${header.A}", "${TIMESTAMP,yyyy} {0,date,'x'}", "{x}", "'${KEY}'",
		"${TIMESTAMP ,short}${VALUE}", "plain"} {
		f.Add(s, "v${KEY}{", "k")
	}
	f.Fuzz(func(t *testing.T, tpl, value, key string) {
		r := testRecord()
		r.Value, r.Key = value, key
		r.Headers = sluice.Headers{{Key: "a.b", Schema: sluice.StringSchema, Value: value}}
		c, err := CompileTemplate(tpl)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Eval(r)
		if !c.IsExpr() && (err != nil || got != tpl) {
			t.Fatalf("plain %q evaluated to %q, %v", tpl, got, err)
		}
		if err == nil && !strings.Contains(tpl, "$") && got != tpl {
			t.Fatalf("text without $ changed: %q -> %q", tpl, got)
		}
	})
}

func BenchmarkTemplateEval(b *testing.B) {
	tpl := MustCompileTemplate("${TOPIC}/${HEADER.host}:${VALUE}")
	r := testRecord()
	r.Value = "a log line of moderate length with some text"
	r.Headers = sluice.Headers{{Key: "host", Schema: sluice.StringSchema, Value: "web01"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Eval(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTemplateEvalTimestamp(b *testing.B) {
	tpl := MustCompileTemplate("${TOPIC}-${TIMESTAMP,yyyyMMdd}")
	r := testRecord()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Eval(r); err != nil {
			b.Fatal(err)
		}
	}
}
