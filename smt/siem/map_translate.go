package siem

import (
	"sluice.io/sluice"
	"sluice.io/sluice/expr"
)

// MapTranslate configuration keys.
const (
	MapsConfig        = "maps"
	FallbackKeyConfig = "fallbackKey"
	MapKeyConfig      = "key"
	MapValuesConfig   = "values"
)

const mapTranslateDoc = "Translates values through a lookup table: a value listed in maps.<alias>.values " +
	"becomes maps.<alias>.key (default: the alias; may hold ${...} expressions). Other values become " +
	"fallbackKey when set, else their text."

var mapTranslateKeys = []sluice.ConfigKey{
	{Name: MapsConfig, Type: sluice.TypeList, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Map aliases; a value listed by several takes the key of the last one."},
	{Name: FallbackKeyConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Output for values no map lists; may hold ${...} expressions."},
}

var (
	mapTranslateDef    = withApplyTo(mapTranslateKeys...)
	mapTranslateOwnDef = defineKeys(sluice.NewConfigDef(), mapTranslateKeys...)
	mapEntryDef        = sluice.NewConfigDef().
				Define(sluice.ConfigKey{Name: MapKeyConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
			Doc: "Output value; the alias when blank."}).
		Define(sluice.ConfigKey{Name: MapValuesConfig, Type: sluice.TypeList, Default: sluice.NoDefault, Importance: sluice.High,
			Doc: "Input values translated to the key."})
)

// MapTranslate is com.vrudenskyi.kafka.connect.transform.MapTranslate.
type MapTranslate struct {
	at       *applyTo
	table    map[string]*expr.Template
	fallback *expr.Template // nil when fallbackKey is unset
}

var _ sluice.Transformation = (*MapTranslate)(nil)

func init() {
	registerTransform("MapTranslate", mapTranslateDef, mapTranslateDoc, func() any { return &MapTranslate{} })
}

// Configure implements sluice.Transformation.
func (t *MapTranslate) Configure(cfg map[string]string) error {
	at, err := parseApplyTo(cfg)
	if err != nil {
		return err
	}
	c, err := mapTranslateOwnDef.Parse(cfg)
	if err != nil {
		return err
	}
	var fallback *expr.Template
	if f := c.StringOrNil(FallbackKeyConfig); f != nil {
		if fallback, err = expr.CompileTemplate(*f); err != nil {
			return err
		}
	}
	table := map[string]*expr.Template{}
	for _, alias := range c.List(MapsConfig) {
		e, err := mapEntryDef.Parse(sluice.WithPrefix(cfg, MapsConfig+"."+alias+"."))
		if err != nil {
			return &sluice.ConfigError{Msg: "Wrong config for alias: " + alias, Err: err}
		}
		key := alias
		if k := e.StringOrNil(MapKeyConfig); k != nil && !expr.JavaIsBlank(*k) {
			key = *k
		}
		tk, err := expr.CompileTemplate(key)
		if err != nil {
			return err
		}
		for _, v := range e.List(MapValuesConfig) {
			table[v] = tk
		}
	}
	t.at, t.table, t.fallback = at, table, fallback
	return nil
}

// Apply implements sluice.Transformation.
func (t *MapTranslate) Apply(r *sluice.Record) (*sluice.Record, error) {
	var ups []update
	var scratch [1]any
	for i := range t.at.targets {
		tg := &t.at.targets[i]
		cur, ok, err := t.at.values(tg, r, scratch[:0])
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		out := make([]any, len(cur))
		for j, v := range cur {
			if s, isStr := v.(string); isStr {
				if k, found := t.table[s]; found {
					if out[j], err = k.Eval(r); err != nil {
						return nil, err
					}
					continue
				}
			}
			switch {
			case t.fallback != nil:
				if out[j], err = t.fallback.Eval(r); err != nil {
					return nil, err
				}
			case v != nil:
				out[j] = sluice.JavaToString(v)
			}
		}
		ups = addUpdate(ups, tg, out)
	}
	return t.at.buildRecord(r, ups)
}

// Close implements sluice.Transformation.
func (t *MapTranslate) Close() error { return nil }
