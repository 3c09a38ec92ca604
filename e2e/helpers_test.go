// Package e2e holds Sluice's end-to-end acceptance tests: real standalone
// workers (in process or as the built binary) against an in-process Kafka
// cluster, fed through real sockets and files.
package e2e

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	_ "sluice.io/sluice/connectors/file"
	_ "sluice.io/sluice/connectors/netsource"
	_ "sluice.io/sluice/plugins"
	"sluice.io/sluice/worker"
)

// testLogger logs to stderr with -v and nowhere otherwise.
func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})).With("test", t.Name())
	}
	return slog.New(slog.DiscardHandler)
}

// freePort returns a port on 127.0.0.1 that was free a moment ago
// (network "tcp" or "udp").
func freePort(t testing.TB, network string) int {
	t.Helper()
	switch network {
	case "udp":
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port
	default:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port
	}
}

// newCluster starts a one-broker kfake cluster that creates topics with
// one partition on first use; it closes when the test ends.
func newCluster(t testing.TB, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// workerProps returns standalone worker properties producing to bootstrap
// with String converters, an offsets file in dir and a free HTTP port.
func workerProps(bootstrap, dir string) map[string]string {
	return map[string]string{
		"bootstrap.servers":            bootstrap,
		"key.converter":                "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":              "org.apache.kafka.connect.storage.StringConverter",
		"offset.storage.file.filename": filepath.Join(dir, "connect.offsets"),
		"offset.flush.interval.ms":     "200",
		"listeners":                    "http://127.0.0.1:0",
		"sluice.progress.interval.ms":  "0",
	}
}

// startWorker starts a standalone worker with the given connectors; the
// worker stops when the test ends unless stopped before.
func startWorker(t testing.TB, props map[string]string, connectors ...map[string]string) *worker.Standalone {
	t.Helper()
	s, err := worker.NewStandalone(context.Background(), props, worker.Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() { once.Do(func() { _ = s.Stop() }) }
	t.Cleanup(stop)
	for _, c := range connectors {
		if err := s.AddConnector(c); err != nil {
			stop()
			t.Fatal(err)
		}
	}
	return s
}

// waitFor polls cond every 10 ms until it holds, failing after timeout.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// endOffsets returns the end offset of every partition of the topics,
// summed per topic (the number of records, as nothing is compacted);
// a missing topic counts 0.
func endOffsets(t testing.TB, addr string, topics ...string) map[string]int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(cl).ListEndOffsets(ctx, topics...)
	if err != nil {
		t.Fatalf("listing end offsets of %v: %v", topics, err)
	}
	out := map[string]int64{}
	offs.Each(func(o kadm.ListedOffset) {
		if o.Err == nil {
			out[o.Topic] += o.Offset
		}
	})
	return out
}

// waitRecords waits until the topics hold want records in all and returns
// the per-topic counts.
func waitRecords(t testing.TB, addr string, want int64, timeout time.Duration, topics ...string) map[string]int64 {
	t.Helper()
	var got map[string]int64
	total := func() int64 {
		var n int64
		for _, v := range got {
			n += v
		}
		return n
	}
	deadline := time.Now().Add(timeout)
	for {
		got = endOffsets(t, addr, topics...)
		if total() >= want || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if total() != want {
		t.Fatalf("topics %v hold %d records (%v), want %d", topics, total(), got, want)
	}
	return got
}

// consumeTopic reads every record of topic from its start up to its
// current end offsets.
func consumeTopic(t testing.TB, addr, topic string) []*kgo.Record {
	t.Helper()
	want := endOffsets(t, addr, topic)[topic]
	if want == 0 {
		return nil
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxBytes(64<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out := make([]*kgo.Record, 0, want)
	for int64(len(out)) < want {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consumed %d of %d records of %s", len(out), want, topic)
		}
		fs.EachError(func(topic string, p int32, err error) { t.Logf("fetch %s/%d: %v", topic, p, err) })
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

// headerMap returns a record's headers, the last value of a key winning.
func headerMap(r *kgo.Record) map[string]string {
	m := make(map[string]string, len(r.Headers))
	for _, h := range r.Headers {
		m[h.Key] = string(h.Value)
	}
	return m
}

// metricValue scrapes a worker's /metrics and returns the value of the
// sample whose name and labels (`name{a="b",…}` as printed) start with
// prefix; ok is false when there is none.
func metricValue(t testing.TB, httpAddr, prefix string) (float64, bool) {
	t.Helper()
	resp, err := http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		return v, true
	}
	return 0, false
}

// rewriteProps copies a .properties file, replacing the value of every
// key in set (appending the keys the file lacks), and returns the copy's
// path in dir. Values are written as given (no escaping is applied).
func rewriteProps(t testing.TB, src, dir string, set map[string]string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed != "" && trimmed[0] != '#' && trimmed[0] != '!' {
			if i := strings.IndexAny(trimmed, "=:"); i > 0 {
				key := strings.TrimSpace(trimmed[:i])
				if v, ok := set[key]; ok {
					line = key + "=" + v
					done[key] = true
				}
			}
		}
		out = append(out, line)
	}
	for k, v := range set {
		if !done[k] {
			out = append(out, k+"="+v)
		}
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// lockedBuffer is an io.Writer safe for concurrent use (a subprocess's
// stderr).
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var _ io.Writer = (*lockedBuffer)(nil)

// switchListener is a TCP listener that can be taken down and brought
// back on the same address: while down, the port is closed (dialers are
// refused) and every connection it accepted is cut, as when a broker
// process dies; Up listens again. Handed to kfake through
// kfake.ListenFn, it makes a cluster unreachable without losing its data.
type switchListener struct {
	addr string

	mu     sync.Mutex
	inner  net.Listener
	up     chan struct{} // closed while up
	conns  map[net.Conn]struct{}
	closed bool
}

// newSwitchListener listens on address (port 0 picks one).
func newSwitchListener(address string) (*switchListener, error) {
	ln, err := net.Listen("tcp", address)
	if err != nil {
		return nil, err
	}
	up := make(chan struct{})
	close(up)
	return &switchListener{addr: ln.Addr().String(), inner: ln, up: up, conns: map[net.Conn]struct{}{}}, nil
}

// Accept waits for a connection, across down periods.
func (l *switchListener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		inner, up, closed := l.inner, l.up, l.closed
		l.mu.Unlock()
		if closed {
			return nil, net.ErrClosed
		}
		if inner == nil {
			<-up
			continue
		}
		c, err := inner.Accept()
		if err != nil {
			l.mu.Lock()
			changed := l.inner != inner || l.closed
			l.mu.Unlock()
			if changed {
				continue
			}
			return nil, err
		}
		l.mu.Lock()
		if l.inner != inner {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.conns[c] = struct{}{}
		l.mu.Unlock()
		return c, nil
	}
}

// Down closes the port and cuts every accepted connection.
func (l *switchListener) Down() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inner == nil {
		return
	}
	l.up = make(chan struct{})
	_ = l.inner.Close()
	l.inner = nil
	for c := range l.conns {
		_ = c.Close()
	}
	clear(l.conns)
}

// Up listens again on the same address.
func (l *switchListener) Up() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inner != nil || l.closed {
		return nil
	}
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return err
	}
	l.inner = ln
	close(l.up)
	return nil
}

// Close stops listening for good.
func (l *switchListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.inner != nil {
		_ = l.inner.Close()
		l.inner = nil
	} else {
		close(l.up)
	}
	return nil
}

// Addr returns the fixed listening address.
func (l *switchListener) Addr() net.Addr {
	a, _ := net.ResolveTCPAddr("tcp", l.addr)
	return a
}
