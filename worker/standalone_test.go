package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"sluice.io/sluice"
	"sluice.io/sluice/broker"
	_ "sluice.io/sluice/converters/bytearray"
	_ "sluice.io/sluice/converters/header"
	_ "sluice.io/sluice/converters/json"
	_ "sluice.io/sluice/converters/str"
	_ "sluice.io/sluice/smt"
	"sluice.io/sluice/worker/offsets"
)

const testConnectorClass = "io.sluice.test.CountingSourceConnector"

// countingConnector is a source connector whose task emits the values of
// its "values" setting (comma separated) in batches of two, one source
// partition, offset {"pos": index}; it resumes after the stored offset.
type countingConnector struct{ cfg map[string]string }

func (c *countingConnector) Configure(cfg map[string]string) error { c.cfg = cfg; return nil }
func (c *countingConnector) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{c.cfg}, nil
}
func (c *countingConnector) NewTask() any { return &countingTask{} }

type countingTask struct {
	values    []string
	topic     string
	next      int
	partition map[string]any
	mu        sync.Mutex
	committed int
}

func (t *countingTask) Start(_ context.Context, cfg map[string]string, off sluice.OffsetReader) error {
	t.values = strings.Split(cfg["values"], ",")
	t.topic = cfg["topic"]
	t.partition = map[string]any{"source": "test"}
	o, err := off.Offset(t.partition)
	if err != nil {
		return err
	}
	if o != nil {
		t.next = int(o["pos"].(int64)) + 1
	}
	return nil
}

func (t *countingTask) Poll(ctx context.Context) ([]*sluice.Record, error) {
	if t.next >= len(t.values) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	var out []*sluice.Record
	for i := 0; i < 2 && t.next < len(t.values); i++ {
		out = append(out, &sluice.Record{Topic: t.topic, ValueSchema: sluice.StringSchema, Value: t.values[t.next],
			SourcePartition: t.partition, SourceOffset: map[string]any{"pos": t.next},
			Headers: sluice.Headers{{Key: "h", Schema: sluice.StringSchema, Value: "v" + strconv.Itoa(t.next)}}})
		t.next++
	}
	return out, nil
}

func (t *countingTask) Commit(_ context.Context, acked []*sluice.Record) error {
	t.mu.Lock()
	t.committed += len(acked)
	t.mu.Unlock()
	return nil
}

func (t *countingTask) Stop() error { return nil }

func testRegistry() *sluice.Registry {
	reg := sluice.NewRegistry()
	for _, p := range sluice.Plugins.All() {
		reg.Register(p)
	}
	reg.Register(&sluice.Plugin{Class: testConnectorClass, Kinds: sluice.KindSourceConnector,
		New: func() any { return &countingConnector{} }})
	return reg
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func workerProps(bootstrap, offsetFile string) map[string]string {
	return map[string]string{
		"bootstrap.servers":            bootstrap,
		"key.converter":                "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":              "StringConverter",
		"offset.storage.file.filename": offsetFile,
		"offset.flush.interval.ms":     "100",
		"listeners":                    "http://127.0.0.1:0",
		"sluice.progress.interval.ms":  "0",
	}
}

func values(n int, bad map[int]bool) string {
	var vs []string
	for i := 0; i < n; i++ {
		if bad[i] {
			vs = append(vs, "bad")
		} else {
			vs = append(vs, strconv.Itoa(i))
		}
	}
	return strings.Join(vs, ",")
}

// consumeAll reads want records of topic from the start, failing after a
// deadline.
func consumeAll(t *testing.T, addr, topic string, want int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(out) < want {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consumed %d of %d records from %s", len(out), want, topic)
		}
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

func newCluster(t *testing.T) *kfake.Cluster {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func storedPos(t *testing.T, file string) int64 {
	t.Helper()
	s, _, err := offsets.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Offset("counting", map[string]any{"source": "test"})
	if err != nil {
		t.Fatal(err)
	}
	if o == nil {
		return -1
	}
	return o["pos"].(int64)
}

func TestStandaloneProducesAndResumes(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	file := filepath.Join(t.TempDir(), "connect.offsets")
	reg := testRegistry()
	conn := map[string]string{"name": "counting", "connector.class": "CountingSource", "topic": "out",
		"values": values(10, nil)}

	s, err := NewStandalone(context.Background(), workerProps(addr, file), Options{Registry: reg, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddConnector(conn); err != nil {
		t.Fatal(err)
	}
	recs := consumeAll(t, addr, "out", 10)
	for i, r := range recs {
		if string(r.Value) != strconv.Itoa(i) || len(r.Headers) != 1 || string(r.Headers[0].Value) != "v"+strconv.Itoa(i) {
			t.Fatalf("record %d = %q headers %v", i, r.Value, r.Headers)
		}
	}
	waitFor(t, "offsets flushed", func() bool { return storedPos(t, file) == 9 })
	// /metrics and /health are served.
	resp, err := http.Get("http://" + s.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `sluice_records_produced_total{connector="counting"} 10`) {
		t.Fatalf("metrics lack the produced count:\n%s", body)
	}
	resp, err = http.Get("http://" + s.HTTPAddr() + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}

	// Restart with more values: only the new ones are produced.
	conn["values"] = values(14, nil)
	s, err = NewStandalone(context.Background(), workerProps(addr, file), Options{Registry: reg, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddConnector(conn); err != nil {
		t.Fatal(err)
	}
	recs = consumeAll(t, addr, "out", 14)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 14 || string(recs[10].Value) != "10" || string(recs[13].Value) != "13" {
		t.Fatalf("after restart got %d records", len(recs))
	}
	if p := storedPos(t, file); p != 13 {
		t.Fatalf("stored offset %d, want 13", p)
	}
}

func TestStandaloneOffsetsOnlyAfterAck(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	file := filepath.Join(t.TempDir(), "connect.offsets")
	// Hold every produce request until released.
	release := make(chan struct{})
	var once sync.Once
	held := make(chan struct{})
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		once.Do(func() { close(held) })
		<-release
		return nil, nil, false
	})
	s, err := NewStandalone(context.Background(), workerProps(addr, file), Options{Registry: testRegistry(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddConnector(map[string]string{"name": "counting", "connector.class": testConnectorClass,
		"topic": "out", "values": values(6, nil)}); err != nil {
		t.Fatal(err)
	}
	<-held
	time.Sleep(300 * time.Millisecond) // several flush intervals
	if err := s.store.Flush(); err != nil {
		t.Fatal(err)
	}
	if p := storedPos(t, file); p != -1 {
		t.Fatalf("offset %d stored before any acknowledgement", p)
	}
	close(release)
	c.DropControl()
	waitFor(t, "offsets after ack", func() bool { return storedPos(t, file) == 5 })
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestStandaloneBrokerDownNothingLost(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	file := filepath.Join(t.TempDir(), "connect.offsets")
	var mu sync.Mutex
	downUntil := time.Now().Add(2 * time.Second)
	failed := 0
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		mu.Lock()
		defer mu.Unlock()
		if time.Now().Before(downUntil) {
			failed++
			return nil, errors.New("broker down"), true
		}
		return nil, nil, false
	})
	props := workerProps(addr, file)
	props["producer.retry.backoff.ms"] = "50"
	s, err := NewStandalone(context.Background(), props, Options{Registry: testRegistry(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddConnector(map[string]string{"name": "counting", "connector.class": testConnectorClass,
		"topic": "out", "values": values(40, nil)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "offsets after recovery", func() bool { return storedPos(t, file) == 39 })
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if failed == 0 {
		t.Fatal("no produce request was failed")
	}
	mu.Unlock()
	c.DropControl()
	recs := consumeAll(t, addr, "out", 40)
	seen := map[string]bool{}
	for _, r := range recs {
		seen[string(r.Value)] = true
	}
	for i := 0; i < 40; i++ {
		if !seen[strconv.Itoa(i)] {
			t.Fatalf("record %d lost", i)
		}
	}
}

func TestStandaloneCancelDrains(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	file := filepath.Join(t.TempDir(), "connect.offsets")
	release := make(chan struct{})
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		<-release
		return nil, nil, false
	})
	s, err := NewStandalone(context.Background(), workerProps(addr, file), Options{Registry: testRegistry(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddConnector(map[string]string{"name": "counting", "connector.class": testConnectorClass,
		"topic": "out", "values": values(8, nil)}); err != nil {
		t.Fatal(err)
	}
	cm := s.Metrics().Connector("counting", nil)
	waitFor(t, "records polled", func() bool { return cm.Snapshot().Received == 8 })
	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop() }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-stopped:
		t.Fatalf("stopped before the in-flight records were acknowledged: %v", err)
	default:
	}
	close(release)
	c.DropControl()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if p := storedPos(t, file); p != 7 {
		t.Fatalf("stored offset %d after drain, want 7", p)
	}
	if n := len(consumeAll(t, addr, "out", 8)); n != 8 {
		t.Fatalf("%d records", n)
	}
}

func TestStandaloneDLQToleranceAll(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	file := filepath.Join(t.TempDir(), "connect.offsets")
	s, err := NewStandalone(context.Background(), workerProps(addr, file), Options{Registry: testRegistry(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := s.AddConnector(map[string]string{"name": "counting", "connector.class": testConnectorClass,
		"topic": "out", "values": values(6, map[int]bool{2: true}),
		"transforms": "cast", "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
		"transforms.cast.spec": "int32",
		"errors.tolerance":     "all", "errors.log.enable": "true",
		"errors.deadletterqueue.topic.name":               "dlq",
		"errors.deadletterqueue.topic.replication.factor": "3",
		"errors.deadletterqueue.context.headers.enable":   "true",
	}); err != nil {
		t.Fatal(err)
	}
	good := consumeAll(t, addr, "out", 5)
	var got []string
	for _, r := range good {
		got = append(got, string(r.Value))
	}
	if strings.Join(got, ",") != "0,1,3,4,5" {
		t.Fatalf("produced %v", got)
	}
	bad := consumeAll(t, addr, "dlq", 1)[0]
	if string(bad.Value) != "bad" {
		t.Fatalf("DLQ value %q", bad.Value)
	}
	hs := map[string]string{}
	var names []string
	for _, h := range bad.Headers {
		hs[h.Key] = string(h.Value)
		names = append(names, h.Key)
	}
	want := map[string]string{
		"h":                                     "v2",
		"__connect.errors.topic":                "out",
		"__connect.errors.connector.name":       "counting",
		"__connect.errors.task.id":              "0",
		"__connect.errors.stage":                "TRANSFORMATION",
		"__connect.errors.class.name":           "org.apache.kafka.connect.transforms.Cast$Value",
		"__connect.errors.exception.class.name": "org.apache.kafka.connect.errors.DataException",
	}
	for k, v := range want {
		if hs[k] != v {
			t.Errorf("header %s = %q, want %q (headers %v)", k, hs[k], v, names)
		}
	}
	if hs["__connect.errors.exception.message"] == "" || !strings.HasPrefix(hs["__connect.errors.exception.stacktrace"], "org.apache.kafka.connect.errors.DataException") {
		t.Errorf("exception headers %q / %q", hs["__connect.errors.exception.message"], hs["__connect.errors.exception.stacktrace"])
	}
	waitFor(t, "offsets past the failed record", func() bool { return storedPos(t, file) == 5 })
	snap := s.Metrics().Connector("counting", nil).Snapshot()
	if snap.Failed != 1 || snap.DLQ != 1 || snap.TransformFailed["cast"] != 1 {
		t.Fatalf("metrics %+v", snap)
	}
}

func TestStandaloneToleranceNoneStopsTask(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	file := filepath.Join(t.TempDir(), "connect.offsets")
	s, err := NewStandalone(context.Background(), workerProps(addr, file), Options{Registry: testRegistry(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := s.AddConnector(map[string]string{"name": "counting", "connector.class": testConnectorClass,
		"topic": "out", "values": values(6, map[int]bool{3: true}),
		"transforms": "cast", "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
		"transforms.cast.spec": "int32"}); err != nil {
		t.Fatal(err)
	}
	done, errf := s.TaskDone("counting", 0)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("task did not stop")
	}
	err = errf()
	if err == nil || !strings.Contains(err.Error(), "Tolerance exceeded in error handler") ||
		!strings.Contains(err.Error(), "TRANSFORMATION") || !strings.Contains(err.Error(), "Cast$Value") {
		t.Fatalf("task error %v", err)
	}
	if st := s.Status(); len(st) != 1 || st[0].State != "FAILED" {
		t.Fatalf("status %+v", st)
	}
	resp, err := http.Get("http://" + s.HTTPAddr() + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("health status %d", resp.StatusCode)
	}
	// Records before the failure were produced and their offsets kept.
	if n := len(consumeAll(t, addr, "out", 3)); n != 3 {
		t.Fatalf("%d records", n)
	}
	waitFor(t, "offsets before the failure", func() bool { return storedPos(t, file) == 2 })
}

func TestStandaloneConfigErrors(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	file := filepath.Join(t.TempDir(), "connect.offsets")
	props := workerProps(addr, file)
	delete(props, "value.converter")
	_, err := NewStandalone(context.Background(), props, Options{Registry: testRegistry(), Logger: testLogger(t)})
	var se *StartupError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), `"value.converter"`) {
		t.Fatalf("missing value.converter: %v", err)
	}
	s, err := NewStandalone(context.Background(), workerProps(addr, file), Options{Registry: testRegistry(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	for _, cc := range []struct {
		props map[string]string
		msg   string
	}{
		{map[string]string{"name": "x", "connector.class": "Nope"}, "Failed to find any class that implements Connector and which name matches Nope"},
		{map[string]string{"name": "x", "connector.class": testConnectorClass, "errors.tolerance": "ALL"}, "errors.tolerance"},
		{map[string]string{"name": "x"}, `"connector.class"`},
	} {
		err := s.AddConnector(cc.props)
		var ce *ConnectorError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), cc.msg) {
			t.Errorf("%v: error %v, want %q", cc.props, err, cc.msg)
		}
	}
}

func TestEmbeddedBrokerWhenNoBootstrap(t *testing.T) {
	file := filepath.Join(t.TempDir(), "connect.offsets")
	props := workerProps("", file)
	delete(props, "bootstrap.servers")
	props[EmbeddedBrokerAddressConfig] = "127.0.0.1:0"
	var started string
	s, err := NewStandalone(context.Background(), props, Options{Registry: testRegistry(), Logger: testLogger(t),
		StartBroker: func(_ context.Context, eb EmbeddedBroker, _ *slog.Logger) (Broker, error) {
			started = eb.Addr
			c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
			if err != nil {
				return nil, err
			}
			return fakeBroker{c}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if started != "127.0.0.1:0" {
		t.Fatalf("embedded broker started on %q", started)
	}
	if err := s.AddConnector(map[string]string{"name": "counting", "connector.class": testConnectorClass,
		"topic": "out", "values": values(3, nil)}); err != nil {
		t.Fatal(err)
	}
	if n := len(consumeAll(t, s.Bootstrap()[0], "out", 3)); n != 3 {
		t.Fatalf("%d records", n)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
}

// TestEmbeddedBrokerDataDir: with sluice.embedded.broker.data.dir the
// embedded broker keeps its topics on disk, so that a later worker with the
// same directory still serves the records of an earlier one.
func TestEmbeddedBrokerDataDir(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "broker")
	start := func(_ context.Context, eb EmbeddedBroker, l *slog.Logger) (Broker, error) {
		if eb.DataDir != data {
			t.Errorf("data dir %q, want %q", eb.DataDir, data)
		}
		return broker.Start(context.Background(), eb.Addr, l, broker.WithDataDir(eb.DataDir))
	}
	props := workerProps("", filepath.Join(dir, "connect.offsets"))
	delete(props, "bootstrap.servers")
	props[EmbeddedBrokerAddressConfig] = "127.0.0.1:0"
	props[EmbeddedBrokerDataDirConfig] = " " + data + " "

	s, err := NewStandalone(context.Background(), props, Options{Registry: testRegistry(), Logger: testLogger(t), StartBroker: start})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddConnector(map[string]string{"name": "counting", "connector.class": testConnectorClass,
		"topic": "kept", "values": values(3, nil)}); err != nil {
		t.Fatal(err)
	}
	if n := len(consumeAll(t, s.Bootstrap()[0], "kept", 3)); n != 3 {
		t.Fatalf("%d records", n)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(data); err != nil {
		t.Fatalf("no data directory after the first worker: %v", err)
	}

	s2, err := NewStandalone(context.Background(), props, Options{Registry: testRegistry(), Logger: testLogger(t), StartBroker: start})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Stop()
	recs := consumeAll(t, s2.Bootstrap()[0], "kept", 3)
	var got []string
	for _, r := range recs {
		got = append(got, string(r.Value))
	}
	if strings.Join(got, ",") != "0,1,2" {
		t.Fatalf("second worker reads %q, want 0,1,2", got)
	}
}

type fakeBroker struct{ c *kfake.Cluster }

func (f fakeBroker) Addr() string { return f.c.ListenAddrs()[0] }
func (f fakeBroker) Close()       { f.c.Close() }

func TestLoadConnectorFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		file, body, name, err string
	}{
		{"a.properties", "name=a\nconnector.class=X\n", "a", ""},
		{"b.json", `{"name":"b","connector.class":"X"}`, "b", ""},
		{"c.json", `{"name":"c","config":{"connector.class":"X"}}`, "c", ""},
		{"d.json", `{"name":"d","config":{"name":"other"}}`, "", "doesn't match"},
		{"e.properties", "connector.class=X\n", "", "missing the mandatory 'name'"},
	} {
		m, err := LoadConnectorFile(write(c.file, c.body))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.file, err, c.err)
			}
			continue
		}
		if err != nil || m["name"] != c.name || m["connector.class"] != "X" {
			t.Errorf("%s: %v, %v", c.file, m, err)
		}
	}
}

var _ = fmt.Sprint
