// Package json implements Kafka Connect's JsonConverter
// (org.apache.kafka.connect.json.JsonConverter): Connect data to JSON bytes
// and back, with or without the {"schema":…,"payload":…} envelope, byte for
// byte as the Java converter (Jackson) writes it.
package json

import (
	"sync"

	"sluice.io/sluice"
)

// Class is the Java class name of the converter.
const Class = "org.apache.kafka.connect.json.JsonConverter"

// Configuration keys.
const (
	SchemasEnableConfig    = "schemas.enable"
	SchemasCacheSizeConfig = "schemas.cache.size"
	DecimalFormatConfig    = "decimal.format"
	ReplaceNullConfig      = "replace.null.with.default"
	TypeConfig             = "converter.type"
)

// ConfigDef returns the converter's configuration definition.
func ConfigDef() *sluice.ConfigDef {
	return sluice.NewConfigDef().
		Define(sluice.ConfigKey{Name: TypeConfig, Type: sluice.TypeString, Default: sluice.NoDefault,
			Validator: sluice.ValidString{"key", "value", "header"}, Importance: sluice.Low,
			Doc: "How this converter will be used."}).
		Define(sluice.ConfigKey{Name: SchemasEnableConfig, Type: sluice.TypeBoolean, Default: true, Importance: sluice.High,
			Group: "Schemas", Doc: "Include schemas within each of the serialized values and keys."}).
		Define(sluice.ConfigKey{Name: SchemasCacheSizeConfig, Type: sluice.TypeInt, Default: int32(1000), Importance: sluice.High,
			Group: "Schemas", Doc: "The maximum number of schemas that can be cached in this converter instance."}).
		Define(sluice.ConfigKey{Name: DecimalFormatConfig, Type: sluice.TypeString, Default: "BASE64",
			Validator: sluice.CaseInsensitiveValidString{"BASE64", "NUMERIC"}, Importance: sluice.Low, Group: "Serialization",
			Doc: "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'"}).
		Define(sluice.ConfigKey{Name: ReplaceNullConfig, Type: sluice.TypeBoolean, Default: true, Importance: sluice.Low,
			Group: "Serialization", Doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."})
}

var configDef = ConfigDef()

func init() {
	sluice.Register(&sluice.Plugin{
		Class:  Class,
		Kinds:  sluice.KindConverter | sluice.KindHeaderConverter,
		Config: configDef,
		Doc:    "Converts Connect data to and from JSON, optionally wrapped in a schema envelope.",
		New:    func() any { return New() },
	})
}

// Converter is the JsonConverter. It is safe for concurrent use once
// configured.
type Converter struct {
	schemasEnabled bool
	numeric        bool
	replaceNull    bool
	cacheSize      int

	mu       sync.RWMutex
	toCache  map[string]*sluice.Schema // schema JSON text → schema
	fromMu   sync.RWMutex
	fromCach map[*sluice.Schema][]byte // schema → its JSON form

	pool sync.Pool // *state
}

var (
	_ sluice.Converter       = (*Converter)(nil)
	_ sluice.HeaderConverter = headerConv{}
)

// state is per-call scratch space, pooled.
type state struct {
	p   parser
	d   decoder
	enc encoder
}

// decoder turns parsed nodes into Connect data.
type decoder struct {
	c      *Converter
	p      *parser
	srcStr string
	slab   []string // string headers of boxed values, see box
}

// New returns an unconfigured converter with Java's defaults.
func New() *Converter {
	c := &Converter{schemasEnabled: true, replaceNull: true, cacheSize: 1000}
	c.pool.New = func() any {
		s := &state{}
		s.d.p = &s.p
		return s
	}
	return c
}

// ConfigDef implements sluice.Configurable.
func (c *Converter) ConfigDef() *sluice.ConfigDef { return configDef }

// Configure implements sluice.Converter.
func (c *Converter) Configure(cfg map[string]string, isKey bool) error {
	m := make(map[string]string, len(cfg)+1)
	for k, v := range cfg {
		m[k] = v
	}
	if isKey {
		m[TypeConfig] = "key"
	} else {
		m[TypeConfig] = "value"
	}
	return c.configure(m)
}

// ConfigureHeader configures the converter for header values
// (HeaderConverter.configure with converter.type=header).
func (c *Converter) ConfigureHeader(cfg map[string]string) error {
	m := make(map[string]string, len(cfg)+1)
	for k, v := range cfg {
		m[k] = v
	}
	if _, ok := m[TypeConfig]; !ok {
		m[TypeConfig] = "header"
	}
	return c.configure(m)
}

func (c *Converter) configure(m map[string]string) error {
	conf, err := configDef.Parse(m)
	if err != nil {
		return err
	}
	c.schemasEnabled = conf.Bool(SchemasEnableConfig)
	c.cacheSize = int(conf.Int(SchemasCacheSizeConfig))
	c.numeric = sluice.JavaUpperCase(conf.String(DecimalFormatConfig)) == "NUMERIC"
	c.replaceNull = conf.Bool(ReplaceNullConfig)
	c.mu.Lock()
	c.toCache = nil
	c.mu.Unlock()
	c.fromMu.Lock()
	c.fromCach = nil
	c.fromMu.Unlock()
	return nil
}

const envelopeMsg = "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration."

// ToConnect implements sluice.Converter: JSON bytes to schema and value.
func (c *Converter) ToConnect(topic string, h sluice.Headers, b []byte) (*sluice.Schema, any, error) {
	if b == nil {
		return nil, nil, nil
	}
	st := c.pool.Get().(*state)
	defer c.put(st)
	st.d.c = c
	st.d.srcStr = ""
	root, err := st.p.parseRoot(b)
	if err != nil {
		return nil, nil, &sluice.DataError{Msg: "Converting byte[] to Kafka Connect data failed due to serialization error: ", Err: err}
	}
	d := &st.d
	d.slab = make([]string, 0, st.p.nstr)
	if !c.schemasEnabled {
		v, err := d.toConnect(nil, root)
		return nil, v, err
	}
	rn := &st.p.nodes[root]
	if rn.kind != kObject || d.size(root) != 2 {
		return nil, nil, sluice.NewDataError("%s", envelopeMsg)
	}
	sIdx, pIdx := d.get(root, "schema"), d.get(root, "payload")
	if sIdx < 0 || pIdx < 0 {
		return nil, nil, sluice.NewDataError("%s", envelopeMsg)
	}
	s, err := c.schemaFor(d, sIdx)
	if err != nil {
		return nil, nil, err
	}
	v, err := d.toConnect(s, pIdx)
	if err != nil {
		return nil, nil, err
	}
	return s, v, nil
}

func (c *Converter) put(st *state) {
	st.d.srcStr = ""
	st.d.slab = nil
	if cap(st.p.nodes) > 4096 {
		st.p.nodes = nil
	}
	st.p.src = nil
	if cap(st.enc.buf) > 64<<10 {
		st.enc.buf = nil
	}
	c.pool.Put(st)
}

// schemaFor returns the (cached) Connect schema of a schema node.
func (c *Converter) schemaFor(d *decoder, idx int32) (*sluice.Schema, error) {
	n := &d.p.nodes[idx]
	if n.kind == kNull {
		return nil, nil
	}
	key := d.p.src[n.off:n.end]
	c.mu.RLock()
	s, ok := c.toCache[string(key)]
	c.mu.RUnlock()
	if ok {
		return s, nil
	}
	s, err := d.asConnectSchema(idx)
	if err != nil {
		return nil, err
	}
	if c.cacheSize > 0 && (n.kind == kObject || n.kind == kArray) {
		c.mu.Lock()
		if c.toCache == nil || len(c.toCache) >= c.cacheSize {
			c.toCache = make(map[string]*sluice.Schema)
		}
		c.toCache[string(key)] = s
		c.mu.Unlock()
	}
	return s, nil
}

// FromConnect implements sluice.Converter: schema and value to JSON bytes.
func (c *Converter) FromConnect(topic string, h sluice.Headers, s *sluice.Schema, v any) ([]byte, error) {
	if s == nil && v == nil {
		return nil, nil
	}
	st := c.pool.Get().(*state)
	defer c.put(st)
	e := &st.enc
	e.c = c
	e.buf = e.buf[:0]
	if c.schemasEnabled {
		e.buf = append(e.buf, `{"schema":`...)
		if s == nil {
			e.buf = append(e.buf, "null"...)
		} else if err := c.appendSchema(e, s); err != nil {
			return nil, err
		}
		e.buf = append(e.buf, `,"payload":`...)
		if err := e.value(s, v); err != nil {
			return nil, err
		}
		e.buf = append(e.buf, '}')
	} else if err := e.value(s, v); err != nil {
		return nil, err
	}
	out := make([]byte, len(e.buf))
	copy(out, e.buf)
	return out, nil
}

// appendSchema writes the JSON form of s, cached per schema.
func (c *Converter) appendSchema(e *encoder, s *sluice.Schema) error {
	c.fromMu.RLock()
	js, ok := c.fromCach[s]
	c.fromMu.RUnlock()
	if ok {
		e.buf = append(e.buf, js...)
		return nil
	}
	mark := len(e.buf)
	if err := e.schemaJSON(s, "", false); err != nil {
		return err
	}
	if c.cacheSize > 0 {
		js = append([]byte(nil), e.buf[mark:]...)
		c.fromMu.Lock()
		if c.fromCach == nil || len(c.fromCach) >= c.cacheSize {
			c.fromCach = make(map[*sluice.Schema][]byte)
		}
		c.fromCach[s] = js
		c.fromMu.Unlock()
	}
	return nil
}

// HeaderConverter returns the converter seen as a HeaderConverter (Java's
// JsonConverter implements both interfaces; Go's Configure signatures
// differ, so header use goes through this view).
func (c *Converter) HeaderConverter() sluice.HeaderConverter { return headerConv{c} }

type headerConv struct{ c *Converter }

// Configure configures the converter with converter.type=header unless set.
func (h headerConv) Configure(cfg map[string]string) error { return h.c.ConfigureHeader(cfg) }

// FromConnectHeader implements sluice.HeaderConverter.
func (h headerConv) FromConnectHeader(topic, key string, s *sluice.Schema, v any) ([]byte, error) {
	return h.c.FromConnect(topic, nil, s, v)
}

// ToConnectHeader implements sluice.HeaderConverter.
func (h headerConv) ToConnectHeader(topic, key string, b []byte) (*sluice.Schema, any, error) {
	return h.c.ToConnect(topic, nil, b)
}

// ParseSchema reads a schema from its JSON form (the "schema" member of an
// envelope); JSON null gives a nil schema.
func (c *Converter) ParseSchema(b []byte) (*sluice.Schema, error) {
	st := c.pool.Get().(*state)
	defer c.put(st)
	st.d.c = c
	st.d.srcStr = ""
	root, err := st.p.parseRoot(b)
	if err != nil {
		return nil, &sluice.DataError{Msg: "Converting byte[] to Kafka Connect data failed due to serialization error: ", Err: err}
	}
	if st.p.nodes[root].kind == kMissing {
		return nil, nil
	}
	return st.d.asConnectSchema(root)
}

// SchemaJSON renders the JSON form of a schema as the envelope carries it.
func (c *Converter) SchemaJSON(s *sluice.Schema) ([]byte, error) {
	if s == nil {
		return []byte("null"), nil
	}
	e := &encoder{c: c}
	if err := e.schemaJSON(s, "", false); err != nil {
		return nil, err
	}
	return e.buf, nil
}
