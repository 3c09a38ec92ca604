package smt

import "sluice.io/sluice"

const dropHeadersClass = "org.apache.kafka.connect.transforms.DropHeaders"

var dropHeadersDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "headers", Type: sluice.TypeList, Default: sluice.NoDefault,
		Validator: sluice.NonEmptyList{}, Importance: sluice.High, Doc: "Keys of the headers to remove."})

func init() {
	register(dropHeadersClass, sluice.KindTransformation, dropHeadersDef,
		"Removes every header whose key is one of the listed keys.",
		func() any { return &DropHeaders{} })
}

// DropHeaders removes all headers with the configured keys (Kafka's
// DropHeaders).
type DropHeaders struct {
	names []string
	drop  func(string) bool
}

var _ sluice.Transformation = (*DropHeaders)(nil)

// Configure implements sluice.Transformation.
func (t *DropHeaders) Configure(props map[string]string) error {
	cfg, err := dropHeadersDef.Parse(props)
	if err != nil {
		return err
	}
	t.names = cfg.List("headers")
	if len(t.names) <= 8 {
		names := t.names
		t.drop = func(k string) bool {
			for _, n := range names {
				if n == k {
					return true
				}
			}
			return false
		}
	} else {
		set := make(map[string]struct{}, len(t.names))
		for _, n := range t.names {
			set[n] = struct{}{}
		}
		t.drop = func(k string) bool { _, ok := set[k]; return ok }
	}
	return nil
}

// Apply implements sluice.Transformation.
func (t *DropHeaders) Apply(r *sluice.Record) (*sluice.Record, error) {
	h := r.Headers.Without(t.drop)
	if len(h) == len(r.Headers) {
		return r, nil
	}
	c := r.Clone()
	c.Headers = h
	return c, nil
}

// Close implements sluice.Transformation.
func (t *DropHeaders) Close() error { return nil }
