package smt

import "sluice.io/sluice"

const filterClass = "org.apache.kafka.connect.transforms.Filter"

var filterDef = sluice.NewConfigDef()

func init() {
	register(filterClass, sluice.KindTransformation, filterDef,
		"Drops every record it sees; guard it with a predicate to drop only some.",
		func() any { return &Filter{} })
}

// Filter drops records (Kafka's Filter): used with a predicate.
type Filter struct{}

var _ sluice.Transformation = (*Filter)(nil)

// Configure implements sluice.Transformation.
func (t *Filter) Configure(map[string]string) error { return nil }

// Apply implements sluice.Transformation: it always drops the record.
func (t *Filter) Apply(*sluice.Record) (*sluice.Record, error) { return nil, nil }

// Close implements sluice.Transformation.
func (t *Filter) Close() error { return nil }
