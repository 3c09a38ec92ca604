package smt

import (
	"fmt"
	"strings"
	"time"

	"sluice.io/sluice"
)

const insertFieldClass = "org.apache.kafka.connect.transforms.InsertField"

const insertOptionalityDoc = " Append ! to make the inserted field required, or ? to keep it optional (the default)."

var insertFieldDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "topic.field", Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Field that receives the record topic." + insertOptionalityDoc}).
	Define(sluice.ConfigKey{Name: "partition.field", Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Field that receives the Kafka partition." + insertOptionalityDoc}).
	Define(sluice.ConfigKey{Name: "offset.field", Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Field that receives the Kafka offset; sink connectors only." + insertOptionalityDoc}).
	Define(sluice.ConfigKey{Name: "timestamp.field", Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Field that receives the record timestamp." + insertOptionalityDoc}).
	Define(sluice.ConfigKey{Name: "static.field", Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Field that receives the static value." + insertOptionalityDoc}).
	Define(sluice.ConfigKey{Name: "static.value", Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "The static value, required when static.field is set."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "When a struct field is null and its schema has a default, copy the default (true) or null (false)."})

func init() {
	registerKV(insertFieldClass, insertFieldDef,
		"Adds fields holding record metadata (topic, partition, offset, timestamp) or a static value to the key or value.",
		func(s side) sluice.Transformation { return &InsertField{side: s} })
}

// insertionSpec is one field to insert: its name and whether the generated
// schema marks it optional.
type insertionSpec struct {
	name     string
	key      any // name, boxed once
	optional bool
}

func parseInsertionSpec(s *string) *insertionSpec {
	if s == nil {
		return nil
	}
	v := *s
	sp := &insertionSpec{name: v, optional: true}
	if strings.HasSuffix(v, "?") {
		sp.name = v[:len(v)-1]
	} else if strings.HasSuffix(v, "!") {
		sp.name, sp.optional = v[:len(v)-1], false
	}
	sp.key = sp.name
	return sp
}

// InsertField adds metadata or static fields to the key or value (Kafka's
// InsertField$Key / $Value).
type InsertField struct {
	side                                 side
	topic, partition, offset, ts, static *insertionSpec
	staticValue                          string
	staticAny                            any
	withDefault                          bool
	cache                                schemaCache
}

var _ sluice.Transformation = (*InsertField)(nil)

// Configure implements sluice.Transformation.
func (t *InsertField) Configure(props map[string]string) error {
	cfg, err := insertFieldDef.Parse(props)
	if err != nil {
		return err
	}
	t.topic = parseInsertionSpec(cfg.StringOrNil("topic.field"))
	t.partition = parseInsertionSpec(cfg.StringOrNil("partition.field"))
	t.offset = parseInsertionSpec(cfg.StringOrNil("offset.field"))
	t.ts = parseInsertionSpec(cfg.StringOrNil("timestamp.field"))
	t.static = parseInsertionSpec(cfg.StringOrNil("static.field"))
	sv := cfg.StringOrNil("static.value")
	t.withDefault = cfg.Bool("replace.null.with.default")
	if t.topic == nil && t.partition == nil && t.offset == nil && t.ts == nil && t.static == nil {
		return sluice.NewConfigError("No field insertion configured")
	}
	if t.static != nil && sv == nil {
		// Java prints the identity of its spec object here.
		return &sluice.ConfigError{Name: "static.value", Msg: fmt.Sprintf(
			"No value specified for static field: org.apache.kafka.connect.transforms.InsertField$InsertionSpec@%x", uint32(len(t.static.name))*2654435761)}
	}
	if sv != nil {
		t.staticValue = *sv
		t.staticAny = *sv
	}
	return nil
}

const insertFieldPurpose = "field insertion"

var _ sluice.InPlaceTransformation = (*InsertField)(nil)

// Apply implements sluice.Transformation.
func (t *InsertField) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: fields are added to an
// owned map in place, an owned record is changed in place.
func (t *InsertField) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	v := t.side.value(r)
	if v == nil {
		return r, own, nil
	}
	sch := t.side.schema(r)
	if sch == nil {
		m, err := requireMap(v, insertFieldPurpose)
		if err != nil {
			return nil, own, err
		}
		inPlace := t.side.owns(own)
		out := m
		if inPlace {
			// Java copies into a new HashMap.
			m.Hashed = true
		} else {
			out = copyMapHashed(m, 5)
		}
		if t.topic != nil {
			out.Put(t.topic.key, r.Topic)
		}
		if t.partition != nil && r.HasPartition {
			out.Put(t.partition.key, r.Partition)
		}
		if t.offset != nil {
			if err := requireSinkRecord(r, insertFieldPurpose); err != nil {
				return nil, own, err
			}
			out.Put(t.offset.key, r.KafkaOffset)
		}
		if t.ts != nil && r.HasTimestamp {
			out.Put(t.ts.key, r.Timestamp)
		}
		if t.static != nil {
			out.Put(t.static.key, t.staticAny)
		}
		c, own := t.side.withOwned(r, own, nil, out, !inPlace)
		return c, own, nil
	}
	st, err := requireStruct(v, insertFieldPurpose)
	if err != nil {
		return nil, own, err
	}
	out := t.cache.get(st.Schema())
	if out == nil {
		if out, err = t.buildSchema(st.Schema()); err != nil {
			return nil, own, err
		}
		t.cache.put(st.Schema(), out)
	}
	ns := sluice.NewStruct(out)
	in := st.Schema()
	for i := range in.Fields {
		f := &in.Fields[i]
		if err := ns.PutField(&out.Fields[i], fieldValue(st, f, t.withDefault)); err != nil {
			return nil, own, err
		}
	}
	n := len(in.Fields)
	next := func() *sluice.Field { f := &out.Fields[n]; n++; return f }
	if t.topic != nil {
		if err := ns.PutField(next(), r.Topic); err != nil {
			return nil, own, err
		}
	}
	if t.partition != nil {
		f := next()
		if r.HasPartition {
			if err := ns.PutField(f, r.Partition); err != nil {
				return nil, own, err
			}
		}
	}
	if t.offset != nil {
		f := next()
		if err := requireSinkRecord(r, insertFieldPurpose); err != nil {
			return nil, own, err
		}
		if err := ns.PutField(f, r.KafkaOffset); err != nil {
			return nil, own, err
		}
	}
	if t.ts != nil {
		f := next()
		if r.HasTimestamp {
			if err := ns.PutField(f, time.UnixMilli(r.Timestamp).UTC()); err != nil {
				return nil, own, err
			}
		}
	}
	if t.static != nil {
		if err := ns.PutField(next(), t.staticAny); err != nil {
			return nil, own, err
		}
	}
	c, own := t.side.withOwned(r, own, out, ns, true)
	return c, own, nil
}

func (t *InsertField) buildSchema(in *sluice.Schema) (*sluice.Schema, error) {
	fields := make([]sluice.Field, 0, len(in.Fields)+5)
	fields = append(fields, in.Fields...)
	if t.topic != nil {
		fields = append(fields, sluice.Field{Name: t.topic.name, Schema: sluice.PrimitiveSchema(sluice.String, t.topic.optional)})
	}
	if t.partition != nil {
		fields = append(fields, sluice.Field{Name: t.partition.name, Schema: sluice.PrimitiveSchema(sluice.Int32, t.partition.optional)})
	}
	if t.offset != nil {
		fields = append(fields, sluice.Field{Name: t.offset.name, Schema: sluice.PrimitiveSchema(sluice.Int64, t.offset.optional)})
	}
	if t.ts != nil {
		s := sluice.TimestampSchema
		if t.ts.optional {
			s = sluice.OptionalTimestampSchema
		}
		fields = append(fields, sluice.Field{Name: t.ts.name, Schema: s})
	}
	if t.static != nil {
		fields = append(fields, sluice.Field{Name: t.static.name, Schema: sluice.PrimitiveSchema(sluice.String, t.static.optional)})
	}
	return newStructSchema(in, fields)
}

// Close implements sluice.Transformation.
func (t *InsertField) Close() error { return nil }
