package smt

import (
	"errors"
	"math/big"
	"time"

	"sluice.io/sluice"
)

const maskFieldClass = "org.apache.kafka.connect.transforms.MaskField"

var maskFieldDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "fields", Type: sluice.TypeList, Default: sluice.NoDefault, Validator: sluice.NonEmptyList{},
		Importance: sluice.High, Doc: "Names of the fields to mask."}).
	Define(sluice.ConfigKey{Name: "replacement", Type: sluice.TypeString, Default: nil, Validator: sluice.NonEmptyString{},
		Importance: sluice.Low, Doc: "Value written into every masked field instead of the empty value of its type; " +
			"it is converted to the field's type, so it suits numeric and string fields only."}).
	Define(sluice.ConfigKey{Name: "replace.null.with.default", Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "When a struct field is null and its schema has a default, copy the default (true) or null (false)."})

func init() {
	registerKV(maskFieldClass, maskFieldDef,
		"Replaces fields of the key or value with the empty value of their type (0, false, empty string, …) or with a replacement converted to that type.",
		func(s side) sluice.Transformation { return &MaskField{side: s} })
}

// convResult is the replacement converted to one Java class, or why it
// could not be.
type convResult struct {
	v   any
	err error
}

// MaskField masks fields of the key or value (Kafka's MaskField$Key /
// $Value).
type MaskField struct {
	side        side
	fields      []string // distinct, as Java's HashSet holds them
	set         stringSet
	replacement *string
	repAny      any   // the replacement string, boxed once
	keys        []any // fields, boxed once
	withDefault bool
	// the replacement converted for Byte, Short, Integer, Long, Float,
	// Double and BigDecimal fields, computed once
	conv  [7]convResult
	cache planCache[[]bool]
}

var _ sluice.Transformation = (*MaskField)(nil)

const (
	convByte = iota
	convShort
	convInt
	convLong
	convFloat
	convDouble
	convDecimal
)

// Configure implements sluice.Transformation.
func (t *MaskField) Configure(props map[string]string) error {
	cfg, err := maskFieldDef.Parse(props)
	if err != nil {
		return err
	}
	t.set = newStringSet(cfg.List("fields"))
	t.fields = t.set.list
	t.replacement = cfg.StringOrNil("replacement")
	t.keys = make([]any, len(t.fields))
	for i, f := range t.fields {
		t.keys[i] = f
	}
	if t.replacement != nil {
		t.repAny = *t.replacement
	}
	t.withDefault = cfg.Bool("replace.null.with.default")
	if t.replacement != nil {
		rep := *t.replacement
		fns := [...]func(*sluice.Schema, any) (any, error){sluice.ConvertToByte, sluice.ConvertToShort,
			sluice.ConvertToInteger, sluice.ConvertToLong, sluice.ConvertToFloat, sluice.ConvertToDouble}
		for i, fn := range fns {
			v, err := fn(nil, rep)
			t.conv[i] = convResult{v, numberError(rep, err)}
		}
		d, err := sluice.ParseDecimal(rep)
		if err != nil {
			t.conv[convDecimal] = convResult{nil, numberError(rep, err)}
		} else {
			t.conv[convDecimal] = convResult{d, nil}
		}
	}
	return nil
}

// numberError keeps a DataException as it is and turns anything else (a
// Java NumberFormatException) into MaskField's own DataException.
func numberError(rep string, err error) error {
	if err == nil {
		return nil
	}
	var de *sluice.DataError
	if errors.As(err, &de) {
		return err
	}
	return &sluice.DataError{Msg: "Unable to convert " + rep + " (class java.lang.String) to number", Err: err}
}

const maskFieldPurpose = "mask fields"

var _ sluice.InPlaceTransformation = (*MaskField)(nil)

// Apply implements sluice.Transformation.
func (t *MaskField) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: an owned map or
// struct is masked in place instead of copied, an owned record is changed
// in place.
func (t *MaskField) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	inPlace := t.side.owns(own)
	if t.side.schema(r) == nil {
		m, err := requireMap(t.side.value(r), maskFieldPurpose)
		if err != nil {
			return nil, own, err
		}
		out := m
		if inPlace {
			// Java copies into a new HashMap.
			m.Hashed = true
		} else {
			out = copyMapHashed(m, len(t.fields))
		}
		for i, f := range t.fields {
			v, at := mapGetString(out, f)
			mv, err := t.masked(v)
			if err != nil {
				return nil, own, err
			}
			if at >= 0 {
				out.Entries[at].Value = mv
			} else {
				out.Entries = append(out.Entries, sluice.MapEntry{Key: t.keys[i], Value: mv})
			}
		}
		c, own := t.side.withOwned(r, own, nil, out, !inPlace)
		return c, own, nil
	}
	st, err := requireStruct(t.side.value(r), maskFieldPurpose)
	if err != nil {
		return nil, own, err
	}
	sch := st.Schema()
	plan, ok := t.cache.get(sch)
	if !ok {
		plan = make([]bool, len(sch.Fields))
		for i := range sch.Fields {
			plan[i] = t.set.has(sch.Fields[i].Name)
		}
		t.cache.put(sch, plan)
	}
	ns := st
	if !inPlace {
		ns = sluice.NewStruct(sch)
	}
	for i := range sch.Fields {
		f := &sch.Fields[i]
		v := fieldValue(st, f, t.withDefault)
		if plan[i] {
			if v, err = t.masked(v); err != nil {
				return nil, own, err
			}
		}
		if err := ns.PutField(f, v); err != nil {
			return nil, own, err
		}
	}
	c, own := t.side.withOwned(r, own, sch, ns, !inPlace)
	return c, own, nil
}

// masked returns the masked form of one value.
func (t *MaskField) masked(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if t.replacement == nil {
		return maskEmpty(v)
	}
	var c *convResult
	switch v.(type) {
	case string:
		return t.repAny, nil
	case int8:
		c = &t.conv[convByte]
	case int16:
		c = &t.conv[convShort]
	case int32:
		c = &t.conv[convInt]
	case int64:
		c = &t.conv[convLong]
	case float32:
		c = &t.conv[convFloat]
	case float64:
		c = &t.conv[convDouble]
	case sluice.Decimal:
		c = &t.conv[convDecimal]
	default:
		return nil, sluice.NewDataError("Cannot mask value of type %s with custom replacement.", sluice.JavaClassName(v))
	}
	return c.v, c.err
}

// maskEmpty returns the empty value of v's Java class.
func maskEmpty(v any) (any, error) {
	switch v.(type) {
	case bool:
		return false, nil
	case int8:
		return int8(0), nil
	case int16:
		return int16(0), nil
	case int32:
		return int32(0), nil
	case int64:
		return int64(0), nil
	case float32:
		return float32(0), nil
	case float64:
		return float64(0), nil
	case sluice.Decimal:
		return sluice.Decimal{Unscaled: new(big.Int), Scale: 0}, nil
	case time.Time:
		return time.UnixMilli(0).UTC(), nil
	case string:
		return "", nil
	case []any:
		return []any{}, nil
	case *sluice.Map:
		return &sluice.Map{Hashed: true}, nil
	}
	return nil, sluice.NewDataError("Cannot mask value of type: %s", sluice.JavaClassName(v))
}

// Close implements sluice.Transformation.
func (t *MaskField) Close() error { return nil }
