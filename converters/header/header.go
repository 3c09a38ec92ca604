// Package header provides Connect's SimpleHeaderConverter: header values
// travel as UTF-8 text, written with Values.convertToString and read back
// with Values.parseString, so a header "42" arrives as INT8 42 and
// "2024-01-31" as a Date.
package header

import (
	"log/slog"

	"sluice.io/sluice"
)

// Class is the Java class name of the converter.
const Class = "org.apache.kafka.connect.storage.SimpleHeaderConverter"

func init() {
	sluice.Register(&sluice.Plugin{
		Class:  Class,
		Kinds:  sluice.KindHeaderConverter,
		Config: sluice.NewConfigDef(),
		Doc: "Header converter that writes header values as their string form (UTF-8) and reads them back " +
			"by inferring the schema from the text: numbers, booleans, dates, times, timestamps, arrays and maps.",
		New: func() any { return &Converter{} },
	})
}

// Converter is SimpleHeaderConverter. It has no configuration and no state.
type Converter struct{}

var _ sluice.HeaderConverter = (*Converter)(nil)

// Configure accepts and ignores any settings, as Java's does.
func (*Converter) Configure(map[string]string) error { return nil }

// FromConnectHeader renders the value as text (nil for a nil value).
func (*Converter) FromConnectHeader(topic, key string, s *sluice.Schema, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	if str, ok := v.(string); ok {
		return []byte(str), nil
	}
	return sluice.AppendValueString(nil, v), nil
}

// ToConnectHeader infers a schema and value from the header bytes; nil bytes
// give no schema and no value. Text Java cannot parse (it throws) is kept as
// BYTES holding the original bytes, as Java does after logging a warning.
func (*Converter) ToConnectHeader(topic, key string, b []byte) (*sluice.Schema, any, error) {
	if b == nil {
		return nil, nil, nil
	}
	s, v, err := sluice.ParseStringErr(sluice.DecodeUTF8Java(b))
	if err != nil {
		slog.Warn("Failed to deserialize header value, so using byte array",
			"header", key, "topic", topic, "error", err)
		return sluice.BytesSchema, b, nil
	}
	return s, v, nil
}
