package siem

import (
	"strings"

	"sluice.io/sluice"
)

// structuredHandler is what a StructuredRecordTransform does to each kind of
// value. Each handler returns nil for "unchanged"; any error a handler
// returns is swallowed (the record is passed on unchanged), as the Java base
// class catches every exception.
type structuredHandler interface {
	handleStruct(r *sluice.Record, v *sluice.Struct) (*sluice.Record, error)
	handleMap(r *sluice.Record, v *sluice.Map) (*sluice.Record, error)
	handleString(r *sluice.Record, v string) (*sluice.Record, error)
	handleBytes(r *sluice.Record, v []byte) (*sluice.Record, error)
}

// structured is com.vrudenskyi.kafka.connect.transform.StructuredRecordTransform:
// an optional transformation-wide condition (`condition.if`, `.if_mode`,
// `.if_data`, whose data defaults to ${VALUE}), then a dispatch on the value
// type (Struct, Map, String, byte[]); anything else, null included, passes
// unchanged.
type structured struct {
	cond *Condition
}

// configure reads the condition keys when any is present.
func (s *structured) configure(cfg map[string]string) error {
	s.cond = nil
	for k := range cfg {
		if strings.HasPrefix(k, ConditionConfigPrefix) {
			c, err := ParseCondition(cfg, ConditionConfigPrefix)
			if err != nil {
				return err
			}
			s.cond = c
			break
		}
	}
	return nil
}

// apply runs h on r when the condition holds.
func (s *structured) apply(r *sluice.Record, h structuredHandler) (*sluice.Record, error) {
	if s.cond.Configured() {
		ok, err := s.cond.TestRecord(r)
		if err != nil {
			return nil, err
		}
		if !ok {
			return r, nil
		}
	}
	var out *sluice.Record
	var err error
	switch v := r.Value.(type) {
	case *sluice.Struct:
		out, err = h.handleStruct(r, v)
	case *sluice.Map:
		out, err = h.handleMap(r, v)
	case string:
		out, err = h.handleString(r, v)
	case []byte:
		out, err = h.handleBytes(r, v)
	}
	if err != nil || out == nil {
		return r, nil
	}
	return out, nil
}

var (
	errNullName   = sluice.NewJavaError("NullPointerException", "no field name configured")
	errNotPointer = sluice.NewJavaError("IllegalArgumentException", "the field name is not a JSON Pointer")
)

// parseLenientJSON is readTree of a mapper with ALLOW_UNQUOTED_CONTROL_CHARS:
// raw control characters inside strings are accepted as themselves.
func parseLenientJSON(s string) (*jnode, error) {
	ctl := false
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			ctl = true
			break
		}
	}
	if !ctl {
		return parseJacksonTree(s)
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) + 16)
	in, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case !in:
			if c == '"' {
				in = true
			}
		case esc:
			esc = false
		case c == '\\':
			esc = true
		case c == '"':
			in = false
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return parseJacksonTree(b.String())
}
