package smt

import (
	"sluice.io/sluice"
)

const flattenClass = "org.apache.kafka.connect.transforms.Flatten"

var flattenDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "delimiter", Type: sluice.TypeString, Default: ".", Importance: sluice.Medium,
		Doc: "Separator placed between the names of nested fields to form the names of the flattened fields."})

func init() {
	registerKV(flattenClass, flattenDef,
		"Flattens nested Structs (with a schema) or maps (without) of the key or value into one level, "+
			"naming each field by joining the names along its path with the delimiter. Arrays are left as they are.",
		func(s side) sluice.Transformation { return &Flatten{side: s} })
}

// Flatten flattens nested structures of the key or value (Kafka's
// Flatten$Key / $Value).
type Flatten struct {
	side      side
	delimiter string
	cache     schemaCache
}

var _ sluice.Transformation = (*Flatten)(nil)

// Configure implements sluice.Transformation.
func (t *Flatten) Configure(props map[string]string) error {
	cfg, err := flattenDef.Parse(props)
	if err != nil {
		return err
	}
	t.delimiter = cfg.String("delimiter")
	return nil
}

const flattenPurpose = "flattening"

func (t *Flatten) name(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + t.delimiter + field
}

// Apply implements sluice.Transformation.
func (t *Flatten) Apply(r *sluice.Record) (*sluice.Record, error) {
	v := t.side.value(r)
	if v == nil {
		return r, nil
	}
	sch := t.side.schema(r)
	if sch == nil {
		m, err := requireMap(v, flattenPurpose)
		if err != nil {
			return nil, err
		}
		// Java collects into a LinkedHashMap: insertion order is kept and
		// shows, so the input is walked in Java's iteration order.
		out := &sluice.Map{Entries: make([]sluice.MapEntry, 0, len(m.Entries))}
		nested, err := t.flattenMap(m, "", out)
		if err != nil {
			return nil, err
		}
		if nested {
			dedupeEntries(out)
		}
		return t.side.with(r, nil, out), nil
	}
	st, err := requireStructOrNull(v, flattenPurpose)
	if err != nil {
		return nil, err
	}
	out := t.cache.get(sch)
	if out == nil {
		if out, err = t.buildSchema(sch); err != nil {
			return nil, err
		}
		t.cache.put(sch, out)
	}
	ns := sluice.NewStruct(out)
	n := 0
	if err := t.fillStruct(st, st.Schema(), ns, &n); err != nil {
		return nil, err
	}
	return t.side.with(r, out, ns), nil
}

// flattenMap appends the flattened entries of m to out and reports whether
// a nested map was flattened (only then can two names collide).
func (t *Flatten) flattenMap(m *sluice.Map, prefix string, out *sluice.Map) (bool, error) {
	entries := m.Entries
	if m.Hashed {
		entries = sluice.JavaHashOrder(m)
	}
	nested := false
	for i := range entries {
		k, ok := entries[i].Key.(string)
		if !ok {
			return false, classCastToString(entries[i].Key)
		}
		name := t.name(prefix, k)
		v := entries[i].Value
		switch x := v.(type) {
		case nil, int8, int16, int32, int64, float32, float64, bool, string, []byte, sluice.ByteBuffer, []any:
			key := entries[i].Key
			if prefix != "" {
				key = name
			}
			out.Entries = append(out.Entries, sluice.MapEntry{Key: key, Value: v})
		case *sluice.Map:
			nested = true
			if _, err := t.flattenMap(x, name, out); err != nil {
				return false, err
			}
		case *sluice.Struct:
			return false, sluice.NewDataError("Flatten transformation does not support %s for record without schemas (for field %s).", sluice.JavaClassName(v), name)
		default:
			return false, sluice.NewDataError("Flatten transformation was passed a value of type %s which is not supported by Connect's data API", sluice.JavaClassName(v))
		}
	}
	return nested, nil
}

// dedupeEntries applies LinkedHashMap put semantics to entries appended
// without checks: a repeated key keeps its first position and takes the
// last value.
func dedupeEntries(m *sluice.Map) {
	if len(m.Entries) < 2 {
		return
	}
	pos := make(map[string]int, len(m.Entries))
	w := 0
	for _, e := range m.Entries {
		k := e.Key.(string)
		if i, ok := pos[k]; ok {
			m.Entries[i].Value = e.Value
			continue
		}
		pos[k] = w
		m.Entries[w] = e
		w++
	}
	for i := w; i < len(m.Entries); i++ {
		m.Entries[i] = sluice.MapEntry{}
	}
	m.Entries = m.Entries[:w]
}

func (t *Flatten) buildSchema(sch *sluice.Schema) (*sluice.Schema, error) {
	if sch.Type != sluice.StructType {
		return nil, errNonStructFields()
	}
	var parentDefault *sluice.Struct
	if sch.Default != nil {
		d, ok := sch.Default.(*sluice.Struct)
		if !ok {
			return nil, sluice.NewJavaError("ClassCastException", "%s cannot be cast to class org.apache.kafka.connect.data.Struct", sluice.JavaClassName(sch.Default))
		}
		parentDefault = d
	}
	var fields []sluice.Field
	if err := t.collectFields(sch, "", &fields, sch.Optional, parentDefault); err != nil {
		return nil, err
	}
	return newStructSchema(sch, fields)
}

func (t *Flatten) collectFields(sch *sluice.Schema, prefix string, fields *[]sluice.Field, optional bool, parentDefault *sluice.Struct) error {
	for i := range sch.Fields {
		f := &sch.Fields[i]
		name := t.name(prefix, f.Name)
		fieldOptional := optional || f.Schema.Optional
		var def any
		if f.Schema.Default != nil {
			def = f.Schema.Default
		} else if parentDefault != nil {
			def = parentDefault.GetField(f)
		}
		switch f.Schema.Type {
		case sluice.Int8, sluice.Int16, sluice.Int32, sluice.Int64, sluice.Float32, sluice.Float64,
			sluice.Boolean, sluice.String, sluice.Bytes, sluice.Array:
			fs, err := flattenLeafSchema(f.Schema, fieldOptional, def)
			if err != nil {
				return err
			}
			*fields = append(*fields, sluice.Field{Name: name, Schema: fs})
		case sluice.StructType:
			var pd *sluice.Struct
			if def != nil {
				d, ok := def.(*sluice.Struct)
				if !ok {
					return sluice.NewJavaError("ClassCastException", "%s cannot be cast to class org.apache.kafka.connect.data.Struct", sluice.JavaClassName(def))
				}
				pd = d
			}
			if err := t.collectFields(f.Schema, name, fields, fieldOptional, pd); err != nil {
				return err
			}
		default:
			return sluice.NewDataError("Flatten transformation does not support %s for record with schemas (for field %s).", f.Schema.Type, name)
		}
	}
	return nil
}

// flattenLeafSchema copies a leaf schema's basics (and element schema for
// arrays), then applies the inherited optionality and default.
func flattenLeafSchema(orig *sluice.Schema, optional bool, def any) (*sluice.Schema, error) {
	s := copySchemaBasics(orig, orig.Type)
	if orig.Type == sluice.Array {
		s.Value = orig.Value
	}
	s.Optional = optional
	if def != nil {
		if err := sluice.ValidateValue(s, def); err != nil {
			return nil, &sluice.DataError{Msg: "Invalid default value", Err: err}
		}
		s.Default = def
	}
	return s, nil
}

// fillStruct copies the leaves of st (nil: a null nested struct, whose
// leaves stay unset) into out, in the order buildSchema laid them out.
func (t *Flatten) fillStruct(st *sluice.Struct, sch *sluice.Schema, out *sluice.Struct, n *int) error {
	for i := range sch.Fields {
		f := &sch.Fields[i]
		switch f.Schema.Type {
		case sluice.StructType:
			var sub *sluice.Struct
			if st != nil {
				sub, _ = st.Values()[i].(*sluice.Struct)
			}
			subSchema := f.Schema
			if sub != nil {
				subSchema = sub.Schema()
			}
			if err := t.fillStruct(sub, subSchema, out, n); err != nil {
				return err
			}
		case sluice.Map_:
			return sluice.NewDataError("Flatten transformation does not support %s for record with schemas (for field %s).", f.Schema.Type, f.Name)
		default:
			if *n >= len(out.Schema().Fields) {
				return sluice.NewDataError("%s is not a valid field name", f.Name)
			}
			if st != nil {
				if err := out.PutField(&out.Schema().Fields[*n], st.GetField(f)); err != nil {
					return err
				}
			}
			*n++
		}
	}
	return nil
}

// Close implements sluice.Transformation.
func (t *Flatten) Close() error { return nil }
