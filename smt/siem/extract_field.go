package siem

import (
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/expr"
)

// ExtractField configuration keys.
const (
	extractNameConfig      = "name"
	extractToConfig        = "extractTo"
	extractSkipEmptyConfig = "skipEmpty"
)

func validateExtractTo(name string, v any) error {
	list, _ := v.([]string)
	if len(list) == 0 {
		return &sluice.ConfigError{Name: name, Value: sluice.JavaListString(list),
			Msg: "'extractTo' must contain a value of:  KEY, VALUE, TOPIC, HEADER.<header_name>"}
	}
	for _, s := range list {
		if expr.JavaIsBlank(s) || !applyToPattern.Matches(s) {
			return &sluice.ConfigError{Name: name, Value: sluice.JavaListString(list),
				Msg: "extractTo value must be one of:  KEY, VALUE, HEADER.<header_name>"}
		}
	}
	return nil
}

var extractFieldDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: extractNameConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
		Doc: "The field: a Map key, a Struct field, or a JSON Pointer (`/a/b`) into a JSON String or bytes value."}).
	Define(sluice.ConfigKey{Name: extractToConfig, Type: sluice.TypeList, Default: "VALUE", Importance: sluice.High,
		Validator: sluice.ValidatorFunc{Fn: validateExtractTo, Desc: "KEY, VALUE, TOPIC or HEADER.<header_name>"},
		Doc:       "Where the extracted value goes, in order: VALUE, KEY, TOPIC, HEADER.<name>. Validated case-insensitively but only the upper-case spellings act."}).
	Define(sluice.ConfigKey{Name: extractSkipEmptyConfig, Type: sluice.TypeBoolean, Default: true, Importance: sluice.Low,
		Doc: "Leave the record unchanged when the extracted value is null or blank."})

func init() {
	registerTransform("ExtractField", extractFieldDef,
		"Copies a field of the value (Map key, Struct field, JSON Pointer into JSON text) to the value, key, topic or a header. "+
			"condition.if / .if_mode / .if_data (default ${VALUE}) make it conditional.",
		func() any { return &ExtractField{} })
}

// ExtractField is com.vrudenskyi.kafka.connect.transform.ExtractField.
// Failures (unknown Struct field, text that is not JSON, a name that is not
// a JSON Pointer for JSON text) leave the record unchanged.
type ExtractField struct {
	structured
	name      *string
	pointer   *jsonPointer // nil when name is not a valid pointer
	extractTo []string
	skipEmpty bool
}

var _ sluice.Transformation = (*ExtractField)(nil)

// Configure implements sluice.Transformation.
func (t *ExtractField) Configure(cfg map[string]string) error {
	if err := t.structured.configure(cfg); err != nil {
		return err
	}
	c, err := extractFieldDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.name = c.StringOrNil(extractNameConfig)
	t.pointer = nil
	if t.name != nil {
		t.pointer, _ = compileJSONPointer(*t.name)
	}
	t.extractTo = c.List(extractToConfig)
	t.skipEmpty = c.Bool(extractSkipEmptyConfig)
	return nil
}

// Apply implements sluice.Transformation.
func (t *ExtractField) Apply(r *sluice.Record) (*sluice.Record, error) {
	return t.structured.apply(r, t)
}

func (t *ExtractField) handleStruct(r *sluice.Record, v *sluice.Struct) (*sluice.Record, error) {
	if t.name == nil {
		return nil, errNullName
	}
	x, err := v.Get(*t.name)
	if err != nil {
		return nil, err
	}
	return t.write(r, x), nil
}

func (t *ExtractField) handleMap(r *sluice.Record, v *sluice.Map) (*sluice.Record, error) {
	var x any
	if t.name != nil {
		x, _ = v.Get(*t.name)
	} else {
		x, _ = v.Get(nil)
	}
	return t.write(r, x), nil
}

func (t *ExtractField) handleString(r *sluice.Record, v string) (*sluice.Record, error) {
	n, err := parseLenientJSON(v)
	if err != nil {
		return nil, err
	}
	return t.fromJSON(r, n)
}

func (t *ExtractField) handleBytes(r *sluice.Record, v []byte) (*sluice.Record, error) {
	n, err := parseJacksonTree(sluice.DecodeUTF8Java(v))
	if err != nil {
		return nil, err
	}
	return t.fromJSON(r, n)
}

func (t *ExtractField) fromJSON(r *sluice.Record, n *jnode) (*sluice.Record, error) {
	if t.pointer == nil {
		return nil, errNotPointer
	}
	return t.write(r, n.at(t.pointer).asText()), nil
}

// write sends the extracted value to every extractTo target in turn.
func (t *ExtractField) write(r *sluice.Record, x any) *sluice.Record {
	if t.skipEmpty && (x == nil || expr.JavaIsBlank(sluice.JavaToString(x))) {
		return r
	}
	out := r
	for _, to := range t.extractTo {
		switch {
		case to == "VALUE":
			out = out.Clone()
			out.Value = x
		case to == "KEY":
			out = out.Clone()
			out.Key = x
		case to == "TOPIC":
			if x != nil {
				if s := sluice.JavaToString(x); !expr.JavaIsBlank(s) {
					out = out.Clone()
					out.Topic = s
				}
			}
		case strings.HasPrefix(to, "HEADER.") && len(to) > 7:
			if x != nil {
				if s := sluice.JavaToString(x); !expr.JavaIsBlank(s) {
					if out == r {
						out = r.Clone()
					}
					out.Headers = out.Headers.With(to[7:], sluice.StringSchema, s)
				}
			}
		}
	}
	return out
}

// Close implements sluice.Transformation.
func (t *ExtractField) Close() error { return nil }
