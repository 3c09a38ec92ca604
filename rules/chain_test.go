package rules

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"sluice.io/sluice"
)

// Test plugins, registered in a private registry.

type chainTestSuffix struct {
	suffix string
	cfg    map[string]string
}

func (t *chainTestSuffix) Configure(cfg map[string]string) error {
	t.cfg = cfg
	t.suffix = cfg["suffix"]
	if t.suffix == "bad" {
		return sluice.NewConfigError("suffix must not be bad")
	}
	return nil
}

func (t *chainTestSuffix) Apply(r *sluice.Record) (*sluice.Record, error) {
	if t.suffix == "fail" {
		return nil, sluice.NewDataError("cannot suffix %s", r.Topic)
	}
	c := r.Clone()
	c.Topic += t.suffix
	return c, nil
}

func (t *chainTestSuffix) Close() error { return nil }

type chainTestDrop struct{}

func (chainTestDrop) Configure(map[string]string) error            { return nil }
func (chainTestDrop) Apply(*sluice.Record) (*sluice.Record, error) { return nil, nil }
func (chainTestDrop) Close() error                                 { return nil }

type chainTestTopicIs struct{ topic string }

func (p *chainTestTopicIs) Configure(cfg map[string]string) error {
	p.topic = cfg["topic"]
	return nil
}

func (p *chainTestTopicIs) Test(r *sluice.Record) (bool, error) {
	if r.Topic == "boom" {
		return false, sluice.NewJavaError("NullPointerException", "boom")
	}
	return r.Topic == p.topic, nil
}

func (p *chainTestTopicIs) Close() error { return nil }

func chainTestRegistry() *sluice.Registry {
	reg := sluice.NewRegistry()
	suffixDef := sluice.NewConfigDef().
		Define(sluice.ConfigKey{Name: "suffix", Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High}).
		Define(sluice.ConfigKey{Name: "mode", Type: sluice.TypeString, Default: "a", Validator: sluice.ValidString{"a", "b"}, Importance: sluice.Low}).
		Define(sluice.ConfigKey{Name: "count", Type: sluice.TypeInt, Default: "1", Importance: sluice.Medium}).
		Define(sluice.ConfigKey{Name: "negate", Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High})
	reg.Register(&sluice.Plugin{Class: "com.acme.Suffix", Kinds: sluice.KindTransformation, Config: suffixDef,
		New: func() any { return &chainTestSuffix{} }})
	reg.Register(&sluice.Plugin{Class: "com.acme.Drop", Kinds: sluice.KindTransformation, Config: sluice.NewConfigDef(),
		New: func() any { return chainTestDrop{} }})
	reg.Register(&sluice.Plugin{Class: "com.acme.Abstract", Kinds: sluice.KindTransformation, Abstract: true,
		Nested: []string{"com.acme.Abstract$Key", "com.acme.Abstract$Value"}})
	reg.Register(&sluice.Plugin{Class: "com.acme.Abstract$Key", Kinds: sluice.KindTransformation, Config: sluice.NewConfigDef(),
		New: func() any { return chainTestDrop{} }})
	reg.Register(&sluice.Plugin{Class: "com.acme.Abstract$Value", Kinds: sluice.KindTransformation, Config: sluice.NewConfigDef(),
		New: func() any { return chainTestDrop{} }})
	reg.Register(&sluice.Plugin{Class: "com.acme.TopicIs", Kinds: sluice.KindPredicate,
		Config: sluice.NewConfigDef().Define(sluice.ConfigKey{Name: "topic", Type: sluice.TypeString, Default: sluice.NoDefault,
			Validator: sluice.NonEmptyString{}, Importance: sluice.High}),
		New: func() any { return &chainTestTopicIs{} }})
	reg.Register(&sluice.Plugin{Class: "com.acme.SomeConverter", Kinds: sluice.KindConverter, New: func() any { return nil }})
	return reg
}

func props(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func TestBuildChainErrors(t *testing.T) {
	reg := chainTestRegistry()
	tests := []struct {
		name  string
		props map[string]string
		opts  ChainOptions
		msg   string
		class string
		alias string
	}{
		{"duplicate transforms", props("transforms", "a, a"), ChainOptions{}, "Invalid value [a, a] for configuration transforms: Duplicate alias provided.", "ConfigException", ""},
		{"duplicate predicates", props("predicates", "p,p"), ChainOptions{}, "Invalid value [p, p] for configuration predicates: Duplicate alias provided.", "ConfigException", ""},
		{"missing type", props("transforms", "a"), ChainOptions{}, "Invalid value null for configuration transforms.a.type: Not a Transformation", "ConfigException", "a"},
		{"empty alias", props("transforms", "a,", "transforms.a.type", "com.acme.Drop"), ChainOptions{}, "Invalid value null for configuration transforms..type: Not a Transformation", "ConfigException", ""},
		{"unknown class", props("transforms", "a", "transforms.a.type", " com.acme.Nope"), ChainOptions{},
			"Invalid value  com.acme.Nope for configuration transforms.a.type: Class  com.acme.Nope could not be found.", "ConfigException", "a"},
		{"alias refused when exact", props("transforms", "a", "transforms.a.type", "Drop"), ChainOptions{ExactClassNames: true},
			"Invalid value Drop for configuration transforms.a.type: Class Drop could not be found.", "ConfigException", "a"},
		{"abstract", props("transforms", "a", "transforms.a.type", "com.acme.Abstract"), ChainOptions{},
			"This class is abstract and cannot be created. Did you mean com.acme.Abstract$Key, com.acme.Abstract$Value?", "ConfigException", "a"},
		{"wrong kind", props("transforms", "a", "transforms.a.type", "com.acme.SomeConverter"), ChainOptions{},
			"Class class com.acme.SomeConverter does not implement the Transformation interface", "ConfigException", "a"},
		{"predicate of wrong kind", props("predicates", "p", "predicates.p.type", "com.acme.Drop"), ChainOptions{},
			"Class class com.acme.Drop does not implement the Predicate interface", "ConfigException", ""},
		{"missing required prefixed", props("transforms", "a", "transforms.a.type", "com.acme.Suffix"), ChainOptions{},
			`Missing required configuration "transforms.a.suffix" which has no default value.`, "ConfigException", "a"},
		{"bad int prefixed", props("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "x", "transforms.a.count", "one"), ChainOptions{},
			"Invalid value one for configuration transforms.a.count: Not a number of type INT", "ConfigException", "a"},
		{"validator unprefixed", props("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "x", "transforms.a.mode", "c"), ChainOptions{},
			"Invalid value c for configuration mode: String must be one of: a, b", "ConfigException", "a"},
		{"required before optional", props("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.mode", "c"), ChainOptions{},
			`Missing required configuration "transforms.a.suffix" which has no default value.`, "ConfigException", "a"},
		{"bad implicit negate", props("transforms", "a", "transforms.a.type", "com.acme.Drop", "transforms.a.predicate", "p", "transforms.a.negate", "yes"), ChainOptions{},
			"Invalid value yes for configuration transforms.a.negate: Expected value to be either true or false", "ConfigException", "a"},
		{"negate without predicate", props("transforms", "f", "transforms.f.type", "com.acme.Drop", "transforms.f.negate", "true"), ChainOptions{},
			"Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated.", "ConfigException", "f"},
		{"negate error before own keys", props("transforms", "f", "transforms.f.type", "com.acme.Suffix", "transforms.f.negate", "true"), ChainOptions{},
			"Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated.", "ConfigException", "f"},
		{"unknown predicate alias", props("transforms", "f", "transforms.f.type", "com.acme.Drop", "transforms.f.predicate", "nope"), ChainOptions{},
			"Unknown configuration 'predicates.nope.type'", "ConfigException", "f"},
		{"predicate keys validated", props("transforms", "f", "transforms.f.type", "com.acme.Drop", "transforms.f.predicate", "p", "predicates", "p", "predicates.p.type", "com.acme.TopicIs"), ChainOptions{},
			`Missing required configuration "predicates.p.topic" which has no default value.`, "ConfigException", ""},
		{"unreferenced predicate still validated", props("predicates", "p", "predicates.p.type", "com.acme.TopicIs", "predicates.p.topic", ""), ChainOptions{},
			"Invalid value  for configuration topic: String must be non-empty", "ConfigException", ""},
		{"class errors before key errors", props("transforms", "a,b", "transforms.a.type", "com.acme.Suffix", "transforms.b.type", "com.acme.Nope"), ChainOptions{},
			"Invalid value com.acme.Nope for configuration transforms.b.type: Class com.acme.Nope could not be found.", "ConfigException", "b"},
		{"configure error", props("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "bad"), ChainOptions{},
			"suffix must not be bad", "ConfigException", "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Registry = reg
			c, err := BuildChain(tc.props, tc.opts)
			if err == nil {
				t.Fatalf("built a chain of %d stages, want error %q", c.Len(), tc.msg)
			}
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Stage != StageConfig {
				t.Fatalf("error %v is not a config ChainError", err)
			}
			if got := ce.Err.Error(); got != tc.msg {
				t.Errorf("message\n got: %s\nwant: %s", got, tc.msg)
			}
			if got := sluice.ErrorClass(err); got != tc.class {
				t.Errorf("class %s, want %s", got, tc.class)
			}
			if ce.Alias != tc.alias {
				t.Errorf("alias %q, want %q", ce.Alias, tc.alias)
			}
			if !IsChainConfigError(err) {
				t.Error("IsChainConfigError = false")
			}
		})
	}
}

func TestBuildChainAliasAndConfigure(t *testing.T) {
	reg := chainTestRegistry()
	p := props("transforms", "s", "transforms.s.type", " Suffix ", "transforms.s.suffix", "-x",
		"transforms.s.predicate", "p", "transforms.s.negate", "false", "transforms.s.extra", "kept",
		"predicates", "p", "predicates.p.type", "TopicIsPredicate", "predicates.p.topic", "logs")
	_, err := BuildChain(p, ChainOptions{Registry: reg})
	if err == nil || !strings.Contains(err.Error(), "TopicIsPredicate could not be found") {
		t.Fatalf("suffix stripping applies to the kind suffix only; got %v", err)
	}
	p["predicates.p.type"] = "TopicIs"
	c, err := BuildChain(p, ChainOptions{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	st := c.Stages()[0]
	if st.Class != "com.acme.Suffix" || st.PredicateClass != "com.acme.TopicIs" || st.Negate {
		t.Errorf("stage %+v", st)
	}
	cfg := st.Transformation.(*chainTestSuffix).cfg
	want := map[string]string{"type": " Suffix ", "suffix": "-x", "extra": "kept"}
	if fmt.Sprint(cfg) != fmt.Sprint(want) {
		t.Errorf("configure got %v, want %v", cfg, want)
	}
	if st.Predicate.(*chainTestTopicIs).topic != "logs" {
		t.Error("predicate not configured")
	}
}

func TestChainApply(t *testing.T) {
	reg := chainTestRegistry()
	base := props("predicates", "p", "predicates.p.type", "com.acme.TopicIs", "predicates.p.topic", "logs")
	with := func(kv ...string) map[string]string {
		m := props(kv...)
		for k, v := range base {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		props  map[string]string
		topic  string
		want   string // resulting topic, "<drop>" or "<err:stage:class>"
		alias  string
		palias string
	}{
		{"no transforms", props(), "logs", "logs", "", ""},
		{"two stages in order", with("transforms", "a,b", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "-1",
			"transforms.b.type", "com.acme.Suffix", "transforms.b.suffix", "-2"), "logs", "logs-1-2", "", ""},
		{"predicate true", with("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "-1", "transforms.a.predicate", "p"), "logs", "logs-1", "", ""},
		{"predicate false", with("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "-1", "transforms.a.predicate", "p"), "other", "other", "", ""},
		{"negated", with("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "-1", "transforms.a.predicate", "p", "transforms.a.negate", "TRUE"), "other", "other-1", "", ""},
		{"negate parsed like parseBoolean", with("transforms", "a", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "-1", "transforms.a.predicate", "p", "transforms.a.negate", "true "), "other", "other", "", ""},
		{"predicate sees earlier result", with("transforms", "a,b", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "s",
			"transforms.b.type", "com.acme.Drop", "transforms.b.predicate", "p"), "log", "<drop>", "", ""},
		{"drop stops chain", with("transforms", "d,f", "transforms.d.type", "com.acme.Drop", "transforms.f.type", "com.acme.Suffix", "transforms.f.suffix", "fail"), "logs", "<drop>", "", ""},
		{"transformation error", with("transforms", "a,f", "transforms.a.type", "com.acme.Suffix", "transforms.a.suffix", "-1",
			"transforms.f.type", "com.acme.Suffix", "transforms.f.suffix", "fail"), "logs", "<err:apply:DataException>", "f", ""},
		{"predicate error is the stage's error", with("transforms", "a", "transforms.a.type", "com.acme.Drop", "transforms.a.predicate", "p"), "boom", "<err:apply:NullPointerException>", "a", "p"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := BuildChain(tc.props, ChainOptions{Registry: reg})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			in := &sluice.Record{Topic: tc.topic}
			out, err := c.Apply(in)
			var got string
			switch {
			case err != nil:
				var ce *ChainError
				if !errors.As(err, &ce) {
					t.Fatalf("error %v is not a ChainError", err)
				}
				got = "<err:" + ce.Stage + ":" + sluice.ErrorClass(err) + ">"
				if ce.Alias != tc.alias || ce.PredicateAlias != tc.palias {
					t.Errorf("error names %q/%q, want %q/%q", ce.Alias, ce.PredicateAlias, tc.alias, tc.palias)
				}
				if !strings.Contains(err.Error(), ce.Class) {
					t.Errorf("error text %q lacks the class", err)
				}
			case out == nil:
				got = "<drop>"
			default:
				got = out.Topic
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if in.Topic != tc.topic {
				t.Error("input record modified")
			}
		})
	}
}

func TestValidateChainListsEverything(t *testing.T) {
	reg := chainTestRegistry()
	p := props("transforms", "a,b,c,,e", "transforms.a.type", "com.acme.Suffix", "transforms.a.mode", "z", "transforms.a.count", "x",
		"transforms.b.type", "com.acme.Nope", "transforms.c.type", "com.acme.Drop", "transforms.c.negate", "true",
		"transforms.e.type", "com.acme.Suffix", "transforms.e.suffix", "bad", "transforms.e.predicate", "q",
		"predicates", "p,p")
	errs := ValidateChain(p, ChainOptions{Registry: reg})
	var got []string
	for _, e := range errs {
		var ci *ConfigIssue
		if !errors.As(e, &ci) {
			t.Fatalf("%v is not a ConfigIssue", e)
		}
		got = append(got, ci.Key)
	}
	want := []string{"predicates", "transforms.a.suffix", "transforms.a.count", "transforms.a.mode", "transforms.b.type",
		"transforms.c.negate", "transforms..type", "predicates.p.type", "transforms.e.type", "transforms.e.predicate"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("issues for\n %v\nwant\n %v\n(%v)", got, want, errs)
	}
	if len(ValidateChain(props("transforms", "a", "transforms.a.type", "com.acme.Drop"), ChainOptions{Registry: reg})) != 0 {
		t.Error("valid chain reported issues")
	}
}

func BenchmarkChainApply(b *testing.B) {
	reg := chainTestRegistry()
	p := props("transforms", "a,b", "transforms.a.type", "com.acme.Drop", "transforms.a.predicate", "p", "transforms.a.negate", "true",
		"transforms.b.type", "com.acme.Drop", "transforms.b.predicate", "q",
		"predicates", "p,q", "predicates.p.type", "com.acme.TopicIs", "predicates.p.topic", "logs",
		"predicates.q.type", "com.acme.TopicIs", "predicates.q.topic", "other")
	c, err := BuildChain(p, ChainOptions{Registry: reg})
	if err != nil {
		b.Fatal(err)
	}
	r := &sluice.Record{Topic: "logs"}
	b.ReportAllocs()
	for b.Loop() {
		if out, err := c.Apply(r); err != nil || out != r {
			b.Fatal(out, err)
		}
	}
}

// FuzzBuildChain checks on arbitrary properties files that building never
// panics and that ValidateChain agrees with BuildChain: no issues means the
// chain builds, a build error means at least one issue.
func FuzzBuildChain(f *testing.F) {
	reg := chainTestRegistry()
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePropertiesText(text)
		if err != nil {
			return
		}
		m := p.Map()
		c, berr := BuildChain(m, ChainOptions{Registry: reg})
		issues := ValidateChain(m, ChainOptions{Registry: reg})
		if berr == nil {
			defer c.Close()
			if len(issues) > 0 {
				t.Fatalf("chain built but ValidateChain reports %v", issues)
			}
			if _, err := c.Apply(&sluice.Record{Topic: "logs"}); err != nil && !errors.As(err, new(*ChainError)) {
				t.Fatalf("apply error %v is not a ChainError", err)
			}
			return
		}
		if len(issues) == 0 {
			t.Fatalf("build failed (%v) but ValidateChain reports nothing", berr)
		}
		if !IsChainConfigError(berr) {
			t.Fatalf("build error %v is not a config ChainError", berr)
		}
	})
}
