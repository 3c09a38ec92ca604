package celexpr_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/celexpr"
	"sluice.io/sluice/rules"
	_ "sluice.io/sluice/smt"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestPredicateRegistered(t *testing.T) {
	for _, name := range []string{celexpr.PredicateClass, "Cel"} {
		p, class, err := sluice.Plugins.Lookup(name)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", name, err)
		}
		if class != celexpr.PredicateClass || p.Kinds&sluice.KindPredicate == 0 {
			t.Fatalf("Lookup(%q) = %s (%v)", name, class, p.Kinds)
		}
		if _, ok := p.New().(sluice.Predicate); !ok {
			t.Fatalf("%s does not make a Predicate", class)
		}
	}
}

func TestPredicateConfigure(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]string
		err   string // "" for success
	}{
		{"ok", map[string]string{"expression": `topic == "a"`}, ""},
		{"missing", map[string]string{}, `Missing required configuration "expression" which has no default value.`},
		{"syntax", map[string]string{"expression": `topic ==`},
			"Invalid value topic == for configuration expression: invalid CEL expression: 1:9: Syntax error"},
		{"undeclared", map[string]string{"expression": `nope`},
			"Invalid value nope for configuration expression: invalid CEL expression: 1:1: undeclared reference to 'nope'"},
		{"not-bool", map[string]string{"expression": `topic`},
			"Invalid value topic for configuration expression: invalid CEL expression: the expression is of type string, not bool"},
		{"bad-regex", map[string]string{"expression": `jmatches(topic, "[")`},
			`for configuration expression: invalid CEL expression: 1:17: jmatches: invalid Java regular expression "["`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &celexpr.Predicate{}
			err := p.Configure(c.props)
			if c.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				ok, err := p.Test(&sluice.Record{Topic: "a"})
				if !ok || err != nil {
					t.Fatalf("Test = %v, %v", ok, err)
				}
				return
			}
			var ce *sluice.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Configure error %v (%T); want a ConfigError", err, err)
			}
			if !strings.Contains(err.Error(), c.err) {
				t.Fatalf("Configure error %q; want it to contain %q", err, c.err)
			}
		})
	}
}

func TestPredicateDefValidates(t *testing.T) {
	p, _, err := sluice.Plugins.Lookup(celexpr.PredicateClass)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Config.Parse(map[string]string{"expression": "value ="}); err == nil {
		t.Fatal("ConfigDef accepted an expression that does not compile")
	}
	if _, err := p.Config.Parse(map[string]string{"expression": "value == 'x'"}); err != nil {
		t.Fatal(err)
	}
}

func TestPredicateTestBeforeConfigure(t *testing.T) {
	if _, err := (&celexpr.Predicate{}).Test(&sluice.Record{}); err == nil {
		t.Fatal("Test before Configure succeeded")
	}
}

// chainRecords are run through testdata/siem-cel.properties.
func chainRecords() []*sluice.Record {
	deny := sluice.NewMap(2, true)
	deny.Put("action", "DENY")
	deny.Put("src", "8.8.8.8")
	h := func(kv ...string) sluice.Headers {
		var out sluice.Headers
		for i := 0; i < len(kv); i += 2 {
			out = append(out, sluice.Header{Key: kv[i], Schema: sluice.StringSchema, Value: kv[i+1]})
		}
		return out
	}
	return []*sluice.Record{
		{Topic: "fw-raw", HasPartition: true, Value: "filterlog DENY tcp src=10.0.0.1 dst=10.9.9.9", Headers: h("x", "y")},
		{Topic: "fw-raw", HasPartition: true, Value: "filterlog ALLOW udp src=10.0.0.2", Headers: h("action", "ALLOW", "x", "y")},
		{Topic: "fw-raw", Value: deny},
		{Topic: "fw-raw", Partition: 1, HasPartition: true, Value: "filterlog PASS src=192.168.0.1",
			Headers: h("x", "n", "action", "ALLOW", "action", "PASS")},
		{Topic: "fw-raw", HasPartition: true, Value: "filterlog DENY src=172.16.0.1"},
		{Topic: "fw-raw", HasPartition: true},
		{Topic: "fw-raw", HasPartition: true, Value: "address 10.0.0.1abc is not internal by the rule", Headers: h("x", "z")},
	}
}

func describeOutcome(out *sluice.Record, err error) string {
	if err != nil {
		return "error " + sluice.ErrorClass(err) + ": " + err.Error()
	}
	if out == nil {
		return "dropped"
	}
	var hs []string
	for _, x := range out.Headers {
		hs = append(hs, fmt.Sprintf("%s=%v", x.Key, x.Value))
	}
	return fmt.Sprintf("topic=%s headers=[%s]", out.Topic, strings.Join(hs, " "))
}

func TestChainWithCelPredicates(t *testing.T) {
	props, err := rules.LoadPropertiesFile(filepath.Join("testdata", "siem-cel.properties"))
	if err != nil {
		t.Fatal(err)
	}
	chain, err := rules.BuildChain(props.Map(), rules.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	var b strings.Builder
	for i, r := range chainRecords() {
		out, err := chain.Apply(r)
		fmt.Fprintf(&b, "%d: %s\n", i+1, describeOutcome(out, err))
	}
	golden := filepath.Join("testdata", "siem-cel.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Fatalf("chain outcomes differ from %s\ngot:\n%s\nwant:\n%s", golden, b.String(), want)
	}
}

func TestChainRejectsBadExpression(t *testing.T) {
	props := map[string]string{
		"transforms":              "f",
		"transforms.f.type":       "org.apache.kafka.connect.transforms.Filter",
		"transforms.f.predicate":  "p",
		"predicates":              "p",
		"predicates.p.type":       "io.sluice.predicates.Cel",
		"predicates.p.expression": `headers["x"] = "y"`,
	}
	_, err := rules.BuildChain(props, rules.ChainOptions{})
	if err == nil || sluice.ErrorClass(err) != "ConfigException" || !strings.Contains(err.Error(), "configuration expression") {
		t.Fatalf("BuildChain error %v; want a ConfigException about expression", err)
	}
}
