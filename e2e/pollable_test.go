package e2e

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"sluice.io/sluice/connectors/pollable/httpclient"
	"sluice.io/sluice/connectors/pollable/okta"
)

// The Okta example runs through the standalone worker with the embedded
// broker: several pages of events (Link rel="next") become one record
// each, in order, with a null key, the event's compact JSON as value and
// the http.source header; the offsets file ends at the last event.
func TestPullOktaExampleEndToEnd(t *testing.T) {
	api := newPullOkta(t, 7)
	api.add(23) // pages of 7, 7, 7, 2, then empty pages
	t.Setenv("OKTA_URL", api.URL())
	t.Setenv("OKTA_TOKEN", pullToken)
	dir := t.TempDir()
	offsetsFile := filepath.Join(dir, "okta.offsets")
	w := startPullWorker(t, pullWorkerFile(t, dir, offsetsFile, "sluice.embedded.broker.address", "127.0.0.1:0"),
		pullConnectorFile(t, dir))
	var addr string
	select {
	case addr = <-w.broker:
	case <-time.After(20 * time.Second):
		t.Fatalf("the embedded broker did not start: %v\n%s", w.failed(), w.log.String())
	}

	recs := pullConsume(t, addr, 23, 20*time.Second)
	if len(recs) != 23 {
		t.Fatalf("%d records in %s, want 23: %v\n%s", len(recs), pullTopic, w.failed(), w.log.String())
	}
	for i, r := range recs {
		ev := api.event(i)
		if r.Topic != pullTopic || r.Key != nil || string(r.Value) != ev.json {
			t.Fatalf("record %d: topic %q key %q value\n%s\nwant\n%s", i, r.Topic, r.Key, r.Value, ev.json)
		}
		if len(r.Headers) != 1 || r.Headers[0].Key != httpclient.SourceHeader ||
			string(r.Headers[0].Value) != api.URL()+okta.DefaultEndpoint {
			t.Fatalf("record %d headers %v", i, r.Headers)
		}
	}
	pullWait(t, "the offsets file at the last event", 10*time.Second, func() bool {
		return pullStoredAt(pullStored(t, offsetsFile, api.URL()), api.event(22), 23)
	})
	if err := w.stop(t, 10*time.Second); err != nil {
		t.Fatalf("worker: %v\n%s", err, w.log.String())
	}

	// The requests: a since-query at initial.offset with the example's
	// limit, then the next links; the server's page size is respected.
	reqs := api.log()
	first, err := url.ParseQuery(reqs[0].query)
	if err != nil || first.Get("since") != "2024-01-01T00:00:00.000Z" || first.Get("sortOrder") != "ASCENDING" ||
		first.Get("limit") != "1000" || first.Has("after") {
		t.Errorf("first request %q", reqs[0].query)
	}
	for i, want := range []string{"7", "14", "21", "23"} {
		if i+1 >= len(reqs) || !strings.Contains(reqs[i+1].query, "after="+want) {
			t.Fatalf("request %d: want the next link after=%s; requests %v", i+1, want, reqs)
		}
	}
	for _, r := range reqs {
		if r.status != 200 {
			t.Errorf("request %q answered %d", r.query, r.status)
		}
	}
	if o := pullStored(t, offsetsFile, api.URL()); !pullStoredAt(o, api.event(22), 23) {
		t.Errorf("offsets file after stop: %v", o)
	}
}

// A restart with the same offsets file continues where the previous run
// stopped: events published between the runs (including one at the same
// instant as the last event read) are read once, nothing is read twice,
// and a restart with nothing new produces nothing.
func TestPullRestartContinuesFromStoredOffset(t *testing.T) {
	api := newPullOkta(t, 4)
	api.add(9) // the last event shares its second with the next one
	t.Setenv("OKTA_URL", api.URL())
	t.Setenv("OKTA_TOKEN", pullToken)
	addr := pullStartBroker(t)
	dir := t.TempDir()
	offsetsFile := filepath.Join(dir, "okta.offsets")
	workerPath := pullWorkerFile(t, dir, offsetsFile, "bootstrap.servers", addr)
	connPath := pullConnectorFile(t, dir)

	run := func(wantTotal, lastEvent int) {
		t.Helper()
		w := startPullWorker(t, workerPath, connPath)
		if got := pullConsume(t, addr, wantTotal, 20*time.Second); len(got) < wantTotal {
			t.Fatalf("%d records, want %d: %v\n%s", len(got), wantTotal, w.failed(), w.log.String())
		}
		pullWait(t, "the offsets file at the last event", 10*time.Second, func() bool {
			return pullStoredAt(pullStored(t, offsetsFile, api.URL()), api.event(lastEvent), lastEvent+1)
		})
		if err := w.stop(t, 10*time.Second); err != nil {
			t.Fatalf("worker: %v\n%s", err, w.log.String())
		}
	}
	run(9, 8)
	requestsBefore := len(api.log())
	api.add(9)
	run(18, 17)
	// The second run resumed from the stored next link, not from
	// initial.offset.
	if q := api.log()[requestsBefore].query; !strings.Contains(q, "after=9") {
		t.Errorf("second run started with %q, want the stored next link (after=9)", q)
	}
	all := pullReadAll(t, addr)
	got := pullUUIDs(t, all)
	if len(got) != 18 {
		t.Fatalf("%d records after the restart, want 18: %v", len(got), got)
	}
	for i, u := range got {
		if u != api.event(i).uuid {
			t.Fatalf("record %d is %s, want %s (order %v)", i, u, api.event(i).uuid, got)
		}
	}

	// Nothing new: a third run produces nothing.
	requestsBefore = len(api.log())
	w := startPullWorker(t, workerPath, connPath)
	pullWait(t, "the third run to poll", 10*time.Second, func() bool { return len(api.log()) >= requestsBefore+4 })
	if err := w.stop(t, 10*time.Second); err != nil {
		t.Fatalf("worker: %v\n%s", err, w.log.String())
	}
	if n := len(pullReadAll(t, addr)); n != 18 {
		t.Errorf("%d records after a restart with nothing new, want 18", n)
	}
}

// Rate limiting: a page request answered 429 with Retry-After is retried
// after the requested delay; every event arrives once, in order.
func TestPullThrottledRetryAfter(t *testing.T) {
	api := newPullOkta(t, 5)
	api.add(12)
	api.throttle[2] = true // the second page
	api.retryAfter = "1"
	t.Setenv("OKTA_URL", api.URL())
	t.Setenv("OKTA_TOKEN", pullToken)
	addr := pullStartBroker(t)
	dir := t.TempDir()
	offsetsFile := filepath.Join(dir, "okta.offsets")
	w := startPullWorker(t, pullWorkerFile(t, dir, offsetsFile, "bootstrap.servers", addr), pullConnectorFile(t, dir))
	if got := pullConsume(t, addr, 12, 20*time.Second); len(got) < 12 {
		t.Fatalf("%d records, want 12: %v\n%s", len(got), w.failed(), w.log.String())
	}
	pullWait(t, "the offsets file at the last event", 10*time.Second, func() bool {
		return pullStoredAt(pullStored(t, offsetsFile, api.URL()), api.event(11), 12)
	})
	if err := w.stop(t, 10*time.Second); err != nil {
		t.Fatalf("worker: %v\n%s", err, w.log.String())
	}
	got := pullUUIDs(t, pullReadAll(t, addr))
	if len(got) != 12 {
		t.Fatalf("%d records, want 12: %v", len(got), got)
	}
	for i, u := range got {
		if u != api.event(i).uuid {
			t.Fatalf("record %d is %s, want %s", i, u, api.event(i).uuid)
		}
	}
	reqs := api.log()
	if len(reqs) < 3 || reqs[1].status != 429 || reqs[2].status != 200 || reqs[2].query != reqs[1].query {
		t.Fatalf("requests %v: want the throttled page retried with the same URL", reqs)
	}
	if gap := reqs[2].at.Sub(reqs[1].at); gap < 900*time.Millisecond || gap > 5*time.Second {
		t.Errorf("retried %v after the 429, want about Retry-After: 1s", gap)
	}
	if strings.Contains(w.log.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", w.log.String())
	}
}

// The built `sluice standalone` binary, as a subprocess producing to a
// kfake cluster in the test process.
func TestPullSubprocess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sluice binary")
	}
	bin := pullBinary(t, t.TempDir())
	t.Run("KilledBeforeAcknowledgement", func(t *testing.T) { pullKillBeforeAck(t, bin) })
	t.Run("StopSignalDuringRequest", func(t *testing.T) { pullStopDuringRequest(t, bin) })
}

// pullProduceGate holds, then drops, the produce requests of a kfake cluster.
// Once holding starts, every request of the producers seen holding is
// dropped, also the ones the dead connection had queued behind the held
// request: nothing those producers sent after the gate closed is written.
type pullProduceGate struct {
	held    chan struct{} // signalled once per held request
	release chan struct{}
	once    sync.Once

	mu      sync.Mutex
	holding bool
	doomed  map[int64]bool // producer IDs
	dropped int
}

func newPullProduceGate(c *kfake.Cluster) *pullProduceGate {
	g := &pullProduceGate{held: make(chan struct{}, 64), release: make(chan struct{}), doomed: map[int64]bool{}}
	c.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		ids := pullProduceIDs(req.(*kmsg.ProduceRequest))
		g.mu.Lock()
		holding, doomed := g.holding, false
		for _, id := range ids {
			doomed = doomed || g.doomed[id]
			if holding {
				g.doomed[id] = true
			}
		}
		g.mu.Unlock()
		if holding {
			g.held <- struct{}{}
			c.SleepControl(func() { <-g.release })
		} else if !doomed {
			return nil, nil, false
		}
		// The producer is gone: the request is never written.
		g.mu.Lock()
		g.dropped++
		g.mu.Unlock()
		return nil, errors.New("connection lost"), true
	})
	return g
}

// pullProduceIDs returns the producer IDs of a produce request's batches.
func pullProduceIDs(req *kmsg.ProduceRequest) []int64 {
	var ids []int64
	for _, t := range req.Topics {
		for _, p := range t.Partitions {
			var b kmsg.RecordBatch
			if err := b.ReadFrom(p.Records); err == nil {
				ids = append(ids, b.ProducerID)
			}
		}
	}
	return ids
}

// hold starts holding produce requests.
func (g *pullProduceGate) hold() {
	g.mu.Lock()
	g.holding = true
	g.mu.Unlock()
}

// open lets the requests of new producers through and drops the held ones.
func (g *pullProduceGate) open() {
	g.mu.Lock()
	g.holding = false
	g.mu.Unlock()
	g.once.Do(func() { close(g.release) })
}

// droppedCount returns how many produce requests were dropped.
func (g *pullProduceGate) droppedCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.dropped
}

func pullKFake(t *testing.T) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// kill -9 after a batch was polled and handed to the producer, before
// Kafka acknowledged it: the stored offset has not moved, so the restarted
// process reads the batch again. Every event ends up in Kafka, the events
// acknowledged before the kill exactly once, and the offsets file at the
// last event.
func pullKillBeforeAck(t *testing.T, bin string) {
	c := pullKFake(t)
	gate := newPullProduceGate(c)
	defer gate.open()
	addr := c.ListenAddrs()[0]
	api := newPullOkta(t, 4)
	api.add(10)
	dir := t.TempDir()
	offsetsFile := filepath.Join(dir, "okta.offsets")
	workerPath := pullWorkerFile(t, dir, offsetsFile, "bootstrap.servers", addr)
	connPath := pullConnectorFile(t, dir)

	p := startPullProcess(t, bin, workerPath, connPath, api.URL())
	if got := pullConsume(t, addr, 10, 30*time.Second); len(got) < 10 {
		t.Fatalf("%d records, want 10\n%s", len(got), p.stderr.String())
	}
	pullWait(t, "the offsets file at event 9", 10*time.Second, func() bool {
		return pullStoredAt(pullStored(t, offsetsFile, api.URL()), api.event(9), 10)
	})

	// Hold acknowledgements, publish 8 more events, wait until the process
	// has polled them and sent them to Kafka.
	gate.hold()
	api.add(8)
	select {
	case <-gate.held:
	case <-time.After(20 * time.Second):
		t.Fatalf("no produce request for the new events\n%s", p.stderr.String())
	}
	time.Sleep(300 * time.Millisecond) // several offset flush intervals
	if o := pullStored(t, offsetsFile, api.URL()); !pullStoredAt(o, api.event(9), 10) {
		t.Fatalf("offset moved without an acknowledgement: %v", o)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != -1 {
		t.Fatalf("exit code %d after SIGKILL", code)
	}
	gate.open()
	pullWait(t, "the held request dropped", 10*time.Second, func() bool { return gate.droppedCount() > 0 })
	time.Sleep(200 * time.Millisecond) // anything still queued on the dead connection
	if n := pullEndOffset(t, addr); n != 10 {
		t.Fatalf("%d records in Kafka after the kill, want the 10 acknowledged ones", n)
	}

	// Restart with the same offsets file.
	p = startPullProcess(t, bin, workerPath, connPath, api.URL())
	pullWait(t, "every event in Kafka", 30*time.Second, func() bool {
		if p.exited() {
			t.Fatalf("restarted process exited\n%s", p.stderr.String())
		}
		return len(pullCounts(t, pullReadAll(t, addr))) == 18
	})
	pullWait(t, "the offsets file at the last event", 10*time.Second, func() bool {
		return pullStoredAt(pullStored(t, offsetsFile, api.URL()), api.event(17), 18)
	})
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM\n%s", code, p.stderr.String())
	}
	counts := pullCounts(t, pullReadAll(t, addr))
	dups := 0
	for i := range 18 {
		n := counts[api.event(i).uuid]
		switch {
		case n == 0:
			t.Errorf("event %d lost", i)
		case i < 10 && n != 1:
			t.Errorf("event %d, acknowledged before the kill, is in Kafka %d times", i, n)
		}
		dups += n - 1
	}
	if gate.droppedCount() == 0 {
		t.Error("no produce request was held and dropped")
	}
	t.Logf("%d produce requests of the killed process dropped; %d duplicates", gate.droppedCount(), dups)
	if o := pullStored(t, offsetsFile, api.URL()); !pullStoredAt(o, api.event(17), 18) {
		t.Errorf("offsets file after the restart: %v", o)
	}
}

// SIGTERM while the API server holds a request open: the request is
// abandoned, the process exits 0 promptly, and the offsets file keeps the
// last acknowledged event.
func pullStopDuringRequest(t *testing.T, bin string) {
	c := pullKFake(t)
	addr := c.ListenAddrs()[0]
	api := newPullOkta(t, 10)
	api.add(5)
	dir := t.TempDir()
	offsetsFile := filepath.Join(dir, "okta.offsets")
	p := startPullProcess(t, bin, pullWorkerFile(t, dir, offsetsFile, "bootstrap.servers", addr),
		pullConnectorFile(t, dir), api.URL())
	if got := pullConsume(t, addr, 5, 30*time.Second); len(got) < 5 {
		t.Fatalf("%d records, want 5\n%s", len(got), p.stderr.String())
	}
	pullWait(t, "the offsets file at event 4", 10*time.Second, func() bool {
		return pullStoredAt(pullStored(t, offsetsFile, api.URL()), api.event(4), 5)
	})
	api.armHold()
	select {
	case <-api.held:
	case <-time.After(10 * time.Second):
		t.Fatalf("no request was held\n%s", p.stderr.String())
	}
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code := p.wait(t, 10*time.Second)
	took := time.Since(start)
	if code != 0 {
		t.Fatalf("exit code %d after SIGTERM\n%s", code, p.stderr.String())
	}
	if took > 3*time.Second {
		t.Errorf("exit took %v after SIGTERM", took)
	}
	select {
	case <-api.released:
	case <-time.After(5 * time.Second):
		t.Error("the held request was not abandoned by the client")
	}
	logs := p.stderr.String()
	if strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "task stopped") {
		t.Errorf("unclean stop:\n%s", logs)
	}
	if o := pullStored(t, offsetsFile, api.URL()); !pullStoredAt(o, api.event(4), 5) {
		t.Errorf("offsets file after the stop: %v", o)
	}
	if n := len(pullReadAll(t, addr)); n != 5 {
		t.Errorf("%d records, want 5", n)
	}
	t.Logf("exited %v after SIGTERM", took.Round(time.Millisecond))
}
