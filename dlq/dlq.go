// Package dlq implements Kafka Connect's error handling for pipelines:
// errors.tolerance, retries of retriable failures with Connect's backoff,
// error logging, and dead letter queue topics with __connect.errors.*
// context headers. Unlike Java Connect, which offers a dead letter queue to
// sink connectors only, Sluice offers it to source connectors too.
package dlq

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice"
	"sluice.io/sluice/rules"
)

// Stage is the pipeline step a failure happened in, named as Connect's
// Stage enum (the value of the __connect.errors.stage header).
type Stage string

// Stages.
const (
	StageKeyConverter    Stage = "KEY_CONVERTER"
	StageValueConverter  Stage = "VALUE_CONVERTER"
	StageHeaderConverter Stage = "HEADER_CONVERTER"
	StageTransformation  Stage = "TRANSFORMATION"
	StageTaskPoll        Stage = "TASK_POLL"
	StageKafkaProduce    Stage = "KAFKA_PRODUCE"
)

// Context header names.
const (
	HeaderPrefix              = "__connect.errors."
	HeaderTopic               = HeaderPrefix + "topic"
	HeaderPartition           = HeaderPrefix + "partition"
	HeaderOffset              = HeaderPrefix + "offset"
	HeaderConnectorName       = HeaderPrefix + "connector.name"
	HeaderTaskID              = HeaderPrefix + "task.id"
	HeaderStage               = HeaderPrefix + "stage"
	HeaderExecutingClass      = HeaderPrefix + "class.name"
	HeaderExceptionClass      = HeaderPrefix + "exception.class.name"
	HeaderExceptionMessage    = HeaderPrefix + "exception.message"
	HeaderExceptionStacktrace = HeaderPrefix + "exception.stacktrace"
)

// retryDelayMin is Connect's first retry delay.
const retryDelayMin = 300 * time.Millisecond

// Config is a connector's error handling configuration.
type Config struct {
	// RetryTimeout is the total retry time for retriable failures; 0
	// disables retries, a negative value retries without end.
	RetryTimeout time.Duration
	// RetryMaxDelay caps the exponential backoff.
	RetryMaxDelay time.Duration
	// TolerateAll is errors.tolerance=all.
	TolerateAll bool
	// LogEnable and LogIncludeMessages are errors.log.enable and
	// errors.log.include.messages.
	LogEnable, LogIncludeMessages bool
	// Topic is the dead letter queue topic; "" means none.
	Topic string
	// ReplicationFactor is used when the topic has to be created.
	ReplicationFactor int16
	// ContextHeaders adds the __connect.errors.* headers.
	ContextHeaders bool
}

// ConfigDef returns the errors.* keys, dead letter queue keys included, as
// Connect's sink connector configuration defines them.
func ConfigDef(reg *sluice.Registry) *sluice.ConfigDef {
	d := sluice.NewConfigDef()
	for _, k := range rules.SinkConnectorConfigDef(reg).Keys() {
		if strings.HasPrefix(k.Name, "errors.") {
			d.Define(*k)
		}
	}
	return d
}

// ParseConfig reads the errors.* keys of a connector configuration.
func ParseConfig(props map[string]string, reg *sluice.Registry) (Config, error) {
	c, err := ConfigDef(reg).Parse(props)
	if err != nil {
		return Config{}, err
	}
	cfg := Config{
		RetryTimeout:       time.Duration(c.Long(rules.ErrorsRetryTimeoutConfig)) * time.Millisecond,
		RetryMaxDelay:      time.Duration(c.Long(rules.ErrorsRetryMaxDelayConfig)) * time.Millisecond,
		TolerateAll:        c.String(rules.ErrorsToleranceConfig) == "all",
		LogEnable:          c.Bool(rules.ErrorsLogEnableConfig),
		LogIncludeMessages: c.Bool(rules.ErrorsLogIncludeMsgsConfig),
		Topic:              sluice.JavaTrim(c.String(rules.DLQTopicNameConfig)),
		ReplicationFactor:  c.Short(rules.DLQReplicationFactorConfig),
		ContextHeaders:     c.Bool(rules.DLQContextHeadersConfig),
	}
	if c.Long(rules.ErrorsRetryTimeoutConfig) < 0 {
		cfg.RetryTimeout = -1
	}
	return cfg, nil
}

// Handler applies one task's error handling configuration.
type Handler struct {
	cfg       Config
	connector string
	task      int
	log       *slog.Logger
	client    *kgo.Client // dead letter queue producer; nil without a topic

	mu  sync.Mutex
	rnd *rand.Rand
}

// NewHandler returns the error handler of task number task of a
// connector. client produces to the dead letter queue and is required when
// cfg.Topic is set; the handler does not close it.
func NewHandler(cfg Config, connector string, task int, client *kgo.Client, logger *slog.Logger) *Handler {
	if logger == nil {
		logger = slog.Default()
	}
	return &Handler{cfg: cfg, connector: connector, task: task, client: client, log: logger,
		rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(task)))}
}

// Config returns the handler's configuration.
func (h *Handler) Config() Config { return h.cfg }

// EnsureTopic creates the dead letter queue topic when it does not exist:
// one partition, the configured replication factor capped (with a warning)
// at the number of brokers. A concurrent creation is fine.
func (h *Handler) EnsureTopic(ctx context.Context, adm *kadm.Client) error {
	if h.cfg.Topic == "" {
		return nil
	}
	topics, err := adm.ListTopics(ctx, h.cfg.Topic)
	if err == nil && topics.Has(h.cfg.Topic) && topics[h.cfg.Topic].Err == nil {
		return nil
	}
	rf := h.cfg.ReplicationFactor
	if brokers, err := adm.ListBrokers(ctx); err == nil && len(brokers) > 0 && int(rf) > len(brokers) {
		h.log.Warn("dead letter queue replication factor exceeds the number of brokers; using the broker count",
			"connector", h.connector, "topic", h.cfg.Topic, "replication.factor", rf, "brokers", len(brokers))
		rf = int16(len(brokers))
	}
	resp, err := adm.CreateTopics(ctx, 1, rf, nil, h.cfg.Topic)
	if err != nil {
		return fmt.Errorf("creating dead letter queue topic %s: %w", h.cfg.Topic, err)
	}
	for _, r := range resp.Sorted() {
		if r.Err != nil && !errors.Is(r.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("creating dead letter queue topic %s: %w", h.cfg.Topic, r.Err)
		}
	}
	return nil
}

// Retry runs op again while it fails with a retriable error and the retry
// deadline allows: Connect's backoff of 300 ms·2^(n−1) before retry n,
// replaced by a uniformly random delay below errors.retry.delay.max.ms once
// it exceeds that, never sleeping past the deadline. err is op's first
// failure; Retry returns the last one (nil on success).
func (h *Handler) Retry(ctx context.Context, err error, op func() error) error {
	var re *sluice.RetriableError
	if err == nil || !errors.As(err, &re) || h.cfg.RetryTimeout == 0 {
		return err
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		if !errors.As(err, &re) {
			return err
		}
		now := time.Now()
		if h.cfg.RetryTimeout > 0 && !now.Before(start.Add(h.cfg.RetryTimeout)) || ctx.Err() != nil {
			return err
		}
		delay := retryDelayMin << (attempt - 1)
		if attempt > 40 || delay > h.cfg.RetryMaxDelay || delay <= 0 {
			delay = 0
			if h.cfg.RetryMaxDelay > 0 {
				h.mu.Lock()
				delay = time.Duration(h.rnd.Int64N(int64(h.cfg.RetryMaxDelay)))
				h.mu.Unlock()
			}
		}
		if h.cfg.RetryTimeout > 0 {
			if left := start.Add(h.cfg.RetryTimeout).Sub(now); delay > left {
				delay = max(0, left)
			}
		}
		h.log.Debug("retrying after a retriable error", "connector", h.connector, "task", h.task,
			"attempt", attempt, "delay", delay, "error", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		if err = op(); err == nil {
			return nil
		}
	}
}

// Failure describes a record that failed at one stage.
type Failure struct {
	Stage Stage
	// Class is the Java binary name of the class that was executing (the
	// transformation, predicate or converter).
	Class string
	Err   error
	// Record is the record as the source task returned it.
	Record *sluice.Record
	// Original is the record to write to the dead letter queue (key, value,
	// headers and timestamp of the original record); its Topic is replaced.
	Original *kgo.Record
}

// ToleranceError is the error that stops a task when a failure is not
// tolerated.
type ToleranceError struct {
	Connector string
	Task      int
	Stage     Stage
	Class     string
	Err       error
}

// Error implements error.
func (e *ToleranceError) Error() string {
	return fmt.Sprintf("Tolerance exceeded in error handler: connector %s task %d, stage %s, class %s: %v",
		e.Connector, e.Task, e.Stage, e.Class, e.Err)
}

// Unwrap returns the cause.
func (e *ToleranceError) Unwrap() error { return e.Err }

// tolerable reports whether a failure at stage may be tolerated.
func tolerable(stage Stage, err error) bool {
	switch stage {
	case StageTransformation, StageKeyConverter, StageValueConverter, StageHeaderConverter, StageKafkaProduce:
		return true
	}
	var re *sluice.RetriableError
	return errors.As(err, &re)
}

// Fail reports a failed record to the error reporters (log, dead letter
// queue) and decides its fate: nil means the record is skipped and the
// pipeline goes on; a *ToleranceError means the task must stop. done, when
// not nil, is called once the dead letter queue has taken the record (or
// refused it), or right away when there is nothing to write; its argument
// tells whether a dead letter queue write succeeded (false when none was
// attempted).
func (h *Handler) Fail(f *Failure, done func(written bool)) error {
	h.report(f, done)
	if h.Tolerates(f.Stage, f.Err) {
		return nil
	}
	return &ToleranceError{Connector: h.connector, Task: h.task, Stage: f.Stage, Class: f.Class, Err: f.Err}
}

// Tolerates reports whether a failure at stage is skipped rather than
// stopping the task.
func (h *Handler) Tolerates(stage Stage, err error) bool {
	return h.cfg.TolerateAll && tolerable(stage, err)
}

func (h *Handler) report(f *Failure, done func(bool)) {
	if h.cfg.LogEnable {
		msg := fmt.Sprintf("Error encountered in task %s-%d. Executing stage '%s' with class '%s'", h.connector, h.task, f.Stage, f.Class)
		if h.cfg.LogIncludeMessages && f.Record != nil {
			msg += ", where source record is = " + RecordString(f.Record)
		}
		h.log.Error(msg+".", "error", f.Err)
	}
	if h.cfg.Topic == "" || h.client == nil || f.Original == nil {
		if done != nil {
			done(false)
		}
		return
	}
	rec := h.dlqRecord(f)
	h.client.Produce(context.Background(), rec, func(_ *kgo.Record, err error) {
		if err != nil {
			h.log.Error("could not write a failed record to the dead letter queue", "connector", h.connector,
				"task", h.task, "topic", h.cfg.Topic, "error", err)
		}
		if done != nil {
			done(err == nil)
		}
	})
}

// dlqRecord builds the dead letter queue record of a failure.
func (h *Handler) dlqRecord(f *Failure) *kgo.Record {
	o := f.Original
	rec := &kgo.Record{Topic: h.cfg.Topic, Key: o.Key, Value: o.Value, Timestamp: o.Timestamp, Partition: -1}
	rec.Headers = append(make([]kgo.RecordHeader, 0, len(o.Headers)+10), o.Headers...)
	if h.cfg.ContextHeaders {
		rec.Headers = append(rec.Headers, ContextHeaders(f, h.connector, h.task)...)
	}
	return rec
}

// ContextHeaders returns the __connect.errors.* headers describing a
// failure. A source record has no Kafka offset, so the offset header is
// left out; the partition header is written when the record names one.
func ContextHeaders(f *Failure, connector string, task int) []kgo.RecordHeader {
	hs := make([]kgo.RecordHeader, 0, 10)
	add := func(k string, v []byte) { hs = append(hs, kgo.RecordHeader{Key: k, Value: v}) }
	if f.Record != nil {
		add(HeaderTopic, []byte(f.Record.Topic))
		if f.Record.HasPartition {
			add(HeaderPartition, []byte(strconv.Itoa(int(f.Record.Partition))))
		}
		if f.Record.IsSinkRecord {
			add(HeaderOffset, []byte(strconv.FormatInt(f.Record.KafkaOffset, 10)))
		}
	}
	add(HeaderConnectorName, []byte(connector))
	add(HeaderTaskID, []byte(strconv.Itoa(task)))
	add(HeaderStage, []byte(f.Stage))
	add(HeaderExecutingClass, []byte(f.Class))
	class, msg, hasMsg := Exception(f.Err)
	add(HeaderExceptionClass, []byte(class))
	if hasMsg {
		add(HeaderExceptionMessage, []byte(msg))
	} else {
		add(HeaderExceptionMessage, nil)
	}
	trace := class
	if hasMsg {
		trace += ": " + msg
	}
	add(HeaderExceptionStacktrace, []byte(trace+"\n"))
	return hs
}

// javaPackages maps simple exception class names to their packages.
var javaPackages = map[string]string{
	"ConfigException":                 "org.apache.kafka.common.config",
	"DataException":                   "org.apache.kafka.connect.errors",
	"RetriableException":              "org.apache.kafka.connect.errors",
	"ConnectException":                "org.apache.kafka.connect.errors",
	"SchemaProjectorException":        "org.apache.kafka.connect.errors",
	"SchemaBuilderException":          "org.apache.kafka.connect.errors",
	"SerializationException":          "org.apache.kafka.common.errors",
	"NullPointerException":            "java.lang",
	"IllegalArgumentException":        "java.lang",
	"IllegalStateException":           "java.lang",
	"ClassCastException":              "java.lang",
	"NumberFormatException":           "java.lang",
	"ArithmeticException":             "java.lang",
	"UnsupportedOperationException":   "java.lang",
	"IndexOutOfBoundsException":       "java.lang",
	"ArrayIndexOutOfBoundsException":  "java.lang",
	"StringIndexOutOfBoundsException": "java.lang",
	"RuntimeException":                "java.lang",
	"DateTimeException":               "java.time",
	"DateTimeParseException":          "java.time.format",
	"PatternSyntaxException":          "java.util.regex",
}

// Exception returns the Java exception class (fully qualified) and message
// of an error: the outermost typed Sluice error in its chain (ChainError
// and other wrappers are seen through), as Java reports the original
// exception rather than Connect's wrapper.
func Exception(err error) (class, msg string, hasMsg bool) {
	simple := sluice.ErrorClass(err)
	class = simple
	if strings.IndexByte(simple, '.') < 0 {
		if pkg, ok := javaPackages[simple]; ok {
			class = pkg + "." + simple
		}
	}
	var inner error
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e.(type) {
		case *sluice.ConfigError, *sluice.DataError, *sluice.RetriableError, *sluice.JavaError:
			inner = e
		}
		if inner != nil {
			break
		}
	}
	if inner == nil {
		inner = err
		var ce *rules.ChainError
		if errors.As(err, &ce) && ce.Err != nil {
			inner = ce.Err
		}
	}
	if inner == nil {
		return class, "", false
	}
	return class, inner.Error(), true
}

// RecordString renders a source record the way Java's SourceRecord
// toString does, for logs.
func RecordString(r *sluice.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "SourceRecord{sourcePartition=%s, sourceOffset=%s} ConnectRecord{topic='%s', kafkaPartition=%s, key=%s, keySchema=%s, value=%s, valueSchema=%s, timestamp=%s, headers=ConnectHeaders(headers=",
		mapString(r.SourcePartition), mapString(r.SourceOffset), r.Topic,
		javaStr(r.PartitionOrNil()), javaStr(r.Key), schemaString(r.KeySchema), javaStr(r.Value), schemaString(r.ValueSchema),
		javaStr(r.TimestampOrNil()))
	for i, h := range r.Headers {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "ConnectHeader(key=%s, value=%s, schema=%s)", h.Key, javaStr(h.Value), schemaString(h.Schema))
	}
	b.WriteString(")}")
	return b.String()
}

func javaStr(v any) string {
	if v == nil {
		return "null"
	}
	return sluice.JavaToString(v)
}

func mapString(m map[string]any) string {
	if m == nil {
		return "null"
	}
	jm := sluice.NewMap(len(m), true)
	for k, v := range m {
		jm.Put(k, v)
	}
	return sluice.JavaToString(jm)
}

func schemaString(s *sluice.Schema) string {
	if s == nil {
		return "null"
	}
	if s.Name != "" {
		return "Schema{" + s.Name + ":" + s.Type.String() + "}"
	}
	return "Schema{" + s.Type.String() + "}"
}
