package smt

import (
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/jregex"
)

const regexRouterClass = "org.apache.kafka.connect.transforms.RegexRouter"

var regexRouterDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "regex", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: javaRegexValidator, Importance: sluice.High,
		Doc: "Java regular expression the whole topic name must match."}).
	Define(sluice.ConfigKey{Name: "replacement", Type: sluice.TypeString, Default: sluice.NoDefault,
		Importance: sluice.High, Doc: "Java replacement string giving the new topic ($1, ${name} refer to groups)."})

func init() {
	register(regexRouterClass, sluice.KindTransformation, regexRouterDef,
		"Renames the topic when a Java regular expression matches all of it, using a Java replacement string.",
		func() any { return &RegexRouter{} })
}

// route is the memoised outcome for one topic.
type route struct {
	topic   string
	changed bool
	err     error
}

// RegexRouter renames topics matching a Java regex (Kafka's RegexRouter).
// Results are memoised per topic: topics repeat, and the outcome depends on
// the topic alone.
type RegexRouter struct {
	re          *jregex.Regexp
	replacement string

	memo topicMemo[route]
}

var _ sluice.Transformation = (*RegexRouter)(nil)

// Configure implements sluice.Transformation.
func (t *RegexRouter) Configure(props map[string]string) error {
	cfg, err := regexRouterDef.Parse(props)
	if err != nil {
		return err
	}
	re, err := jregex.Compile(cfg.String("regex"))
	if err != nil {
		return &sluice.ConfigError{Name: "regex", Value: cfg.String("regex"), Msg: "Invalid regex: " + err.Error(), Err: err}
	}
	t.re = re
	t.replacement = cfg.String("replacement")
	t.memo.reset()
	return nil
}

var _ sluice.InPlaceTransformation = (*RegexRouter)(nil)

// Apply implements sluice.Transformation.
func (t *RegexRouter) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: an owned record gets
// its new topic in place.
func (t *RegexRouter) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	rt := t.memo.get(r.Topic, t.compute)
	if rt.err != nil {
		return nil, own, rt.err
	}
	if !rt.changed {
		return r, own, nil
	}
	c, own := r.Owned(own)
	c.Topic = rt.topic
	return c, own, nil
}

func (t *RegexRouter) compute(topic string) route {
	if !t.re.Matches(topic) {
		return route{}
	}
	out, err := t.re.ReplaceFirst(topic, t.replacement)
	if err != nil {
		return route{err: replacementError(err)}
	}
	return route{topic: out, changed: true}
}

// replacementError keeps a jregex error that already carries its Java
// class, and otherwise reports Java's IllegalArgumentException.
func replacementError(err error) error {
	if sluice.ErrorClass(err) != "ConnectException" {
		return err
	}
	msg := err.Error()
	class := "IllegalArgumentException"
	if strings.HasPrefix(msg, "No group ") {
		class = "IndexOutOfBoundsException"
	}
	return &sluice.JavaError{Class: class, Msg: msg}
}

// Close implements sluice.Transformation.
func (t *RegexRouter) Close() error { return nil }
