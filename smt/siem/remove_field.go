package siem

import (
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/expr"
)

// RemoveField configuration keys.
const (
	removeNameConfig  = "name"
	removeNamesConfig = "names"
)

var removeFieldDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: removeNameConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
		Doc: "A field to remove: a Map key, a Struct field, or a JSON Pointer (`/a/b`) into a JSON String or bytes value."}).
	Define(sluice.ConfigKey{Name: removeNamesConfig, Type: sluice.TypeList, Default: "", Importance: sluice.Medium,
		Doc: "More fields to remove, as for name."})

func init() {
	registerTransform("RemoveField", removeFieldDef,
		"Removes fields from the value: Map keys, Struct fields (set to null, schema kept) or JSON Pointers into JSON text (re-serialised compactly). "+
			"condition.if / .if_mode / .if_data (default ${VALUE}) make it conditional.",
		func() any { return &RemoveField{} })
}

// RemoveField is com.vrudenskyi.kafka.connect.transform.RemoveField. The
// value schema is never changed; a bytes value always becomes a String.
type RemoveField struct {
	structured
	names []string
}

var _ sluice.Transformation = (*RemoveField)(nil)

// Configure implements sluice.Transformation.
func (t *RemoveField) Configure(cfg map[string]string) error {
	if err := t.structured.configure(cfg); err != nil {
		return err
	}
	c, err := removeFieldDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.names = t.names[:0]
	if n := c.StringOrNil(removeNameConfig); n != nil {
		t.names = append(t.names, *n)
	}
	t.names = append(t.names, c.List(removeNamesConfig)...)
	if len(t.names) == 0 {
		return sluice.NewConfigError("name(s) can't be empty")
	}
	return nil
}

// Apply implements sluice.Transformation.
func (t *RemoveField) Apply(r *sluice.Record) (*sluice.Record, error) {
	return t.structured.apply(r, t)
}

func (t *RemoveField) with(r *sluice.Record, v any) *sluice.Record {
	out := r.Clone()
	out.Value = v
	return out
}

func (t *RemoveField) handleStruct(r *sluice.Record, v *sluice.Struct) (*sluice.Record, error) {
	s := v.Schema()
	nv := sluice.NewStruct(s)
	for i := range s.Fields {
		f := &s.Fields[i]
		if t.removes(f.Name) {
			continue
		}
		if err := nv.PutField(f, v.GetField(f)); err != nil {
			return nil, err
		}
	}
	return t.with(r, nv), nil
}

func (t *RemoveField) removes(name string) bool {
	for _, n := range t.names {
		if n == name {
			return true
		}
	}
	return false
}

func (t *RemoveField) handleMap(r *sluice.Record, v *sluice.Map) (*sluice.Record, error) {
	m := v.Clone()
	m.Hashed = true
	for _, n := range t.names {
		m.Remove(n)
	}
	return t.with(r, m), nil
}

func (t *RemoveField) handleString(r *sluice.Record, v string) (*sluice.Record, error) {
	n, err := parseJacksonTree(v)
	if err != nil {
		return nil, err
	}
	for _, ptr := range t.names {
		slash := strings.LastIndexByte(ptr, '/')
		if slash < 0 {
			return nil, sluice.NewJavaError("StringIndexOutOfBoundsException", "%q is not a JSON Pointer", ptr)
		}
		parent, name := ptr[:slash], ptr[slash+1:]
		if expr.JavaIsBlank(parent) {
			if n.kind != jnObject {
				return nil, sluice.NewJavaError("ClassCastException", "the JSON value is not an object")
			}
			n.remove(name)
			continue
		}
		p, ok := compileJSONPointer(parent)
		if !ok {
			return nil, sluice.NewJavaError("IllegalArgumentException", "%q is not a JSON Pointer", parent)
		}
		if pn := n.at(p); pn.kind == jnObject {
			pn.remove(name)
		}
	}
	return t.with(r, n.String()), nil
}

func (t *RemoveField) handleBytes(r *sluice.Record, v []byte) (*sluice.Record, error) {
	s := sluice.DecodeUTF8Java(v)
	sr := t.with(r, s)
	out, err := t.handleString(sr, s)
	if err != nil || out == nil {
		return sr, nil
	}
	return out, nil
}

// remove deletes an object member (ObjectNode.remove).
func (n *jnode) remove(name string) {
	if i := n.index(name); i >= 0 {
		n.keys = append(n.keys[:i], n.keys[i+1:]...)
		n.elems = append(n.elems[:i], n.elems[i+1:]...)
	}
}

// Close implements sluice.Transformation.
func (t *RemoveField) Close() error { return nil }
