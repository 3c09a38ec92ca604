package siem

import (
	"sluice.io/sluice"
	"sluice.io/sluice/expr"
)

// RegexRouter configuration keys.
const (
	FallbackTopicConfig = "fallbackTopic"
)

const regexRouterDoc = "Sets the topic: the first rule rules.<alias>.if / .if_mode that is true on a " +
	"value of the applyTo targets gives the topic rules.<alias>.replacement, used literally; a blank " +
	"replacement drops the record. Without a match the topic is fallbackTopic (an empty one drops the " +
	"record), or the record is left unchanged."

var regexRouterKeys = []sluice.ConfigKey{
	{Name: RulesConfig, Type: sluice.TypeList, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Routing rule aliases, tried in this order."},
	{Name: FallbackTopicConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Topic for records no rule matches; empty drops them."},
}

var (
	regexRouterDef    = withApplyTo(regexRouterKeys...)
	regexRouterOwnDef = defineKeys(sluice.NewConfigDef(), regexRouterKeys...)
)

// RegexRouter is com.vrudenskyi.kafka.connect.transform.RegexRouter.
type RegexRouter struct {
	at       *applyTo
	rules    []*matchRule
	fallback *string
}

var _ sluice.Transformation = (*RegexRouter)(nil)

func init() {
	registerTransform("RegexRouter", regexRouterDef, regexRouterDoc, func() any { return &RegexRouter{} })
}

// Configure implements sluice.Transformation.
func (t *RegexRouter) Configure(cfg map[string]string) error {
	at, err := parseApplyTo(cfg)
	if err != nil {
		return err
	}
	c, err := regexRouterOwnDef.Parse(cfg)
	if err != nil {
		return err
	}
	var rules []*matchRule
	for _, alias := range c.List(RulesConfig) {
		r, err := parseMatchRule(cfg, RulesConfig+"."+alias+".", alias)
		if err != nil {
			return err
		}
		rules = append(rules, r)
	}
	t.at, t.rules, t.fallback = at, rules, c.StringOrNil(FallbackTopicConfig)
	return nil
}

// Apply implements sluice.Transformation.
func (t *RegexRouter) Apply(r *sluice.Record) (*sluice.Record, error) {
	topic, found, err := t.route(r)
	if err != nil {
		return nil, err
	}
	if !found && t.fallback != nil {
		topic, found = *t.fallback, true
	}
	if !found {
		return r, nil
	}
	if topic == "" {
		return nil, nil
	}
	out := r.Clone()
	out.Topic = topic
	return out, nil
}

func (t *RegexRouter) route(r *sluice.Record) (string, bool, error) {
	var scratch [1]any
	for i := range t.at.targets {
		tg := &t.at.targets[i]
		vals, ok, err := t.at.values(tg, r, scratch[:0])
		if err != nil {
			return "", false, err
		}
		if !ok {
			return "", false, sluice.NewJavaError("NullPointerException", "RegexRouter: applyTo %s: the %s is null", tg.id, targetNoun(tg))
		}
		for _, v := range vals {
			if v == nil {
				continue
			}
			s := sluice.JavaToString(v)
			for _, m := range t.rules {
				ok, err := m.cond.TestWith(r, &s)
				if err != nil {
					return "", false, err
				}
				if !ok {
					continue
				}
				if m.replacement == nil || expr.JavaIsBlank(*m.replacement) {
					return "", true, nil
				}
				return *m.replacement, true, nil
			}
		}
	}
	return "", false, nil
}

// Close implements sluice.Transformation.
func (t *RegexRouter) Close() error { return nil }
