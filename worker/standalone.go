// Package worker hosts connectors and their tasks. The standalone worker
// reads a Kafka Connect worker .properties file and connector files, keeps
// source offsets in a file interchangeable with Java Connect's, runs each
// source task through the router, and serves /metrics and /health.
package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice"
	"sluice.io/sluice/dlq"
	"sluice.io/sluice/metrics"
	"sluice.io/sluice/router"
	"sluice.io/sluice/rules"
	"sluice.io/sluice/worker/offsets"
)

// Sluice's own worker keys.
const (
	// EmbeddedBrokerAddressConfig is where the embedded Kafka broker
	// listens when the worker file has no bootstrap.servers.
	EmbeddedBrokerAddressConfig = "sluice.embedded.broker.address"
	// DefaultEmbeddedBrokerAddress is its default.
	DefaultEmbeddedBrokerAddress = "127.0.0.1:9092"
	// EmbeddedBrokerDataDirConfig is the directory where the embedded
	// broker keeps its topics, so that they outlive the process; unset,
	// they are kept in memory and lost on exit.
	EmbeddedBrokerDataDirConfig = "sluice.embedded.broker.data.dir"
	// ProgressIntervalConfig is the interval in milliseconds of the progress
	// log line (0 disables it).
	ProgressIntervalConfig = "sluice.progress.interval.ms"
	// MaxInFlightConfig bounds each task's unacknowledged records.
	MaxInFlightConfig = "sluice.max.in.flight.records"
	// StartupTimeoutConfig bounds the wait for the Kafka cluster at startup.
	StartupTimeoutConfig = "sluice.startup.timeout.ms"
)

// Broker is an embedded Kafka broker.
type Broker interface {
	Addr() string
	Close()
}

// Options tune a standalone worker.
type Options struct {
	// Registry resolves plugin classes; nil means sluice.Plugins.
	Registry *sluice.Registry
	Logger   *slog.Logger
	// StartBroker starts the embedded broker; required only when the
	// worker file has no bootstrap.servers.
	StartBroker func(ctx context.Context, b EmbeddedBroker, logger *slog.Logger) (Broker, error)
}

// EmbeddedBroker is what the worker file asks of the embedded broker.
type EmbeddedBroker struct {
	// Addr is the listen address (host:port).
	Addr string
	// DataDir is where topics are kept; empty means in memory.
	DataDir string
}

// StartupError is a failure to start the worker (Connect exits with 2).
type StartupError struct{ Err error }

// Error implements error.
func (e *StartupError) Error() string { return "Stopping due to error: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *StartupError) Unwrap() error { return e.Err }

// ConnectorError is a failure to create a connector (Connect exits with 3).
type ConnectorError struct {
	Path string
	Err  error
}

// Error implements error.
func (e *ConnectorError) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("Stopping after connector error: %s: %v", e.Path, e.Err)
	}
	return "Stopping after connector error: " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ConnectorError) Unwrap() error { return e.Err }

// Standalone is a running standalone worker.
type Standalone struct {
	reg       *sluice.Registry
	log       *slog.Logger
	props     map[string]string // resolved worker properties
	bootstrap []string
	broker    Broker
	store     *offsets.FileStore
	metrics   *metrics.Registry
	http      *metrics.Server
	flushIvl  time.Duration
	progress  time.Duration
	inFlight  int

	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup

	mu         sync.Mutex
	tasks      []*taskState
	connectors map[string]bool
}

type taskState struct {
	connector string
	id        int
	done      chan struct{}
	err       error
	producer  *kgo.Client
	dlq       *kgo.Client
}

// NewStandalone starts a worker from resolved-or-not worker properties:
// config providers are applied, the keys validated, the embedded broker
// started when there is no bootstrap.servers, the Kafka cluster reached,
// the offsets file loaded and the HTTP listener opened. Errors are
// *StartupError.
func NewStandalone(ctx context.Context, raw map[string]string, opts Options) (*Standalone, error) {
	reg := opts.Registry
	if reg == nil {
		reg = sluice.Plugins
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	fail := func(err error) (*Standalone, error) { return nil, &StartupError{err} }
	props, err := rules.ResolveWorkerConfig(raw, reg)
	if err != nil {
		return fail(err)
	}
	cfg, err := rules.StandaloneConfigDef(reg).Parse(props)
	if err != nil {
		return fail(err)
	}
	s := &Standalone{reg: reg, log: log, props: props, connectors: map[string]bool{},
		flushIvl: time.Duration(cfg.Long(rules.OffsetFlushIntervalConfig)) * time.Millisecond,
		progress: 30 * time.Second, inFlight: router.DefaultMaxInFlight}
	if v, ok := props[ProgressIntervalConfig]; ok {
		n, err := strconv.ParseInt(sluice.JavaTrim(v), 10, 64)
		if err != nil || n < 0 {
			return fail(&sluice.ConfigError{Name: ProgressIntervalConfig, Value: v, Msg: "expected a non-negative number of milliseconds"})
		}
		s.progress = time.Duration(n) * time.Millisecond
	}
	if v, ok := props[MaxInFlightConfig]; ok {
		n, err := strconv.Atoi(sluice.JavaTrim(v))
		if err != nil || n < 1 {
			return fail(&sluice.ConfigError{Name: MaxInFlightConfig, Value: v, Msg: "expected a positive integer"})
		}
		s.inFlight = n
	}
	gc, err := planGC(props, os.Getenv, availableMemory)
	if err != nil {
		return fail(err)
	}
	startup := 30 * time.Second
	if v, ok := props[StartupTimeoutConfig]; ok {
		n, err := strconv.ParseInt(sluice.JavaTrim(v), 10, 64)
		if err != nil || n <= 0 {
			return fail(&sluice.ConfigError{Name: StartupTimeoutConfig, Value: v, Msg: "expected a positive number of milliseconds"})
		}
		startup = time.Duration(n) * time.Millisecond
	}
	applyGC(gc, log)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	ok := false
	defer func() {
		if !ok {
			s.closeResources()
		}
	}()

	if _, set := raw[rules.BootstrapServersConfig]; set {
		s.bootstrap = cfg.List(rules.BootstrapServersConfig)
	} else {
		eb := EmbeddedBroker{Addr: DefaultEmbeddedBrokerAddress}
		if v, ok := props[EmbeddedBrokerAddressConfig]; ok {
			eb.Addr = sluice.JavaTrim(v)
		}
		if v, ok := props[EmbeddedBrokerDataDirConfig]; ok {
			eb.DataDir = sluice.JavaTrim(v)
		}
		if opts.StartBroker == nil {
			return fail(errors.New("no bootstrap.servers and no embedded broker available"))
		}
		b, err := opts.StartBroker(context.WithoutCancel(ctx), eb, log)
		if err != nil {
			return fail(fmt.Errorf("starting the embedded Kafka broker on %s: %w", eb.Addr, err))
		}
		s.broker = b
		s.bootstrap = []string{b.Addr()}
		if eb.DataDir == "" {
			log.Info("no bootstrap.servers in the worker configuration: started the embedded Kafka broker (data is kept in memory only)",
				"address", b.Addr())
		} else {
			log.Info("no bootstrap.servers in the worker configuration: started the embedded Kafka broker",
				"address", b.Addr(), "dataDir", eb.DataDir)
		}
	}
	if err := s.checkCluster(ctx, startup); err != nil {
		return fail(err)
	}
	store, warn, err := offsets.Open(cfg.String(rules.OffsetStorageFileConfig))
	if err != nil {
		return fail(err)
	}
	if warn != nil {
		log.Warn(warn.Error())
	}
	s.store = store
	s.metrics = metrics.New()
	s.metrics.SetHealth(s.health)
	addr, err := listenAddr(cfg.List(rules.ListenersConfig))
	if err != nil {
		return fail(err)
	}
	srv, err := metrics.Serve(addr, s.metrics.Handler(), log)
	if err != nil {
		return fail(fmt.Errorf("opening the HTTP listener %s: %w", addr, err))
	}
	s.http = srv
	log.Info("serving /metrics and /health", "address", srv.Addr())
	s.bg.Add(2)
	go func() { defer s.bg.Done(); s.flushLoop() }()
	go func() { defer s.bg.Done(); s.metrics.Progress(s.ctx, s.progress, log) }()
	ok = true
	return s, nil
}

// checkCluster waits until the Kafka cluster answers a metadata request.
func (s *Standalone) checkCluster(ctx context.Context, timeout time.Duration) error {
	opts, err := router.SecurityOptions(sluice.WithPrefix(s.props, "producer."))
	if err != nil {
		return err
	}
	cl, err := kgo.NewClient(append(opts, kgo.SeedBrokers(s.bootstrap...))...)
	if err != nil {
		return fmt.Errorf("connecting to Kafka: %w", err)
	}
	defer cl.Close()
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := kadm.NewClient(cl).BrokerMetadata(cctx); err != nil {
		return fmt.Errorf("the Kafka cluster at %s did not answer: %w", strings.Join(s.bootstrap, ","), err)
	}
	return nil
}

// listenAddr returns the host:port of the first http listener.
func listenAddr(listeners []string) (string, error) {
	for _, l := range listeners {
		u, err := url.Parse(sluice.JavaTrim(l))
		if err != nil {
			return "", fmt.Errorf("invalid listener %q: %w", l, err)
		}
		if u.Scheme == "http" {
			return u.Host, nil
		}
	}
	return "", fmt.Errorf("no http listener in %v (https listeners are not supported)", listeners)
}

// HTTPAddr returns the address /metrics and /health are served on.
func (s *Standalone) HTTPAddr() string { return s.http.Addr() }

// Bootstrap returns the Kafka bootstrap servers in use.
func (s *Standalone) Bootstrap() []string { return s.bootstrap }

// Metrics returns the worker's metrics.
func (s *Standalone) Metrics() *metrics.Registry { return s.metrics }

func (s *Standalone) flushLoop() {
	if s.flushIvl <= 0 {
		s.flushIvl = time.Minute
	}
	t := time.NewTicker(s.flushIvl)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if err := s.store.Flush(); err != nil {
				s.log.Error("flushing source offsets", "error", err)
			}
		}
	}
}

// TaskStatus is the state of one task.
type TaskStatus struct {
	Connector string `json:"connector"`
	Task      int    `json:"task"`
	State     string `json:"state"`
	Error     string `json:"error,omitempty"`
}

// Status returns every task's state: RUNNING, STOPPED or FAILED.
func (s *Standalone) Status() []TaskStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TaskStatus, 0, len(s.tasks))
	for _, t := range s.tasks {
		st := TaskStatus{Connector: t.connector, Task: t.id, State: "RUNNING"}
		select {
		case <-t.done:
			st.State = "STOPPED"
			if t.err != nil {
				st.State, st.Error = "FAILED", t.err.Error()
			}
		default:
		}
		out = append(out, st)
	}
	return out
}

func (s *Standalone) health() (bool, any) {
	st := s.Status()
	ok := true
	for _, t := range st {
		if t.State == "FAILED" {
			ok = false
		}
	}
	status := "UP"
	if !ok {
		status = "DEGRADED"
	}
	return ok, map[string]any{"status": status, "tasks": st}
}

// LoadConnectorFile reads a connector configuration the way
// connect-standalone does: a flat JSON object, a JSON create request
// ({"name", "config"}), or a properties file; it must name the connector.
func LoadConnectorFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var flat map[string]string
	if json.Unmarshal(data, &flat) == nil {
		if _, ok := flat[rules.ConnectorNameConfig]; !ok {
			return nil, fmt.Errorf("Connector configuration at '%s' is missing the mandatory 'name' configuration", path)
		}
		return flat, nil
	}
	var req struct {
		Name   *string           `json:"name"`
		Config map[string]string `json:"config"`
	}
	if json.Unmarshal(data, &req) == nil && req.Name != nil && req.Config != nil {
		if n, ok := req.Config[rules.ConnectorNameConfig]; ok && n != *req.Name {
			return nil, fmt.Errorf("Connector name configuration in 'config' doesn't match the one specified in 'name' at '%s'", path)
		}
		req.Config[rules.ConnectorNameConfig] = *req.Name
		return req.Config, nil
	}
	p, err := rules.LoadPropertiesFile(path)
	if err != nil {
		return nil, err
	}
	m := p.Map()
	if _, ok := m[rules.ConnectorNameConfig]; !ok {
		return nil, fmt.Errorf("Connector configuration at '%s' is missing the mandatory 'name' configuration", path)
	}
	return m, nil
}

// AddConnector validates a connector configuration and starts its tasks.
// Errors are *ConnectorError.
func (s *Standalone) AddConnector(raw map[string]string) error {
	if err := s.addConnector(raw); err != nil {
		var ce *ConnectorError
		if errors.As(err, &ce) {
			return err
		}
		return &ConnectorError{Err: err}
	}
	return nil
}

func (s *Standalone) addConnector(raw map[string]string) error {
	providers, err := rules.NewConfigProviders(s.props, s.reg)
	if err != nil {
		return err
	}
	props, err := rules.NewConfigTransformer(providers).Transform(raw)
	rules.CloseConfigProviders(providers)
	if err != nil {
		return err
	}
	rawClass, present := props[rules.ConnectorClassConfig]
	if !present {
		return sluice.MissingConfig(rules.ConnectorClassConfig)
	}
	class := sluice.JavaTrim(rawClass)
	p, resolved, err := s.reg.Lookup(class)
	if err != nil || p.Kinds&(sluice.KindSourceConnector|sluice.KindSinkConnector) == 0 || p.New == nil {
		return fmt.Errorf("Failed to find any class that implements Connector and which name matches %s, available connectors are: %s",
			class, s.availableConnectors())
	}
	if p.Kinds&sluice.KindSourceConnector == 0 {
		return fmt.Errorf("connector class %s is a sink connector; sluice standalone runs source connectors", resolved)
	}
	cc, err := rules.SourceConnectorConfigDef(s.reg).Parse(props)
	if err != nil {
		return err
	}
	name := cc.String(rules.ConnectorNameConfig)
	s.mu.Lock()
	dup := s.connectors[name]
	s.connectors[name] = true
	s.mu.Unlock()
	if dup {
		return fmt.Errorf("Connector %s already exists", name)
	}
	errCfg, err := dlq.ParseConfig(props, s.reg)
	if err != nil {
		return err
	}
	choices, err := rules.SelectConverters(s.props, props)
	if err != nil {
		return err
	}
	// Validate the chain once before starting anything.
	chain, err := rules.BuildChain(props, rules.ChainOptions{Registry: s.reg})
	if err != nil {
		return err
	}
	var aliases []string
	for _, st := range chain.Stages() {
		aliases = append(aliases, st.Alias)
	}
	_ = chain.Close()
	obj := p.New()
	conn, ok := obj.(sluice.Connector)
	if !ok {
		return fmt.Errorf("%s does not implement Connector", resolved)
	}
	if err := conn.Configure(props); err != nil {
		return err
	}
	taskCfgs, err := conn.TaskConfigs(int(cc.Int(rules.TasksMaxConfig)))
	if err != nil {
		return err
	}
	if len(taskCfgs) > int(cc.Int(rules.TasksMaxConfig)) && cc.Bool(rules.TasksMaxEnforceConfig) {
		return fmt.Errorf("connector %s generated %d task configurations, more than tasks.max=%d", name, len(taskCfgs), cc.Int(rules.TasksMaxConfig))
	}
	prodProps := sluice.WithPrefix(s.props, "producer.")
	if _, ok := prodProps[rules.BootstrapServersConfig]; !ok {
		prodProps[rules.BootstrapServersConfig] = strings.Join(s.bootstrap, ",")
	}
	for k, v := range sluice.WithPrefix(props, "producer.override.") {
		prodProps[k] = v
	}
	cm := s.metrics.Connector(name, aliases)
	s.log.Info("starting connector", "connector", name, "class", resolved, "tasks", len(taskCfgs),
		"key.converter", choices.Key.String(), "value.converter", choices.Value.String())
	for id, tc := range taskCfgs {
		if err := s.startTask(name, id, conn, tc, props, choices, prodProps, errCfg, cm); err != nil {
			return fmt.Errorf("starting task %s-%d: %w", name, id, err)
		}
	}
	return nil
}

func (s *Standalone) availableConnectors() string {
	var names []string
	for _, p := range s.reg.All() {
		if p.Kinds&(sluice.KindSourceConnector|sluice.KindSinkConnector) != 0 && !p.Abstract {
			names = append(names, p.Class)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// newConverter instantiates and configures one converter choice.
func (s *Standalone) newConverter(c rules.ConverterChoice, isKey bool) (sluice.Converter, string, error) {
	p, class, err := s.reg.Lookup(c.Class)
	if err != nil {
		return nil, "", err
	}
	conv, ok := p.New().(sluice.Converter)
	if !ok {
		return nil, "", fmt.Errorf("%s is not a converter", class)
	}
	if err := conv.Configure(c.Settings, isKey); err != nil {
		return nil, "", fmt.Errorf("configuring %s: %w", class, err)
	}
	return conv, class, nil
}

func (s *Standalone) newHeaderConverter(c rules.ConverterChoice) (sluice.HeaderConverter, string, error) {
	p, class, err := s.reg.Lookup(c.Class)
	if err != nil {
		return nil, "", err
	}
	var hc sluice.HeaderConverter
	switch x := p.New().(type) {
	case sluice.HeaderConverter:
		hc = x
	case interface{ HeaderConverter() sluice.HeaderConverter }:
		hc = x.HeaderConverter()
	default:
		return nil, "", fmt.Errorf("%s is not a header converter", class)
	}
	if err := hc.Configure(c.Settings); err != nil {
		return nil, "", fmt.Errorf("configuring %s: %w", class, err)
	}
	return hc, class, nil
}

func (s *Standalone) startTask(name string, id int, conn sluice.Connector, taskCfg, props map[string]string,
	choices rules.ConverterChoices, prodProps map[string]string, errCfg dlq.Config, cm *metrics.Connector) error {
	kc, kcClass, err := s.newConverter(choices.Key, true)
	if err != nil {
		return err
	}
	vc, vcClass, err := s.newConverter(choices.Value, false)
	if err != nil {
		return err
	}
	hc, hcClass, err := s.newHeaderConverter(choices.Header)
	if err != nil {
		return err
	}
	chain, err := rules.BuildChain(props, rules.ChainOptions{Registry: s.reg})
	if err != nil {
		return err
	}
	log := s.log.With("connector", name, "task", id)
	popts, err := router.ProducerOptions(prodProps, fmt.Sprintf("connector-producer-%s-%d", name, id), log)
	if err != nil {
		return err
	}
	auth := router.NewAuthWatch()
	producer, err := kgo.NewClient(append(popts, kgo.MaxBufferedRecords(s.inFlight+16), auth.Opt())...)
	if err != nil {
		return fmt.Errorf("creating the producer: %w", err)
	}
	ts := &taskState{connector: name, id: id, done: make(chan struct{}), producer: producer}
	var dlqClient *kgo.Client
	if errCfg.Topic != "" {
		dopts, err := router.ProducerOptions(prodProps, fmt.Sprintf("connector-dlq-producer-%s-%d", name, id), log)
		if err != nil {
			producer.Close()
			return err
		}
		if dlqClient, err = kgo.NewClient(append(dopts, auth.Opt())...); err != nil {
			producer.Close()
			return fmt.Errorf("creating the dead letter queue producer: %w", err)
		}
		ts.dlq = dlqClient
	}
	handler := dlq.NewHandler(errCfg, name, id, dlqClient, s.log)
	if dlqClient != nil {
		ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
		err := handler.EnsureTopic(ctx, kadm.NewClient(dlqClient))
		cancel()
		if err != nil {
			ts.close()
			return err
		}
	}
	obj := conn.NewTask()
	task, ok := obj.(sluice.SourceTask)
	if !ok {
		ts.close()
		return fmt.Errorf("connector %s made a task that is not a SourceTask", name)
	}
	if l, ok := obj.(interface{ SetLogger(*slog.Logger) }); ok {
		l.SetLogger(log)
	}
	if err := task.Start(s.ctx, taskCfg, s.store.Reader(name)); err != nil {
		ts.close()
		return fmt.Errorf("starting the task: %w", err)
	}
	r, err := router.New(router.Config{Connector: name, TaskID: id, Task: task, Chain: chain,
		KeyConverter: kc, ValueConverter: vc, HeaderConverter: hc,
		KeyConverterClass: kcClass, ValueConverterClass: vcClass, HeaderConverterClass: hcClass,
		Producer: producer, Errors: handler, DLQProducer: dlqClient, Auth: auth, Offsets: s.store, Metrics: cm,
		MaxInFlight: s.inFlight, Logger: s.log})
	if err != nil {
		_ = task.Stop()
		ts.close()
		return err
	}
	if d, ok := obj.(interface{ Dropped() uint64 }); ok {
		s.registerDropped(name, id, d.Dropped)
	}
	s.mu.Lock()
	s.tasks = append(s.tasks, ts)
	s.mu.Unlock()
	go func() {
		defer close(ts.done)
		err := r.Run(s.ctx)
		_ = chain.Close()
		snap := cm.Snapshot()
		counts := []any{"received", snap.Received, "produced", snap.Produced, "filtered", snap.Filtered,
			"failed", snap.Failed, "dlq", snap.DLQ}
		if err != nil {
			log.Error("task failed", append([]any{"error", err}, counts...)...)
			ts.err = err
			return
		}
		log.Info("task stopped", counts...)
	}()
	return nil
}

// registerDropped exports a task's count of records it had to drop before
// they reached the router (a push source whose queue was full) as
// sluice_source_records_dropped_total{connector,task}.
func (s *Standalone) registerDropped(connector string, id int, dropped func() uint64) {
	c := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Namespace: "sluice", Name: "source_records_dropped_total",
		Help:        "Records a source task dropped before polling (for example UDP datagrams arriving while its queue was full).",
		ConstLabels: prometheus.Labels{"connector": connector, "task": strconv.Itoa(id)},
	}, func() float64 { return float64(dropped()) })
	if err := s.metrics.Prometheus().Register(c); err != nil {
		s.log.Warn("cannot register the dropped-records metric", "connector", connector, "task", id, "error", err)
	}
}

func (t *taskState) close() {
	if t.producer != nil {
		t.producer.Close()
	}
	if t.dlq != nil {
		t.dlq.Close()
	}
}

// TaskDone returns a channel closed when task id of a connector has
// stopped, with its error; nil when there is no such task.
func (s *Standalone) TaskDone(connector string, id int) (<-chan struct{}, func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tasks {
		if t.connector == connector && t.id == id {
			return t.done, func() error { return t.err }
		}
	}
	return nil, nil
}

// Stop stops polling every task, waits until every record already polled
// is acknowledged, flushes the offsets file and releases everything.
func (s *Standalone) Stop() error {
	s.cancel()
	s.mu.Lock()
	tasks := append([]*taskState(nil), s.tasks...)
	s.mu.Unlock()
	for _, t := range tasks {
		<-t.done
	}
	s.bg.Wait()
	var err error
	if s.store != nil {
		err = s.store.Flush()
	}
	for _, t := range tasks {
		t.close()
	}
	s.closeResources()
	return err
}

func (s *Standalone) closeResources() {
	s.cancel()
	if s.http != nil {
		_ = s.http.Close()
		s.http = nil
	}
	if s.broker != nil {
		s.broker.Close()
		s.broker = nil
	}
}

// RunStandalone is `connect-standalone WORKER CONNECTOR...`: it starts the
// worker, creates the connectors in order, runs until ctx ends, then stops
// cleanly. An empty worker path means no properties.
func RunStandalone(ctx context.Context, workerPath string, connectorPaths []string, opts Options) error {
	raw := map[string]string{}
	if workerPath != "" {
		p, err := rules.LoadPropertiesFile(workerPath)
		if err != nil {
			return &StartupError{err}
		}
		raw = p.Map()
	}
	s, err := NewStandalone(ctx, raw, opts)
	if err != nil {
		return err
	}
	for _, path := range connectorPaths {
		props, err := LoadConnectorFile(path)
		if err == nil {
			err = s.AddConnector(props)
		}
		if err != nil {
			_ = s.Stop()
			var ce *ConnectorError
			if errors.As(err, &ce) {
				ce.Path = path
				return ce
			}
			return &ConnectorError{Path: path, Err: err}
		}
	}
	<-ctx.Done()
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.Info("stopping: draining in-flight records and flushing offsets")
	return s.Stop()
}
