package siem

import (
	"errors"
	"time"

	"sluice.io/sluice"
	"sluice.io/sluice/expr"
	"sluice.io/sluice/expr/jtime/dtf"
)

// TimestampConverter configuration keys.
const (
	tcSourceType     = "source.type"
	tcSourcePattern  = "source.pattern"
	tcSourceZone     = "source.zoneId"
	tcSourceDefault  = "source.default.ms"
	tcIgnoreParseErr = "source.ignore.parse.error"
	tcTargetType     = "target.type"
	tcTargetPattern  = "target.pattern"
	tcTargetZone     = "target.zoneId"
	tcTargetDefault  = "target.default.ms"
	tcTypeEpoch      = "epoch"
	tcDefaultPattern = "yyyy-MM-dd'T'HH:mm:ss.SSSX"
)

var timestampConverterDef = withApplyTo(
	sluice.ConfigKey{Name: tcSourceType, Type: sluice.TypeString, Default: "string", Importance: sluice.Medium,
		Doc: "Source timestamp format: `epoch` (milliseconds; case-sensitive) or anything else for text."},
	sluice.ConfigKey{Name: tcSourcePattern, Type: sluice.TypeString, Default: tcDefaultPattern, Importance: sluice.Medium,
		Doc: "java.time DateTimeFormatter pattern of text sources."},
	sluice.ConfigKey{Name: tcTargetType, Type: sluice.TypeString, Default: "string", Importance: sluice.Medium,
		Doc: "Target format: `epoch` (a Long of milliseconds) or anything else for text."},
	sluice.ConfigKey{Name: tcTargetPattern, Type: sluice.TypeString, Default: tcDefaultPattern, Importance: sluice.Medium,
		Doc: "java.time DateTimeFormatter pattern of text targets."},
	sluice.ConfigKey{Name: tcSourceDefault, Type: sluice.TypeLong, Default: int64(-1), Importance: sluice.Low,
		Doc: "Milliseconds used when the source is blank; negative means now."},
	sluice.ConfigKey{Name: tcTargetDefault, Type: sluice.TypeLong, Default: int64(-1), Importance: sluice.Low,
		Doc: "Milliseconds used when parsing fails and source.ignore.parse.error is set; negative means now."},
	sluice.ConfigKey{Name: tcSourceZone, Type: sluice.TypeString, Default: "UTC", Importance: sluice.Low,
		Doc: "Zone of source text without an offset or zone."},
	sluice.ConfigKey{Name: tcTargetZone, Type: sluice.TypeString, Default: "UTC", Importance: sluice.Low,
		Doc: "Zone the target text is shown in."},
	sluice.ConfigKey{Name: tcIgnoreParseErr, Type: sluice.TypeBoolean, Default: false, Importance: sluice.Low,
		Doc: "Use target.default.ms instead of failing when the source text cannot be parsed."},
)

// tcFallbacks are the patterns tried, in UTC, when the source pattern fails.
var tcFallbacks = func() []*dtf.Formatter {
	var out []*dtf.Formatter
	for _, p := range []string{"yyyy-MM-dd'T'HH:mm:ss.SSSz", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSz", "yyyy-MM-dd'T'HH:mm:ssz",
		"yyyy-MM-dd'T'HH:mm:ss.Sz", "yyyy-MM-dd'T'HH:mm:ss.SSz", "yyyy-MM-dd'T'HH:mm:ss.SSSSz",
		"yyyy-MM-dd'T'HH:mm:ss.SSSSSz", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSz"} {
		f, err := dtf.Compile(p)
		if err != nil {
			panic(err)
		}
		out = append(out, f.WithZone(dtf.UTC))
	}
	return out
}()

func init() {
	registerTransform("TimestampConverter", timestampConverterDef,
		"Converts timestamps between epoch milliseconds and java.time patterns, in the applyTo targets. "+
			"condition.if / .if_mode / .if_data (default: the value itself, expression-evaluated) make it conditional per value.",
		func() any { return &TimestampConverter{} })
}

// TimestampConverter is com.vrudenskyi.kafka.connect.transform.TimestampConverter.
type TimestampConverter struct {
	at             *applyTo
	sourceEpoch    bool
	targetEpoch    bool
	source, target *dtf.Formatter
	sourceDefault  int64
	targetDefault  int64
	ignoreParseErr bool
	cond           *Condition
	// Now returns the current time (defaults and blank values); nil means time.Now.
	Now func() time.Time
}

var _ sluice.Transformation = (*TimestampConverter)(nil)

// Configure implements sluice.Transformation.
func (t *TimestampConverter) Configure(cfg map[string]string) error {
	at, err := parseApplyTo(cfg)
	if err != nil {
		return err
	}
	c, err := timestampConverterDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.at = at
	t.sourceEpoch = c.String(tcSourceType) == tcTypeEpoch
	t.targetEpoch = c.String(tcTargetType) == tcTypeEpoch
	if t.source, err = tcFormatter(c.String(tcSourcePattern), c.String(tcSourceZone)); err != nil {
		return err
	}
	if t.target, err = tcFormatter(c.String(tcTargetPattern), c.String(tcTargetZone)); err != nil {
		return err
	}
	t.sourceDefault = c.Long(tcSourceDefault)
	t.targetDefault = c.Long(tcTargetDefault)
	t.ignoreParseErr = c.Bool(tcIgnoreParseErr)
	t.cond = nil
	if len(sluice.WithPrefix(cfg, ConditionConfigPrefix)) > 0 {
		if t.cond, err = ParseCondition(cfg, ConditionConfigPrefix); err != nil {
			return err
		}
	}
	return nil
}

func tcFormatter(pattern, zone string) (*dtf.Formatter, error) {
	f, err := dtf.Compile(pattern)
	if err != nil {
		return nil, sluice.NewJavaError("IllegalArgumentException", "%v", err)
	}
	z, err := dtf.Of(zone)
	if err != nil {
		var ze *dtf.ZoneError
		if errors.As(err, &ze) {
			return nil, sluice.NewJavaError(ze.Class, "%s", ze.Msg)
		}
		return nil, err
	}
	return f.WithZone(z), nil
}

// Apply implements sluice.Transformation.
func (t *TimestampConverter) Apply(r *sluice.Record) (*sluice.Record, error) {
	var ups []update
	var scratch [4]any
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
		transformed := false
		for j, v := range cur {
			pass := true
			if t.cond.Configured() {
				if pass, err = t.test(r, v); err != nil {
					return nil, err
				}
			}
			if !pass {
				out[j] = v
				continue
			}
			transformed = true
			if v != nil {
				if out[j], err = t.convert(v); err != nil {
					return nil, err
				}
			}
		}
		if transformed {
			ups = addUpdate(ups, tg, out)
		}
	}
	return t.at.buildRecord(r, ups)
}

// test evaluates the condition on one value: if_data, or the value's text,
// expression-evaluated.
func (t *TimestampConverter) test(r *sluice.Record, v any) (bool, error) {
	if v == nil {
		return false, sluice.NewJavaError("NullPointerException", "TimestampConverter: cannot test the condition on a null value")
	}
	var data string
	var err error
	if t.cond.HasData() {
		data, err = t.cond.Data(r, nil)
	} else {
		var tpl *expr.Template
		if tpl, err = expr.CompileTemplate(sluice.JavaToString(v)); err == nil {
			data, err = tpl.Eval(r)
		}
	}
	if err != nil {
		return false, err
	}
	return t.cond.TestWith(r, &data)
}

func (t *TimestampConverter) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// convert is transformTimestamp.
func (t *TimestampConverter) convert(v any) (any, error) {
	s := sluice.JavaToString(v)
	var ts time.Time
	switch {
	case expr.JavaIsBlank(s):
		ts = t.defaultTime(t.sourceDefault)
	case t.sourceEpoch:
		ms, err := sluice.ParseJavaInt(s, 64)
		if err != nil {
			return nil, sluice.NewJavaError("NumberFormatException", "For input string: \"%s\"", s)
		}
		ts = time.UnixMilli(ms)
	default:
		var err error
		if ts, err = t.source.Parse(s); err != nil {
			ok := false
			for _, f := range tcFallbacks {
				if x, e := f.Parse(s); e == nil {
					ts, ok = x, true
					break
				}
			}
			if !ok {
				if !t.ignoreParseErr {
					return nil, sluice.NewJavaError("DateTimeParseException", "%v", err)
				}
				ts = t.defaultTime(t.targetDefault)
			}
		}
	}
	if t.targetEpoch {
		return ts.UnixMilli(), nil
	}
	return t.target.Format(ts), nil
}

func (t *TimestampConverter) defaultTime(ms int64) time.Time {
	if ms < 0 {
		return t.now()
	}
	return time.UnixMilli(ms)
}

// Close implements sluice.Transformation.
func (t *TimestampConverter) Close() error { return nil }
