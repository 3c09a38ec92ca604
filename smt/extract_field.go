package smt

import (
	"sluice.io/sluice"
)

const extractFieldClass = "org.apache.kafka.connect.transforms.ExtractField"

var extractFieldDef = appendFieldSyntaxVersion(sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "field", Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.Medium,
		Doc: "Name (or, with field.syntax.version=V2, dotted path) of the field whose value becomes the whole key or value."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "When a struct field is null and its schema has a default, return the default (true) or null (false)."}))

func init() {
	registerKV(extractFieldClass, extractFieldDef,
		"Replaces the key or value with one of its fields: a Struct field when there is a schema, a map entry otherwise. Null keys or values stay null.",
		func(s side) sluice.Transformation { return &ExtractField{side: s} })
}

// ExtractField replaces the key or value with one of its fields (Kafka's
// ExtractField$Key / $Value).
type ExtractField struct {
	side        side
	path        fieldPath
	original    string
	withDefault bool
}

var _ sluice.Transformation = (*ExtractField)(nil)

// Configure implements sluice.Transformation.
func (t *ExtractField) Configure(props map[string]string) error {
	cfg, err := extractFieldDef.Parse(props)
	if err != nil {
		return err
	}
	t.original = cfg.String("field")
	v2, err := fieldSyntaxIsV2(cfg)
	if err != nil {
		return err
	}
	if t.path, err = parseFieldPath(t.original, v2); err != nil {
		return err
	}
	t.withDefault = cfg.Bool("replace.null.with.default")
	return nil
}

// Apply implements sluice.Transformation.
func (t *ExtractField) Apply(r *sluice.Record) (*sluice.Record, error) {
	sch := t.side.schema(r)
	if sch == nil {
		m, err := requireMapOrNull(t.side.value(r), "field extraction")
		if err != nil {
			return nil, err
		}
		if m == nil {
			return t.side.with(r, nil, nil), nil
		}
		v, err := t.path.valueFromMap(m)
		if err != nil {
			return nil, err
		}
		return t.side.with(r, nil, v), nil
	}
	st, err := requireStructOrNull(t.side.value(r), "field extraction")
	if err != nil {
		return nil, err
	}
	f, err := t.path.fieldFrom(sch)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, sluice.NewJavaError("IllegalArgumentException", "Unknown field: %s", t.original)
	}
	if st == nil {
		return t.side.with(r, f.Schema, nil), nil
	}
	v, err := t.path.valueFromStruct(st, t.withDefault)
	if err != nil {
		return nil, err
	}
	return t.side.with(r, f.Schema, v), nil
}

// Close implements sluice.Transformation.
func (t *ExtractField) Close() error { return nil }
