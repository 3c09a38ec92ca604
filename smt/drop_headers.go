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

var _ sluice.InPlaceTransformation = (*DropHeaders)(nil)

// Apply implements sluice.Transformation.
func (t *DropHeaders) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: an owned header slice
// is compacted in place, an owned record is changed in place.
func (t *DropHeaders) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	if !own.Has(sluice.OwnRecord | sluice.OwnHeaders) {
		h := r.Headers.Without(t.drop)
		if len(h) == len(r.Headers) {
			return r, own, nil
		}
		c, own := r.Owned(own)
		c.Headers = h
		return c, own | sluice.OwnHeaders, nil
	}
	h := r.Headers
	n := 0
	for i := range h {
		if !t.drop(h[i].Key) {
			h[n] = h[i]
			n++
		}
	}
	clear(h[n:])
	r.Headers = h[:n]
	return r, own, nil
}

// Close implements sluice.Transformation.
func (t *DropHeaders) Close() error { return nil }
