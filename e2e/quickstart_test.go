package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"sluice.io/sluice/broker"
	"sluice.io/sluice/worker"
)

// TestQuickStart follows the standalone quick start: the example worker
// file (embedded broker, no bootstrap.servers) and the example syslog
// connector file, copied with free ports and a private offsets file, run
// as `sluice standalone` runs them; a syslog line with a card number sent
// over TCP is read back masked from its severity's topic.
func TestQuickStart(t *testing.T) {
	dir := t.TempDir()
	brokerAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t, "tcp"))
	port := freePort(t, "tcp")
	workerPath := rewriteProps(t, pushExampleWorker, dir, map[string]string{
		"sluice.embedded.broker.address": brokerAddr,
		"listeners":                      fmt.Sprintf("http://127.0.0.1:%d", freePort(t, "tcp")),
		"offset.storage.file.filename":   filepath.Join(dir, "quickstart.offsets"),
	})
	connPath := rewriteProps(t, pushExampleConnector, dir, map[string]string{"port": strconv.Itoa(port)})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- worker.RunStandalone(ctx, workerPath, []string{connPath}, worker.Options{
			Logger: testLogger(t),
			StartBroker: func(ctx context.Context, addr string, l *slog.Logger) (worker.Broker, error) {
				return broker.Start(ctx, addr, l)
			},
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("standalone worker: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("the standalone worker did not stop")
		}
	})

	conn := pushDial(t, port, nil)
	defer conn.Close()
	lines := "<11>Oct 11 22:14:15 web1 shop[42]: payment failed for card 4111-1111-1111-1234, customer SSN 123-45-6789\n" +
		"<14>Oct 11 22:14:16 web1 shop[42]: order 1001 shipped\n"
	if _, err := conn.Write([]byte(lines)); err != nil {
		t.Fatal(err)
	}
	// The example keeps Java's 5 s poll.interval: a lone line may wait
	// that long before it is handed on.
	waitRecords(t, brokerAddr, 1, 30*time.Second, pushTopicCritical)
	waitRecords(t, brokerAddr, 1, 30*time.Second, pushTopicInfo)
	r := consumeTopic(t, brokerAddr, pushTopicCritical)[0]
	if want := "payment failed for card ****-****-****-1234, customer SSN ***-**-****"; string(r.Value) != want {
		t.Fatalf("syslog-critical holds %q, want %q", r.Value, want)
	}
	h := headerMap(r)
	if h["syslog.severity"] != "3" || h["syslog.hostname"] != "web1" || h["syslog.appname"] != "shop" {
		t.Fatalf("headers %v", h)
	}
	if v := string(consumeTopic(t, brokerAddr, pushTopicInfo)[0].Value); v != "order 1001 shipped" {
		t.Fatalf("syslog-info holds %q", v)
	}
	if n := endOffsets(t, brokerAddr, pushTopicWarning, pushTopicDLQ); n[pushTopicWarning]+n[pushTopicDLQ] != 0 {
		t.Fatalf("unexpected records: %v", n)
	}
}
