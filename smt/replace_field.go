package smt

import (
	"sluice.io/sluice"
)

const replaceFieldClass = "org.apache.kafka.connect.transforms.ReplaceField"

var replaceFieldDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "exclude", Type: sluice.TypeList, Default: []string{}, Importance: sluice.Medium,
		Doc: "Fields to drop. Takes precedence over include."}).
	Define(sluice.ConfigKey{Name: "blacklist", Type: sluice.TypeList, Default: nil, Importance: sluice.Low,
		Doc: "Deprecated spelling of exclude, used only when exclude is not set."}).
	Define(sluice.ConfigKey{Name: "include", Type: sluice.TypeList, Default: []string{}, Importance: sluice.Medium,
		Doc: "Fields to keep; when empty every field not excluded is kept."}).
	Define(sluice.ConfigKey{Name: "whitelist", Type: sluice.TypeList, Default: nil, Importance: sluice.Low,
		Doc: "Deprecated spelling of include, used only when include is not set."}).
	Define(sluice.ConfigKey{Name: "renames", Type: sluice.TypeList, Default: []string{},
		Validator: sluice.ValidatorFunc{Fn: func(name string, v any) error {
			l, _ := v.([]string)
			_, err := parseRenameMappings(l)
			return err
		}, Desc: "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"},
		Importance: sluice.Medium, Doc: "Renames as old:new pairs."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "When a struct field is null and its schema has a default, copy the default (true) or null (false)."})

func init() {
	registerKV(replaceFieldClass, replaceFieldDef,
		"Keeps, drops and renames fields of the key or value.",
		func(s side) sluice.Transformation { return &ReplaceField{side: s} })
}

// rename is one old:new pair.
type rename struct{ from, to string }

// parseRenameMappings splits renames items the Java way: each must split on
// ':' (trailing empty parts dropped) into exactly two parts.
func parseRenameMappings(items []string) ([]rename, error) {
	out := make([]rename, 0, len(items))
	for _, it := range items {
		p := javaSplitColon(it)
		if len(p) != 2 {
			return nil, &sluice.ConfigError{Name: "renames", Value: sluice.JavaListString(items), Msg: "Invalid rename mapping: " + it}
		}
		out = append(out, rename{p[0], p[1]})
	}
	return out, nil
}

// stringSet is a small set of strings: a slice scan for a few entries, a
// map beyond.
type stringSet struct {
	list []string
	m    map[string]struct{}
}

func newStringSet(items []string) stringSet {
	var s stringSet
	for _, it := range items {
		if !s.has(it) {
			s.list = append(s.list, it)
		}
	}
	if len(s.list) > 8 {
		s.m = make(map[string]struct{}, len(s.list))
		for _, it := range s.list {
			s.m[it] = struct{}{}
		}
	}
	return s
}

func (s *stringSet) has(k string) bool {
	if s.m != nil {
		_, ok := s.m[k]
		return ok
	}
	for _, x := range s.list {
		if x == k {
			return true
		}
	}
	return false
}

func (s *stringSet) empty() bool { return len(s.list) == 0 }

// stringMap is a small string→string map (last write wins).
type stringMap struct {
	keys, vals []string
	boxed      []any // vals as interfaces, filled by box
}

// box prepares the values as interfaces so that using them as map keys
// allocates nothing.
func (m *stringMap) box() {
	m.boxed = make([]any, len(m.vals))
	for i, v := range m.vals {
		m.boxed[i] = v
	}
}

// index returns the position of k, or -1.
func (m *stringMap) index(k string) int {
	for i, x := range m.keys {
		if x == k {
			return i
		}
	}
	return -1
}

func (m *stringMap) put(k, v string) {
	for i, x := range m.keys {
		if x == k {
			m.vals[i] = v
			return
		}
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
}

func (m *stringMap) get(k string) (string, bool) {
	for i, x := range m.keys {
		if x == k {
			return m.vals[i], true
		}
	}
	return "", false
}

// ReplaceField filters and renames fields of the key or value (Kafka's
// ReplaceField$Key / $Value, including the deprecated blacklist and
// whitelist spellings that Kafka 3.9 still honours).
type ReplaceField struct {
	side             side
	exclude, include stringSet
	renames          stringMap
	reverse          stringMap
	targets          stringSet
	withDefault      bool
	cache            planCache[*replacePlan]
}

// replacePlan is the output schema for one input schema and, per output
// field, the index of the input field its value is read from (-1: none,
// which fails as Java's Struct.get does).
type replacePlan struct {
	out     *sluice.Schema
	src     []int
	srcName []string
}

var _ sluice.Transformation = (*ReplaceField)(nil)

// Configure implements sluice.Transformation.
func (t *ReplaceField) Configure(props map[string]string) error {
	props = translateDeprecated(props, [][2]string{{"include", "whitelist"}, {"exclude", "blacklist"}})
	cfg, err := replaceFieldDef.Parse(props)
	if err != nil {
		return err
	}
	t.exclude = newStringSet(cfg.List("exclude"))
	t.include = newStringSet(cfg.List("include"))
	rs, err := parseRenameMappings(cfg.List("renames"))
	if err != nil {
		return err
	}
	t.renames = stringMap{}
	for _, r := range rs {
		t.renames.put(r.from, r.to)
	}
	// Java inverts its HashMap of renames in hash iteration order, so when
	// two names are renamed to the same one the later in that order wins.
	hm := &sluice.Map{Hashed: true}
	for i, k := range t.renames.keys {
		hm.Entries = append(hm.Entries, sluice.MapEntry{Key: k, Value: t.renames.vals[i]})
	}
	t.reverse = stringMap{}
	for _, e := range sluice.JavaHashOrder(hm) {
		t.reverse.put(e.Value.(string), e.Key.(string))
	}
	t.renames.box()
	t.targets = newStringSet(t.renames.vals)
	t.withDefault = cfg.Bool("replace.null.with.default")
	return nil
}

// translateDeprecated resolves deprecated aliases like Kafka's
// ConfigUtils.translateDeprecatedConfigs: the alias is dropped, and its
// value used only when the current key is absent.
func translateDeprecated(props map[string]string, groups [][2]string) map[string]string {
	found := false
	for _, g := range groups {
		if _, ok := props[g[1]]; ok {
			found = true
		}
	}
	if !found {
		return props
	}
	out := make(map[string]string, len(props))
	for k, v := range props {
		out[k] = v
	}
	for _, g := range groups {
		alias, ok := props[g[1]]
		if !ok {
			continue
		}
		delete(out, g[1])
		if _, has := props[g[0]]; !has {
			out[g[0]] = alias
		}
	}
	return out
}

func (t *ReplaceField) keep(name string) bool {
	return !t.exclude.has(name) && (t.include.empty() || t.include.has(name))
}

func (t *ReplaceField) renamed(name string) string {
	if len(t.renames.keys) == 0 {
		return name
	}
	if n, ok := t.renames.get(name); ok {
		return n
	}
	return name
}

const replaceFieldPurpose = "field replacement"

var _ sluice.InPlaceTransformation = (*ReplaceField)(nil)

// Apply implements sluice.Transformation.
func (t *ReplaceField) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: the new key or value
// it builds is owned by the caller, and an owned record is changed in place.
func (t *ReplaceField) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	v := t.side.value(r)
	if v == nil {
		return r, own, nil
	}
	sch := t.side.schema(r)
	if sch == nil {
		m, err := requireMap(v, replaceFieldPurpose)
		if err != nil {
			return nil, own, err
		}
		out, err := t.applyMap(m)
		if err != nil {
			return nil, own, err
		}
		c, own := t.side.withOwned(r, own, nil, out, true)
		return c, own, nil
	}
	st, err := requireStruct(v, replaceFieldPurpose)
	if err != nil {
		return nil, own, err
	}
	plan, ok := t.cache.get(st.Schema())
	if !ok {
		if plan, err = t.buildPlan(st.Schema()); err != nil {
			return nil, own, err
		}
		t.cache.put(st.Schema(), plan)
	}
	ns := sluice.NewStruct(plan.out)
	vals := st.Values()
	in := st.Schema()
	for i := range plan.out.Fields {
		si := plan.src[i]
		if si < 0 {
			return nil, own, sluice.NewDataError("%s is not a valid field name", plan.srcName[i])
		}
		f := &in.Fields[si]
		fv := vals[si]
		if fv == nil && t.withDefault {
			fv = f.Schema.Default
		}
		if err := ns.PutField(&plan.out.Fields[i], fv); err != nil {
			return nil, own, err
		}
	}
	c, own := t.side.withOwned(r, own, plan.out, ns, true)
	return c, own, nil
}

// applyMap filters and renames a schemaless map into a new HashMap.
func (t *ReplaceField) applyMap(m *sluice.Map) (*sluice.Map, error) {
	out := newHashedMap(len(m.Entries))
	checkDup := len(t.renames.keys) > 0
	for i := range m.Entries {
		k, ok := m.Entries[i].Key.(string)
		if !ok {
			return nil, classCastToString(m.Entries[i].Key)
		}
		if !t.keep(k) {
			continue
		}
		key, nk := m.Entries[i].Key, k
		if checkDup {
			if ri := t.renames.index(k); ri >= 0 {
				key, nk = t.renames.boxed[ri], t.renames.vals[ri]
			}
			if t.targets.has(nk) {
				if _, at := mapGetString(out, nk); at >= 0 {
					// Two kept fields end up with the same name: which value
					// survives depends on Java's iteration order.
					return t.applyMapOrdered(m)
				}
			}
		}
		out.Entries = append(out.Entries, sluice.MapEntry{Key: key, Value: m.Entries[i].Value})
	}
	return out, nil
}

// applyMapOrdered is applyMap iterating the input in Java's order and
// letting later entries overwrite earlier ones.
func (t *ReplaceField) applyMapOrdered(m *sluice.Map) (*sluice.Map, error) {
	entries := m.Entries
	if m.Hashed {
		entries = sluice.JavaHashOrder(m)
	}
	out := &sluice.Map{Entries: make([]sluice.MapEntry, 0, len(entries)), Hashed: true}
	for i := range entries {
		k, ok := entries[i].Key.(string)
		if !ok {
			return nil, classCastToString(entries[i].Key)
		}
		if t.keep(k) {
			out.Put(t.renamed(k), entries[i].Value)
		}
	}
	return out, nil
}

// classCastToString is the ClassCastException Java throws when a map key it
// treats as a field name is not a String.
func classCastToString(k any) error {
	return sluice.NewJavaError("ClassCastException", "%s cannot be cast to class java.lang.String", sluice.JavaClassName(k))
}

func (t *ReplaceField) buildPlan(in *sluice.Schema) (*replacePlan, error) {
	fields := make([]sluice.Field, 0, len(in.Fields))
	for i := range in.Fields {
		f := &in.Fields[i]
		if t.keep(f.Name) {
			fields = append(fields, sluice.Field{Name: t.renamed(f.Name), Schema: f.Schema})
		}
	}
	out, err := newStructSchema(in, fields)
	if err != nil {
		return nil, err
	}
	p := &replacePlan{out: out, src: make([]int, len(fields)), srcName: make([]string, len(fields))}
	for i := range out.Fields {
		name := out.Fields[i].Name
		if o, ok := t.reverse.get(name); ok {
			name = o
		}
		p.srcName[i] = name
		p.src[i] = -1
		if f := in.Field(name); f != nil {
			p.src[i] = f.Index
		}
	}
	return p, nil
}

// Close implements sluice.Transformation.
func (t *ReplaceField) Close() error { return nil }
