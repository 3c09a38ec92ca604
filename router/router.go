// Package router runs source tasks: it polls a task, runs each record
// through the transformation chain and the header, key and value
// converters, and produces it to Kafka with franz-go. Production is
// asynchronous with bounded in-flight records (when Kafka is slow the loop
// stops polling); a record's source offset is committed only after Kafka
// acknowledged it and every earlier record of its source partition.
//
// A task's records go through two goroutines in turn, in order: the
// polling one runs the transformation chain, the second converts and
// produces. Each stage uses its plugins from one goroutine only, as a
// Java task does, and the two overlap on different records.
package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice"
	"sluice.io/sluice/dlq"
	"sluice.io/sluice/metrics"
	"sluice.io/sluice/rules"
)

// OffsetSink receives the source offsets of acknowledged records.
type OffsetSink interface {
	Put(connector string, partition, offset map[string]any) error
}

// DefaultMaxInFlight bounds the records produced and not yet acknowledged.
const DefaultMaxInFlight = 10000

// producerClass is the executing class reported for produce failures.
const producerClass = "org.apache.kafka.clients.producer.KafkaProducer"

// Config describes one source task to run.
type Config struct {
	Connector string
	TaskID    int
	Task      sluice.SourceTask
	// Chain is the compiled transformation chain; nil means none.
	Chain *rules.Chain
	// Converters and their Java class names (reported on failures).
	KeyConverter                                                 sluice.Converter
	ValueConverter                                               sluice.Converter
	HeaderConverter                                              sluice.HeaderConverter
	KeyConverterClass, ValueConverterClass, HeaderConverterClass string
	// Producer produces the records; the runner does not close it.
	Producer *kgo.Client
	// Errors applies errors.*; nil means tolerance none without logging.
	Errors *dlq.Handler
	// DLQProducer is flushed with Producer when the task stops (optional).
	DLQProducer *kgo.Client
	// Auth watches the broker connections of Producer (and DLQProducer)
	// when installed on them with its Opt (optional). An authentication
	// or authorization failure it records fails the task at once: records
	// not yet acknowledged are left unacknowledged, their offsets
	// uncommitted.
	Auth *AuthWatch
	// Offsets receives committed source offsets (optional).
	Offsets OffsetSink
	// Metrics counts records (optional).
	Metrics *metrics.Connector
	// MaxInFlight bounds unacknowledged records (DefaultMaxInFlight if 0).
	MaxInFlight int
	// DrainTimeout bounds the wait for in-flight records when stopping;
	// 0 waits until every one is acknowledged.
	DrainTimeout time.Duration
	Logger       *slog.Logger
}

// Runner runs one source task.
type Runner struct {
	cfg   Config
	log   *slog.Logger
	m     *metrics.Connector
	errs  *dlq.Handler
	slots chan struct{}
	wg    sync.WaitGroup

	promise func(*kgo.Record, error)

	// Used by the polling goroutine only: header slots are cut from a
	// shared block, and the last conversion of each header position is
	// remembered per topic (records of one source mostly repeat their
	// headers).
	hslab  []kgo.RecordHeader
	pslab  []pending // used by the polling goroutine only
	hcache []topicMemos
	hnext  int

	// Hand-off between the polling (transforming) goroutine and the
	// producing one: batches of transformed records, in order, and the
	// emptied batches coming back for reuse.
	stage    []staged
	handoff  chan []staged
	recycled chan []staged
	// failed is set with fatal; halted when the records handed over but
	// not produced yet must not be produced any more (a produce or
	// conversion failure that stops the task). A failure in the chain
	// leaves halted unset: the records transformed before it are produced.
	failed atomic.Bool
	halted atomic.Bool

	mu          sync.Mutex
	parts       map[string]*partState
	lastMap     unsafe.Pointer
	lastPart    *partState
	committable []*sluice.Record
	fatal       error
	commitCh    chan struct{}
	cancelPoll  context.CancelFunc
	// abort is closed when the producer cannot authenticate or is not
	// authorized: nothing in flight will be acknowledged any more.
	abort     chan struct{}
	abortOnce sync.Once
}

// staged is a transformed record waiting to be converted and produced.
type staged struct {
	p   *pending
	rec *sluice.Record
}

// Hand-off bounds: records per batch and batches in flight between the
// two stages.
const (
	stageBatch  = 256
	stageQueued = 8
)

// pending is one submitted record. Its kgo.Record comes first so that the
// producer's promise can find the pending record without an allocation.
type pending struct {
	kr    kgo.Record
	rec   *sluice.Record
	part  *partState
	start time.Time
	done  bool
}

// partState tracks the submitted records of one source partition.
type partState struct {
	partition map[string]any
	queue     []*pending
	head      int
	offset    map[string]any
	dirty     bool
}

// New returns a runner for cfg.
func New(cfg Config) (*Runner, error) {
	if cfg.Task == nil || cfg.Producer == nil || cfg.KeyConverter == nil || cfg.ValueConverter == nil || cfg.HeaderConverter == nil {
		return nil, errors.New("router: task, producer and converters are required")
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	r := &Runner{cfg: cfg, log: cfg.Logger, m: cfg.Metrics, errs: cfg.Errors,
		slots: make(chan struct{}, cfg.MaxInFlight), parts: map[string]*partState{},
		commitCh: make(chan struct{}, 1), abort: make(chan struct{})}
	if r.m == nil {
		var aliases []string
		if cfg.Chain != nil {
			for _, s := range cfg.Chain.Stages() {
				aliases = append(aliases, s.Alias)
			}
		}
		r.m = metrics.New().Connector(cfg.Connector, aliases)
	}
	if r.errs == nil {
		r.errs = dlq.NewHandler(dlq.Config{}, cfg.Connector, cfg.TaskID, nil, cfg.Logger)
	}
	r.promise = r.onAck
	return r, nil
}

// Run polls the task until ctx ends or the task fails, then stops the
// task; after a clean stop it polls once more for the records the stopped
// task still holds, until a poll returns none. It then waits until every
// record returned by Poll is acknowledged (or skipped) and commits their
// offsets. It returns nil after
// a clean stop and the task's failure otherwise.
func (r *Runner) Run(ctx context.Context) error {
	pollCtx, cancel := context.WithCancel(ctx)
	r.mu.Lock()
	r.cancelPoll = cancel
	r.mu.Unlock()
	defer cancel()
	commitDone := make(chan struct{})
	commitStop := make(chan struct{})
	go r.committer(commitStop, commitDone)
	if w := r.cfg.Auth; w != nil {
		watchStop := make(chan struct{})
		defer close(watchStop)
		go func() {
			select {
			case <-w.Done():
				r.failAuth(w.Err())
			case <-watchStop:
			}
		}()
	}

	r.handoff = make(chan []staged, stageQueued)
	r.recycled = make(chan []staged, stageQueued+2)
	produced := make(chan struct{})
	go r.producer(produced)

	runErr := r.loop(pollCtx)
	cancel()
	stopErr := r.cfg.Task.Stop()
	if stopErr != nil {
		r.log.Warn("stopping task", "connector", r.cfg.Connector, "task", r.cfg.TaskID, "error", stopErr)
	}
	if runErr == nil && r.fatalErr() == nil {
		runErr = r.finalPolls(pollCtx)
	}
	r.flush()
	close(r.handoff)
	<-produced
	drainErr := r.drain()
	close(commitStop)
	<-commitDone
	r.commit(context.Background())
	if runErr == nil {
		runErr = r.fatalErr()
	}
	if runErr == nil {
		runErr = drainErr
	}
	return runErr
}

// finalPollBudget bounds the polls made after a clean stop.
const finalPollBudget = 30 * time.Second

// finalPolls hands on the records a stopped task still holds: a push
// source keeps what it received before Stop and returns it from Poll
// afterwards. It polls (with ctx, already ended) until a poll returns
// nothing, fails or the budget is spent.
func (r *Runner) finalPolls(ctx context.Context) error {
	deadline := time.Now().Add(finalPollBudget)
	for time.Now().Before(deadline) {
		recs, err := r.cfg.Task.Poll(ctx)
		r.m.Received(len(recs))
		n := 0
		for _, rec := range recs {
			if rec == nil {
				continue
			}
			n++
			if r.fatalErr() != nil {
				return nil
			}
			if perr := r.process(rec); perr != nil {
				r.setFatal(perr)
				return perr
			}
		}
		r.flush()
		if n == 0 || err != nil {
			return nil
		}
	}
	r.log.Warn("the stopped task still returns records; leaving the rest", "connector", r.cfg.Connector,
		"task", r.cfg.TaskID, "budget", finalPollBudget)
	return nil
}

// failAuth fails the task for an authentication or authorization failure
// of the producer. Retrying cannot fix it, so the task stops without
// waiting for the records in flight; they stay unacknowledged.
func (r *Runner) failAuth(err error) {
	r.log.Error("task stopped: the producer cannot authenticate or is not authorized", "connector", r.cfg.Connector,
		"task", r.cfg.TaskID, "error", err)
	r.setFatal(fmt.Errorf("task %s-%d failed: Kafka refused the producer: %w", r.cfg.Connector, r.cfg.TaskID, err))
	r.abortOnce.Do(func() { close(r.abort) })
}

// aborted reports whether failAuth was called.
func (r *Runner) aborted() bool {
	select {
	case <-r.abort:
		return true
	default:
		return false
	}
}

func (r *Runner) fatalErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal
}

func (r *Runner) setFatal(err error) {
	r.mu.Lock()
	if r.fatal == nil {
		r.fatal = err
		r.failed.Store(true)
	}
	cancel := r.cancelPoll
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

func (r *Runner) loop(ctx context.Context) error {
	for {
		if ctx.Err() != nil {
			return nil
		}
		if err := r.fatalErr(); err != nil {
			return err
		}
		recs, err := r.cfg.Task.Poll(ctx)
		r.m.Received(len(recs))
		for i, rec := range recs {
			if rec == nil {
				continue
			}
			if r.failed.Load() {
				ferr := r.fatalErr()
				r.log.Warn("dropping polled records after a task failure", "connector", r.cfg.Connector,
					"task", r.cfg.TaskID, "records", len(recs)-i)
				return ferr
			}
			if perr := r.process(rec); perr != nil {
				r.setFatal(perr)
				return perr
			}
		}
		r.flush()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("task %s-%d failed in poll: %w", r.cfg.Connector, r.cfg.TaskID, err)
		}
	}
}

// process registers one record and runs it through the transformation
// chain; the result is queued for the producing goroutine (see flush). It
// returns a non-nil error when the task must stop.
func (r *Runner) process(orig *sluice.Record) error {
	p := r.submit(orig)
	if p == nil {
		return r.fatalErr()
	}
	rec := orig
	if c := r.cfg.Chain; c != nil && c.Len() > 0 {
		out, idx, err := c.ApplyDetail(orig)
		if err != nil {
			err = r.errs.Retry(context.Background(), err, func() error {
				var e error
				out, idx, e = c.ApplyDetail(orig)
				return e
			})
		}
		if err != nil {
			st := c.Stages()[idx]
			class := st.Class
			var ce *rules.ChainError
			if errors.As(err, &ce) && ce.PredicateClass != "" && ce.Alias != "" && ce.Err != nil && ce.PredicateAlias != "" {
				class = ce.PredicateClass
			}
			r.m.Failed(idx)
			return r.fail(p, dlq.StageTransformation, class, err)
		}
		if out == nil {
			r.m.Filtered(idx)
			r.complete(p)
			return nil
		}
		rec = out
	}
	r.stage = append(r.stage, staged{p: p, rec: rec})
	if len(r.stage) >= stageBatch {
		r.flush()
	}
	return nil
}

// flush hands the queued transformed records to the producing goroutine.
func (r *Runner) flush() {
	if len(r.stage) == 0 {
		return
	}
	r.handoff <- r.stage
	select {
	case b := <-r.recycled:
		r.stage = b
	default:
		r.stage = make([]staged, 0, stageBatch)
	}
}

// producer converts and produces the transformed records handed over by
// the polling goroutine, in order, until the hand-off is closed. After a
// failure that stops the task, the records still handed over are released
// unproduced (their offsets are never committed).
func (r *Runner) producer(done chan<- struct{}) {
	defer close(done)
	for batch := range r.handoff {
		var now time.Time
		for i := range batch {
			s := &batch[i]
			if i%clockEvery == 0 {
				now = time.Now()
			}
			if r.halted.Load() || r.aborted() {
				r.abandon(s.p)
			} else if err := r.produce(s.p, s.rec, now); err != nil {
				r.halted.Store(true)
				r.setFatal(err)
			}
			*s = staged{}
		}
		select {
		case r.recycled <- batch[:0]:
		default:
		}
	}
}

// clockEvery is how many records the producing goroutine stamps with one
// reading of the clock.
const clockEvery = 16

// produce converts a transformed record's headers, key and value and
// hands it to the producer. now is the current time (read at most
// clockEvery records ago): a record without a timestamp gets it, as Java's
// producer stamps such records when they are sent. It returns a non-nil
// error when the task must stop.
func (r *Runner) produce(p *pending, rec *sluice.Record, now time.Time) error {
	kr := &p.kr
	kr.Topic = rec.Topic
	kr.Partition = -1
	if rec.HasPartition {
		kr.Partition = rec.Partition
	}
	if rec.HasTimestamp {
		kr.Timestamp = time.UnixMilli(rec.Timestamp)
	} else {
		kr.Timestamp = now
	}
	if n := len(rec.Headers); n > 0 {
		kr.Headers = r.headerSlots(n)
		tm := r.memosFor(rec.Topic)
		for i := range rec.Headers {
			h := &rec.Headers[i]
			if b, ok := tm.get(i, h); ok {
				kr.Headers[i] = kgo.RecordHeader{Key: h.Key, Value: b}
				continue
			}
			b, err := r.cfg.HeaderConverter.FromConnectHeader(rec.Topic, h.Key, h.Schema, h.Value)
			if err == nil {
				tm.put(i, h, b)
			}
			if err != nil {
				err = r.errs.Retry(context.Background(), err, func() error {
					var e error
					b, e = r.cfg.HeaderConverter.FromConnectHeader(rec.Topic, h.Key, h.Schema, h.Value)
					return e
				})
			}
			if err != nil {
				r.m.Failed(-1)
				return r.fail(p, dlq.StageHeaderConverter, r.cfg.HeaderConverterClass, err)
			}
			kr.Headers[i] = kgo.RecordHeader{Key: h.Key, Value: b}
		}
	}
	var err error
	kr.Key, err = r.convert(r.cfg.KeyConverter, rec, rec.KeySchema, rec.Key)
	if err != nil {
		r.m.Failed(-1)
		return r.fail(p, dlq.StageKeyConverter, r.cfg.KeyConverterClass, err)
	}
	kr.Value, err = r.convert(r.cfg.ValueConverter, rec, rec.ValueSchema, rec.Value)
	if err != nil {
		r.m.Failed(-1)
		return r.fail(p, dlq.StageValueConverter, r.cfg.ValueConverterClass, err)
	}
	p.start = now
	r.cfg.Producer.Produce(context.Background(), kr, r.promise)
	return nil
}

func (r *Runner) convert(c sluice.Converter, rec *sluice.Record, s *sluice.Schema, v any) ([]byte, error) {
	b, err := c.FromConnect(rec.Topic, rec.Headers, s, v)
	if err != nil {
		err = r.errs.Retry(context.Background(), err, func() error {
			var e error
			b, e = c.FromConnect(rec.Topic, rec.Headers, s, v)
			return e
		})
	}
	return b, err
}

// headerMemo is the converted form of one header.
type headerMemo struct {
	key    string
	schema *sluice.Schema
	value  any // nil or a comparable scalar (see sameScalar)
	bytes  []byte
}

// topicMemos holds the header conversions last made for one topic, by
// header position.
type topicMemos struct {
	topic string
	memos []headerMemo
}

// Bounds of the header memo: topics remembered, positions per topic, and
// how many header slots are allocated at once.
const (
	memoTopics     = 8
	memoPositions  = 64
	headerSlabSize = 4096
	// pendingSlabSize is how many pending records are allocated at once.
	pendingSlabSize = 64
)

// headerSlots returns n header slots for one record.
func (r *Runner) headerSlots(n int) []kgo.RecordHeader {
	if n > len(r.hslab) {
		if n > headerSlabSize/4 {
			return make([]kgo.RecordHeader, n)
		}
		r.hslab = make([]kgo.RecordHeader, headerSlabSize)
	}
	hs := r.hslab[:n:n]
	r.hslab = r.hslab[n:]
	return hs
}

// memosFor returns the memo of topic, making room for it when it is new
// (replacing the topics remembered in turn).
func (r *Runner) memosFor(topic string) *topicMemos {
	for i := range r.hcache {
		if r.hcache[i].topic == topic {
			return &r.hcache[i]
		}
	}
	if len(r.hcache) < memoTopics {
		r.hcache = append(r.hcache, topicMemos{topic: topic})
		return &r.hcache[len(r.hcache)-1]
	}
	tm := &r.hcache[r.hnext]
	r.hnext = (r.hnext + 1) % memoTopics
	tm.topic = topic
	clear(tm.memos)
	tm.memos = tm.memos[:0]
	return tm
}

// get returns the bytes the header at position i converted to last time
// when the key, schema and (scalar) value are the same. The bytes are
// shared between records; nothing writes to them.
func (tm *topicMemos) get(i int, h *sluice.Header) ([]byte, bool) {
	if i >= len(tm.memos) {
		return nil, false
	}
	m := &tm.memos[i]
	if m.schema != h.Schema || m.key != h.Key || !sameScalar(m.value, h.Value) {
		return nil, false
	}
	return m.bytes, true
}

// put remembers a header's conversion when its value is a scalar.
func (tm *topicMemos) put(i int, h *sluice.Header, b []byte) {
	if i >= memoPositions || !scalar(h.Value) {
		return
	}
	for len(tm.memos) <= i {
		tm.memos = append(tm.memos, headerMemo{})
	}
	tm.memos[i] = headerMemo{key: h.Key, schema: h.Schema, value: h.Value, bytes: b}
}

// scalar reports whether v is nil or a value of a comparable scalar type.
func scalar(v any) bool {
	switch v.(type) {
	case nil, string, bool, int8, int16, int32, int64:
		return true
	}
	return false
}

// sameScalar reports whether a (a scalar, see scalar) and b are equal
// values of the same type.
func sameScalar(a, b any) bool {
	switch x := b.(type) {
	case nil:
		return a == nil
	case string:
		y, ok := a.(string)
		return ok && x == y
	case int32:
		y, ok := a.(int32)
		return ok && x == y
	case int64:
		y, ok := a.(int64)
		return ok && x == y
	case bool:
		y, ok := a.(bool)
		return ok && x == y
	case int8:
		y, ok := a.(int8)
		return ok && x == y
	case int16:
		y, ok := a.(int16)
		return ok && x == y
	}
	return false
}

// fail hands a failed record to the error handler. A tolerated failure
// completes the record once the dead letter queue has it; otherwise the
// record is abandoned (its offset never committed) and the error returned.
func (r *Runner) fail(p *pending, stage dlq.Stage, class string, err error) error {
	f := &dlq.Failure{Stage: stage, Class: class, Err: err, Record: p.rec, Original: r.original(p.rec)}
	tolerated := r.errs.Tolerates(stage, err)
	ferr := r.errs.Fail(f, func(written bool) {
		if written {
			r.m.DLQ(true)
		} else if r.errs.Config().Topic != "" {
			r.m.DLQ(false)
		}
		if tolerated {
			r.complete(p)
		} else {
			r.abandon(p)
		}
	})
	if ferr != nil {
		r.log.Error("task stopped: error not tolerated", "connector", r.cfg.Connector, "task", r.cfg.TaskID,
			"stage", string(stage), "class", class, "error", err)
	}
	return ferr
}

// original serializes the record as the source returned it, for the dead
// letter queue: with the connector's converters where they accept it,
// otherwise as raw bytes (byte arrays as given, strings as UTF-8).
func (r *Runner) original(rec *sluice.Record) *kgo.Record {
	o := &kgo.Record{Topic: rec.Topic, Partition: -1}
	if rec.HasTimestamp {
		o.Timestamp = time.UnixMilli(rec.Timestamp)
	}
	o.Key = rawOrConverted(r.cfg.KeyConverter, rec, rec.KeySchema, rec.Key)
	o.Value = rawOrConverted(r.cfg.ValueConverter, rec, rec.ValueSchema, rec.Value)
	for _, h := range rec.Headers {
		b, err := r.cfg.HeaderConverter.FromConnectHeader(rec.Topic, h.Key, h.Schema, h.Value)
		if err != nil {
			b = rawBytes(h.Value)
		}
		o.Headers = append(o.Headers, kgo.RecordHeader{Key: h.Key, Value: b})
	}
	return o
}

func rawOrConverted(c sluice.Converter, rec *sluice.Record, s *sluice.Schema, v any) []byte {
	if b, ok := v.([]byte); ok {
		return b
	}
	if b, err := c.FromConnect(rec.Topic, rec.Headers, s, v); err == nil {
		return b
	}
	return rawBytes(v)
}

func rawBytes(v any) []byte {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return []byte(sluice.JavaToString(v))
}

// submit registers a record before processing: it waits for an in-flight
// slot (back-pressure) and queues the record behind the earlier records
// of its source partition. It returns nil when the task was aborted
// while waiting.
func (r *Runner) submit(rec *sluice.Record) *pending {
	select {
	case r.slots <- struct{}{}:
	default:
		// The slots may be held by records still queued here: hand
		// them over before waiting for one to be acknowledged.
		r.flush()
		select {
		case r.slots <- struct{}{}:
		case <-r.abort:
			return nil
		}
	}
	r.wg.Add(1)
	r.m.InFlight(1)
	if len(r.pslab) == 0 {
		r.pslab = make([]pending, pendingSlabSize)
	}
	p := &r.pslab[0]
	r.pslab = r.pslab[1:]
	p.rec = rec
	r.mu.Lock()
	p.part = r.partFor(rec.SourcePartition)
	p.part.queue = append(p.part.queue, p)
	r.mu.Unlock()
	return p
}

// partFor returns the state of a source partition (r.mu held). The last
// partition map seen is remembered by identity, as a task usually reuses
// one map for a partition's records.
func (r *Runner) partFor(m map[string]any) *partState {
	var ptr unsafe.Pointer
	if m != nil {
		ptr = reflect.ValueOf(m).UnsafePointer()
		if ptr == r.lastMap && r.lastPart != nil {
			return r.lastPart
		}
	}
	key := partitionKey(m)
	ps := r.parts[key]
	if ps == nil {
		ps = &partState{partition: m}
		r.parts[key] = ps
	}
	r.lastMap, r.lastPart = ptr, ps
	return ps
}

// partitionKey is a deterministic identity of a source partition map.
func partitionKey(m map[string]any) string {
	if m == nil {
		return "\x00"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%q=%T:%v;", k, m[k], m[k])
	}
	return b.String()
}

// onAck is the producer's promise.
func (r *Runner) onAck(kr *kgo.Record, err error) {
	p := (*pending)(unsafe.Pointer(kr))
	if err == nil {
		r.m.Produced(time.Since(p.start))
		r.complete(p)
		return
	}
	r.m.Failed(-1)
	if r.aborted() {
		r.abandon(p)
		return
	}
	if IsAuthError(err) {
		// Not tolerated whatever errors.tolerance says, as Kafka's
		// producer reports it synchronously.
		r.failAuth(classifyAuth("", err))
		r.abandon(p)
		return
	}
	f := &dlq.Failure{Stage: dlq.StageKafkaProduce, Class: producerClass, Err: err, Record: p.rec, Original: r.original(p.rec)}
	if ferr := r.errs.Fail(f, nil); ferr != nil {
		r.log.Error("task stopped: record could not be produced", "connector", r.cfg.Connector, "task", r.cfg.TaskID,
			"topic", kr.Topic, "error", err)
		r.halted.Store(true)
		r.setFatal(ferr)
		r.abandon(p)
		return
	}
	r.complete(p)
}

// complete marks a record done: its offset may now be committed once the
// records before it in its partition are done too.
func (r *Runner) complete(p *pending) {
	r.mu.Lock()
	p.done = true
	ps := p.part
	for ps.head < len(ps.queue) && ps.queue[ps.head].done {
		q := ps.queue[ps.head]
		ps.queue[ps.head] = nil
		ps.head++
		if q.rec.SourcePartition != nil {
			ps.offset = q.rec.SourceOffset
			ps.dirty = true
		}
		r.committable = append(r.committable, q.rec)
	}
	if ps.head > 64 && ps.head*2 >= len(ps.queue) {
		n := copy(ps.queue, ps.queue[ps.head:])
		clear(ps.queue[n:])
		ps.queue = ps.queue[:n]
		ps.head = 0
	}
	r.mu.Unlock()
	r.release()
	select {
	case r.commitCh <- struct{}{}:
	default:
	}
}

// abandon releases a record that will never be committed.
func (r *Runner) abandon(p *pending) { r.release() }

func (r *Runner) release() {
	r.m.InFlight(-1)
	<-r.slots
	r.wg.Done()
}

// committer commits offsets whenever records complete, until stop.
func (r *Runner) committer(stop, done chan struct{}) {
	defer close(done)
	for {
		select {
		case <-stop:
			return
		case <-r.commitCh:
			r.commit(context.Background())
		}
	}
}

// commit hands the offsets of completed records to the offset sink and
// tells the task which records were acknowledged.
func (r *Runner) commit(ctx context.Context) {
	r.mu.Lock()
	recs := r.committable
	r.committable = nil
	type po struct{ part, off map[string]any }
	var offs []po
	for _, ps := range r.parts {
		if ps.dirty {
			offs = append(offs, po{ps.partition, ps.offset})
			ps.dirty = false
		}
	}
	r.mu.Unlock()
	if r.cfg.Offsets != nil {
		for _, o := range offs {
			if err := r.cfg.Offsets.Put(r.cfg.Connector, o.part, o.off); err != nil {
				r.log.Error("could not record a source offset", "connector", r.cfg.Connector, "task", r.cfg.TaskID, "error", err)
			}
		}
	}
	if len(recs) > 0 {
		if err := r.cfg.Task.Commit(ctx, recs); err != nil {
			r.log.Warn("task commit failed", "connector", r.cfg.Connector, "task", r.cfg.TaskID, "error", err)
		}
	}
}

// drain waits until every submitted record is acknowledged or skipped.
func (r *Runner) drain() error {
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	var timeout <-chan time.Time
	if r.cfg.DrainTimeout > 0 {
		t := time.NewTimer(r.cfg.DrainTimeout)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-done:
	case <-r.abort:
		return nil
	case <-timeout:
		return fmt.Errorf("task %s-%d: records still unacknowledged after %v", r.cfg.Connector, r.cfg.TaskID, r.cfg.DrainTimeout)
	}
	if r.cfg.DLQProducer != nil {
		_ = r.cfg.DLQProducer.Flush(context.Background())
	}
	return nil
}
