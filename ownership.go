package sluice

// Ownership says which parts of a record a caller holds exclusively, so that
// it may change them in place instead of copying them. Parts not named are
// shared with someone else (the caller of a chain, an earlier record, a
// cache) and must never be written.
type Ownership uint8

// The parts of a record that can be owned. OwnHeaders, OwnKey and OwnValue
// are meaningful only together with OwnRecord: without the Record struct a
// caller cannot change which headers, key or value it points to.
const (
	// OwnRecord is the Record struct itself: its fields may be assigned.
	OwnRecord Ownership = 1 << iota
	// OwnHeaders is the backing array of the record's Headers: headers may
	// be appended, removed or overwritten in it.
	OwnHeaders
	// OwnKey is the top-level container of the key (the *Map with its entry
	// slice, the *Struct with its value slice, or the backing array of a
	// []any). Values nested inside it are not owned.
	OwnKey
	// OwnValue is the top-level container of the value, as OwnKey.
	OwnValue

	// OwnNone owns nothing: the record must be treated as immutable.
	OwnNone Ownership = 0
	// OwnAll owns every part.
	OwnAll = OwnRecord | OwnHeaders | OwnKey | OwnValue
)

// Has reports whether o includes every part of p.
func (o Ownership) Has(p Ownership) bool { return o&p == p }

// InPlaceTransformation is an optional interface of a Transformation that
// can skip copies when its caller owns parts of the record.
//
// A transformation chain passes each record to its first stage with
// OwnNone (the input belongs to the chain's caller and is never changed),
// then hands each stage the ownership the previous stage reported. Apply of
// such a transformation must behave exactly as ApplyOwned(r, OwnNone).
type InPlaceTransformation interface {
	Transformation
	// ApplyOwned is Apply for a record of which the caller owns the parts
	// in own. It may change those parts in place (and return r itself)
	// instead of copying them, and reports which parts of the returned
	// record its caller then owns: parts it created (a new Record struct, a
	// new header slice, a new top-level key or value) plus the parts of own
	// it passed on unshared. It never changes a part it does not own and
	// never keeps a reference to the returned record. On error or drop
	// (nil record), owned parts of r may have been partly changed, so the
	// caller must discard r.
	ApplyOwned(r *Record, own Ownership) (*Record, Ownership, error)
}

// Owned returns a Record struct the caller may assign fields of: r itself
// when own includes OwnRecord, otherwise a shallow copy of r, which shares
// everything else with r and so owns only OwnRecord. The second result is
// the ownership of the returned record.
func (r *Record) Owned(own Ownership) (*Record, Ownership) {
	if own.Has(OwnRecord) {
		return r, own
	}
	return r.Clone(), OwnRecord
}
