// Package broker runs Sluice's embedded default Kafka broker: a single
// in-process broker (franz-go's kfake) listening on a real TCP address, so
// that any Kafka client — franz-go, kcat, the Java clients — can produce to
// and consume from it without an external cluster.
//
// Topics are created automatically on first use with one partition unless
// configured otherwise. By default all data lives in memory and is lost on
// Close; WithDataDir keeps it on disk across restarts.
//
// A topic is created when any client names it in a metadata request,
// whether or not the request asks for automatic creation (franz-go clients
// do not unless configured with kgo.AllowAutoTopicCreation; Java clients
// do by default).
package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DefaultAddr is the address the embedded broker listens on unless told
// otherwise.
const DefaultAddr = "127.0.0.1:9092"

// Option adjusts how Start configures the embedded broker.
type Option func(*options)

type options struct {
	dataDir    string
	syncWrites bool
	partitions int
	clusterID  string
	extra      []kfake.Opt
}

// WithDataDir makes the broker persist topics, offsets and group state under
// dir and reload them on the next Start with the same dir. The directory is
// created if needed. Without it, or with an empty dir, the broker keeps
// everything in memory.
func WithDataDir(dir string) Option {
	return func(o *options) { o.dataDir = dir }
}

// WithSyncWrites fsyncs every produced batch when a data directory is set,
// trading throughput for durability across crashes.
func WithSyncWrites() Option {
	return func(o *options) { o.syncWrites = true }
}

// WithDefaultPartitions sets how many partitions automatically created
// topics (and CreateTopics requests asking for -1 partitions) get. The
// default is 1; values below 1 are ignored.
func WithDefaultPartitions(n int) Option {
	return func(o *options) {
		if n >= 1 {
			o.partitions = n
		}
	}
}

// WithClusterID sets the cluster ID reported in metadata responses
// (default "sluice").
func WithClusterID(id string) Option {
	return func(o *options) { o.clusterID = id }
}

// WithKfakeOptions passes further kfake options (SASL, TLS, ACLs, broker
// configs …) through unchanged; they are applied after Sluice's own.
func WithKfakeOptions(opts ...kfake.Opt) Option {
	return func(o *options) { o.extra = append(o.extra, opts...) }
}

// Embedded is a running embedded broker.
type Embedded struct {
	cluster *kfake.Cluster
	addr    string
	logger  *slog.Logger
	stop    func() bool
	once    sync.Once
}

// Start listens on addr (host:port; port 0 picks a free port) and starts a
// single-broker cluster with automatic topic creation. It fails with a clear
// error when addr cannot be bound, for example because another broker
// already listens there. The broker stops when ctx is done or Close is
// called, whichever comes first. A nil logger discards the broker's logs.
func Start(ctx context.Context, addr string, logger *slog.Logger, opts ...Option) (*Embedded, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("embedded broker: %w", err)
	}
	if addr == "" {
		addr = DefaultAddr
	}
	o := options{partitions: 1, clusterID: "sluice"}
	for _, opt := range opts {
		opt(&o)
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		if isAddrInUse(err) {
			return nil, fmt.Errorf("embedded broker: address %s is already in use (is another broker running?): %w", addr, err)
		}
		return nil, fmt.Errorf("embedded broker: listen on %s: %w", addr, err)
	}
	_, portStr, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("embedded broker: listen address %s: %w", ln.Addr(), err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("embedded broker: listen port %q: %w", portStr, err)
	}

	handed := false
	kopts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(port),
		// kfake asks for 127.0.0.1:<port>; hand it the listener already
		// bound to the requested address instead.
		kfake.ListenFn(func(string, string) (net.Listener, error) {
			if handed {
				return nil, errors.New("listener already in use")
			}
			handed = true
			return ln, nil
		}),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(o.partitions),
		kfake.ClusterID(o.clusterID),
		kfake.WithLogger(slogAdapter{logger}),
	}
	if o.dataDir != "" {
		kopts = append(kopts, kfake.DataDir(o.dataDir))
		if o.syncWrites {
			kopts = append(kopts, kfake.SyncWrites())
		}
	}
	kopts = append(kopts, o.extra...)

	c, err := kfake.NewCluster(kopts...)
	if err != nil {
		// kfake may have started accepting on ln before failing.
		ln.Close()
		return nil, fmt.Errorf("embedded broker on %s: %w", addr, err)
	}
	// Kafka creates a topic on a metadata request only when the client asks
	// for it. Java producers and consumers ask by default, franz-go clients
	// do not; the embedded broker creates the topics every client names, so
	// any client can produce to a new topic.
	c.ControlKey(int16(kmsg.Metadata), func(req kmsg.Request) (kmsg.Response, error, bool) {
		if m, ok := req.(*kmsg.MetadataRequest); ok {
			m.AllowAutoTopicCreation = true
		}
		return nil, nil, false
	})
	e := &Embedded{cluster: c, addr: ln.Addr().String(), logger: logger}
	e.stop = context.AfterFunc(ctx, e.Close)
	attrs := []any{"addr", e.addr, "partitions", o.partitions}
	if o.dataDir != "" {
		attrs = append(attrs, "data_dir", o.dataDir)
	}
	logger.Info("embedded broker started", attrs...)
	return e, nil
}

// Addr returns the host:port the broker listens on, for bootstrap servers.
func (e *Embedded) Addr() string { return e.addr }

// Cluster returns the underlying kfake cluster, for tests and tooling.
func (e *Embedded) Cluster() *kfake.Cluster { return e.cluster }

// Close stops the broker, flushing persisted state when a data directory is
// set. It is safe to call more than once and from several goroutines.
func (e *Embedded) Close() {
	e.once.Do(func() {
		if e.stop != nil {
			e.stop()
		}
		e.cluster.Close()
		e.logger.Info("embedded broker stopped", "addr", e.addr)
	})
}

func isAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE)
}
