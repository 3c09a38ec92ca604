package router

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice"
	"sluice.io/sluice/converters/header"
	"sluice.io/sluice/converters/json"
	"sluice.io/sluice/dlq"
)

// onceTask returns its records from the first poll, then waits for the
// end of the run; it records what was committed.
type onceTask struct {
	mu     sync.Mutex
	recs   []*sluice.Record
	polled bool
	acked  int
}

func (t *onceTask) Start(context.Context, map[string]string, sluice.OffsetReader) error { return nil }

func (t *onceTask) Poll(ctx context.Context) ([]*sluice.Record, error) {
	t.mu.Lock()
	if !t.polled {
		t.polled = true
		t.mu.Unlock()
		return t.recs, nil
	}
	t.mu.Unlock()
	<-ctx.Done()
	return nil, nil
}

func (t *onceTask) Commit(_ context.Context, acked []*sluice.Record) error {
	t.mu.Lock()
	t.acked += len(acked)
	t.mu.Unlock()
	return nil
}

func (t *onceTask) Stop() error { return nil }

func (t *onceTask) ackedCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.acked
}

// offsetLog counts the source offsets handed to it.
type offsetLog struct {
	mu  sync.Mutex
	put int
}

func (o *offsetLog) Put(string, map[string]any, map[string]any) error {
	o.mu.Lock()
	o.put++
	o.mu.Unlock()
	return nil
}

func (o *offsetLog) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.put
}

// authRun is the outcome of running a task whose producer is built from
// worker properties with Sluice's defaults (unbounded delivery timeout).
type authRun struct {
	err     error
	took    time.Duration
	acked   int
	offsets int
}

// runTaskWith runs a task of three records through a producer built from
// the worker properties until it fails or, when stopWhenAcked is set, its
// records are acknowledged. It gives up after limit.
func runTaskWith(t *testing.T, c *kfake.Cluster, worker map[string]string, tolerance string, stopWhenAcked bool, limit time.Duration) authRun {
	t.Helper()
	props := sluice.WithPrefix(worker, "producer.")
	props["bootstrap.servers"] = strings.Join(c.ListenAddrs(), ",")
	opts, err := ProducerOptions(props, "connector-producer-auth-0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("producer options: %v", err)
	}
	watch := NewAuthWatch()
	prod, err := kgo.NewClient(append(opts, watch.Opt())...)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	part := map[string]any{"file": "auth"}
	task := &onceTask{}
	for i := range 3 {
		task.recs = append(task.recs, &sluice.Record{Topic: liveTopic, Key: fmt.Sprint(i), Value: t.Name(),
			SourcePartition: part, SourceOffset: map[string]any{"pos": int64(i)}})
	}
	kc, vc := json.New(), json.New()
	if err := kc.Configure(map[string]string{"schemas.enable": "false"}, true); err != nil {
		t.Fatal(err)
	}
	if err := vc.Configure(map[string]string{"schemas.enable": "false"}, false); err != nil {
		t.Fatal(err)
	}
	hc := &header.Converter{}
	if err := hc.Configure(map[string]string{}); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	errCfg, err := dlq.ParseConfig(map[string]string{"errors.tolerance": tolerance}, nil)
	if err != nil {
		t.Fatal(err)
	}
	offs := &offsetLog{}
	r, err := New(Config{Connector: "auth", Task: task, KeyConverter: kc, ValueConverter: vc, HeaderConverter: hc,
		Producer: prod, Auth: watch, Offsets: offs, Logger: logger,
		Errors: dlq.NewHandler(errCfg, "auth", 0, nil, logger)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	if stopWhenAcked {
		go func() {
			for ctx.Err() == nil && task.ackedCount() < len(task.recs) {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
		}()
	}
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var res authRun
	select {
	case res.err = <-done:
	case <-time.After(limit + 5*time.Second):
		t.Fatalf("the task did not stop within %v", limit+5*time.Second)
	}
	res.took = time.Since(start)
	res.acked, res.offsets = task.ackedCount(), offs.count()
	return res
}

// expectAuthFailure checks that a run failed by itself, well within
// limit, naming want, with nothing acknowledged or committed.
func expectAuthFailure(t *testing.T, res authRun, limit time.Duration, want ...string) {
	t.Helper()
	if res.err == nil {
		t.Fatalf("the task did not fail (took %v, %d acknowledged)", res.took, res.acked)
	}
	if res.took >= limit {
		t.Fatalf("the task failed only after %v: %v", res.took, res.err)
	}
	var ae *AuthError
	if !errors.As(res.err, &ae) {
		t.Fatalf("error %v is not an authentication failure", res.err)
	}
	for _, w := range want {
		if !strings.Contains(res.err.Error(), w) {
			t.Fatalf("error %q does not name %q", res.err, w)
		}
	}
	if res.acked != 0 || res.offsets != 0 {
		t.Fatalf("%d records acknowledged and %d offsets committed after an authentication failure", res.acked, res.offsets)
	}
}

func TestLiveAuthFailureFailsTask(t *testing.T) {
	t.Parallel()
	const limit = 8 * time.Second
	p := newTestPKI(t)
	tlsCluster := startCluster(t, kfake.TLS(p.serverTLS(p.server, false)), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-512", "carol", "carolpw"), kfake.Superuser("PLAIN", "alice", "alicepw"))
	mutual := startCluster(t, kfake.TLS(p.serverTLS(p.server, true)))
	saslSSL := func(mech, module, user, pass, trust string) map[string]string {
		return map[string]string{"producer.security.protocol": "SASL_SSL", "producer.sasl.mechanism": mech,
			"producer.sasl.jaas.config":    saslJAAS(module, user, pass),
			"producer.ssl.truststore.type": "PEM", "producer.ssl.truststore.location": p.path(trust)}
	}
	for _, tc := range []struct {
		name      string
		cluster   *kfake.Cluster
		props     map[string]string
		tolerance string
		want      []string // empty: the task must deliver
	}{
		{"scram-correct", tlsCluster, saslSSL("SCRAM-SHA-512", "scram.ScramLoginModule", "carol", "carolpw", "ca.pem"), "none", nil},
		{"plain-correct", tlsCluster, saslSSL("PLAIN", "plain.PlainLoginModule", "alice", "alicepw", "ca.pem"), "none", nil},
		{"scram-wrong-password", tlsCluster, saslSSL("SCRAM-SHA-512", "scram.ScramLoginModule", "carol", "nope", "ca.pem"),
			"none", []string{"SASL authentication failed"}},
		{"plain-wrong-password", tlsCluster, saslSSL("PLAIN", "plain.PlainLoginModule", "alice", "nope", "ca.pem"),
			"none", []string{"SASL authentication failed"}},
		{"wrong-password-tolerance-all", tlsCluster, saslSSL("PLAIN", "plain.PlainLoginModule", "alice", "nope", "ca.pem"),
			"all", []string{"SASL authentication failed"}},
		{"untrusted-ca", tlsCluster, saslSSL("SCRAM-SHA-512", "scram.ScramLoginModule", "carol", "carolpw", "other.pem"),
			"none", []string{"TLS handshake failed", "certificate signed by unknown authority"}},
		{"no-client-certificate", mutual, map[string]string{"producer.security.protocol": "SSL",
			"producer.ssl.truststore.type": "PEM", "producer.ssl.truststore.location": p.path("ca.pem")},
			"none", []string{"TLS handshake failed", "certificate required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runTaskWith(t, tc.cluster, tc.props, tc.tolerance, tc.want == nil, limit)
			if tc.want != nil {
				expectAuthFailure(t, res, limit, tc.want...)
				return
			}
			if res.err != nil {
				t.Fatalf("task failed: %v", res.err)
			}
			if res.acked != 3 || res.offsets == 0 {
				t.Fatalf("%d of 3 records acknowledged, %d offsets committed", res.acked, res.offsets)
			}
		})
	}
}

func TestClassifyAuth(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		err   error
		cause string // empty: not an authentication failure
	}{
		{"sasl-code", fmt.Errorf("init: %w", kerr.SaslAuthenticationFailed), "SASL authentication failed"},
		{"mechanism", kerr.UnsupportedSaslMechanism, "SASL authentication failed"},
		{"topic-acl", fmt.Errorf("produce: %w", kerr.TopicAuthorizationFailed), "topic authorization failed"},
		{"cluster-acl", kerr.ClusterAuthorizationFailed, "cluster authorization failed"},
		{"unknown-ca", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, "TLS handshake failed"},
		{"host-name", fmt.Errorf("dial: %w", x509.HostnameError{Host: "h", Certificate: &x509.Certificate{}}), "TLS handshake failed"},
		{"tls-alert", &net.OpError{Op: "dial", Net: "tcp", Err: &net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")}}, "TLS handshake failed"},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, ""},
		{"eof", io.EOF, ""},
		{"retriable-code", kerr.NotLeaderForPartition, ""},
		{"timeout", kgo.ErrRecordTimeout, ""},
		{"nil", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ae := classifyAuth("b:9092", tc.err)
			switch {
			case tc.cause == "" && ae != nil:
				t.Fatalf("classified as %v", ae)
			case tc.cause != "" && (ae == nil || ae.Cause != tc.cause):
				t.Fatalf("got %v, want cause %q", ae, tc.cause)
			case ae != nil && !errors.Is(ae, tc.err):
				t.Fatalf("%v does not wrap %v", ae, tc.err)
			}
		})
	}
}

// TestLiveAuthWatchIgnoresUnreachableBroker checks that a broker that is
// down is not taken for an authentication failure.
func TestLiveAuthWatchIgnoresUnreachableBroker(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	watch := NewAuthWatch()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), watch.Opt())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	cl.Produce(context.Background(), &kgo.Record{Topic: liveTopic, Value: []byte("x")}, nil)
	select {
	case <-watch.Done():
		t.Fatalf("unreachable broker reported as %v", watch.Err())
	case <-time.After(1500 * time.Millisecond):
	}
}
