package smt

import (
	"sluice.io/sluice"
)

const setSchemaMetadataClass = "org.apache.kafka.connect.transforms.SetSchemaMetadata"

var setSchemaMetadataDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "schema.name", Type: sluice.TypeString, Default: nil, Importance: sluice.High,
		Doc: "Name to give the schema."}).
	Define(sluice.ConfigKey{Name: "schema.version", Type: sluice.TypeInt, Default: nil, Importance: sluice.High,
		Doc: "Version to give the schema."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "When a struct field is null and its schema has a default, copy the default (true) or null (false)."})

func init() {
	registerKV(setSchemaMetadataClass, setSchemaMetadataDef,
		"Sets the name, the version or both of the key or value schema.",
		func(s side) sluice.Transformation { return &SetSchemaMetadata{side: s} })
}

// SetSchemaMetadata sets the name and/or version of the key or value schema
// (Kafka's SetSchemaMetadata$Key / $Value).
type SetSchemaMetadata struct {
	side        side
	name        *string
	version     *int32
	withDefault bool
	cache       schemaCache
}

var _ sluice.Transformation = (*SetSchemaMetadata)(nil)

// Configure implements sluice.Transformation.
func (t *SetSchemaMetadata) Configure(props map[string]string) error {
	cfg, err := setSchemaMetadataDef.Parse(props)
	if err != nil {
		return err
	}
	t.name = cfg.StringOrNil("schema.name")
	if v, ok := cfg.Get("schema.version").(int32); ok {
		t.version = &v
	} else {
		t.version = nil
	}
	t.withDefault = cfg.Bool("replace.null.with.default")
	if t.name == nil && t.version == nil {
		return sluice.NewConfigError("Neither schema name nor version configured")
	}
	return nil
}

var _ sluice.InPlaceTransformation = (*SetSchemaMetadata)(nil)

// Apply implements sluice.Transformation.
func (t *SetSchemaMetadata) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: the new struct it
// builds is owned by the caller, and an owned record is changed in place.
func (t *SetSchemaMetadata) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	sch := t.side.schema(r)
	v := t.side.value(r)
	if sch == nil {
		if v == nil {
			return r, own, nil
		}
		return nil, own, sluice.NewDataError("Schema required for [updating schema metadata]")
	}
	if sch.Type != sluice.StructType {
		return nil, own, errNonStructFields()
	}
	out := t.cache.get(sch)
	if out == nil {
		c := *sch
		if t.name != nil {
			c.Name = *t.name
		}
		if t.version != nil {
			c.Version = t.version
		}
		out = &c
		t.cache.put(sch, out)
	}
	if st, ok := v.(*sluice.Struct); ok {
		ns := sluice.NewStruct(out)
		for i := range out.Fields {
			f := &out.Fields[i]
			var fv any
			if t.withDefault {
				// Java reads the value by the index of the new schema's field.
				vals := st.Values()
				if f.Index >= len(vals) {
					return nil, own, sluice.NewJavaError("ArrayIndexOutOfBoundsException", "Index %d out of bounds for length %d", f.Index, len(vals))
				}
				fv = vals[f.Index]
				if fv == nil {
					fv = f.Schema.Default
				}
			} else {
				src := st.Schema().Field(f.Name)
				if src == nil {
					return nil, own, sluice.NewDataError("%s is not a valid field name", f.Name)
				}
				fv = st.Values()[src.Index]
			}
			if err := ns.PutField(f, fv); err != nil {
				return nil, own, err
			}
		}
		c, own := t.side.withOwned(r, own, out, ns, true)
		return c, own, nil
	}
	c, own := t.side.withOwned(r, own, out, v, false)
	return c, own, nil
}

// Close implements sluice.Transformation.
func (t *SetSchemaMetadata) Close() error { return nil }
