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

// Apply implements sluice.Transformation.
func (t *InsertHeader) Apply(r *sluice.Record) (*sluice.Record, error) {
	c := new(sluice.Record)
	*c = *r
	h := make(sluice.Headers, len(r.Headers), len(r.Headers)+1)
	copy(h, r.Headers)
	c.Headers = append(h, t.header)
	return c, nil
}

// Close implements sluice.Transformation.
func (t *InsertHeader) Close() error { return nil }
