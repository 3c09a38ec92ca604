package e2e

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pushBinary builds the sluice command into dir.
func pushBinary(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found: cannot build the sluice binary")
	}
	bin := filepath.Join(dir, "sluice")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, "sluice.io/sluice/cmd/sluice").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// pushTaskStopped matches the worker's final log line of a task.
var pushTaskStopped = regexp.MustCompile(`msg="task stopped".* received=(\d+) produced=(\d+) filtered=(\d+) failed=(\d+) dlq=(\d+)`)

// TestPushSIGTERMMidStream runs the built `sluice standalone` binary on the
// quick-start files against a Kafka cluster in this process, streams
// syslog lines on four connections and sends SIGTERM while they are
// sending. The process exits 0, and every line it accepted is in Kafka:
// each connection's lines form an unbroken prefix (its last, cut-off line
// may be delivered truncated, as an unterminated line on close is), their
// count is the number of records the worker reported received, and it
// includes every line it had acknowledged receiving before the signal.
func TestPushSIGTERMMidStream(t *testing.T) {
	dir := t.TempDir()
	bin := pushBinary(t, dir)
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	port, httpPort := freePort(t, "tcp"), freePort(t, "tcp")
	workerPath := rewriteProps(t, pushExampleWorker, dir, map[string]string{
		"bootstrap.servers":            addr,
		"listeners":                    fmt.Sprintf("http://127.0.0.1:%d", httpPort),
		"offset.storage.file.filename": filepath.Join(dir, "connect.offsets"),
		"sluice.progress.interval.ms":  "0",
	})
	connPath := rewriteProps(t, pushExampleConnector, dir, map[string]string{
		"port": strconv.Itoa(port), "poll.interval": "100"})
	var stderr lockedBuffer
	cmd := exec.Command(bin, "standalone", workerPath, connPath)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("sluice stderr:\n%s", stderr.String())
		}
	})

	const conns = 4
	ports := map[string]int{} // sender's local port → connection id
	var wg sync.WaitGroup
	stopSend := make(chan struct{})
	sent := make([]int, conns)
	for id := 0; id < conns; id++ {
		conn := pushDial(t, port, nil)
		ports[strconv.Itoa(conn.LocalAddr().(*net.TCPAddr).Port)] = id
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			_ = conn.SetWriteDeadline(time.Now().Add(60 * time.Second))
			w := bufio.NewWriterSize(conn, 16<<10)
			for seq := 0; seq < 5_000_000; seq++ {
				select {
				case <-stopSend:
					_ = w.Flush()
					return
				default:
				}
				if _, err := w.WriteString(pushMakeLine(id, seq).raw); err != nil {
					return
				}
				sent[id] = seq + 1
			}
			_ = w.Flush()
		}()
	}
	httpAddr := fmt.Sprintf("127.0.0.1:%d", httpPort)
	target := float64(pushScale(40_000, 4))
	var confirmed float64
	waitFor(t, 60*time.Second, "records received before the signal", func() bool {
		confirmed, _ = metricValue(t, httpAddr, `sluice_records_received_total{connector="syslog-tcp"}`)
		return confirmed >= target
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	select {
	case exitErr = <-exited:
		exited <- exitErr
	case <-time.After(60 * time.Second):
		t.Fatal("sluice did not exit within 60 s of SIGTERM")
	}
	close(stopSend)
	wg.Wait()
	if exitErr != nil {
		t.Fatalf("sluice exited with %v", exitErr)
	}
	m := pushTaskStopped.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatal("no final task log line")
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	received, produced, dlq := n(1), n(2), n(5)
	if produced+dlq != received || n(4) != dlq {
		t.Fatalf("task stopped with received %d, produced %d, failed %d, dlq %d", received, produced, n(4), dlq)
	}
	if float64(received) < confirmed {
		t.Fatalf("received %d < %v acknowledged before the signal", received, confirmed)
	}
	totalSent := 0
	for _, s := range sent {
		totalSent += s
	}
	t.Logf("sent %d lines (some only into socket buffers), %v received before SIGTERM, %d received in all",
		totalSent, confirmed, received)

	// Check what Kafka holds.
	full := make([]map[int]bool, conns)
	for i := range full {
		full[i] = map[int]bool{}
	}
	partial := make([][]string, conns)
	total := 0
	for _, topic := range append(append([]string(nil), pushTopics...), pushTopicDLQ) {
		last := make([]int, conns)
		for i := range last {
			last[i] = -1
		}
		for _, r := range consumeTopic(t, addr, topic) {
			total++
			id, ok := ports[headerMap(r)["remotePort"]]
			if !ok {
				t.Fatalf("%s: record from an unknown connection: %q %v", topic, r.Value, headerMap(r))
			}
			v := string(r.Value)
			if _, seq, ok := pushParseSeq(v); ok && topic != pushTopicDLQ && v == pushMakeLine(id, seq).masked {
				if full[id][seq] || seq <= last[id] {
					t.Fatalf("%s: conn %d seq %d duplicated or out of order", topic, id, seq)
				}
				full[id][seq], last[id] = true, seq
				continue
			}
			partial[id] = append(partial[id], v)
		}
	}
	if total != received {
		t.Fatalf("Kafka holds %d records, the worker received %d", total, received)
	}
	for id := range full {
		k := len(full[id])
		for seq := 0; seq < k; seq++ {
			if !full[id][seq] {
				t.Fatalf("conn %d: seq %d lost while %d lines arrived", id, seq, k)
			}
		}
		switch len(partial[id]) {
		case 0:
		case 1:
			if !pushIsCut(pushMakeLine(id, k), partial[id][0]) {
				t.Fatalf("conn %d: record %q is not line %d cut short", id, partial[id][0], k)
			}
		default:
			t.Fatalf("conn %d: unexpected records %q", id, partial[id])
		}
	}
}

// pushIsCut reports whether v is line l cut short: a prefix of the line,
// of its message or of its masked message (a cut-off card number may not
// be masked), or — when the cut fell inside the syslog header, which the
// RFC 3164 parser then reads as host and message fragments — a piece of
// that header.
func pushIsCut(l pushLine, v string) bool {
	line := strings.TrimSuffix(l.raw, "\n")
	msg, header := line, ""
	if i := strings.Index(line, "]: "); i >= 0 {
		msg, header = line[i+3:], line[:i+3]
	}
	return v != "" && (strings.HasPrefix(line, v) || strings.HasPrefix(msg, v) || strings.HasPrefix(l.masked, v) ||
		strings.Contains(header, v))
}
