package siem

import (
	"sort"
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/expr"
	"sluice.io/sluice/expr/jregex"
)

// applyTo configuration keys (the SIEM library's AppyToTransformer).
const (
	ApplyToConfig      = "applyTo"
	ApplyToValueConfig = "applyToValue"
	ApplyToFieldConfig = "applyToField"
)

var (
	applyToPattern = jregex.MustCompile(`(?i)^key$|^value$|^topic$|^header\..*$`)
	headerTarget   = jregex.MustCompile(`(?i)^header\.(.*)$`)
)

func validateApplyTo(name string, v any) error {
	list, _ := v.([]string)
	if len(list) == 0 {
		return &sluice.ConfigError{Name: name, Value: sluice.JavaListString(list),
			Msg: "'applyTo' must contain a value of:  KEY, VALUE, TOPIC, HEADER.<header_name>"}
	}
	for _, s := range list {
		if expr.JavaIsBlank(s) || !applyToPattern.Matches(s) {
			return &sluice.ConfigError{Name: name, Value: sluice.JavaListString(list),
				Msg: "applyTo value must be one of:  KEY, VALUE, HEADER.<header_name>"}
		}
	}
	return nil
}

// applyToKeys are the keys every applyTo transformation accepts.
var applyToKeys = []sluice.ConfigKey{
	{Name: ApplyToConfig, Type: sluice.TypeList, Default: "VALUE", Importance: sluice.High,
		Validator: sluice.ValidatorFunc{Fn: validateApplyTo, Desc: "KEY, VALUE, TOPIC or HEADER.<header_name>, case-insensitive"},
		Doc:       "Where the transformation applies, in order: KEY, VALUE, TOPIC, HEADER.<header_name>."},
	{Name: ApplyToValueConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "If set, the data processed for every target is this text (after ${...} evaluation when it holds an expression)."},
	{Name: ApplyToFieldConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "If set (takes precedence over applyToValue), the data processed for every target is this field of the record value: a Struct field, a Map key, or a JSON Pointer into a JSON string."},
}

var applyToDef = defineKeys(sluice.NewConfigDef(), applyToKeys...)

// defineKeys adds keys to a definition.
func defineKeys(d *sluice.ConfigDef, keys ...sluice.ConfigKey) *sluice.ConfigDef {
	for _, k := range keys {
		d.Define(k)
	}
	return d
}

// withApplyTo returns a definition holding the applyTo keys followed by keys.
func withApplyTo(keys ...sluice.ConfigKey) *sluice.ConfigDef {
	return defineKeys(defineKeys(sluice.NewConfigDef(), applyToKeys...), keys...)
}

type targetKind uint8

const (
	targetValue targetKind = iota
	targetKey
	targetTopic
	targetHeader
)

// target is one normalised applyTo element.
type target struct {
	kind targetKind
	name string // header name
	id   string // VALUE, KEY, TOPIC or HEADER.<name>
	hash int32  // Java hashCode of id
}

// applyTo is the compiled AppyToTransformer configuration.
type applyTo struct {
	targets  []target
	value    *expr.Template // applyToValue when not blank
	field    string         // applyToField when not blank
	hasField bool
	pointer  *jsonPointer // applyToField as a JSON Pointer (nil: not one)
}

// parseApplyTo parses the applyTo keys of cfg.
func parseApplyTo(cfg map[string]string) (*applyTo, error) {
	c, err := applyToDef.Parse(cfg)
	if err != nil {
		return nil, err
	}
	a := &applyTo{}
	for _, s := range c.List(ApplyToConfig) {
		var t target
		if m, _ := headerTarget.MatchWhole(s); m != nil {
			name, _ := m.Group(s, 1)
			t = target{kind: targetHeader, name: name, id: "HEADER." + name}
		} else {
			t.id = strings.ToUpper(sluice.JavaTrim(s))
			switch t.id {
			case "KEY":
				t.kind = targetKey
			case "TOPIC":
				t.kind = targetTopic
			default:
				t.kind = targetValue
			}
		}
		t.hash = sluice.JavaHashCode(t.id)
		a.targets = append(a.targets, t)
	}
	if f := c.StringOrNil(ApplyToFieldConfig); f != nil && !expr.JavaIsBlank(*f) {
		a.field, a.hasField = *f, true
		a.pointer, _ = compileJSONPointer(*f)
	}
	if v := c.StringOrNil(ApplyToValueConfig); v != nil && !expr.JavaIsBlank(*v) {
		if a.value, err = expr.CompileTemplate(*v); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// values is AppyToTransformer.valuesFor: the data of one target, and
// whether the target has data at all (a null key or value has none; a header
// target always has, possibly no values).
func (a *applyTo) values(t *target, r *sluice.Record, buf []any) ([]any, bool, error) {
	buf = buf[:0]
	if a.hasField {
		d, err := a.fieldData(r)
		if err != nil {
			return nil, false, err
		}
		return append(buf, d), true, nil
	}
	if a.value != nil {
		s, err := a.value.Eval(r)
		if err != nil {
			return nil, false, err
		}
		return append(buf, s), true, nil
	}
	switch t.kind {
	case targetValue:
		if r.Value == nil {
			return nil, false, nil
		}
		return append(buf, r.Value), true, nil
	case targetKey:
		if r.Key == nil {
			return nil, false, nil
		}
		return append(buf, r.Key), true, nil
	case targetTopic:
		return append(buf, r.Topic), true, nil
	}
	for i := range r.Headers {
		if h := &r.Headers[i]; h.Key == t.name && h.Value != nil {
			buf = append(buf, h.Value)
		}
	}
	return buf, true, nil
}

// fieldData reads applyToField from the record value: a Struct field, a Map
// entry, or else a JSON Pointer into the value's text. The result is a
// string or nil.
func (a *applyTo) fieldData(r *sluice.Record) (any, error) {
	switch v := r.Value.(type) {
	case nil:
		return nil, sluice.NewJavaError("NullPointerException", "applyToField %q: the record value is null", a.field)
	case *sluice.Struct:
		x, err := v.Get(a.field)
		if err != nil {
			return nil, err
		}
		if x == nil {
			return nil, nil
		}
		return sluice.JavaToString(x), nil
	case *sluice.Map:
		x, _ := v.Get(a.field)
		if x == nil {
			return nil, nil
		}
		return sluice.JavaToString(x), nil
	}
	s := sluice.JavaToString(r.Value)
	n, err := parseJacksonTree(s)
	if err != nil {
		return s, nil
	}
	if a.pointer == nil {
		return n.String(), nil
	}
	return n.at(a.pointer).asText(), nil
}

// update is the new data of one target.
type update struct {
	t    *target
	vals []any
}

// javaMapOrder orders updates as a java.util.HashMap created with the given
// initial capacity iterates over their keys once size keys were put.
func javaMapOrder(ups []update, initialCapacity, size int) []update {
	if len(ups) < 2 {
		return ups
	}
	n := 1
	for n < initialCapacity {
		n <<= 1
	}
	for k := 1; k <= size; k++ {
		if k > n*3/4 {
			n <<= 1
		}
	}
	out := append([]update(nil), ups...)
	sort.SliceStable(out, func(i, j int) bool {
		hi, hj := uint32(out[i].t.hash), uint32(out[j].t.hash)
		return (hi^hi>>16)&uint32(n-1) < (hj^hj>>16)&uint32(n-1)
	})
	return out
}

// addUpdate records new data for a target, replacing earlier data of the
// same target (Java HashMap.put).
func addUpdate(ups []update, t *target, vals []any) []update {
	for i := range ups {
		if ups[i].t.id == t.id {
			ups[i].vals = vals
			return ups
		}
	}
	return append(ups, update{t: t, vals: vals})
}

// buildRecord is AppyToTransformer.buildNewRecord: TOPIC, KEY and VALUE
// updates make a new record (schemas kept as they are); every header target
// then has all its headers removed and its new values appended as STRING
// headers.
func (a *applyTo) buildRecord(r *sluice.Record, ups []update) (*sluice.Record, error) {
	if len(ups) == 0 {
		return r, nil
	}
	out := r
	cloned := false
	for _, u := range ups {
		if u.t.kind == targetHeader {
			continue
		}
		if !cloned {
			out = r.Clone()
			cloned = true
		}
		var first any
		if len(u.vals) > 0 {
			first = u.vals[0]
		}
		switch u.t.kind {
		case targetTopic:
			if first == nil {
				return nil, sluice.NewJavaError("NullPointerException", "applyTo TOPIC: the new topic is null")
			}
			out.Topic = sluice.JavaToString(first)
		case targetKey:
			out.Key = first
		case targetValue:
			out.Value = first
		}
	}
	var headerUps []update
	for _, u := range ups {
		if u.t.kind == targetHeader {
			headerUps = append(headerUps, u)
		}
	}
	if len(headerUps) == 0 {
		return out, nil
	}
	headerUps = javaMapOrder(headerUps, len(a.targets), len(ups))
	h := out.Headers
	for _, u := range headerUps {
		name := u.t.name
		h = h.Without(func(k string) bool { return k == name })
		for _, v := range u.vals {
			if v == nil {
				return nil, sluice.NewJavaError("NullPointerException", "applyTo %s: a new header value is null", u.t.id)
			}
			h = h.With(name, sluice.StringSchema, sluice.JavaToString(v))
		}
	}
	if !cloned {
		out = r.Clone()
	}
	out.Headers = h
	return out, nil
}
