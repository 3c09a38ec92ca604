package siem

import (
	"sluice.io/sluice"
	"sluice.io/sluice/expr"
	"sluice.io/sluice/expr/jregex"
)

// RegexRules configuration keys.
const (
	RulesConfig       = "rules"
	FailOnErrorConfig = "failOnError"
	FindConfig        = "find"
	ReplacementConfig = "replacement"
)

const regexRulesDoc = "Applies a list of conditional regex find/replace rules, in order, to the " +
	"record parts named by applyTo (masking). A rule without `find` replaces the whole text with " +
	"`replacement`; a rule that fails (an invalid group reference, a missing replacement) is skipped. " +
	"Rule keys: rules.<alias>.find, .replacement (Java replacement syntax: $1, ${name}, \\$), .if, .if_mode."

var rulesKeys = []sluice.ConfigKey{
	{Name: RulesConfig, Type: sluice.TypeList, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Rule aliases, applied in this order."},
	{Name: FailOnErrorConfig, Type: sluice.TypeBoolean, Default: "false", Importance: sluice.High,
		Doc: "Accepted for compatibility; failing rules are always skipped."},
}

var (
	regexRulesDef = withApplyTo(rulesKeys...)
	rulesListDef  = defineKeys(sluice.NewConfigDef(), rulesKeys...)
	matchRuleDef  = sluice.NewConfigDef().
			Define(sluice.ConfigKey{Name: FindConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
			Doc: "Java regex to find."}).
		Define(sluice.ConfigKey{Name: ReplacementConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
			Doc: "Replacement string."})
)

// matchRule is the SIEM library's RegexMatchReplace: an optional condition,
// an optional regex and a replacement.
type matchRule struct {
	alias       string
	cond        *Condition
	find        *jregex.Regexp
	replacement *string
}

// parseMatchRule reads one rule under prefix.
func parseMatchRule(cfg map[string]string, prefix, alias string) (*matchRule, error) {
	sub := sluice.WithPrefix(cfg, prefix)
	cond, err := ParseCondition(sub, "")
	if err != nil {
		return nil, err
	}
	c, err := matchRuleDef.Parse(sub)
	if err != nil {
		return nil, err
	}
	r := &matchRule{alias: alias, cond: cond, replacement: c.StringOrNil(ReplacementConfig)}
	if f := c.StringOrNil(FindConfig); f != nil && !expr.JavaIsBlank(*f) {
		if r.find, err = jregex.Compile(*f); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// apply is RegexMatchReplace.apply: the new text, or an error that makes
// the rule list skip this rule.
func (m *matchRule) apply(rec *sluice.Record, text *string) (*string, error) {
	if m.cond.Configured() {
		ok, err := m.cond.TestWith(rec, text)
		if err != nil {
			return nil, err
		}
		if !ok {
			return text, nil
		}
	}
	if m.find == nil {
		return m.replacement, nil
	}
	if text == nil {
		return nil, sluice.NewJavaError("NullPointerException", "rule %s: the text is null", m.alias)
	}
	if m.replacement == nil {
		// Matcher.replaceAll(null) fails on the first match; without a
		// match the text is returned unchanged. Either way the text stays.
		return text, nil
	}
	out, err := m.find.ReplaceAll(*text, *m.replacement)
	if err != nil {
		return nil, err
	}
	if out == *text {
		return text, nil
	}
	return &out, nil
}

// ruleList is the SIEM library's RegexRulesTextReplacer.
type ruleList struct {
	rules []*matchRule
}

func parseRuleList(cfg map[string]string) (*ruleList, error) {
	c, err := rulesListDef.Parse(cfg)
	if err != nil {
		return nil, err
	}
	l := &ruleList{}
	for _, alias := range c.List(RulesConfig) {
		r, err := parseMatchRule(cfg, RulesConfig+"."+alias+".", alias)
		if err != nil {
			return nil, err
		}
		l.rules = append(l.rules, r)
	}
	return l, nil
}

// apply runs every rule in order; a failing rule is skipped.
func (l *ruleList) apply(rec *sluice.Record, text *string) *string {
	for _, r := range l.rules {
		if out, err := r.apply(rec, text); err == nil {
			text = out
		}
	}
	return text
}

// RegexRules is com.vrudenskyi.kafka.connect.transform.RegexRules.
type RegexRules struct {
	at    *applyTo
	rules *ruleList
}

var _ sluice.Transformation = (*RegexRules)(nil)

func init() {
	registerTransform("RegexRules", regexRulesDef, regexRulesDoc, func() any { return &RegexRules{} })
}

// Configure implements sluice.Transformation.
func (t *RegexRules) Configure(cfg map[string]string) error {
	at, err := parseApplyTo(cfg)
	if err != nil {
		return err
	}
	rules, err := parseRuleList(cfg)
	if err != nil {
		return err
	}
	t.at, t.rules = at, rules
	return nil
}

// Apply implements sluice.Transformation.
func (t *RegexRules) Apply(r *sluice.Record) (*sluice.Record, error) {
	var ups []update
	var scratch [1]any
	for i := range t.at.targets {
		tg := &t.at.targets[i]
		cur, ok, err := t.at.values(tg, r, scratch[:0])
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		out := make([]any, len(cur))
		for j, v := range cur {
			if v == nil {
				continue
			}
			s, isStr := v.(string)
			if !isStr {
				s = sluice.JavaToString(v)
			}
			res := t.rules.apply(r, &s)
			switch {
			case res == nil:
				out[j] = nil
			case isStr && *res == s:
				out[j] = v // unchanged: keep the boxed string
			default:
				out[j] = *res
			}
		}
		ups = addUpdate(ups, tg, out)
	}
	return t.at.buildRecord(r, ups)
}

// Close implements sluice.Transformation.
func (t *RegexRules) Close() error { return nil }
