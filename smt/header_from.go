package smt

import (
	"slices"

	"sluice.io/sluice"
)

const headerFromClass = "org.apache.kafka.connect.transforms.HeaderFrom"

var headerFromDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "fields", Type: sluice.TypeList, Default: sluice.NoDefault,
		Validator: sluice.NonEmptyList{}, Importance: sluice.High,
		Doc: "Top-level fields whose values become headers."}).
	Define(sluice.ConfigKey{Name: "headers", Type: sluice.TypeList, Default: sluice.NoDefault,
		Validator: sluice.NonEmptyList{}, Importance: sluice.High,
		Doc: "Header keys, one per entry of fields and in the same order."}).
	Define(sluice.ConfigKey{Name: "operation", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: sluice.ValidString{"move", "copy"}, Importance: sluice.High,
		Doc: "move removes the fields from the key or value; copy leaves them in place."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true,
		Importance: sluice.Medium,
		Doc:        "Whether a null struct field is read as its schema default (true) or as null (false)."})

func init() {
	registerKV(headerFromClass, headerFromDef,
		"Copies or moves fields of the key or value into headers.",
		func(s side) sluice.Transformation { return &HeaderFrom{side: s} })
}

// HeaderFrom copies or moves top-level fields into headers (Kafka's
// HeaderFrom$Key / $Value).
type HeaderFrom struct {
	side        side
	fields      []string
	headers     []string
	move        bool
	purpose     string
	replaceNull bool
	cache       schemaCache
}

var _ sluice.Transformation = (*HeaderFrom)(nil)

// Configure implements sluice.Transformation.
func (t *HeaderFrom) Configure(props map[string]string) error {
	cfg, err := headerFromDef.Parse(props)
	if err != nil {
		return err
	}
	t.fields = cfg.List("fields")
	t.headers = cfg.List("headers")
	if len(t.fields) != len(t.headers) {
		return sluice.NewConfigError("'fields' config must have the same number of elements as 'headers' config.")
	}
	op := cfg.String("operation")
	t.move = op == "move"
	t.purpose = "header " + op
	t.replaceNull = cfg.Bool("replace.null.with.default")
	return nil
}

// Apply implements sluice.Transformation.
func (t *HeaderFrom) Apply(r *sluice.Record) (*sluice.Record, error) {
	sch := t.side.schema(r)
	v := t.side.value(r)
	hs := make(sluice.Headers, len(r.Headers), len(r.Headers)+len(t.fields))
	copy(hs, r.Headers)
	if sch == nil {
		m, err := requireMap(v, t.purpose)
		if err != nil {
			return nil, err
		}
		out := m.Clone()
		out.Hashed = true
		for i, f := range t.fields {
			fv, _ := m.Get(f)
			if t.move {
				out.Remove(f)
			}
			hs = append(hs, sluice.Header{Key: t.headers[i], Value: fv})
		}
		c := t.side.with(r, nil, out)
		c.Headers = hs
		return c, nil
	}
	st, err := requireStruct(v, t.purpose)
	if err != nil {
		return nil, err
	}
	outSchema, outValue := sch, st
	if t.move {
		outSchema = t.cache.get(sch)
		if outSchema == nil {
			outSchema = copySchemaBasics(sch, sluice.StructType)
			for _, f := range sch.Fields {
				if !slices.Contains(t.fields, f.Name) {
					outSchema.Fields = append(outSchema.Fields, sluice.Field{Name: f.Name, Index: len(outSchema.Fields), Schema: f.Schema})
				}
			}
			outSchema.Optional = false
			t.cache.put(sch, outSchema)
		}
		outValue = sluice.NewStruct(outSchema)
		for i := range outSchema.Fields {
			f := &outSchema.Fields[i]
			if err := outValue.PutField(f, t.fieldValue(st, st.Schema().Field(f.Name))); err != nil {
				return nil, err
			}
		}
	}
	for i, name := range t.fields {
		var fv any
		if f := st.Schema().Field(name); f != nil {
			fv = t.fieldValue(st, f)
		}
		f := sch.Field(name)
		if f == nil {
			return nil, sluice.NewJavaError("NullPointerException",
				"field %q of the %s schema does not exist, so header %q has no schema", name, sideName(t.side), t.headers[i])
		}
		hs = append(hs, sluice.Header{Key: t.headers[i], Schema: f.Schema, Value: fv})
	}
	c := t.side.with(r, outSchema, outValue)
	c.Headers = hs
	return c, nil
}

func (t *HeaderFrom) fieldValue(st *sluice.Struct, f *sluice.Field) any {
	if f == nil {
		return nil
	}
	if t.replaceNull {
		return st.GetField(f)
	}
	return st.Values()[f.Index]
}

func sideName(s side) string {
	if s == keySide {
		return "key"
	}
	return "value"
}

// Close implements sluice.Transformation.
func (t *HeaderFrom) Close() error { return nil }
