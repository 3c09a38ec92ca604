package smt

import "sluice.io/sluice"

// ownBit is the ownership bit of the side's top-level key or value.
func (s side) ownBit() sluice.Ownership {
	if s == keySide {
		return sluice.OwnKey
	}
	return sluice.OwnValue
}

// owns reports whether own includes the side's top-level container (and
// the record holding it).
func (s side) owns(own sluice.Ownership) bool {
	return own.Has(sluice.OwnRecord | s.ownBit())
}

// withOwned is side.with for a record of which the caller owns own: it sets
// the side's schema and value in r itself when the Record struct is owned,
// and in a shallow copy otherwise. fresh says that v is a top-level
// container the caller has just made (so the result owns it); otherwise the
// side stays owned only when v is the value it already held.
func (s side) withOwned(r *sluice.Record, own sluice.Ownership, sch *sluice.Schema, v any, fresh bool) (*sluice.Record, sluice.Ownership) {
	same := sameTopLevel(s.value(r), v)
	c, own := r.Owned(own)
	if s == keySide {
		c.KeySchema, c.Key = sch, v
	} else {
		c.ValueSchema, c.Value = sch, v
	}
	switch {
	case fresh:
		own |= s.ownBit()
	case !same:
		own &^= s.ownBit()
	}
	return c, own
}

// sameTopLevel reports whether a and b are the same top-level container
// (same *Map or *Struct pointer); other values are never owned.
func sameTopLevel(a, b any) bool {
	switch x := a.(type) {
	case *sluice.Map:
		y, ok := b.(*sluice.Map)
		return ok && x == y
	case *sluice.Struct:
		y, ok := b.(*sluice.Struct)
		return ok && x == y
	}
	return false
}

// Small maps are allocated together with their entry array: one allocation
// instead of two for the maps transformations build per record.
type (
	mapWith4 struct {
		m sluice.Map
		e [4]sluice.MapEntry
	}
	mapWith8 struct {
		m sluice.Map
		e [8]sluice.MapEntry
	}
	mapWith16 struct {
		m sluice.Map
		e [16]sluice.MapEntry
	}
)

// newHashedMap returns an empty map that Java holds as a HashMap, with room
// for n entries.
func newHashedMap(n int) *sluice.Map {
	switch {
	case n <= 4:
		b := new(mapWith4)
		b.m.Entries, b.m.Hashed = b.e[:0], true
		return &b.m
	case n <= 8:
		b := new(mapWith8)
		b.m.Entries, b.m.Hashed = b.e[:0], true
		return &b.m
	case n <= 16:
		b := new(mapWith16)
		b.m.Entries, b.m.Hashed = b.e[:0], true
		return &b.m
	}
	return &sluice.Map{Entries: make([]sluice.MapEntry, 0, n), Hashed: true}
}
