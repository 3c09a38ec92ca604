package smt

import (
	"sluice.io/sluice"
	"sluice.io/sluice/expr/jregex"
)

const topicNameMatchesClass = "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"

// javaRegexValidator is Kafka's RegexValidator: a non-null value must
// compile as a Java regular expression.
var javaRegexValidator = sluice.ValidatorFunc{Desc: "valid regex", Fn: func(name string, v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if _, err := jregex.Compile(s); err != nil {
		return &sluice.ConfigError{Name: name, Value: s, Msg: "Invalid regex: " + err.Error(), Err: err}
	}
	return nil
}}

// compositeValidator runs validators in order, like ConfigDef.CompositeValidator.
type compositeValidator []sluice.Validator

func (c compositeValidator) Validate(name string, v any) error {
	for _, x := range c {
		if err := x.Validate(name, v); err != nil {
			return err
		}
	}
	return nil
}

func (c compositeValidator) String() string {
	s := ""
	for i, x := range c {
		if i > 0 {
			s += ", "
		}
		s += x.String()
	}
	return s
}

var topicNameMatchesDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "pattern", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: compositeValidator{sluice.NonEmptyString{}, javaRegexValidator}, Importance: sluice.Medium,
		Doc: "Java regular expression that the whole topic name must match."})

func init() {
	register(topicNameMatchesClass, sluice.KindPredicate, topicNameMatchesDef,
		"True for records whose topic name matches a Java regular expression in full.",
		func() any { return &TopicNameMatches{} })
}

// TopicNameMatches is true when the record's whole topic matches a Java
// regular expression (Kafka's TopicNameMatches predicate). Outcomes are
// memoised per topic.
type TopicNameMatches struct {
	re   *jregex.Regexp
	memo topicMemo[bool]
}

var _ sluice.Predicate = (*TopicNameMatches)(nil)

// Configure implements sluice.Predicate.
func (p *TopicNameMatches) Configure(props map[string]string) error {
	cfg, err := topicNameMatchesDef.Parse(props)
	if err != nil {
		return err
	}
	s := cfg.String("pattern")
	re, err := jregex.Compile(s)
	if err != nil {
		return &sluice.ConfigError{Name: "pattern", Value: s,
			Msg: "entry must be a Java-compatible regular expression: " + err.Error(), Err: err}
	}
	p.re = re
	p.memo.reset()
	return nil
}

// Test implements sluice.Predicate.
func (p *TopicNameMatches) Test(r *sluice.Record) (bool, error) {
	return p.memo.get(r.Topic, p.re.Matches), nil
}

// Close implements sluice.Predicate.
func (p *TopicNameMatches) Close() error { return nil }
