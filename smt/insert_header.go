package smt

import "sluice.io/sluice"

const insertHeaderClass = "org.apache.kafka.connect.transforms.InsertHeader"

var insertHeaderDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "header", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: sluice.NonNull{}, Importance: sluice.High, Doc: "Key of the header to add."}).
	Define(sluice.ConfigKey{Name: "value.literal", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: sluice.NonNull{}, Importance: sluice.High,
		Doc: "Value of the header, typed the way Connect reads literal strings (42 is an INT8, true a BOOLEAN, null a null value)."})

func init() {
	register(insertHeaderClass, sluice.KindTransformation, insertHeaderDef,
		"Appends a header with a fixed value to every record; existing headers with that key are kept.",
		func() any { return &InsertHeader{} })
}

// InsertHeader appends one constant header (Kafka's InsertHeader).
type InsertHeader struct {
	header sluice.Header
}

var _ sluice.Transformation = (*InsertHeader)(nil)

// Configure implements sluice.Transformation.
func (t *InsertHeader) Configure(props map[string]string) error {
	cfg, err := insertHeaderDef.Parse(props)
	if err != nil {
		return err
	}
	s, v := sluice.ParseString(cfg.String("value.literal"))
	t.header = sluice.Header{Key: cfg.String("header"), Schema: s, Value: v}
	return nil
}

var _ sluice.InPlaceTransformation = (*InsertHeader)(nil)

// Apply implements sluice.Transformation.
func (t *InsertHeader) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: an owned header slice
// is appended to in place, an owned record is changed in place.
func (t *InsertHeader) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	if !own.Has(sluice.OwnRecord) && len(r.Headers) == 0 {
		// The usual case of a record fresh from its source: the copy and
		// its one header in a single allocation.
		b := &recordWithHeader{r: *r}
		b.h[0] = t.header
		b.r.Headers = b.h[:]
		return &b.r, sluice.OwnRecord | sluice.OwnHeaders, nil
	}
	c, own := r.Owned(own)
	if own.Has(sluice.OwnHeaders) {
		c.Headers = append(c.Headers, t.header)
		return c, own, nil
	}
	h := make(sluice.Headers, len(c.Headers), len(c.Headers)+1)
	copy(h, c.Headers)
	c.Headers = append(h, t.header)
	return c, own | sluice.OwnHeaders, nil
}

// recordWithHeader is a record and the array of its single header,
// allocated together.
type recordWithHeader struct {
	r sluice.Record
	h [1]sluice.Header
}

// Close implements sluice.Transformation.
func (t *InsertHeader) Close() error { return nil }
