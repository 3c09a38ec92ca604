package smt

import (
	"strings"
	"sync"

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

// routeCacheSize bounds the per-topic memo of RegexRouter.
const routeCacheSize = 1024

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

	mu    sync.RWMutex
	cache map[string]route
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
	t.cache = make(map[string]route, 16)
	return nil
}

// Apply implements sluice.Transformation.
func (t *RegexRouter) Apply(r *sluice.Record) (*sluice.Record, error) {
	t.mu.RLock()
	rt, ok := t.cache[r.Topic]
	t.mu.RUnlock()
	if !ok {
		rt = t.compute(r.Topic)
		t.mu.Lock()
		if len(t.cache) >= routeCacheSize {
			clear(t.cache)
		}
		t.cache[strings.Clone(r.Topic)] = rt
		t.mu.Unlock()
	}
	if rt.err != nil {
		return nil, rt.err
	}
	if !rt.changed {
		return r, nil
	}
	c := r.Clone()
	c.Topic = rt.topic
	return c, nil
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
