package celexpr

import (
	"fmt"
	"reflect"
	"strconv"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"sluice.io/sluice"
)

// adapter converts Connect values met inside lists to CEL values.
type adapter struct{}

// NativeToValue implements types.Adapter.
func (adapter) NativeToValue(v any) ref.Val { return nested(v) }

// nested converts a Connect value held inside a map, struct or list to a CEL
// value, keeping its type. Maps, structs and lists are wrapped, not copied.
func nested(v any) ref.Val {
	switch x := v.(type) {
	case nil:
		return types.NullValue
	case string:
		return types.String(x)
	case bool:
		return types.Bool(x)
	case int8:
		return types.Int(x)
	case int16:
		return types.Int(x)
	case int32:
		return types.Int(x)
	case int64:
		return types.Int(x)
	case float32:
		return types.Double(x)
	case float64:
		return types.Double(x)
	case []byte:
		return types.Bytes(x)
	case sluice.ByteBuffer:
		return types.Bytes(x)
	case []any:
		return types.NewDynamicList(adapter{}, x)
	case *sluice.Map:
		if x == nil {
			return types.NullValue
		}
		return &mapVal{m: x}
	case *sluice.Struct:
		if x == nil {
			return types.NullValue
		}
		return &structVal{s: x}
	case sluice.Decimal:
		return types.String(x.String())
	case time.Time:
		return types.Timestamp{Time: x}
	case ref.Val:
		return x
	}
	return types.DefaultTypeAdapter.NativeToValue(v)
}

// top converts a record key or value: maps, structs and lists are wrapped,
// anything else is rendered as a string as Values.convertToString does. The
// wrappers of m and s are reused when the value is a map or a struct.
func top(v any, m *mapVal, s *structVal) ref.Val {
	switch x := v.(type) {
	case nil:
		return types.NullValue
	case string:
		return types.String(x)
	case *sluice.Map:
		if x == nil {
			return types.NullValue
		}
		m.m = x
		return m
	case *sluice.Struct:
		if x == nil {
			return types.NullValue
		}
		s.s = x
		return s
	case []any:
		return types.NewDynamicList(adapter{}, x)
	}
	str, ok := sluice.ConvertToString(nil, v)
	if !ok {
		return types.NullValue
	}
	return types.String(str)
}

// headerString converts a header value as the headers variable shows it.
func headerString(h *sluice.Header) ref.Val {
	switch x := h.Value.(type) {
	case string:
		return types.String(x)
	case int8:
		return smallIntString(int64(x))
	case int16:
		return smallIntString(int64(x))
	case int32:
		return smallIntString(int64(x))
	case int64:
		return smallIntString(x)
	}
	s, ok := sluice.ConvertToString(h.Schema, h.Value)
	if !ok {
		return types.NullValue
	}
	return types.String(s)
}

// smallIntTexts holds the decimal text of 0..255 as CEL strings, so that
// small integer headers (syslog severities, facilities…) are shown without
// formatting or allocating. It is never written after initialisation.
var smallIntTexts = func() (t [256]ref.Val) {
	for i := range t {
		t[i] = types.String(strconv.Itoa(i))
	}
	return t
}()

// smallIntString is the decimal text of v as a CEL string.
func smallIntString(v int64) ref.Val {
	if v >= 0 && v < int64(len(smallIntTexts)) {
		return smallIntTexts[v]
	}
	return types.String(strconv.FormatInt(v, 10))
}

// keyOf converts a Connect map key to CEL.
func keyOf(k any) ref.Val { return nested(k) }

// ---------------------------------------------------------------------------
// Shared map behaviour.

// mapper is implemented by the map wrappers below.
type mapper interface {
	traits.Mapper
	keys() []ref.Val
}

// noSuchKey is CEL's error for a missing key.
func noSuchKey(k ref.Val) ref.Val { return types.NewErr("no such key: %v", k) }

// mapEqual is CEL map equality between one of the wrappers and any value.
func mapEqual(a mapper, other ref.Val) ref.Val {
	o, ok := other.(traits.Mapper)
	if !ok {
		if types.IsUnknownOrError(other) {
			return other
		}
		return types.False
	}
	if a.Size() != o.Size() {
		return types.False
	}
	for _, k := range a.keys() {
		av, _ := a.Find(k)
		ov, found := o.Find(k)
		if !found {
			return types.False
		}
		if eq := types.Equal(av, ov); eq != types.True {
			return types.False
		}
	}
	return types.True
}

// mapToNative converts a wrapper to a Go map of type t, or returns the
// wrapped value when it is assignable to t.
func mapToNative(a mapper, raw any, t reflect.Type) (any, error) {
	if reflect.TypeOf(raw).AssignableTo(t) {
		return raw, nil
	}
	if t.Kind() != reflect.Map {
		return nil, fmt.Errorf("type conversion error from map to '%v'", t)
	}
	out := reflect.MakeMapWithSize(t, int(a.Size().(types.Int)))
	for _, k := range a.keys() {
		nk, err := k.ConvertToNative(t.Key())
		if err != nil {
			return nil, err
		}
		v, _ := a.Find(k)
		nv, err := v.ConvertToNative(t.Elem())
		if err != nil {
			return nil, err
		}
		if nv == nil {
			out.SetMapIndex(reflect.ValueOf(nk), reflect.Zero(t.Elem()))
			continue
		}
		out.SetMapIndex(reflect.ValueOf(nk), reflect.ValueOf(nv))
	}
	return out.Interface(), nil
}

// mapToType implements ConvertToType for the wrappers.
func mapToType(a ref.Val, t ref.Type) ref.Val {
	switch t {
	case types.MapType:
		return a
	case types.TypeType:
		return types.MapType
	}
	return types.NewErr("type conversion error from '%s' to '%s'", types.MapType, t)
}

// getOrErr implements Indexer.Get on top of Find.
func getOrErr(a traits.Mapper, k ref.Val) ref.Val {
	v, found := a.Find(k)
	if found {
		return v
	}
	if v != nil {
		return v
	}
	return noSuchKey(k)
}

// containsKey implements Container.Contains on top of Find.
func containsKey(a traits.Mapper, k ref.Val) ref.Val {
	v, found := a.Find(k)
	if !found && v != nil && types.IsUnknownOrError(v) {
		return v
	}
	return types.Bool(found)
}

// keyIterator iterates over a wrapper's keys.
func keyIterator(a mapper) traits.Iterator {
	return types.NewRefValList(types.DefaultTypeAdapter, a.keys()).Iterator()
}

// badKey handles a lookup key that is an error or unknown.
func badKey(k ref.Val) (ref.Val, bool) {
	if types.IsUnknownOrError(k) {
		return k, false
	}
	return nil, false
}

// ---------------------------------------------------------------------------
// headers

// headersVal is the headers variable: a map from header name to the string
// form of the last header with that name.
type headersVal struct {
	h sluice.Headers
}

var _ traits.Mapper = (*headersVal)(nil)

// FindStringKey is the interpreter's fast path for h["x"] and h.x.
func (h *headersVal) FindStringKey(k string) (any, bool) {
	for i := len(h.h) - 1; i >= 0; i-- {
		if h.h[i].Key == k {
			return headerString(&h.h[i]), true
		}
	}
	return nil, false
}

// Find implements traits.Mapper.
func (h *headersVal) Find(k ref.Val) (ref.Val, bool) {
	s, ok := k.(types.String)
	if !ok {
		return badKey(k)
	}
	v, found := h.FindStringKey(string(s))
	if !found {
		return nil, false
	}
	return v.(ref.Val), true
}

func (h *headersVal) keys() []ref.Val {
	out := make([]ref.Val, 0, len(h.h))
	for i := range h.h {
		if h.firstWithName(i) {
			out = append(out, types.String(h.h[i].Key))
		}
	}
	return out
}

// firstWithName reports whether header i is the first with its name.
func (h *headersVal) firstWithName(i int) bool {
	for j := 0; j < i; j++ {
		if h.h[j].Key == h.h[i].Key {
			return false
		}
	}
	return true
}

// Size implements traits.Sizer: the number of distinct names.
func (h *headersVal) Size() ref.Val {
	n := 0
	for i := range h.h {
		if h.firstWithName(i) {
			n++
		}
	}
	return types.Int(n)
}

// Get implements traits.Indexer.
func (h *headersVal) Get(k ref.Val) ref.Val { return getOrErr(h, k) }

// Contains implements traits.Container.
func (h *headersVal) Contains(k ref.Val) ref.Val { return containsKey(h, k) }

// Iterator implements traits.Iterable.
func (h *headersVal) Iterator() traits.Iterator { return keyIterator(h) }

// Equal implements ref.Val.
func (h *headersVal) Equal(o ref.Val) ref.Val { return mapEqual(h, o) }

// Type implements ref.Val.
func (h *headersVal) Type() ref.Type { return types.MapType }

// Value implements ref.Val: the headers as a Go map of their string forms.
func (h *headersVal) Value() any {
	m := make(map[string]any, len(h.h))
	for i := range h.h {
		v := headerString(&h.h[i])
		if v == types.NullValue {
			m[h.h[i].Key] = nil
		} else {
			m[h.h[i].Key] = string(v.(types.String))
		}
	}
	return m
}

// ConvertToNative implements ref.Val.
func (h *headersVal) ConvertToNative(t reflect.Type) (any, error) {
	return mapToNative(h, h.Value(), t)
}

// ConvertToType implements ref.Val.
func (h *headersVal) ConvertToType(t ref.Type) ref.Val { return mapToType(h, t) }

// ---------------------------------------------------------------------------
// Connect MAP values

// mapVal wraps a Connect MAP value.
type mapVal struct {
	m *sluice.Map
}

var _ traits.Mapper = (*mapVal)(nil)

// FindStringKey is the interpreter's fast path for m["x"] and m.x.
func (m *mapVal) FindStringKey(k string) (any, bool) {
	for i := range m.m.Entries {
		if s, ok := m.m.Entries[i].Key.(string); ok && s == k {
			return nested(m.m.Entries[i].Value), true
		}
	}
	return nil, false
}

// Find implements traits.Mapper. Numeric keys compare by value across int,
// uint and double, as CEL's heterogeneous equality does.
func (m *mapVal) Find(k ref.Val) (ref.Val, bool) {
	switch x := k.(type) {
	case types.String:
		v, found := m.FindStringKey(string(x))
		if !found {
			return nil, false
		}
		return v.(ref.Val), true
	case types.Int, types.Uint, types.Double:
		for i := range m.m.Entries {
			switch m.m.Entries[i].Key.(type) {
			case int8, int16, int32, int64, float32, float64:
				if types.Equal(nested(m.m.Entries[i].Key), k) == types.True {
					return nested(m.m.Entries[i].Value), true
				}
			}
		}
		return nil, false
	}
	if types.IsUnknownOrError(k) {
		return k, false
	}
	for i := range m.m.Entries {
		if types.Equal(keyOf(m.m.Entries[i].Key), k) == types.True {
			return nested(m.m.Entries[i].Value), true
		}
	}
	return nil, false
}

func (m *mapVal) keys() []ref.Val {
	out := make([]ref.Val, len(m.m.Entries))
	for i := range m.m.Entries {
		out[i] = keyOf(m.m.Entries[i].Key)
	}
	return out
}

// Size implements traits.Sizer.
func (m *mapVal) Size() ref.Val { return types.Int(len(m.m.Entries)) }

// Get implements traits.Indexer.
func (m *mapVal) Get(k ref.Val) ref.Val { return getOrErr(m, k) }

// Contains implements traits.Container.
func (m *mapVal) Contains(k ref.Val) ref.Val { return containsKey(m, k) }

// Iterator implements traits.Iterable.
func (m *mapVal) Iterator() traits.Iterator { return keyIterator(m) }

// Equal implements ref.Val.
func (m *mapVal) Equal(o ref.Val) ref.Val { return mapEqual(m, o) }

// Type implements ref.Val.
func (m *mapVal) Type() ref.Type { return types.MapType }

// Value implements ref.Val.
func (m *mapVal) Value() any { return m.m }

// ConvertToNative implements ref.Val.
func (m *mapVal) ConvertToNative(t reflect.Type) (any, error) { return mapToNative(m, m.m, t) }

// ConvertToType implements ref.Val.
func (m *mapVal) ConvertToType(t ref.Type) ref.Val { return mapToType(m, t) }

// String renders the map as Java does.
func (m *mapVal) String() string { return sluice.JavaToString(m.m) }

// ---------------------------------------------------------------------------
// Connect STRUCT values

// structVal wraps a Connect STRUCT value as a map from field name to value.
type structVal struct {
	s *sluice.Struct
}

var _ traits.Mapper = (*structVal)(nil)

// FindStringKey is the interpreter's fast path for s["x"] and s.x.
func (s *structVal) FindStringKey(k string) (any, bool) {
	f := s.s.Schema().Field(k)
	if f == nil {
		return nil, false
	}
	return nested(s.s.GetField(f)), true
}

// Find implements traits.Mapper.
func (s *structVal) Find(k ref.Val) (ref.Val, bool) {
	x, ok := k.(types.String)
	if !ok {
		return badKey(k)
	}
	v, found := s.FindStringKey(string(x))
	if !found {
		return nil, false
	}
	return v.(ref.Val), true
}

func (s *structVal) keys() []ref.Val {
	fs := s.s.Schema().Fields
	out := make([]ref.Val, len(fs))
	for i := range fs {
		out[i] = types.String(fs[i].Name)
	}
	return out
}

// Size implements traits.Sizer.
func (s *structVal) Size() ref.Val { return types.Int(len(s.s.Schema().Fields)) }

// Get implements traits.Indexer.
func (s *structVal) Get(k ref.Val) ref.Val { return getOrErr(s, k) }

// Contains implements traits.Container.
func (s *structVal) Contains(k ref.Val) ref.Val { return containsKey(s, k) }

// Iterator implements traits.Iterable.
func (s *structVal) Iterator() traits.Iterator { return keyIterator(s) }

// Equal implements ref.Val.
func (s *structVal) Equal(o ref.Val) ref.Val { return mapEqual(s, o) }

// Type implements ref.Val.
func (s *structVal) Type() ref.Type { return types.MapType }

// Value implements ref.Val.
func (s *structVal) Value() any { return s.s }

// ConvertToNative implements ref.Val.
func (s *structVal) ConvertToNative(t reflect.Type) (any, error) { return mapToNative(s, s.s, t) }

// ConvertToType implements ref.Val.
func (s *structVal) ConvertToType(t ref.Type) ref.Val { return mapToType(s, t) }

// String renders the struct as Java does.
func (s *structVal) String() string { return sluice.JavaToString(s.s) }
