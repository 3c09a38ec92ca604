package siem

import "sluice.io/sluice"

const fieldMessageConfig = "field.message"

var fieldToValueDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: fieldMessageConfig, Type: sluice.TypeString, Default: "message", Importance: sluice.High,
		Doc: "The field that stores the message."})

func init() {
	registerTransform("FieldToValueTransformation", fieldToValueDef,
		"Replaces the value by one top-level field of it (Struct field, Map key, or JSON member of a JSON String, as text); the value schema becomes null.",
		func() any { return &FieldToValueTransformation{} })
}

// FieldToValueTransformation is
// com.vrudenskyi.kafka.connect.transform.FieldToValueTransformation. A
// missing or null field, text that is not a JSON object, or any other value
// type leaves the record unchanged.
type FieldToValueTransformation struct {
	field string
}

var _ sluice.Transformation = (*FieldToValueTransformation)(nil)

// Configure implements sluice.Transformation.
func (t *FieldToValueTransformation) Configure(cfg map[string]string) error {
	c, err := fieldToValueDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.field = c.String(fieldMessageConfig)
	return nil
}

// Apply implements sluice.Transformation.
func (t *FieldToValueTransformation) Apply(r *sluice.Record) (*sluice.Record, error) {
	var x any
	switch v := r.Value.(type) {
	case *sluice.Struct:
		f, err := v.Get(t.field)
		if err != nil {
			return r, nil
		}
		x = f
	case *sluice.Map:
		x, _ = v.Get(t.field)
	case string:
		n, err := parseJacksonTree(v)
		if err != nil || n.kind != jnObject {
			return r, nil
		}
		i := n.index(t.field)
		if i < 0 {
			return r, nil
		}
		x = n.elems[i].asText()
	}
	if x == nil {
		return r, nil
	}
	out := r.Clone()
	out.ValueSchema, out.Value = nil, x
	return out, nil
}

// Close implements sluice.Transformation.
func (t *FieldToValueTransformation) Close() error { return nil }
