// Package str implements Kafka Connect's StringConverter
// (org.apache.kafka.connect.storage.StringConverter): values are written as
// their Java toString text in a Java character set, and read back as
// optional STRING values.
package str

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"sluice.io/sluice"
)

// Class is the Java class name of the converter.
const Class = "org.apache.kafka.connect.storage.StringConverter"

// Configuration keys.
const (
	EncodingConfig = "converter.encoding"
	TypeConfig     = "converter.type"
)

var configDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: TypeConfig, Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator: sluice.ValidString{"key", "value", "header"}, Importance: sluice.Low,
		Doc: "How this converter will be used."}).
	Define(sluice.ConfigKey{Name: EncodingConfig, Type: sluice.TypeString, Default: "UTF-8", Importance: sluice.High,
		Doc: "The name of the Java character set to use for encoding strings as byte arrays."})

func init() {
	sluice.Register(&sluice.Plugin{
		Class:  Class,
		Kinds:  sluice.KindConverter | sluice.KindHeaderConverter,
		Config: configDef,
		Doc:    "Writes values as their text in a character set and reads bytes back as strings.",
		New:    func() any { return &Converter{} },
	})
}

// Converter is the StringConverter.
type Converter struct {
	ser, deser charset
}

var (
	_ sluice.Converter       = (*Converter)(nil)
	_ sluice.HeaderConverter = headerConv{}
)

// ConfigDef implements sluice.Configurable.
func (c *Converter) ConfigDef() *sluice.ConfigDef { return configDef }

// Configure implements sluice.Converter.
func (c *Converter) Configure(cfg map[string]string, isKey bool) error {
	m := make(map[string]string, len(cfg)+1)
	for k, v := range cfg {
		m[k] = v
	}
	m[TypeConfig] = "value"
	if isKey {
		m[TypeConfig] = "key"
	}
	return c.configure(m)
}

func (c *Converter) configure(m map[string]string) error {
	conf, err := configDef.Parse(m)
	if err != nil {
		return err
	}
	enc := conf.String(EncodingConfig)
	side := "value"
	if conf.String(TypeConfig) == "key" {
		side = "key"
	}
	// the serializer and deserializer prefer their own side-specific keys
	pick := func(kind string) (charset, error) {
		name, ok := m[side+"."+kind+".encoding"]
		if !ok {
			name = enc
		}
		cs, ok := lookupCharset(name)
		if !ok {
			return 0, &sluice.JavaError{Class: "SerializationException", Msg: "Unsupported encoding " + name}
		}
		return cs, nil
	}
	if c.ser, err = pick("serializer"); err != nil {
		return err
	}
	c.deser, err = pick("deserializer")
	return err
}

// FromConnect implements sluice.Converter: the value's Java toString text.
func (c *Converter) FromConnect(topic string, h sluice.Headers, s *sluice.Schema, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return c.ser.encode(x), nil
	}
	return c.ser.encode(JavaString(v)), nil
}

// ToConnect implements sluice.Converter: an optional STRING value.
func (c *Converter) ToConnect(topic string, h sluice.Headers, b []byte) (*sluice.Schema, any, error) {
	if b == nil {
		return sluice.OptionalStringSchema, nil, nil
	}
	return sluice.OptionalStringSchema, c.deser.decode(b), nil
}

// HeaderConverter returns the converter seen as a HeaderConverter.
func (c *Converter) HeaderConverter() sluice.HeaderConverter { return headerConv{c} }

type headerConv struct{ c *Converter }

// Configure implements sluice.HeaderConverter (converter.type=header unless set).
func (h headerConv) Configure(cfg map[string]string) error {
	m := make(map[string]string, len(cfg)+1)
	for k, v := range cfg {
		m[k] = v
	}
	if _, ok := m[TypeConfig]; !ok {
		m[TypeConfig] = "header"
	}
	return h.c.configure(m)
}

// FromConnectHeader implements sluice.HeaderConverter.
func (h headerConv) FromConnectHeader(topic, key string, s *sluice.Schema, v any) ([]byte, error) {
	return h.c.FromConnect(topic, nil, s, v)
}

// ToConnectHeader implements sluice.HeaderConverter.
func (h headerConv) ToConnectHeader(topic, key string, b []byte) (*sluice.Schema, any, error) {
	return h.c.ToConnect(topic, nil, b)
}

// JavaString renders a Connect value as Java's String.valueOf does for the
// object Connect would hold: List and Map toString forms, Struct{…},
// BigDecimal text, java.util.Date's "EEE MMM dd HH:mm:ss zzz yyyy" (UTC).
// A byte[] has no stable Java text (its identity hash shows); it renders in
// the same "[B@…" shape with a content hash.
func JavaString(v any) string {
	var b strings.Builder
	writeJava(&b, v)
	return b.String()
}

func writeJava(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int8:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int16:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float32:
		b.WriteString(sluice.FormatJavaFloat(x))
	case float64:
		b.WriteString(sluice.FormatJavaDouble(x))
	case sluice.Decimal:
		b.WriteString(x.String())
	case time.Time:
		b.WriteString(x.UTC().Format("Mon Jan 02 15:04:05 UTC 2006"))
	case sluice.ByteBuffer:
		fmt.Fprintf(b, "java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", len(x), len(x))
	case []byte:
		h := fnv.New32a()
		h.Write(x)
		fmt.Fprintf(b, "[B@%x", h.Sum32())
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJava(b, e)
		}
		b.WriteByte(']')
	case *sluice.Map:
		b.WriteByte('{')
		entries := x.Entries
		if x.Hashed {
			entries = sluice.JavaHashOrder(x)
		}
		for i, e := range entries {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJava(b, e.Key)
			b.WriteByte('=')
			writeJava(b, e.Value)
		}
		b.WriteByte('}')
	case *sluice.Struct:
		b.WriteString("Struct{")
		first := true
		for i, f := range x.Schema().Fields {
			fv := x.Values()[i]
			if fv == nil {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(f.Name)
			b.WriteByte('=')
			writeJava(b, fv)
		}
		b.WriteByte('}')
	default:
		fmt.Fprint(b, v)
	}
}
