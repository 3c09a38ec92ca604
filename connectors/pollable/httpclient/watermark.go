package httpclient

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// OrderType says how watermark values compare.
type OrderType int

// Watermark value orders.
const (
	OrderTimestamp OrderType = iota // RFC 3339 / ISO-8601 date-times
	OrderNumber                     // decimal numbers (ids, sequence numbers)
	OrderString                     // byte-wise string order
)

// ParseOrderType reads timestamp, number or string.
func ParseOrderType(s string) (OrderType, error) {
	switch strings.ToLower(s) {
	case "timestamp", "":
		return OrderTimestamp, nil
	case "number", "id":
		return OrderNumber, nil
	case "string":
		return OrderString, nil
	}
	return 0, fmt.Errorf("unknown offset type %q (timestamp, number or string)", s)
}

// MaxBoundaryIDs bounds how many record identities are remembered at the
// watermark value.
const MaxBoundaryIDs = 1000

// Watermark advances an offset from a field of every record so that a
// record is never emitted twice: the offset keeps the highest value seen
// (ValueKey) and the identities of the records carrying exactly that value
// (IDsKey). A record below the watermark, or at it with a remembered
// identity, is skipped. Identities come from IDField, or are a hash of the
// record's JSON text. Connect offsets hold primitive values only, so the
// identities are stored as one string, a JSON array of strings (lists
// written by earlier versions are still read).
type Watermark struct {
	Field    Pointer
	IDField  *Pointer
	Type     OrderType
	ValueKey string
	IDsKey   string
}

// markState is the watermark of one poll, built from the offset.
type markState struct {
	w     *Watermark
	value string
	has   bool
	ids   []any
	set   map[string]bool
	// enc is ids as JSON text without the closing bracket, kept in step
	// with ids (nil: rebuild from ids).
	enc []byte
}

func (w *Watermark) load(offset map[string]any) *markState {
	s := &markState{w: w, set: map[string]bool{}}
	if v, ok := offset[w.ValueKey]; ok && v != nil {
		s.value, s.has = textOf(v), textOf(v) != ""
	}
	switch ids := offset[w.IDsKey].(type) {
	case string:
		var list []any
		if json.Unmarshal([]byte(ids), &list) == nil {
			s.ids = list
		}
	case []any:
		s.ids = ids[:len(ids):len(ids)]
	case []string:
		for _, id := range ids {
			s.ids = append(s.ids, id)
		}
	}
	for _, id := range s.ids {
		s.set[textOf(id)] = true
	}
	return s
}

// admit decides whether a record is new and, if so, advances the state.
// Records without the field are admitted and leave the state unchanged.
func (s *markState) admit(rec json.RawMessage) bool {
	node, ok := s.w.Field.Lookup(rec)
	if !ok {
		return true
	}
	v, ok := scalarText(node)
	if !ok || v == "" {
		return true
	}
	id := s.identity(rec)
	if s.has {
		switch c := compareValues(s.w.Type, v, s.value); {
		case c < 0:
			return false
		case c == 0:
			if s.set[id] {
				return false
			}
			if len(s.ids) >= MaxBoundaryIDs {
				drop := s.ids[0]
				s.ids = append([]any(nil), s.ids[1:]...)
				delete(s.set, textOf(drop))
				s.enc = nil
			}
			s.ids = append(s.ids, id)
			s.set[id] = true
			if s.enc != nil {
				s.enc = appendID(s.enc, id)
			}
			return true
		}
	}
	s.value, s.has = v, true
	s.ids = []any{id}
	s.set = map[string]bool{id: true}
	s.enc = nil
	return true
}

// appendID appends one identity to the JSON text of the list.
func appendID(enc []byte, id string) []byte {
	if len(enc) > 1 {
		enc = append(enc, ',')
	}
	b, _ := json.Marshal(id)
	return append(enc, b...)
}

// encodedIDs returns the identities as a JSON array of strings.
func (s *markState) encodedIDs() string {
	if s.enc == nil {
		s.enc = append(make([]byte, 0, 64), '[')
		for _, id := range s.ids {
			s.enc = appendID(s.enc, textOf(id))
		}
	}
	return string(append(s.enc, ']'))
}

func (s *markState) identity(rec json.RawMessage) string {
	if s.w.IDField != nil {
		if node, ok := s.w.IDField.Lookup(rec); ok {
			if id, ok := scalarText(node); ok {
				return id
			}
		}
	}
	h := fnv.New64a()
	h.Write(rec)
	return "#" + strconv.FormatUint(h.Sum64(), 16)
}

// store writes the state into an offset map.
func (s *markState) store(offset map[string]any) {
	if !s.has {
		return
	}
	offset[s.w.ValueKey] = s.value
	offset[s.w.IDsKey] = s.encodedIDs()
}

// compareValues orders two watermark values; values that do not parse in
// the chosen order fall back to string order.
func compareValues(t OrderType, a, b string) int {
	switch t {
	case OrderTimestamp:
		ta, ea := ParseTimestamp(a)
		tb, eb := ParseTimestamp(b)
		if ea == nil && eb == nil {
			return ta.Compare(tb)
		}
	case OrderNumber:
		fa, oka := new(big.Float).SetString(a)
		fb, okb := new(big.Float).SetString(b)
		if oka && okb {
			return fa.Cmp(fb)
		}
	}
	return strings.Compare(a, b)
}

// ParseTimestamp reads the date-time forms APIs use: RFC 3339 with any
// fraction (Okta's 2024-01-02T03:04:05.678Z, Graph's seven-digit
// fractions), with or without a zone offset (none means UTC), a space for
// 'T', or epoch milliseconds.
func ParseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(n), nil
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", s)
}
