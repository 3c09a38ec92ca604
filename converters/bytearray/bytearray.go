// Package bytearray implements Kafka Connect's ByteArrayConverter
// (org.apache.kafka.connect.converters.ByteArrayConverter): BYTES values
// pass through unchanged.
package bytearray

import (
	"sluice.io/sluice"
)

// Class is the Java class name of the converter.
const Class = "org.apache.kafka.connect.converters.ByteArrayConverter"

var configDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "converter.type", Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: sluice.ValidString{"key", "value", "header"}, Importance: sluice.Low,
		Doc: "How this converter will be used."})

func init() {
	sluice.Register(&sluice.Plugin{
		Class:  Class,
		Kinds:  sluice.KindConverter | sluice.KindHeaderConverter,
		Config: configDef,
		Doc:    "Passes BYTES values through unchanged.",
		New:    func() any { return &Converter{} },
	})
}

// Converter is the ByteArrayConverter. It holds no state.
type Converter struct{}

var (
	_ sluice.Converter       = (*Converter)(nil)
	_ sluice.HeaderConverter = headerConv{}
)

// ConfigDef implements sluice.Configurable.
func (c *Converter) ConfigDef() *sluice.ConfigDef { return configDef }

// Configure implements sluice.Converter; the converter takes no settings
// (Java's ignores them all).
func (c *Converter) Configure(cfg map[string]string, isKey bool) error { return nil }

// FromConnect implements sluice.Converter: BYTES values (or no schema) only.
func (c *Converter) FromConnect(topic string, h sluice.Headers, s *sluice.Schema, v any) ([]byte, error) {
	if s != nil && s.Type != sluice.Bytes {
		return nil, sluice.NewDataError("Invalid schema type for ByteArrayConverter: %s", s.Type)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		return x, nil
	case sluice.ByteBuffer:
		return append([]byte{}, x...), nil
	}
	return nil, sluice.NewDataError("ByteArrayConverter is not compatible with objects of type %s", sluice.JavaClassName(v))
}

// ToConnect implements sluice.Converter: an optional BYTES value.
func (c *Converter) ToConnect(topic string, h sluice.Headers, b []byte) (*sluice.Schema, any, error) {
	if b == nil {
		return sluice.OptionalBytesSchema, nil, nil
	}
	return sluice.OptionalBytesSchema, b, nil
}

// HeaderConverter returns the converter seen as a HeaderConverter.
func (c *Converter) HeaderConverter() sluice.HeaderConverter { return headerConv{c} }

type headerConv struct{ c *Converter }

// Configure implements sluice.HeaderConverter.
func (h headerConv) Configure(cfg map[string]string) error { return nil }

// FromConnectHeader implements sluice.HeaderConverter.
func (h headerConv) FromConnectHeader(topic, key string, s *sluice.Schema, v any) ([]byte, error) {
	return h.c.FromConnect(topic, nil, s, v)
}

// ToConnectHeader implements sluice.HeaderConverter.
func (h headerConv) ToConnectHeader(topic, key string, b []byte) (*sluice.Schema, any, error) {
	return h.c.ToConnect(topic, nil, b)
}
