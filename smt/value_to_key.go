package smt

import (
	"sluice.io/sluice"
)

const valueToKeyClass = "org.apache.kafka.connect.transforms.ValueToKey"

var valueToKeyDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "fields", Type: sluice.TypeList, Default: sluice.NoDefault, Validator: sluice.NonEmptyList{},
		Importance: sluice.High, Doc: "Fields of the record value that make up the new record key."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "When a struct field is null and its schema has a default, copy the default (true) or null (false)."})

func init() {
	register(valueToKeyClass, sluice.KindTransformation, valueToKeyDef,
		"Replaces the record key with a key built from some fields of the record value.",
		func() any { return &ValueToKey{} })
}

// ValueToKey replaces the key with a Struct or map made of value fields
// (Kafka's ValueToKey).
type ValueToKey struct {
	fields      []string
	keys        []any // fields, boxed once
	withDefault bool
	cache       planCache[*valueToKeyPlan]
}

// valueToKeyPlan is the key schema built for one value schema and, for each
// key field, the index of the value field it copies.
type valueToKeyPlan struct {
	key *sluice.Schema
	src []int
}

var _ sluice.Transformation = (*ValueToKey)(nil)

// Configure implements sluice.Transformation.
func (t *ValueToKey) Configure(props map[string]string) error {
	cfg, err := valueToKeyDef.Parse(props)
	if err != nil {
		return err
	}
	t.fields = cfg.List("fields")
	t.keys = make([]any, len(t.fields))
	for i, f := range t.fields {
		t.keys[i] = f
	}
	t.withDefault = cfg.Bool("replace.null.with.default")
	return nil
}

const valueToKeyPurpose = "copying fields from value to key"

// Apply implements sluice.Transformation.
func (t *ValueToKey) Apply(r *sluice.Record) (*sluice.Record, error) {
	if r.ValueSchema == nil {
		m, err := requireMap(r.Value, valueToKeyPurpose)
		if err != nil {
			return nil, err
		}
		key := &sluice.Map{Entries: make([]sluice.MapEntry, 0, len(t.fields)), Hashed: true}
	fieldLoop:
		for i, f := range t.fields {
			v, _ := mapGetString(m, f)
			for j := range key.Entries {
				if key.Entries[j].Key == t.keys[i] {
					key.Entries[j].Value = v
					continue fieldLoop
				}
			}
			key.Entries = append(key.Entries, sluice.MapEntry{Key: t.keys[i], Value: v})
		}
		c := r.Clone()
		c.KeySchema, c.Key = nil, key
		return c, nil
	}
	st, err := requireStruct(r.Value, valueToKeyPurpose)
	if err != nil {
		return nil, err
	}
	plan, ok := t.cache.get(st.Schema())
	if !ok {
		if plan, err = t.buildPlan(st.Schema()); err != nil {
			return nil, err
		}
		t.cache.put(st.Schema(), plan)
	}
	key := sluice.NewStruct(plan.key)
	vals := st.Values()
	vs := st.Schema()
	for i := range plan.key.Fields {
		src := &vs.Fields[plan.src[i]]
		v := vals[src.Index]
		if v == nil && t.withDefault {
			v = src.Schema.Default
		}
		if err := key.PutField(&plan.key.Fields[i], v); err != nil {
			return nil, err
		}
	}
	c := r.Clone()
	c.KeySchema, c.Key = plan.key, key
	c.ValueSchema = st.Schema()
	return c, nil
}

func (t *ValueToKey) buildPlan(vs *sluice.Schema) (*valueToKeyPlan, error) {
	fields := make([]sluice.Field, 0, len(t.fields))
	src := make([]int, 0, len(t.fields))
	for _, name := range t.fields {
		f := vs.Field(name)
		if f == nil {
			return nil, sluice.NewDataError("Field does not exist: %s", name)
		}
		fields = append(fields, sluice.Field{Name: name, Schema: f.Schema})
		src = append(src, f.Index)
	}
	key, err := newStructSchema(nil, fields)
	if err != nil {
		return nil, err
	}
	return &valueToKeyPlan{key: key, src: src}, nil
}

// Close implements sluice.Transformation.
func (t *ValueToKey) Close() error { return nil }
