package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestQuickStart follows the README quick start with the built sluice
// binary: `sluice standalone` on the example worker file (embedded broker,
// no bootstrap.servers) and the example syslog connector file, copied with
// free ports and a private offsets file; the README's syslog line sent over
// TCP; `sluice consume syslog-critical --from-beginning --max 1` prints it
// masked, with its syslog headers. SIGTERM then stops the worker with exit
// status 0.
func TestQuickStart(t *testing.T) {
	dir := t.TempDir()
	bin := pushBinary(t, dir)
	brokerAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t, "tcp"))
	port := freePort(t, "tcp")
	workerPath := rewriteProps(t, pushExampleWorker, dir, map[string]string{
		"sluice.embedded.broker.address": brokerAddr,
		"listeners":                      fmt.Sprintf("http://127.0.0.1:%d", freePort(t, "tcp")),
		"offset.storage.file.filename":   filepath.Join(dir, "quickstart.offsets"),
	})
	connPath := rewriteProps(t, pushExampleConnector, dir, map[string]string{"port": strconv.Itoa(port)})

	var stderr lockedBuffer
	worker := exec.Command(bin, "standalone", workerPath, connPath)
	worker.Stderr = &stderr
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- worker.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = worker.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("sluice standalone stderr:\n%s", stderr.String())
		}
	})

	conn := pushDial(t, port, nil)
	const line = "<11>Oct 11 22:14:15 pay01 app: payment failed card=4111-1111-1111-1111 ssn=123-45-6789\n"
	if _, err := conn.Write([]byte(line)); err != nil {
		t.Fatal(err)
	}
	conn.Close()

	// The example keeps Java's 5 s poll.interval: a lone line may wait
	// that long before it is handed on.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "consume", pushTopicCritical, "--from-beginning", "--max", "1",
		"--bootstrap", brokerAddr, "--timeout", "30s").CombinedOutput()
	if err != nil {
		t.Fatalf("sluice consume: %v\n%s", err, out)
	}
	got := strings.TrimSpace(string(out))
	for _, want := range []string{"partition=0 offset=0 ", "key=null", "remoteHost=127.0.0.1",
		"syslog.severity=3", "syslog.hostname=pay01", "syslog.appname=app",
		"value=payment failed card=****-****-****-1111 ssn=***-**-****"} {
		if !strings.Contains(got, want) {
			t.Errorf("consume printed\n%s\nwithout %q", got, want)
		}
	}
	if !strings.HasSuffix(got, "value=payment failed card=****-****-****-1111 ssn=***-**-****") {
		t.Errorf("consume printed\n%s", got)
	}
	if n := endOffsets(t, brokerAddr, pushTopicWarning, pushTopicInfo, pushTopicDLQ); n[pushTopicWarning]+n[pushTopicInfo]+n[pushTopicDLQ] != 0 {
		t.Errorf("unexpected records: %v", n)
	}
	if !strings.Contains(stderr.String(), "started the embedded Kafka broker") {
		t.Errorf("the worker did not log that it started the embedded broker")
	}

	if err := worker.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Fatalf("sluice standalone exited with %v after SIGTERM", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("sluice standalone did not stop within 30 s of SIGTERM")
	}
}
