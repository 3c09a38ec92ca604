package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice/broker"
	"sluice.io/sluice/connectors/pollable/httpclient"
	"sluice.io/sluice/connectors/pollable/okta"
	_ "sluice.io/sluice/plugins"
	"sluice.io/sluice/worker"
	"sluice.io/sluice/worker/offsets"
)

// Paths of the example files the pull tests run.
const (
	pullConnectorExample = "../examples/okta-poll.properties"
	pullWorkerExample    = "../examples/standalone/okta-worker.properties"
	pullTopic            = "okta-system-log"
	pullConnectorName    = "okta-poll"
	pullToken            = "00e2e-test-token"
)

// pullEvent is one System Log event served by pullOkta.
type pullEvent struct {
	uuid      string
	published string
	json      string // compact JSON, in the member order the server sends
}

// pullRequest is one request pullOkta received.
type pullRequest struct {
	at     time.Time
	query  string
	status int
}

// pullOkta is an Okta-shaped System Log API: GET /api/v1/logs with an SSWS
// token, since/after/limit, ascending order, pages of at most pageSize
// events, a Link rel="self" and rel="next" on every answer (the next link
// carries an "after" cursor, also when no more events exist yet).
type pullOkta struct {
	srv      *httptest.Server
	pageSize int

	mu       sync.Mutex
	events   []pullEvent
	requests []pullRequest
	// throttle lists 1-based request numbers answered with 429 and
	// Retry-After: retryAfter.
	throttle   map[int]bool
	retryAfter string
	// holdArmed makes the next request hang until the client gives up or
	// the server closes; held is signalled when it starts, released when the
	// client's context ended it.
	holdArmed bool
	held      chan struct{}
	released  chan struct{}
	quit      chan struct{}
}

// newPullOkta starts the server; it is closed when the test ends.
func newPullOkta(t *testing.T, pageSize int) *pullOkta {
	s := &pullOkta{pageSize: pageSize, throttle: map[int]bool{}, retryAfter: "1",
		held: make(chan struct{}, 1), released: make(chan struct{}, 1), quit: make(chan struct{})}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	t.Cleanup(func() { close(s.quit) }) // runs first: frees a held request
	return s
}

// URL is what OKTA_URL is set to.
func (s *pullOkta) URL() string { return s.srv.URL }

// add appends n events, two per second of published time, so that several
// events share an instant and the boundaries of pages and runs split them.
func (s *pullOkta) add(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		i := len(s.events)
		ts := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i/2) * time.Second).Format("2006-01-02T15:04:05.000Z")
		uuid := fmt.Sprintf("e2e%05d-0000-11ef-0000-000000000000", i)
		// Members deliberately out of alphabetical order, a number with a
		// trailing zero and a non-ASCII string: the record must keep the
		// server's text.
		js := fmt.Sprintf(`{"uuid":%q,"published":%q,"eventType":"user.session.start","version":"0","severity":"INFO",`+
			`"displayMessage":"User login to Okta","actor":{"id":"00u%d","type":"User","alternateId":"user%d@example.com","displayName":"Zoë %d"},`+
			`"outcome":{"result":"SUCCESS","reason":null},"debugContext":{"debugData":{"risk":1.50,"requestId":"req-%d"}}}`,
			uuid, ts, i, i, i, i)
		s.events = append(s.events, pullEvent{uuid: uuid, published: ts, json: js})
	}
}

// event returns event i.
func (s *pullOkta) event(i int) pullEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events[i]
}

// log returns a copy of the requests received so far.
func (s *pullOkta) log() []pullRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]pullRequest(nil), s.requests...)
}

// armHold makes the next request hang.
func (s *pullOkta) armHold() {
	s.mu.Lock()
	s.holdArmed = true
	s.mu.Unlock()
}

func (s *pullOkta) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.requests) + 1
	s.requests = append(s.requests, pullRequest{at: time.Now(), query: r.URL.RawQuery})
	setStatus := func(code int) { s.requests[n-1].status = code }
	if r.URL.Path != "/api/v1/logs" || r.Method != http.MethodGet {
		setStatus(404)
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "SSWS "+pullToken || r.Header.Get("Accept") != "application/json" {
		setStatus(401)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		fmt.Fprint(w, `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}`)
		return
	}
	if s.throttle[n] {
		setStatus(429)
		s.mu.Unlock()
		w.Header().Set("Retry-After", s.retryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(429)
		fmt.Fprint(w, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorCauses":[]}`)
		return
	}
	if s.holdArmed {
		s.holdArmed = false
		setStatus(-1)
		s.mu.Unlock()
		s.held <- struct{}{}
		select {
		case <-r.Context().Done():
			s.released <- struct{}{}
		case <-s.quit:
		case <-time.After(time.Minute):
		}
		return
	}
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 {
		setStatus(400)
		s.mu.Unlock()
		http.Error(w, `{"errorCode":"E0000001","errorSummary":"Api validation failed: limit"}`, 400)
		return
	}
	limit = min(limit, s.pageSize)
	from := 0
	if a := q.Get("after"); a != "" {
		from, _ = strconv.Atoi(a)
	} else {
		since := q.Get("since")
		for from < len(s.events) && s.events[from].published < since {
			from++
		}
	}
	from = min(from, len(s.events))
	to := min(from+limit, len(s.events))
	var body bytes.Buffer
	body.WriteString("[\n")
	for i, e := range s.events[from:to] {
		if i > 0 {
			body.WriteString(",\n")
		}
		// Pretty-printed like a proxy might: records must be compact.
		if err := json.Indent(&body, []byte(e.json), "  ", "  "); err != nil {
			panic(err)
		}
	}
	body.WriteString("\n]\n")
	setStatus(200)
	s.mu.Unlock()

	next := *r.URL
	nq := next.Query()
	nq.Set("after", strconv.Itoa(to))
	next.RawQuery = nq.Encode()
	w.Header().Add("Link", fmt.Sprintf(`<http://%s%s>; rel="self"`, r.Host, r.URL.RequestURI()))
	w.Header().Add("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, r.Host, next.RequestURI()))
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body.Bytes())
}

// pullFile copies an example file to dir and appends override lines (in a
// properties file the last occurrence of a key wins).
func pullFile(t *testing.T, example, dir string, overrides ...string) string {
	t.Helper()
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.Write(data)
	b.WriteString("\n# test overrides\n")
	for i := 0; i+1 < len(overrides); i += 2 {
		fmt.Fprintf(&b, "%s=%s\n", overrides[i], overrides[i+1])
	}
	path := filepath.Join(dir, filepath.Base(example))
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pullConnectorFile is the Okta example with a short poll interval and
// back-off, so that a test does not wait a minute for the first batch.
func pullConnectorFile(t *testing.T, dir string) string {
	return pullFile(t, pullConnectorExample, dir, "poll.interval", "200", "poll.backoff", "500")
}

// pullWorkerFile is the Okta worker example with a test offsets file, a
// free HTTP port, fast offset flushing and the given extra keys.
func pullWorkerFile(t *testing.T, dir, offsetsFile string, extra ...string) string {
	kv := append([]string{"offset.storage.file.filename", offsetsFile, "offset.flush.interval.ms", "100",
		"listeners", "http://127.0.0.1:0", "sluice.progress.interval.ms", "0"}, extra...)
	return pullFile(t, pullWorkerExample, dir, kv...)
}

func pullLogger(w io.Writer) *slog.Logger {
	if testing.Verbose() {
		w = io.MultiWriter(w, os.Stderr)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// pullLogBuffer collects a worker's log safely across goroutines.
type pullLogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *pullLogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *pullLogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// pullWorker is a standalone worker run in-process through
// worker.RunStandalone, as `sluice standalone` runs it.
type pullWorker struct {
	cancel context.CancelFunc
	done   chan error
	log    *pullLogBuffer
	broker chan string // address of the embedded broker, when started
}

// startPullWorker runs RunStandalone(workerPath, connectorPath) until stop.
func startPullWorker(t *testing.T, workerPath, connectorPath string) *pullWorker {
	ctx, cancel := context.WithCancel(context.Background())
	w := &pullWorker{cancel: cancel, done: make(chan error, 1), log: &pullLogBuffer{}, broker: make(chan string, 1)}
	logger := pullLogger(w.log)
	go func() {
		w.done <- worker.RunStandalone(ctx, workerPath, []string{connectorPath}, worker.Options{
			Logger: logger,
			StartBroker: func(ctx context.Context, eb worker.EmbeddedBroker, l *slog.Logger) (worker.Broker, error) {
				b, err := broker.Start(ctx, eb.Addr, l)
				if err == nil {
					w.broker <- b.Addr()
				}
				return b, err
			},
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-w.done:
		case <-time.After(20 * time.Second):
		}
	})
	return w
}

// stop cancels the worker and returns RunStandalone's result; it fails
// the test when the worker takes longer than limit.
func (w *pullWorker) stop(t *testing.T, limit time.Duration) error {
	t.Helper()
	w.cancel()
	select {
	case err := <-w.done:
		w.done <- err // for the cleanup
		return err
	case <-time.After(limit):
		t.Fatalf("worker did not stop within %v\n%s", limit, w.log.String())
		return nil
	}
}

// failed reports a worker that ended early.
func (w *pullWorker) failed() error {
	select {
	case err := <-w.done:
		w.done <- err
		if err == nil {
			return fmt.Errorf("worker stopped by itself")
		}
		return err
	default:
		return nil
	}
}

// pullStartBroker starts an embedded broker owned by the test, so that
// its data outlives the workers of a restart test.
func pullStartBroker(t *testing.T) string {
	t.Helper()
	b, err := broker.Start(context.Background(), "127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.Addr()
}

// pullConsume reads topic from its start until it holds at least n
// records, or until timeout.
func pullConsume(t *testing.T, addr string, n int, timeout time.Duration) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(pullTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.MetadataMinAge(50*time.Millisecond),
		kgo.MetadataMaxAge(200*time.Millisecond), kgo.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out []*kgo.Record
	for len(out) < n && ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

// pullEndOffset returns the number of records in the topic (its end
// offsets summed).
func pullEndOffset(t *testing.T, addr string) int {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, pullTopic)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err == nil {
			total += int(o.Offset)
		}
	})
	return total
}

// pullReadAll reads every record of the topic up to its end at the time of
// the call (and any that arrive meanwhile in the same fetches).
func pullReadAll(t *testing.T, addr string) []*kgo.Record {
	t.Helper()
	total := pullEndOffset(t, addr)
	recs := pullConsume(t, addr, total, 10*time.Second)
	if len(recs) < total {
		t.Fatalf("read %d of the topic's %d records", len(recs), total)
	}
	return recs
}

// pullUUIDs returns the uuid of each record's value, in order.
func pullUUIDs(t *testing.T, recs []*kgo.Record) []string {
	t.Helper()
	out := make([]string, len(recs))
	for i, r := range recs {
		var ev struct{ UUID string }
		if err := json.Unmarshal(r.Value, &ev); err != nil || ev.UUID == "" {
			t.Fatalf("record %d is not an event: %q (%v)", i, r.Value, err)
		}
		out[i] = ev.UUID
	}
	return out
}

// pullCounts counts the records of every event uuid.
func pullCounts(t *testing.T, recs []*kgo.Record) map[string]int {
	c := map[string]int{}
	for _, u := range pullUUIDs(t, recs) {
		c[u]++
	}
	return c
}

// pullPartition is the source partition of the Okta client.
func pullPartition(serverURL string) map[string]any {
	return map[string]any{httpclient.PartitionURLKey: serverURL + okta.DefaultEndpoint, httpclient.PartitionMethodKey: "GET"}
}

// pullStored returns the offset stored in the offsets file (nil when none).
func pullStored(t *testing.T, file, serverURL string) map[string]any {
	t.Helper()
	s, _, err := offsets.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Offset(pullConnectorName, pullPartition(serverURL))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// pullStoredAt reports whether the stored offset resumes right after
// event ev of a server holding total events: at ev's published time with
// ev's uuid read, or at the next link after it.
func pullStoredAt(o map[string]any, ev pullEvent, total int) bool {
	if o == nil {
		return false
	}
	if next, _ := o[okta.NextKey].(string); next != "" {
		return strings.Contains(next, "after="+strconv.Itoa(total)) && o[okta.PublishedKey] == ev.published
	}
	return o[okta.PublishedKey] == ev.published && strings.Contains(fmt.Sprint(o[okta.UUIDsKey]), ev.uuid)
}

// pullWait polls cond every 20 ms until it holds or timeout passes.
func pullWait(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pullBinary builds the sluice command into dir.
func pullBinary(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found: cannot build the sluice binary")
	}
	bin := filepath.Join(dir, "sluice")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, "sluice.io/sluice/cmd/sluice")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// pullProcess is a `sluice standalone` subprocess.
type pullProcess struct {
	cmd    *exec.Cmd
	stderr *pullLogBuffer
	done   chan struct{}
	err    error
}

// startPullProcess runs `bin standalone WORKER CONNECTOR` with OKTA_URL
// and OKTA_TOKEN set; it is killed if still running when the test ends.
func startPullProcess(t *testing.T, bin, workerPath, connectorPath, oktaURL string) *pullProcess {
	t.Helper()
	p := &pullProcess{stderr: &pullLogBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "standalone", workerPath, connectorPath)
	p.cmd.Env = append(os.Environ(), "OKTA_URL="+oktaURL, "OKTA_TOKEN="+pullToken)
	p.cmd.Stdout = p.stderr
	p.cmd.Stderr = p.stderr
	if testing.Verbose() {
		p.cmd.Stderr = io.MultiWriter(p.stderr, os.Stderr)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// exited reports whether the process has ended.
func (p *pullProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to end within limit and returns its exit code.
func (p *pullProcess) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		t.Fatalf("sluice standalone did not exit within %v\n%s", limit, p.stderr.String())
		return -1
	}
}
