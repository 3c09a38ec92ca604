package smt

import "sluice.io/sluice"

const recordIsTombstoneClass = "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone"

var recordIsTombstoneDef = sluice.NewConfigDef()

func init() {
	register(recordIsTombstoneClass, sluice.KindPredicate, recordIsTombstoneDef,
		"True for tombstones: records whose value is null.",
		func() any { return &RecordIsTombstone{} })
}

// RecordIsTombstone is true when the record value is null (Kafka's
// RecordIsTombstone predicate); key and schemas do not matter.
type RecordIsTombstone struct{}

var _ sluice.Predicate = (*RecordIsTombstone)(nil)

// Configure implements sluice.Predicate.
func (p *RecordIsTombstone) Configure(map[string]string) error { return nil }

// Test implements sluice.Predicate.
func (p *RecordIsTombstone) Test(r *sluice.Record) (bool, error) { return r.Value == nil, nil }

// Close implements sluice.Predicate.
func (p *RecordIsTombstone) Close() error { return nil }
