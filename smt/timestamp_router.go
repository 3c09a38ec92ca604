package smt

import (
	"fmt"
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/jtime"
)

const timestampRouterClass = "org.apache.kafka.connect.transforms.TimestampRouter"

var timestampRouterDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: "topic.format", Type: sluice.TypeString, Default: "${topic}-${timestamp}",
		Importance: sluice.High,
		Doc:        "New topic name: ${topic} stands for the original topic and ${timestamp} for the formatted record timestamp."}).
	Define(sluice.ConfigKey{Name: "timestamp.format", Type: sluice.TypeString, Default: "yyyyMMdd",
		Importance: sluice.High, Doc: "java.text.SimpleDateFormat pattern for ${timestamp}, in UTC."})

func init() {
	register(timestampRouterClass, sluice.KindTransformation, timestampRouterDef,
		"Routes a record to a topic named from its original topic and its timestamp.",
		func() any { return &TimestampRouter{} })
}

// TimestampRouter renames the topic from the original topic and the record
// timestamp (Kafka's TimestampRouter).
type TimestampRouter struct {
	topicFormat string
	format      *jtime.Format
	formatErr   error // an invalid pattern fails on the first record, as in Java
}

var _ sluice.Transformation = (*TimestampRouter)(nil)

// Configure implements sluice.Transformation.
func (t *TimestampRouter) Configure(props map[string]string) error {
	cfg, err := timestampRouterDef.Parse(props)
	if err != nil {
		return err
	}
	t.topicFormat = cfg.String("topic.format")
	t.format, err = jtime.Compile(cfg.String("timestamp.format"))
	if err != nil {
		t.formatErr = &sluice.JavaError{Class: "IllegalArgumentException", Msg: err.Error()}
	}
	return nil
}

var _ sluice.InPlaceTransformation = (*TimestampRouter)(nil)

// Apply implements sluice.Transformation.
func (t *TimestampRouter) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := t.ApplyOwned(r, sluice.OwnNone)
	return out, err
}

// ApplyOwned implements sluice.InPlaceTransformation: an owned record gets
// its new topic in place.
func (t *TimestampRouter) ApplyOwned(r *sluice.Record, own sluice.Ownership) (*sluice.Record, sluice.Ownership, error) {
	if !r.HasTimestamp {
		return nil, own, sluice.NewDataError("Timestamp missing on record: %s", recordString(r))
	}
	if t.formatErr != nil {
		return nil, own, t.formatErr
	}
	var buf [64]byte
	ts := string(t.format.AppendFormat(buf[:0], r.Timestamp))
	topic := strings.ReplaceAll(t.topicFormat, "${topic}", r.Topic)
	topic = strings.ReplaceAll(topic, "${timestamp}", ts)
	c, own := r.Owned(own)
	c.Topic = topic
	return c, own, nil
}

// Close implements sluice.Transformation.
func (t *TimestampRouter) Close() error { return nil }

// recordString renders a source record roughly as Java's
// SourceRecord.toString does, for error messages.
func recordString(r *sluice.Record) string {
	var b strings.Builder
	b.WriteString("SourceRecord{sourcePartition=")
	b.WriteString(javaValueString(mapOrNil(r.SourcePartition)))
	b.WriteString(", sourceOffset=")
	b.WriteString(javaValueString(mapOrNil(r.SourceOffset)))
	b.WriteString("} ConnectRecord{topic='")
	b.WriteString(r.Topic)
	b.WriteString("', kafkaPartition=")
	b.WriteString(javaValueString(r.PartitionOrNil()))
	b.WriteString(", key=")
	b.WriteString(javaValueString(r.Key))
	b.WriteString(", keySchema=")
	b.WriteString(r.KeySchema.String())
	b.WriteString(", value=")
	b.WriteString(javaValueString(r.Value))
	b.WriteString(", valueSchema=")
	b.WriteString(r.ValueSchema.String())
	b.WriteString(", timestamp=")
	b.WriteString(javaValueString(r.TimestampOrNil()))
	b.WriteString(", headers=ConnectHeaders(headers=")
	for i, h := range r.Headers {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("ConnectHeader(key=" + h.Key + ", value=" + javaValueString(h.Value) + ", schema=" + h.Schema.String() + ")")
	}
	b.WriteString(")}")
	return b.String()
}

func mapOrNil(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

// javaValueString is a best-effort String.valueOf for messages.
func javaValueString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case float64:
		return sluice.FormatJavaDouble(x)
	case float32:
		return sluice.FormatJavaFloat(x)
	case *sluice.Map:
		var b strings.Builder
		b.WriteByte('{')
		for i, e := range x.Entries {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(javaValueString(e.Key) + "=" + javaValueString(e.Value))
		}
		b.WriteByte('}')
		return b.String()
	}
	return fmt.Sprint(v)
}
