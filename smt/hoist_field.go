package smt

import (
	"sluice.io/sluice"
)

const hoistFieldClass = "org.apache.kafka.connect.transforms.HoistField"

var hoistFieldDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "field", Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.Medium,
		Doc: "Name of the single field of the Struct (with a schema) or map (without) that wraps the key or value."})

func init() {
	registerKV(hoistFieldClass, hoistFieldDef,
		"Wraps the key or value in a Struct with one field when there is a schema, or in a one-entry map otherwise.",
		func(s side) sluice.Transformation { return &HoistField{side: s} })
}

// HoistField wraps the key or value in a single-field Struct or map
// (Kafka's HoistField$Key / $Value).
type HoistField struct {
	side  side
	field string
	key   any // field, boxed once
	cache schemaCache
}

var _ sluice.Transformation = (*HoistField)(nil)

// Configure implements sluice.Transformation.
func (t *HoistField) Configure(props map[string]string) error {
	cfg, err := hoistFieldDef.Parse(props)
	if err != nil {
		return err
	}
	t.field = cfg.String("field")
	t.key = t.field
	return nil
}

var _ sluice.InPlaceTransformation = (*HoistField)(nil)

// Apply implements sluice.Transformation.
func (t *HoistField) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: the new key or value
// it builds is owned by the caller, and an owned record is changed in place.
func (t *HoistField) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	sch := t.side.schema(r)
	v := t.side.value(r)
	if sch == nil {
		m := &sluice.Map{Entries: []sluice.MapEntry{{Key: t.key, Value: v}}, Hashed: true}
		c, own := t.side.withOwned(r, own, nil, m, true)
		return c, own, nil
	}
	out := t.cache.get(sch)
	if out == nil {
		out = &sluice.Schema{Type: sluice.StructType, Fields: []sluice.Field{{Name: t.field, Index: 0, Schema: sch}}}
		t.cache.put(sch, out)
	}
	st := sluice.NewStruct(out)
	if err := st.PutField(&out.Fields[0], v); err != nil {
		return nil, own, err
	}
	c, own := t.side.withOwned(r, own, out, st, true)
	return c, own, nil
}

// Close implements sluice.Transformation.
func (t *HoistField) Close() error { return nil }
