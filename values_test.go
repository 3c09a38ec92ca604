package sluice

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"math"
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
