package siem

import (
	"strings"
	"sync"
	"unsafe"

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
	// rep is find with replacement parsed, for a rule without condition.
	rep *jregex.Replacer
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
		if r.replacement != nil && !cond.Configured() {
			r.rep = r.find.Replacer(*r.replacement)
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

// textBuffers holds the two buffers rules replace into in turn.
type textBuffers struct{ b [2][]byte }

// applyString is apply on a non-null text. Rules without a condition
// replace into scratch buffers, so that only the final text is allocated;
// changed reports whether the result differs from s.
func (l *ruleList) applyString(rec *sluice.Record, s string, pool *sync.Pool, bufs **textBuffers) (out string, isNil, changed bool) {
	cur := s
	aliased := false // cur points into bufs.b[held]
	held := 0
	null := false
	for _, r := range l.rules {
		if r.rep != nil && !null {
			if !r.find.MayMatch(cur) {
				continue
			}
			if *bufs == nil {
				*bufs, _ = pool.Get().(*textBuffers)
				if *bufs == nil {
					*bufs = &textBuffers{}
				}
			}
			dst := 1 - held
			if !aliased {
				dst = 0
			}
			b, n, err := r.rep.AppendReplaceAll((*bufs).b[dst][:0], cur)
			if err != nil || n == 0 {
				continue
			}
			(*bufs).b[dst] = b
			if len(b) == 0 {
				cur, aliased = "", false
				continue
			}
			// The text lives in the buffer until the next rule replaces
			// into the other one; it is copied before leaving applyString.
			cur, aliased, held = unsafe.String(&b[0], len(b)), true, dst
			continue
		}
		if aliased {
			cur, aliased = strings.Clone(cur), false
		}
		var text *string
		if !null {
			text = &cur
		}
		res, err := r.apply(rec, text)
		if err != nil {
			continue
		}
		if res == nil {
			null = true
			cur = ""
		} else {
			null = false
			cur = *res
		}
	}
	if null {
		return "", true, true
	}
	if cur == s {
		return s, false, false
	}
	if aliased {
		cur = strings.Clone(cur)
	}
	return cur, false, true
}

// RegexRules is com.vrudenskyi.kafka.connect.transform.RegexRules.
type RegexRules struct {
	at    *applyTo
	rules *ruleList
	bufs  sync.Pool // *textBuffers
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
	// New values are collected on the stack and copied to the heap only
	// when a new record is built.
	type result struct {
		t      *target
		lo, hi int // in vals
	}
	var resBuf [2]result
	var valsBuf [2]any
	results := resBuf[:0]
	vals := valsBuf[:0]
	var scratch [1]any
	var bufs *textBuffers // taken from t.bufs when a rule replaces
	defer func() {
		if bufs != nil {
			t.bufs.Put(bufs)
		}
	}()
	// The record passes through when every target is the record's own
	// text, no header is rewritten and no text changed.
	same := !t.at.hasField && t.at.value == nil
	for i := range t.at.targets {
		tg := &t.at.targets[i]
		cur, ok, err := t.at.values(tg, r, scratch[:0])
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if tg.kind == targetHeader {
			same = false
		}
		lo := len(vals)
		for _, v := range cur {
			if v == nil {
				vals = append(vals, nil)
				continue
			}
			s, isStr := v.(string)
			if !isStr {
				s = sluice.JavaToString(v)
			}
			res, isNil, changed := t.rules.applyString(r, s, &t.bufs, &bufs)
			switch {
			case isNil:
				same = false
				vals = append(vals, nil)
			case isStr && !changed:
				vals = append(vals, v) // unchanged: keep the boxed string
			default:
				same = false
				vals = append(vals, res)
			}
		}
		results = append(results, result{tg, lo, len(vals)})
	}
	if same {
		return r, nil
	}
	var ups []update
	for _, x := range results {
		ups = addUpdate(ups, x.t, append([]any(nil), vals[x.lo:x.hi]...))
	}
	return t.at.buildRecord(r, ups)
}

// Close implements sluice.Transformation.
func (t *RegexRules) Close() error { return nil }
