package siem

import (
	"sluice.io/sluice"
)

// RegexFilter configuration keys.
const (
	ConditionsConfig = "conditions"
	FilterTypeConfig = "filterType"
)

const regexFilterDoc = "Drops (filterType=drop) or keeps (filterType=keep) the records for which any " +
	"condition conditions.<alias>.if / .if_mode is true on any value of any applyTo target."

var regexFilterKeys = []sluice.ConfigKey{
	{Name: ConditionsConfig, Type: sluice.TypeList, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Condition aliases; a record matches when any of them is true."},
	{Name: FilterTypeConfig, Type: sluice.TypeString, Default: "drop", Importance: sluice.High,
		Validator: sluice.ValidString{"drop", "keep"},
		Doc:       "drop: drop matching records; keep: keep only matching records."},
}

var (
	regexFilterDef    = withApplyTo(regexFilterKeys...)
	regexFilterOwnDef = defineKeys(sluice.NewConfigDef(), regexFilterKeys...)
)

// RegexFilter is com.vrudenskyi.kafka.connect.transform.RegexFilter.
type RegexFilter struct {
	at    *applyTo
	conds []*Condition
	keep  bool
}

var _ sluice.Transformation = (*RegexFilter)(nil)

func init() {
	registerTransform("RegexFilter", regexFilterDef, regexFilterDoc, func() any { return &RegexFilter{} })
}

// Configure implements sluice.Transformation.
func (t *RegexFilter) Configure(cfg map[string]string) error {
	at, err := parseApplyTo(cfg)
	if err != nil {
		return err
	}
	c, err := regexFilterOwnDef.Parse(cfg)
	if err != nil {
		return err
	}
	var conds []*Condition
	for _, alias := range c.List(ConditionsConfig) {
		cond, err := ParseCondition(cfg, ConditionsConfig+"."+alias+".")
		if err != nil {
			return err
		}
		if !cond.Configured() {
			return sluice.NewJavaError("ConnectException", "Condition not configured for alias:%s", alias)
		}
		conds = append(conds, cond)
	}
	t.at, t.conds, t.keep = at, conds, c.String(FilterTypeConfig) == "keep"
	return nil
}

// Apply implements sluice.Transformation.
func (t *RegexFilter) Apply(r *sluice.Record) (*sluice.Record, error) {
	matches, err := t.matches(r)
	if err != nil {
		return nil, err
	}
	if matches != t.keep {
		return nil, nil
	}
	return r, nil
}

func (t *RegexFilter) matches(r *sluice.Record) (bool, error) {
	var scratch [1]any
	for i := range t.at.targets {
		tg := &t.at.targets[i]
		vals, ok, err := t.at.values(tg, r, scratch[:0])
		if err != nil {
			return false, err
		}
		if !ok {
			return false, sluice.NewJavaError("NullPointerException", "RegexFilter: applyTo %s: the %s is null", tg.id, targetNoun(tg))
		}
		for _, v := range vals {
			if v == nil {
				continue
			}
			s := sluice.JavaToString(v)
			for _, c := range t.conds {
				m, err := c.TestWith(r, &s)
				if err != nil {
					return false, err
				}
				if m {
					return true, nil
				}
			}
		}
	}
	return false, nil
}

func targetNoun(t *target) string {
	if t.kind == targetKey {
		return "record key"
	}
	return "record value"
}

// Close implements sluice.Transformation.
func (t *RegexFilter) Close() error { return nil }
