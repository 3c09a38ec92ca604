package siem

import (
	"time"

	"sluice.io/sluice"
)

var parseSyslogDef = sluice.NewConfigDef()

func init() {
	registerTransform("ParseSyslog", parseSyslogDef,
		"Parses a syslog line (RFC 3164 or 5424; String or bytes value): the message becomes the value, every other field a STRING header `syslog.<field>`.",
		func() any { return &ParseSyslog{} })
}

// ParseSyslog is com.vrudenskyi.kafka.connect.transform.ParseSyslog: the
// value (String or byte[]) is parsed as a syslog message; the new value is
// the message text (value schema kept) and each other field is appended as a
// STRING header `syslog.<name>`, in Java HashMap order. A message that does
// not parse keeps its text and gets `syslog.invalid=true`.
type ParseSyslog struct {
	// Now returns the current time; RFC 3164 timestamps take their year and
	// milliseconds from it. Nil means time.Now in UTC.
	Now func() time.Time
}

var _ sluice.Transformation = (*ParseSyslog)(nil)

// Configure implements sluice.Transformation.
func (t *ParseSyslog) Configure(cfg map[string]string) error {
	_, err := parseSyslogDef.Parse(cfg)
	return err
}

// Apply implements sluice.Transformation.
func (t *ParseSyslog) Apply(r *sluice.Record) (*sluice.Record, error) {
	var b []byte
	switch v := r.Value.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return r, nil
	}
	now := time.Now().UTC()
	if t.Now != nil {
		now = t.Now()
	}
	msg := ParseSyslogMessage(b, now)
	out := r.Clone()
	hs := make(sluice.Headers, len(r.Headers), len(r.Headers)+len(msg.Fields))
	copy(hs, r.Headers)
	for _, f := range msg.HashOrder() {
		if f.Name == SyslogLogMessage {
			out.Value = f.Value
			continue
		}
		hs = append(hs, sluice.Header{Key: "syslog." + f.Name, Schema: sluice.StringSchema, Value: f.Value})
	}
	out.Headers = hs
	return out, nil
}

// Close implements sluice.Transformation.
func (t *ParseSyslog) Close() error { return nil }
