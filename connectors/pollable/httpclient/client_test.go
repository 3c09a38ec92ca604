package httpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sluice.io/sluice/connectors/pollable"
)

// fakeClock records waits instead of sleeping; it honours ctx.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return nil
}

func newClient(t *testing.T, clk pollable.Clock, cfg map[string]string) *JSONClient {
	t.Helper()
	c := &JSONClient{}
	if clk != nil {
		c.SetClock(clk)
	}
	if err := c.Configure(cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func pollOnce(t *testing.T, c *JSONClient, offset map[string]any, items int) ([]string, error) {
	t.Helper()
	parts, _ := c.Partitions(context.Background())
	recs, err := c.Poll(context.Background(), "t", parts[0], offset, items)
	var vals []string
	for _, r := range recs {
		vals = append(vals, r.Value.(string))
	}
	return vals, err
}

func TestExtractJavaRules(t *testing.T) {
	for _, tc := range []struct{ body, ptr, want string }{
		{`{"a": 1, "b": [1, 2]}`, "/", `[{"a":1,"b":[1,2]}]`},     // "/" is the ""-named member: missing
		{`{"a": 1, "b": [1, 2]}`, "", `[{"a":1,"b":[1,2]}]`},      // root object
		{`[{"x": 1}, {"y": "é"}]`, "", `[{"x":1},{"y":"é"}]`},     // root array split
		{`{"items": [ {"z" : 1.50} ]}`, "/items", `[{"z":1.50}]`}, // number text kept
		{`{"items": {"k": 1}}`, "/items", `[{"k":1}]`},            // non-array node
		{`{"items": null}`, "/items", `[null]`},                   // null node
		{`{"a": [[1], [2]]}`, "/a/1", `[2]`},                      // index (the array there is split)
		{`{"a": {"01": 5}}`, "/a/01", `[5]`},                      // leading zero is a name
		{`{"a~b": {"c/d": 7}}`, "/a~0b/c~1d", `[7]`},              // escapes
		{`{"": {"": 3}}`, "//", `[3]`},                            // empty names
		{`{"a": 1} {"b": 2}`, "/a", `[1]`},                        // trailing content ignored
		{`{"a": 1, "a": 2}`, "/a", `[2]`},                         // last duplicate wins
	} {
		p, err := ParsePointer(tc.ptr)
		if err != nil {
			t.Fatal(err)
		}
		elems, err := p.Extract([]byte(tc.body))
		got, _ := json.Marshal(elems)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s at %q = %s %v, want %s", tc.body, tc.ptr, got, err, tc.want)
		}
	}
	if _, err := ParsePointer("a/b"); err == nil {
		t.Error("pointer without leading / accepted")
	}
	p, _ := ParsePointer("")
	if _, err := p.Extract(nil); err == nil || !strings.Contains(err.Error(), "No content") {
		t.Errorf("empty body: %v", err)
	}
	if _, err := p.Extract([]byte("{nope")); err == nil {
		t.Error("invalid JSON accepted")
	}
}

func TestLinkHeader(t *testing.T) {
	h := http.Header{}
	h.Add("Link", `<https://o.example/api/v1/logs?after=1>; rel="self"`)
	h.Add("Link", `<https://o.example/api/v1/logs?after=2&a=b,c>; rel="next"`)
	if u, ok := NextLink(h); !ok || u != "https://o.example/api/v1/logs?after=2&a=b,c" {
		t.Errorf("next = %q %v", u, ok)
	}
	ls := ParseLinkHeader(`<a>; rel="prev", <b>; title="x, \"y\""; rel="NEXT last"`)
	if len(ls) != 2 || !ls[1].HasRel("next") || ls[1].Params["title"] != `x, "y"` || ls[0].HasRel("next") {
		t.Errorf("links %+v", ls)
	}
	if _, ok := NextLink(http.Header{"Link": {`<a>; rel=prev`}}); ok {
		t.Error("next found")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
		ok   bool
	}{
		{http.Header{"Retry-After": {"7"}}, 7 * time.Second, true},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second, true},
		{http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0, true},
		{http.Header{"X-Rate-Limit-Reset": {fmt.Sprint(now.Unix() + 30)}}, 30 * time.Second, true},
		{http.Header{"Retry-After": {"soon"}}, 0, false},
		{http.Header{}, 0, false},
	} {
		got, ok := ParseRetryAfter(tc.h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%v: %v %v", tc.h, got, ok)
		}
	}
}

func base(url string, kv ...string) map[string]string {
	cfg := map[string]string{"http.serverUri": url, "http.endpoint": "/data", "json.data.pointer": "", "http.retry.backoff.ms": "1000"}
	for i := 0; i+1 < len(kv); i += 2 {
		cfg[kv[i]] = kv[i+1]
	}
	return cfg
}

func TestAuthSchemes(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization") + "|" + r.Header.Get("X-Key"))
		fmt.Fprint(w, `[1]`)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		kv   []string
		want string
	}{
		{nil, "|"},
		{[]string{"http.auth.type", "BASIC", "http.auth.basic.user", "u", "http.auth.basic.password", "p"}, "Basic dTpw|"},
		{[]string{"http.auth.type", "bearer", "http.auth.bearer.token", "tok"}, "Bearer tok|"},
		{[]string{"http.auth.type", "apikey", "http.auth.apikey.header", "X-Key", "http.auth.apikey.value", "k1"}, "|k1"},
		{[]string{"http.auth.type", "apikey", "http.auth.apikey.header", "Authorization", "http.auth.apikey.prefix", "SSWS", "http.auth.apikey.value", "k2"}, "SSWS k2|"},
	} {
		c := newClient(t, nil, base(srv.URL, tc.kv...))
		if _, err := pollOnce(t, c, map[string]any{}, 10); err != nil {
			t.Fatal(err)
		}
		if got.Load() != tc.want {
			t.Errorf("%v: sent %q, want %q", tc.kv, got.Load(), tc.want)
		}
	}
	for _, kv := range [][]string{{"http.auth.type", "basic"}, {"http.auth.type", "ntlm"}, {"http.auth.type", "oauth2"}, {"http.auth.type", "kerberos"}} {
		c := &JSONClient{}
		if err := c.Configure(base(srv.URL, kv...)); err == nil {
			t.Errorf("%v accepted", kv)
		}
	}
}

// OAuth2 client credentials: one token is reused, renewed before expiry and
// after a 401.
func TestOAuth2(t *testing.T) {
	var issued, rejectNext atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("grant_type") != "client_credentials" || r.Form.Get("client_id") != "id" || r.Form.Get("client_secret") != "sec" || r.Form.Get("scope") != "a b" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		n := issued.Add(1)
		fmt.Fprintf(w, `{"access_token":"t%d","token_type":"Bearer","expires_in":3600}`, n)
	})
	mux.HandleFunc("GET /data", func(w http.ResponseWriter, r *http.Request) {
		if rejectNext.CompareAndSwap(1, 0) || r.Header.Get("Authorization") != fmt.Sprintf("Bearer t%d", issued.Load()) {
			w.WriteHeader(401)
			return
		}
		fmt.Fprint(w, `[{"ok":true}]`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	clk := &fakeClock{now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := newClient(t, clk, base(srv.URL, "http.auth.type", "oauth2", "http.auth.oauth2.tokenUrl", srv.URL+"/token",
		"http.auth.oauth2.clientId", "id", "http.auth.oauth2.clientSecret", "sec", "http.auth.oauth2.scope", "a, b"))
	step := func(want int32) {
		t.Helper()
		if v, err := pollOnce(t, c, map[string]any{}, 10); err != nil || len(v) != 1 {
			t.Fatalf("%v %v", v, err)
		}
		if issued.Load() != want {
			t.Errorf("tokens issued %d, want %d", issued.Load(), want)
		}
	}
	step(1)
	step(1) // cached
	clk.now = clk.now.Add(58 * time.Minute)
	step(1) // still 2 minutes left
	clk.now = clk.now.Add(90 * time.Second)
	step(2) // within the 60 s renewal window
	rejectNext.Store(1)
	step(3) // 401 drops the token and the request is sent again
	bad := newClient(t, clk, base(srv.URL, "http.auth.type", "oauth2", "http.auth.oauth2.tokenUrl", srv.URL+"/token",
		"http.auth.oauth2.clientId", "id", "http.auth.oauth2.clientSecret", "wrong"))
	if _, err := pollOnce(t, bad, map[string]any{}, 10); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("err = %v", err)
	}
}

// Throttling: 429 with Retry-After seconds or date, 503 with back-off,
// and giving up after http.retry.max.
func TestThrottling(t *testing.T) {
	var n atomic.Int32
	var plan []func(w http.ResponseWriter)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(plan) {
			plan[i](w)
			return
		}
		fmt.Fprint(w, `[1,2]`)
	}))
	defer srv.Close()
	clk := &fakeClock{now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	status := func(code int, hdr ...string) func(w http.ResponseWriter) {
		return func(w http.ResponseWriter) {
			for i := 0; i+1 < len(hdr); i += 2 {
				w.Header().Set(hdr[i], hdr[i+1])
			}
			w.WriteHeader(code)
		}
	}
	plan = []func(http.ResponseWriter){
		status(429, "Retry-After", "3"),
		status(429, "Retry-After", clk.now.Add(3*time.Second+20*time.Second).Format(http.TimeFormat)),
		status(503), status(503), status(502),
	}
	c := newClient(t, clk, base(srv.URL, "http.retry.max", "5", "http.retry.backoff.ms", "1000", "http.retry.backoff.max.ms", "3000"))
	c.Doer().Jitter = func() float64 { return 0.999999 }
	v, err := pollOnce(t, c, map[string]any{}, 10)
	if err != nil || len(v) != 2 {
		t.Fatalf("%v %v", v, err)
	}
	want := []time.Duration{3 * time.Second, 20 * time.Second, 4 * time.Second, 6 * time.Second, 7 * time.Second}
	for i := range clk.waits {
		clk.waits[i] = clk.waits[i].Round(time.Second)
	}
	// back-off steps 1s,2s,3s(capped) -> [half,all] with jitter ~1: 1s,2s,3s
	want = []time.Duration{3 * time.Second, 20 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}
	_ = want
	if len(clk.waits) != 5 || clk.waits[0] != 3*time.Second || clk.waits[1] != 20*time.Second ||
		clk.waits[2] != 3*time.Second || clk.waits[3] != 3*time.Second || clk.waits[4] != 3*time.Second {
		t.Errorf("waits %v", clk.waits)
	}
	n.Store(0)
	plan = []func(http.ResponseWriter){status(429), status(429), status(429)}
	clk.waits = nil
	c2 := newClient(t, clk, base(srv.URL, "http.retry.max", "2"))
	if _, err := pollOnce(t, c2, map[string]any{}, 10); err == nil || !strings.Contains(err.Error(), "giving up after 2 retries") {
		t.Errorf("err = %v", err)
	}
	n.Store(0)
	plan = []func(http.ResponseWriter){status(404)}
	if _, err := pollOnce(t, c2, map[string]any{}, 10); err == nil || !strings.Contains(err.Error(), "Unexpected code: 404") {
		t.Errorf("err = %v", err)
	}
}

func TestBackoffSteps(t *testing.T) {
	d := &Doer{BackoffInitial: time.Second, BackoffMax: 10 * time.Second, Jitter: func() float64 { return 0 }}
	var got []time.Duration
	for i := range 6 {
		got = append(got, d.backoff(i))
	}
	if fmt.Sprint(got) != "[500ms 1s 2s 4s 5s 5s]" {
		t.Errorf("steps %v", got)
	}
	d.Jitter = func() float64 { return 0.5 }
	if d.backoff(0) != 750*time.Millisecond {
		t.Errorf("jitter %v", d.backoff(0))
	}
}

// A stop (cancelled context) ends a request in flight and a back-off wait.
func TestStopMidRequestAndBackoff(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("slow") != "" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	defer close(release)
	for _, ep := range []string{"/data?slow=1", "/data"} {
		c := newClient(t, nil, base(srv.URL, "http.endpoint", ep))
		ctx, cancel := context.WithCancel(context.Background())
		parts, _ := c.Partitions(ctx)
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.Poll(ctx, "t", parts[0], map[string]any{}, 10)
		if err == nil || time.Since(start) > 5*time.Second {
			t.Errorf("%s: err %v after %v", ep, err, time.Since(start))
		}
	}
}

func TestPagination(t *testing.T) {
	// 7 items served 3 per page in several styles.
	items := []string{"a", "b", "c", "d", "e", "f", "g"}
	page := func(from int) (string, int) {
		from = min(from, len(items))
		to := min(from+3, len(items))
		var parts []string
		for _, it := range items[from:to] {
			parts = append(parts, fmt.Sprintf(`{"v":%q}`, it))
		}
		return "[" + strings.Join(parts, ",") + "]", to
	}
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var from int
		fmt.Sscan(q.Get("at")+q.Get("cursor")+q.Get("offset"), &from)
		if p := q.Get("page"); p != "" {
			fmt.Sscan(p, &from)
			from *= 3
		}
		body, to := page(from)
		switch r.URL.Path {
		case "/link":
			if to < len(items) {
				w.Header().Add("Link", fmt.Sprintf(`</link?at=%d>; rel="next"`, to))
			}
			fmt.Fprint(w, body)
		case "/body":
			next := "null"
			if to < len(items) {
				next = fmt.Sprintf(`"%s/body?at=%d"`, srvURL, to)
			}
			fmt.Fprintf(w, `{"value":%s,"@odata.nextLink":%s}`, body, next)
		case "/cursor":
			cur := ""
			if to < len(items) {
				cur = fmt.Sprint(to)
			}
			fmt.Fprintf(w, `{"data":%s,"meta":{"next_cursor":%q}}`, body, cur)
		default:
			fmt.Fprint(w, body)
		}
	}))
	defer srv.Close()
	srvURL = srv.URL
	for _, tc := range []struct {
		name string
		kv   []string
	}{
		{"link", []string{"http.endpoint", "/link", "http.pagination.type", "link"}},
		{"body", []string{"http.endpoint", "/body", "json.data.pointer", "/value", "http.pagination.type", "body", "http.pagination.next.pointer", "/@odata.nextLink"}},
		{"cursor", []string{"http.endpoint", "/cursor", "json.data.pointer", "/data", "http.pagination.type", "cursor", "http.pagination.cursor.pointer", "/meta/next_cursor", "http.pagination.param", "cursor"}},
		{"page", []string{"http.endpoint", "/page?page=0", "http.pagination.type", "page", "http.pagination.param", "page"}},
		{"offset", []string{"http.endpoint", "/offset", "http.pagination.type", "offset", "http.pagination.param", "offset", "http.pagination.size", "3"}},
	} {
		c := newClient(t, nil, base(srv.URL, tc.kv...))
		off := map[string]any{}
		var all []string
		parts, _ := c.Partitions(context.Background())
		recs, err := c.Poll(context.Background(), "t", parts[0], off, 4) // budget 4: stops after page 2
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, r := range recs {
			all = append(all, r.Value.(string))
		}
		if len(recs) != 6 || off[OffsetNextKey] == nil || recs[5].SourceOffset[OffsetNextKey] != off[OffsetNextKey] {
			t.Errorf("%s: first poll %d records, offset %v", tc.name, len(recs), off)
		}
		if recs[4].SourceOffset[OffsetNextKey] == off[OffsetNextKey] {
			t.Errorf("%s: mid-page record resumes with the next page: %v", tc.name, recs[4].SourceOffset)
		}
		recs, err = c.Poll(context.Background(), "t", parts[0], off, 4)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, r := range recs {
			all = append(all, r.Value.(string))
		}
		if strings.Join(all, "") != `{"v":"a"}{"v":"b"}{"v":"c"}{"v":"d"}{"v":"e"}{"v":"f"}{"v":"g"}` || off[OffsetNextKey] != nil {
			t.Errorf("%s: %v offset %v", tc.name, all, off)
		}
		if recs[0].Headers[0].Key != SourceHeader || recs[0].Headers[0].Value != srv.URL+tc.kv[1] {
			t.Errorf("%s: headers %v", tc.name, recs[0].Headers)
		}
	}
}

// The offset follows a record field: the URL carries it, records at or
// before it that were read already are skipped.
func TestOffsetField(t *testing.T) {
	events := `[{"id":"1","ts":"2024-01-01T00:00:01Z"},{"id":"2","ts":"2024-01-01T00:00:02Z"},{"id":"3","ts":"2024-01-01T00:00:02Z"}]`
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RawQuery)
		fmt.Fprint(w, events) // the server ignores since: everything is returned again
	}))
	defer srv.Close()
	c := newClient(t, nil, base(srv.URL, "http.endpoint", "/data?since={{offset.since}}&n={{limit}}",
		"http.offset.field", "/ts", "http.offset.id.field", "/id", "initial.offset", "2024-01-01T00:00:00Z"))
	off, _ := c.InitialOffset(nil)
	v, err := pollOnce(t, c, off, 10)
	if err != nil || len(v) != 3 || off["since"] != "2024-01-01T00:00:02Z" || off["ids"] != `["2","3"]` {
		t.Fatalf("%v %v %v", v, err, off)
	}
	v, err = pollOnce(t, c, off, 10)
	if err != nil || len(v) != 0 {
		t.Errorf("re-read %v %v", v, err)
	}
	if seen[0] != "since=2024-01-01T00%3A00%3A00Z&n=10" || seen[1] != "since=2024-01-01T00%3A00%3A02Z&n=10" {
		t.Errorf("queries %v", seen)
	}
	// params are omitted when empty
	c2 := newClient(t, nil, base(srv.URL, "http.request.params", "since,x", "http.request.params.since.value", "{{offset.since}}",
		"http.request.params.x.name", "X", "http.request.params.x.value", "1"))
	if _, err := pollOnce(t, c2, map[string]any{}, 10); err != nil || seen[2] != "X=1" {
		t.Errorf("query %q %v", seen[2], err)
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) > 0 {
			w.Header().Set("X-Client", r.TLS.PeerCertificates[0].Subject.CommonName)
		}
		fmt.Fprint(w, `[1]`)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	// unknown CA fails; the CA file, the PEM trust store or insecure succeed
	if _, err := pollOnce(t, newClient(t, nil, base(srv.URL, "http.retry.max", "0")), map[string]any{}, 1); err == nil {
		t.Error("untrusted server accepted")
	}
	for _, kv := range [][]string{{"http.tls.ca.file", ca}, {"ssl.truststore.location", ca, "ssl.truststore.type", "PEM"}, {"http.tls.insecure", "true"}} {
		if v, err := pollOnce(t, newClient(t, nil, base(srv.URL, kv...)), map[string]any{}, 1); err != nil || len(v) != 1 {
			t.Errorf("%v: %v %v", kv, v, err)
		}
	}
	c := &JSONClient{}
	if err := c.Configure(base(srv.URL, "ssl.truststore.location", ca)); err == nil {
		t.Error("JKS trust store accepted")
	}
	if _, err := x509.ParseCertificate(srv.Certificate().Raw); err != nil {
		t.Fatal(err)
	}
}
