package sluice

// Header is one record header: a key and a schema'd value.
type Header struct {
	Key    string
	Schema *Schema
	Value  any
}

// Headers are a record's headers: ordered, duplicates allowed. A Headers
// value is treated as immutable once attached to a record; the methods that
// change it return a new slice and never write into the receiver's array.
type Headers []Header

// LastWithName returns the last header with the given key (Java lastWithName).
func (h Headers) LastWithName(key string) (Header, bool) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].Key == key {
			return h[i], true
		}
	}
	return Header{}, false
}

// Has reports whether a header with the key exists.
func (h Headers) Has(key string) bool {
	_, ok := h.LastWithName(key)
	return ok
}

// With returns a copy of h with one header appended.
func (h Headers) With(key string, s *Schema, v any) Headers {
	out := make(Headers, len(h), len(h)+1)
	copy(out, h)
	return append(out, Header{Key: key, Schema: s, Value: v})
}

// Without returns a copy of h without any header whose key satisfies drop.
// When nothing is dropped it returns h itself.
func (h Headers) Without(drop func(key string) bool) Headers {
	for i := range h {
		if drop(h[i].Key) {
			out := make(Headers, i, len(h))
			copy(out, h[:i])
			for _, x := range h[i+1:] {
				if !drop(x.Key) {
					out = append(out, x)
				}
			}
			return out
		}
	}
	return h
}

// Clone returns a copy of h with its own backing array.
func (h Headers) Clone() Headers {
	if h == nil {
		return nil
	}
	return append(make(Headers, 0, len(h)+1), h...)
}

// Record is a Connect record flowing through a pipeline: a source record
// (with source partition and offset) or a sink record (with a Kafka offset).
// Records are never modified once handed on: transformations return a new
// Record (usually a shallow copy made with Clone) or the same pointer. Only
// the parts a caller owns exclusively (see Ownership and
// InPlaceTransformation), such as records a transformation chain made
// itself, are changed in place.
type Record struct {
	Topic string
	// Partition is the Kafka partition; meaningful only when HasPartition.
	Partition    int32
	HasPartition bool
	// HasTimestamp says whether Timestamp is set. (The flags share one
	// word with Partition: records are copied once per changing stage, so
	// their size matters.)
	HasTimestamp bool
	// IsSinkRecord marks a sink record consumed from Kafka (see KafkaOffset).
	IsSinkRecord bool

	KeySchema   *Schema
	Key         any
	ValueSchema *Schema
	Value       any

	// Timestamp is in milliseconds since the epoch; meaningful only when HasTimestamp.
	Timestamp int64

	Headers Headers

	// SourcePartition and SourceOffset locate a source record in its origin.
	SourcePartition map[string]any
	SourceOffset    map[string]any

	// KafkaOffset is set on sink records consumed from Kafka.
	KafkaOffset    int64
	TimestampType  string
	OriginalTopic  string
	OriginalOffset int64
}

// Clone returns a shallow copy of r: the caller changes fields of the copy
// (never the values it shares with r).
func (r *Record) Clone() *Record {
	c := *r
	return &c
}

// PartitionOrNil returns the partition as Java's Integer (nil when absent).
func (r *Record) PartitionOrNil() any {
	if !r.HasPartition {
		return nil
	}
	return r.Partition
}

// TimestampOrNil returns the timestamp as Java's Long (nil when absent).
func (r *Record) TimestampOrNil() any {
	if !r.HasTimestamp {
		return nil
	}
	return r.Timestamp
}
