package smt

import "sluice.io/sluice"

const hasHeaderKeyClass = "org.apache.kafka.connect.transforms.predicates.HasHeaderKey"

var hasHeaderKeyDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "name", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: sluice.NonEmptyString{}, Importance: sluice.Medium, Doc: "Header key to look for."})

func init() {
	register(hasHeaderKeyClass, sluice.KindPredicate, hasHeaderKeyDef,
		"True for records that carry at least one header with the given key.",
		func() any { return &HasHeaderKey{} })
}

// HasHeaderKey is true when the record has a header with the configured
// key (Kafka's HasHeaderKey predicate).
type HasHeaderKey struct {
	name string
}

var _ sluice.Predicate = (*HasHeaderKey)(nil)

// Configure implements sluice.Predicate.
func (p *HasHeaderKey) Configure(props map[string]string) error {
	cfg, err := hasHeaderKeyDef.Parse(props)
	if err != nil {
		return err
	}
	p.name = cfg.String("name")
	return nil
}

// Test implements sluice.Predicate.
func (p *HasHeaderKey) Test(r *sluice.Record) (bool, error) {
	for i := range r.Headers {
		if r.Headers[i].Key == p.name {
			return true, nil
		}
	}
	return false, nil
}

// Close implements sluice.Predicate.
func (p *HasHeaderKey) Close() error { return nil }
