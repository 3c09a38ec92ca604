package metrics

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCountersAndHTTP(t *testing.T) {
	r := New()
	c := r.Connector("src", []string{"mask", "drop"})
	if r.Connector("src", nil) != c {
		t.Fatal("second lookup made new counters")
	}
	c.Received(5)
	c.Produced(3 * time.Millisecond)
	c.Filtered(1)
	c.Failed(0)
	c.DLQ(true)
	c.InFlight(2)
	s := c.Snapshot()
	if s.Received != 5 || s.Produced != 1 || s.Filtered != 1 || s.Failed != 1 || s.DLQ != 1 || s.InFlight != 2 ||
		s.TransformDropped["drop"] != 1 || s.TransformFailed["mask"] != 1 {
		t.Fatalf("%+v", s)
	}
	srv, err := Serve("127.0.0.1:0", r.Handler(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + srv.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`sluice_records_received_total{connector="src"} 5`,
		`sluice_transform_dropped_total{connector="src",transform="drop"} 1`,
		`sluice_records_in_flight{connector="src"} 2`,
		`sluice_produce_latency_seconds_count{connector="src"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	r.SetHealth(func() (bool, any) { return false, map[string]string{"status": "DEGRADED"} })
	resp, err = http.Get("http://" + srv.Addr() + "/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "DEGRADED") {
		t.Fatalf("health %d %s", resp.StatusCode, body)
	}
}
