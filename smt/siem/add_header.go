package siem

import (
	"sluice.io/sluice"
	"sluice.io/sluice/expr"
)

// AddHeader configuration keys.
const (
	NameConfig            = "name"
	NamesConfig           = "names"
	ValueConfig           = "value"
	ReplaceConfig         = "replace"
	SchemaConfig          = "schema"
	ConditionConfigPrefix = "condition."
)

const addHeaderDoc = "Adds a STRING header (name, plus every entry of names) whose value is `value`, " +
	"a literal or a ${...} expression; a blank result adds nothing. replace=true removes existing " +
	"headers of that name first. condition.if / .if_mode / .if_data (default ${VALUE}) make it conditional."

var addHeaderDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: NameConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
		Doc: "Name of the header."}).
	Define(sluice.ConfigKey{Name: NamesConfig, Type: sluice.TypeList, Default: "", Importance: sluice.Medium,
		Doc: "Further header names getting the same value."}).
	Define(sluice.ConfigKey{Name: ReplaceConfig, Type: sluice.TypeBoolean, Default: "false", Importance: sluice.Medium,
		Doc: "Remove existing headers of the name before adding (default: append another)."}).
	Define(sluice.ConfigKey{Name: ValueConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Header value: text or a ${KEY} ${VALUE} ${TOPIC} ${PARTITION} ${TIMESTAMP,fmt} ${HEADER.name} expression."}).
	Define(sluice.ConfigKey{Name: SchemaConfig, Type: sluice.TypeString, Default: "STRING", Importance: sluice.Low,
		Doc: "Connect schema type of the header (only STRING can hold the value)."})

// schemaTypeNames are the names of Connect's Schema.Type constants.
var schemaTypeNames = map[string]sluice.Type{
	"INT8": sluice.Int8, "INT16": sluice.Int16, "INT32": sluice.Int32, "INT64": sluice.Int64,
	"FLOAT32": sluice.Float32, "FLOAT64": sluice.Float64, "BOOLEAN": sluice.Boolean, "STRING": sluice.String,
	"BYTES": sluice.Bytes, "ARRAY": sluice.Array, "MAP": sluice.Map_, "STRUCT": sluice.StructType,
}

// AddHeader is com.vrudenskyi.kafka.connect.transform.AddHeader.
type AddHeader struct {
	names    []string
	value    *expr.Template
	schema   sluice.Type
	typeName string
	replace  bool
	cond     *Condition
}

var _ sluice.Transformation = (*AddHeader)(nil)

func init() {
	registerTransform("AddHeader", addHeaderDef, addHeaderDoc, func() any { return &AddHeader{} })
}

// Configure implements sluice.Transformation.
func (t *AddHeader) Configure(cfg map[string]string) error {
	c, err := addHeaderDef.Parse(cfg)
	if err != nil {
		return err
	}
	var names []string
	if n := c.StringOrNil(NameConfig); n != nil {
		names = append(names, *n)
	}
	names = append(names, c.List(NamesConfig)...)
	if len(names) == 0 {
		return sluice.NewConfigError("name(s) can't be empty")
	}
	value, err := expr.CompileTemplate(c.String(ValueConfig))
	if err != nil {
		return err
	}
	typeName := c.String(SchemaConfig)
	typ, ok := schemaTypeNames[typeName]
	if !ok {
		return sluice.NewJavaError("IllegalArgumentException", "No enum constant org.apache.kafka.connect.data.Schema.Type.%s", typeName)
	}
	var cond *Condition
	if len(sluice.WithPrefix(cfg, ConditionConfigPrefix)) > 0 {
		if cond, err = ParseCondition(cfg, ConditionConfigPrefix); err != nil {
			return err
		}
	}
	*t = AddHeader{names: names, value: value, schema: typ, typeName: typeName, replace: c.Bool(ReplaceConfig), cond: cond}
	return nil
}

// Apply implements sluice.Transformation.
func (t *AddHeader) Apply(r *sluice.Record) (*sluice.Record, error) {
	if t.cond.Configured() {
		ok, err := t.cond.TestRecord(r)
		if err != nil {
			return nil, err
		}
		if !ok {
			return r, nil
		}
	}
	v, err := t.value.Eval(r)
	if err != nil {
		return nil, err
	}
	if expr.JavaIsBlank(v) {
		return r, nil
	}
	if t.schema != sluice.String {
		return nil, sluice.NewDataError("The value %s is not compatible with the schema Schema{%s}", v, t.typeName)
	}
	h := r.Headers
	for _, name := range t.names {
		if t.replace {
			h = h.Without(func(k string) bool { return k == name })
		}
		h = h.With(name, sluice.StringSchema, v)
	}
	out := r.Clone()
	out.Headers = h
	return out, nil
}

// Close implements sluice.Transformation.
func (t *AddHeader) Close() error { return nil }
