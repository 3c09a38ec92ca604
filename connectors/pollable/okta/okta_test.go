package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sluice.io/sluice"
	"sluice.io/sluice/connectors/pollable"
)

// oktaServer answers /api/v1/logs like Okta: since/after/limit, ascending,
// a Link rel="next" on every answer, SSWS token check, optional 429s.
type oktaServer struct {
	mu       sync.Mutex
	events   []map[string]any
	throttle int
	queries  []string
}

func (s *oktaServer) add(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		i := len(s.events)
		// two events per second, so page and poll boundaries split instants
		ts := time.Date(2024, 5, 1, 0, 0, i/2, 0, time.UTC).Format("2006-01-02T15:04:05.000Z")
		s.events = append(s.events, map[string]any{"uuid": fmt.Sprintf("u%03d", i), "published": ts, "eventType": "user.session.start"})
	}
}

func (s *oktaServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, r.URL.RawQuery)
	if r.Header.Get("Authorization") != "SSWS secret" {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"x","errorCauses":[]}`)
		return
	}
	if s.throttle > 0 {
		s.throttle--
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Unix()+1, 10))
		w.WriteHeader(429)
		fmt.Fprint(w, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`)
		return
	}
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	from := 0
	if a := q.Get("after"); a != "" {
		from, _ = strconv.Atoi(a)
	} else {
		for from < len(s.events) && s.events[from]["published"].(string) < q.Get("since") {
			from++
		}
	}
	to := min(from+limit, len(s.events))
	page := s.events[from:to]
	next := *r.URL
	nq := next.Query()
	nq.Set("after", strconv.Itoa(to))
	nq.Del("since")
	next.RawQuery = nq.Encode()
	w.Header().Add("Link", fmt.Sprintf(`<http://%s%s>; rel="self"`, r.Host, r.URL.RequestURI()))
	w.Header().Add("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, r.Host, next.RequestURI()))
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(page)
}

func cfg(url string, kv ...string) map[string]string {
	c := map[string]string{"okta.serverUri": url, "okta.token": "secret", "okta.limit": "3", "http.retry.backoff.ms": "10",
		"initial.offset": "2024-05-01T00:00:00.000Z"}
	for i := 0; i+1 < len(kv); i += 2 {
		c[kv[i]] = kv[i+1]
	}
	return c
}

func uuids(recs []*sluice.Record) string {
	var out []string
	for _, r := range recs {
		var m map[string]any
		json.Unmarshal([]byte(r.Value.(string)), &m)
		out = append(out, m["uuid"].(string))
	}
	return strings.Join(out, ",")
}

func TestOktaPolling(t *testing.T) {
	s := &oktaServer{}
	s.add(7)
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := &Client{}
	if err := c.Configure(cfg(srv.URL)); err != nil {
		t.Fatal(err)
	}
	parts, _ := c.Partitions(context.Background())
	off, _ := c.InitialOffset(parts[0])
	if off[NextKey] != srv.URL+"/api/v1/logs?since=2024-05-01T00%3A00%3A00.000Z&sortOrder=ASCENDING&limit=3" {
		t.Fatalf("initial %v", off)
	}
	recs, err := c.Poll(context.Background(), "okta", parts[0], off, 100)
	if err != nil || uuids(recs) != "u000,u001,u002,u003,u004,u005,u006" {
		t.Fatalf("%s %v", uuids(recs), err)
	}
	if recs[0].Headers[0].Value != srv.URL+DefaultEndpoint || recs[0].Topic != "okta" {
		t.Errorf("record %+v", recs[0])
	}
	// pages of 3: the 3rd page (1 event) ends the poll; its next link is kept
	if !strings.Contains(off[NextKey].(string), "after=7") || recs[6].SourceOffset[NextKey] != off[NextKey] {
		t.Errorf("offset %v / %v", off, recs[6].SourceOffset)
	}
	// a mid-page record resumes by published time
	if recs[4].SourceOffset[NextKey] != nil || recs[4].SourceOffset[PublishedKey] != "2024-05-01T00:00:02.000Z" ||
		recs[4].SourceOffset[UUIDsKey] != `["u004"]` {
		t.Errorf("mid-page offset %v", recs[4].SourceOffset)
	}
	recs, err = c.Poll(context.Background(), "okta", parts[0], off, 100)
	if err != nil || len(recs) != 0 {
		t.Errorf("nothing new: %s %v", uuids(recs), err)
	}
	s.add(2)
	recs, err = c.Poll(context.Background(), "okta", parts[0], off, 100)
	if err != nil || uuids(recs) != "u007,u008" {
		t.Errorf("new events: %s %v", uuids(recs), err)
	}
}

func TestOktaErrorsAndThrottling(t *testing.T) {
	s := &oktaServer{throttle: 2}
	s.add(1)
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := &Client{}
	if err := c.Configure(cfg(srv.URL)); err != nil {
		t.Fatal(err)
	}
	parts, _ := c.Partitions(context.Background())
	off, _ := c.InitialOffset(parts[0])
	start := time.Now()
	recs, err := c.Poll(context.Background(), "okta", parts[0], off, 10)
	if err != nil || len(recs) != 1 || len(s.queries) != 4 || time.Since(start) > 5*time.Second {
		t.Errorf("%d %v after %d requests, %v", len(recs), err, len(s.queries), time.Since(start))
	}
	bad := &Client{}
	bad.Configure(cfg(srv.URL, "okta.token", "wrong"))
	if _, err := bad.Poll(context.Background(), "okta", parts[0], map[string]any{NextKey: srv.URL + "/api/v1/logs?limit=3"}, 10); err == nil ||
		!strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "Invalid token provided") {
		t.Errorf("err = %v", err)
	}
	if err := (&Client{}).Configure(map[string]string{"okta.serverUri": "x"}); err == nil || !strings.Contains(err.Error(), "okta.token") {
		t.Errorf("err = %v", err)
	}
}

type memStore map[string]map[string]any

func (m memStore) Offset(p map[string]any) (map[string]any, error) { return m[fmt.Sprint(p)], nil }

// Restart: poll through the task, commit only part of the records, start a
// new task from the committed offset: it continues with the first record
// not committed, with no gap and no duplicate.
func TestRestartContinuesWithoutGapOrDuplicate(t *testing.T) {
	s := &oktaServer{}
	s.add(11)
	srv := httptest.NewServer(s)
	defer srv.Close()
	props := cfg(srv.URL, "apiclient.class", Class, "topic", "okta", "poll.size", "100", "poll.interval", "1")
	store := memStore{}
	var delivered []string
	for _, step := range []struct{ add, want, commit int }{{0, 11, 5}, {0, 6, 4}, {3, 5, 5}} {
		s.add(step.add)
		task := &pollable.Task{}
		if err := task.Start(context.Background(), props, store); err != nil {
			t.Fatal(err)
		}
		recs, err := task.Poll(context.Background())
		if err != nil || len(recs) != step.want {
			t.Fatalf("polled %s, %v; want %d records", uuids(recs), err, step.want)
		}
		acked := recs[:step.commit]
		task.Commit(context.Background(), acked)
		last := acked[len(acked)-1]
		store[fmt.Sprint(last.SourcePartition)] = last.SourceOffset
		delivered = append(delivered, strings.Split(uuids(acked), ",")...)
		task.Stop()
	}
	want := []string{}
	for i := range 14 {
		want = append(want, fmt.Sprintf("u%03d", i))
	}
	if strings.Join(delivered, ",") != strings.Join(want, ",") {
		t.Errorf("delivered %v", delivered)
	}
}
