// Package metrics counts what pipelines do and serves the counts: a
// private Prometheus registry per worker, counters resolved once per
// connector so that the per-record cost is one atomic add, /metrics and
// /health over HTTP, and a periodic one-line progress summary in the log.
package metrics

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds a worker's metrics.
type Registry struct {
	reg *prometheus.Registry

	latency *prometheus.HistogramVec

	mu         sync.Mutex
	connectors map[string]*Connector
	health     func() (bool, any)
}

// New returns a registry with the Go runtime and process collectors.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry(), connectors: map[string]*Connector{}}
	r.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	r.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "sluice", Name: "produce_latency_seconds",
		Help:    "Time from handing a record to the Kafka producer to its acknowledgement.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
	}, []string{"connector"})
	r.reg.MustRegister(r.latency)
	return r
}

// Prometheus returns the underlying registry.
func (r *Registry) Prometheus() *prometheus.Registry { return r.reg }

// Connector holds one connector's counters, shared by its tasks. Every
// method is safe for concurrent use and costs an atomic operation.
type Connector struct {
	Name string

	received, produced, filtered, failed, dlq, dlqFailed atomic.Uint64
	inflight                                             atomic.Int64
	transformDropped, transformFailed                    []atomic.Uint64
	aliases                                              []string
	latency                                              prometheus.Observer
}

// Connector returns the counters of a connector whose transformation chain
// has the given aliases (in order), registering them on first use. Calling
// it again with the same name returns the same counters.
func (r *Registry) Connector(name string, aliases []string) *Connector {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.connectors[name]; ok {
		return c
	}
	c := &Connector{Name: name, aliases: append([]string(nil), aliases...),
		transformDropped: make([]atomic.Uint64, len(aliases)),
		transformFailed:  make([]atomic.Uint64, len(aliases)),
		latency:          r.latency.WithLabelValues(name)}
	labels := prometheus.Labels{"connector": name}
	counter := func(metric, help string, v *atomic.Uint64) {
		r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "sluice", Name: metric, Help: help, ConstLabels: labels,
		}, func() float64 { return float64(v.Load()) }))
	}
	counter("records_received_total", "Records returned by the connector's tasks.", &c.received)
	counter("records_produced_total", "Records acknowledged by Kafka.", &c.produced)
	counter("records_filtered_total", "Records dropped by a transformation (filtered out).", &c.filtered)
	counter("records_failed_total", "Records that failed in conversion, transformation or production.", &c.failed)
	counter("records_dlq_total", "Failed records written to the dead letter queue.", &c.dlq)
	counter("records_dlq_failed_total", "Failed records the dead letter queue could not take.", &c.dlqFailed)
	r.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "sluice", Name: "records_in_flight", Help: "Records handed to the producer and not yet acknowledged (queue depth).",
		ConstLabels: labels,
	}, func() float64 { return float64(c.inflight.Load()) }))
	for i, a := range aliases {
		tl := prometheus.Labels{"connector": name, "transform": a}
		d, f := &c.transformDropped[i], &c.transformFailed[i]
		r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "sluice", Name: "transform_dropped_total", Help: "Records dropped by one transformation.", ConstLabels: tl,
		}, func() float64 { return float64(d.Load()) }))
		r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "sluice", Name: "transform_failed_total", Help: "Records one transformation (or its predicate) failed on.", ConstLabels: tl,
		}, func() float64 { return float64(f.Load()) }))
	}
	r.connectors[name] = c
	return c
}

// Received counts n records returned by a task.
func (c *Connector) Received(n int) { c.received.Add(uint64(n)) }

// Produced counts one acknowledged record and its produce latency.
func (c *Connector) Produced(latency time.Duration) {
	c.produced.Add(1)
	c.latency.Observe(latency.Seconds())
}

// Filtered counts a record dropped by transformation stage i.
func (c *Connector) Filtered(stage int) {
	c.filtered.Add(1)
	if stage >= 0 && stage < len(c.transformDropped) {
		c.transformDropped[stage].Add(1)
	}
}

// Failed counts a failed record; stage is the index of the failing
// transformation, or -1 when another stage failed.
func (c *Connector) Failed(stage int) {
	c.failed.Add(1)
	if stage >= 0 && stage < len(c.transformFailed) {
		c.transformFailed[stage].Add(1)
	}
}

// DLQ counts a record the dead letter queue took (ok) or refused.
func (c *Connector) DLQ(ok bool) {
	if ok {
		c.dlq.Add(1)
	} else {
		c.dlqFailed.Add(1)
	}
}

// InFlight adds delta to the in-flight record count.
func (c *Connector) InFlight(delta int) { c.inflight.Add(int64(delta)) }

// Snapshot is a point-in-time copy of a connector's counters.
type Snapshot struct {
	Connector                                            string
	Received, Produced, Filtered, Failed, DLQ, DLQFailed uint64
	InFlight                                             int64
	TransformDropped, TransformFailed                    map[string]uint64
}

// Snapshot returns the current counts.
func (c *Connector) Snapshot() Snapshot {
	s := Snapshot{Connector: c.Name, Received: c.received.Load(), Produced: c.produced.Load(),
		Filtered: c.filtered.Load(), Failed: c.failed.Load(), DLQ: c.dlq.Load(), DLQFailed: c.dlqFailed.Load(),
		InFlight: c.inflight.Load(), TransformDropped: map[string]uint64{}, TransformFailed: map[string]uint64{}}
	for i, a := range c.aliases {
		s.TransformDropped[a] = c.transformDropped[i].Load()
		s.TransformFailed[a] = c.transformFailed[i].Load()
	}
	return s
}

// Snapshots returns every connector's counts, sorted by name.
func (r *Registry) Snapshots() []Snapshot {
	r.mu.Lock()
	cs := make([]*Connector, 0, len(r.connectors))
	for _, c := range r.connectors {
		cs = append(cs, c)
	}
	r.mu.Unlock()
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	out := make([]Snapshot, len(cs))
	for i, c := range cs {
		out[i] = c.Snapshot()
	}
	return out
}

// SetHealth installs the function /health reports: ok selects 200 or 503,
// detail is rendered as JSON.
func (r *Registry) SetHealth(fn func() (ok bool, detail any)) {
	r.mu.Lock()
	r.health = fn
	r.mu.Unlock()
}

// Handler serves /metrics (Prometheus text format) and /health.
func (r *Registry) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		r.mu.Lock()
		fn := r.health
		r.mu.Unlock()
		ok, detail := true, any(map[string]string{"status": "UP"})
		if fn != nil {
			ok, detail = fn()
		}
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(detail)
	})
	return mux
}

// Server is a running HTTP listener.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Serve listens on addr (host:port; port 0 picks one) and serves h until
// Close.
func Serve(addr string, h http.Handler, logger *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, ln: ln}
	go func() {
		if err := s.srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			logger.Error("HTTP listener stopped", "addr", ln.Addr().String(), "error", err)
		}
	}()
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Progress logs one summary line per connector every interval until ctx
// ends: totals and the produced rate since the previous line.
func (r *Registry) Progress(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	last := map[string]uint64{}
	lastAt := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			secs := now.Sub(lastAt).Seconds()
			lastAt = now
			for _, s := range r.Snapshots() {
				rate := float64(s.Produced-last[s.Connector]) / secs
				last[s.Connector] = s.Produced
				logger.Info("progress", "connector", s.Connector, "received", s.Received, "produced", s.Produced,
					"rate_per_s", int64(rate), "filtered", s.Filtered, "failed", s.Failed, "dlq", s.DLQ, "in_flight", s.InFlight)
			}
		}
	}
}
