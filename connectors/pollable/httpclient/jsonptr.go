package httpclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Pointer is a parsed JSON Pointer (RFC 6901) with Jackson's reading rules:
// "" is the whole document, "/" the member named "" (not the root), "~0"
// and "~1" decode to "~" and "/" (any other "~" stays literal), and a
// segment that is a canonical non-negative integer also indexes arrays.
type Pointer struct {
	segs []string
	src  string
}

// ParsePointer parses a JSON Pointer expression.
func ParsePointer(expr string) (Pointer, error) {
	if expr == "" {
		return Pointer{src: expr}, nil
	}
	if expr[0] != '/' {
		return Pointer{}, fmt.Errorf("Invalid input: JSON Pointer expression must start with '/': %q", expr)
	}
	var segs []string
	for _, raw := range strings.Split(expr[1:], "/") {
		if !strings.Contains(raw, "~") {
			segs = append(segs, raw)
			continue
		}
		var b strings.Builder
		for i := 0; i < len(raw); i++ {
			c := raw[i]
			if c != '~' || i+1 >= len(raw) {
				b.WriteByte(c)
				continue
			}
			i++
			switch raw[i] {
			case '0':
				b.WriteByte('~')
			case '1':
				b.WriteByte('/')
			default:
				b.WriteByte('~')
				b.WriteByte(raw[i])
			}
		}
		segs = append(segs, b.String())
	}
	return Pointer{segs: segs, src: expr}, nil
}

// String returns the expression the pointer was parsed from.
func (p Pointer) String() string { return p.src }

// IsRoot reports whether p addresses the whole document.
func (p Pointer) IsRoot() bool { return len(p.segs) == 0 }

// arrayIndex returns a segment's array index, or -1 when it is not a
// canonical decimal integer that fits an int32 (Jackson's rule).
func arrayIndex(s string) int {
	if s == "" || len(s) > 10 || (s[0] == '0' && len(s) > 1) {
		return -1
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > 1<<31-1 {
		return -1
	}
	return int(n)
}

var errNoContent = errors.New("No content to map due to end-of-input")

// firstValue returns the first JSON value of body (trailing content is
// ignored, as Jackson's readTree does), compacted.
func firstValue(body []byte) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errNoContent
		}
		return nil, fmt.Errorf("invalid JSON response: %w", err)
	}
	return raw, nil
}

// Lookup returns the node p addresses inside the JSON value raw, or false
// when it is missing.
func (p Pointer) Lookup(raw json.RawMessage) (json.RawMessage, bool) {
	cur := bytes.TrimSpace(raw)
	for _, seg := range p.segs {
		if len(cur) == 0 {
			return nil, false
		}
		switch cur[0] {
		case '{':
			var m map[string]json.RawMessage
			if json.Unmarshal(cur, &m) != nil {
				return nil, false
			}
			v, ok := m[seg]
			if !ok {
				return nil, false
			}
			cur = bytes.TrimSpace(v)
		case '[':
			i := arrayIndex(seg)
			if i < 0 {
				return nil, false
			}
			var a []json.RawMessage
			if json.Unmarshal(cur, &a) != nil || i >= len(a) {
				return nil, false
			}
			cur = bytes.TrimSpace(a[i])
		default:
			return nil, false
		}
	}
	return cur, true
}

// Extract applies JsonGetAPIClient's record rule to a response body: the
// node at p, when an array, gives one element per record; any other node
// gives one record; a missing node gives the whole document. Every element
// is returned as compact JSON text, members in their original order.
func (p Pointer) Extract(body []byte) ([]json.RawMessage, error) {
	root, err := firstValue(body)
	if err != nil {
		return nil, err
	}
	return p.extractRoot(root)
}

func (p Pointer) extractRoot(root json.RawMessage) ([]json.RawMessage, error) {
	node, ok := p.Lookup(root)
	if !ok {
		return []json.RawMessage{compact(root)}, nil
	}
	if len(node) > 0 && node[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(node, &elems); err != nil {
			return nil, fmt.Errorf("invalid JSON array: %w", err)
		}
		for i := range elems {
			elems[i] = compact(elems[i])
		}
		return elems, nil
	}
	return []json.RawMessage{compact(node)}, nil
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.Grow(len(raw))
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// scalarText returns a node's text form: a string's content, a number's
// literal, true/false, or "" for null, objects and arrays.
func scalarText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case 'n', '{', '[':
		return "", false
	}
	return string(raw), true
}
