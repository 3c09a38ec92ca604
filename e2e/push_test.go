package e2e

import (
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// pushScale returns n, or n/div in -short mode.
func pushScale(n, div int) int {
	if testing.Short() {
		return n / div
	}
	return n
}

// TestPushTCP100k sends 100,000 syslog lines over four TCP connections
// through the standalone worker running the quick-start connector: every
// line arrives once, masked, routed by severity and in order per
// connection.
func TestPushTCP100k(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	port := freePort(t, "tcp")
	const conns = 4
	perConn := pushScale(100_000, 10) / conns
	startWorker(t, workerProps(addr, t.TempDir()), pushSyslogConnector(t, port))
	start := time.Now()
	pushSend(t, port, conns, perConn, nil)
	waitRecords(t, addr, int64(conns*perConn), 90*time.Second, pushTopics...)
	t.Logf("%d lines delivered in %v", conns*perConn, time.Since(start))
	pushCheck(t, addr, conns, perConn, "tcp")
	if n := endOffsets(t, addr, pushTopicDLQ)[pushTopicDLQ]; n != 0 {
		t.Fatalf("%d records in the dead letter queue", n)
	}
}

// TestPushTLSKeystores runs the 100,000-line check over TLS, the server
// certificate served from a JKS keystore and from a PKCS12 keystore.
func TestPushTLSKeystores(t *testing.T) {
	pki := pushNewPKI(t)
	for _, tc := range []struct {
		name string
		kv   func(dir string) []string
	}{
		{"JKS", func(dir string) []string {
			return []string{"ssl.keystore.type", "JKS", "ssl.keystore.location", pki.jks(t, dir, "storepass", "keypass"),
				"ssl.keystore.password", "storepass", "ssl.key.password", "keypass"}
		}},
		{"PKCS12", func(dir string) []string {
			return []string{"ssl.keystore.type", "PKCS12", "ssl.keystore.location", pki.p12(t, dir, "p12pass"),
				"ssl.keystore.password", "p12pass"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t)
			addr := c.ListenAddrs()[0]
			port := freePort(t, "tcp")
			dir := t.TempDir()
			const conns = 4
			perConn := pushScale(100_000, 10) / conns
			startWorker(t, workerProps(addr, dir), pushSyslogConnector(t, port, append([]string{"ssl.enabled", "true"}, tc.kv(dir)...)...))
			// A client that does not trust the server's CA is refused.
			if bad, err := tls.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), &tls.Config{ServerName: "127.0.0.1"}); err == nil {
				bad.Close()
				t.Fatal("handshake succeeded without trusting the test CA")
			}
			cfg := pki.clientConfig()
			probe := pushDial(t, port, cfg)
			st := probe.(*tls.Conn).ConnectionState()
			probe.Close()
			if len(st.PeerCertificates) != 2 || st.PeerCertificates[0].Subject.CommonName != "sluice e2e server" {
				t.Fatalf("served chain %v", st.PeerCertificates)
			}
			pushSend(t, port, conns, perConn, cfg)
			waitRecords(t, addr, int64(conns*perConn), 90*time.Second, pushTopics...)
			pushCheck(t, addr, conns, perConn, "tcp")
		})
	}
}

// pushUDPConnector is the quick-start connector over UDP.
func pushUDPConnector(t testing.TB, port int, kv ...string) map[string]string {
	return pushSyslogConnector(t, port, append([]string{"transport.protocol", "UDP",
		"transport.protocol.udp.socketBufferSize", "1048576"}, kv...)...)
}

// TestPushUDPPacedNoLoss sends syslog datagrams in bursts, waiting after
// each burst until the worker has taken it: nothing is lost.
func TestPushUDPPacedNoLoss(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	port := freePort(t, "udp")
	const burst = 100
	s := startWorker(t, workerProps(addr, t.TempDir()), pushUDPConnector(t, port, "connector.queue.batchSize", strconv.Itoa(burst)))
	cm := s.Metrics().Connector("syslog-tcp", nil)
	conn, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	total := pushScale(20_000, 4)
	for seq := 0; seq < total; {
		end := min(seq+burst, total)
		for ; seq < end; seq++ {
			line := pushMakeLine(0, seq).raw
			if _, err := conn.Write([]byte(strings.TrimSuffix(line, "\n"))); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, 10*time.Second, fmt.Sprintf("datagram %d taken", seq), func() bool {
			return cm.Snapshot().Received == uint64(seq)
		})
	}
	waitRecords(t, addr, int64(total), 60*time.Second, pushTopics...)
	pushCheck(t, addr, 1, total, "udp")
	if v, ok := metricValue(t, s.HTTPAddr(), `sluice_source_records_dropped_total{connector="syslog-tcp",task="0"}`); !ok || v != 0 {
		t.Fatalf("dropped metric %v (present %v), want 0", v, ok)
	}
}

// TestPushUDPDropsCounted holds every produce request so that the task's
// queue fills up: the datagrams that do not fit are dropped, counted in
// /metrics, and the others are delivered once Kafka answers again.
func TestPushUDPDropsCounted(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	release := make(chan struct{})
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		<-release
		return nil, nil, false
	})
	var once sync.Once
	releaseAll := func() { once.Do(func() { close(release); c.DropControl() }) }
	t.Cleanup(releaseAll)
	port := freePort(t, "udp")
	props := workerProps(addr, t.TempDir())
	props["sluice.max.in.flight.records"] = "5"
	s := startWorker(t, props, pushUDPConnector(t, port, "connector.queue.capacity", "10", "connector.queue.batchSize", "4"))
	conn, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const sent = 300
	dropped := func() float64 {
		v, _ := metricValue(t, s.HTTPAddr(), `sluice_source_records_dropped_total{connector="syslog-tcp",task="0"}`)
		return v
	}
	cm := s.Metrics().Connector("syslog-tcp", nil)
	for seq := 0; seq < sent; seq++ {
		if _, err := conn.Write([]byte(strings.TrimSuffix(pushMakeLine(0, seq).raw, "\n"))); err != nil {
			t.Fatal(err)
		}
		if seq%20 == 19 {
			// Let the reader keep up with the kernel buffer.
			time.Sleep(5 * time.Millisecond)
		}
	}
	// Every datagram is either taken by the router, queued or dropped.
	var d float64
	waitFor(t, 10*time.Second, "every datagram accounted for", func() bool {
		d = dropped()
		return d > 0 && int(d)+int(cm.Snapshot().Received) >= sent-10
	})
	releaseAll()
	kept := sent - int(dropped())
	t.Logf("%d of %d datagrams dropped", sent-kept, sent)
	waitRecords(t, addr, int64(kept), 30*time.Second, pushTopics...)
	if d := dropped(); d < sent-10-5-4 || kept < 10 {
		t.Fatalf("dropped %v of %d datagrams with a queue of 10", d, sent)
	}
	// The records delivered are datagrams that were sent, each once.
	seen := map[int]bool{}
	for _, topic := range pushTopics {
		for _, r := range consumeTopic(t, addr, topic) {
			_, seq, ok := pushParseSeq(string(r.Value))
			if !ok || seen[seq] || string(r.Value) != pushMakeLine(0, seq).masked {
				t.Fatalf("%s: unexpected record %q", topic, r.Value)
			}
			seen[seq] = true
		}
	}
}

// pushPlainConnector is a TCP listener without syslog parsing and without
// transformations, writing to topic raw.
func pushPlainConnector(port int, kv ...string) map[string]string {
	m := map[string]string{"name": "plain", "connector.class": "com.vrudenskyi.kafka.connect.nettysource.NettySourceConnector", "tasks.max": "1",
		"transport.protocol": "TCP", "bind.address": "127.0.0.1", "port": strconv.Itoa(port), "topic": "raw",
		"poll.interval": "100"}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// TestPushFramingEdgeCases sends over-long lines, invalid UTF-8, empty and
// blank lines, a CRLF line and an unterminated last line, then closes the
// connection: blank lines give no record, over-long lines are cut at
// maxLength, malformed bytes become U+FFFD, and the unterminated tail is
// delivered.
func TestPushFramingEdgeCases(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	port := freePort(t, "tcp")
	startWorker(t, workerProps(addr, t.TempDir()), pushPlainConnector(port, "channel.tcp.frame.maxLength", "64"))
	long := strings.Repeat("0123456789", 15) // 150 bytes: 64 + 64 + 22
	input := "first\n" + long + "\n" + "\xff\xfebad\xc3(utf8\n" + "\n\n   \t\n" + "crlf\r\n" +
		"after-blank\x00nul-delimited\x00" + "tail without newline"
	conn := pushDial(t, port, nil)
	if _, err := conn.Write([]byte(input)); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"first", long[:64], long[64:128], long[128:], "\ufffd\ufffdbad\ufffd(utf8", "crlf\r",
		"after-blank", "nul-delimited", "tail without newline"}
	waitRecords(t, addr, int64(len(want)), 30*time.Second, "raw")
	recs := consumeTopic(t, addr, "raw")
	for i, r := range recs {
		if string(r.Value) != want[i] {
			t.Errorf("record %d = %q, want %q", i, r.Value, want[i])
		}
		if r.Key != nil {
			t.Errorf("record %d has key %q", i, r.Key)
		}
	}
	h := headerMap(recs[0])
	if h["transportProtocol"] != "tcp" || h["localPort"] != strconv.Itoa(port) || h["remoteHost"] != "127.0.0.1" {
		t.Fatalf("headers %v", h)
	}
}

// TestPushSyslogUnterminatedLastLine closes a syslog connection in the
// middle of nothing but a final message without its LF: the message is
// delivered, masked and routed.
func TestPushSyslogUnterminatedLastLine(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	port := freePort(t, "tcp")
	startWorker(t, workerProps(addr, t.TempDir()), pushSyslogConnector(t, port))
	conn := pushDial(t, port, nil)
	l0, l1 := pushMakeLine(0, 0), pushMakeLine(0, 1)
	if _, err := conn.Write([]byte(l0.raw + strings.TrimSuffix(l1.raw, "\n"))); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	waitRecords(t, addr, 2, 30*time.Second, pushTopics...)
	pushCheck(t, addr, 1, 2, "tcp")
}

// pushCastConnector is a plain TCP listener whose values are cast to
// int32: a line that is not a number fails the transformation.
func pushCastConnector(port int, kv ...string) map[string]string {
	return pushPlainConnector(port, append([]string{"transforms", "num",
		"transforms.num.type", "org.apache.kafka.connect.transforms.Cast$Value", "transforms.num.spec", "int32"}, kv...)...)
}

// TestPushDLQToleranceAll sends a line the transformation fails on: it
// lands in the dead letter queue with the error context headers and the
// following lines flow on.
func TestPushDLQToleranceAll(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	port := freePort(t, "tcp")
	s := startWorker(t, workerProps(addr, t.TempDir()), pushCastConnector(port,
		"errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq",
		"errors.deadletterqueue.topic.replication.factor", "1",
		"errors.deadletterqueue.context.headers.enable", "true", "errors.log.enable", "true"))
	conn := pushDial(t, port, nil)
	if _, err := conn.Write([]byte("1\n2\nnot-a-number\n3\n4\n")); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	waitRecords(t, addr, 4, 30*time.Second, "raw")
	waitRecords(t, addr, 1, 30*time.Second, "dlq")
	var got []string
	for _, r := range consumeTopic(t, addr, "raw") {
		got = append(got, string(r.Value))
	}
	if strings.Join(got, ",") != "1,2,3,4" {
		t.Fatalf("raw holds %q", got)
	}
	bad := consumeTopic(t, addr, "dlq")[0]
	if string(bad.Value) != "not-a-number" {
		t.Fatalf("dead letter value %q", bad.Value)
	}
	h := headerMap(bad)
	for k, v := range map[string]string{
		"__connect.errors.topic":                "raw",
		"__connect.errors.partition":            "",
		"__connect.errors.connector.name":       "plain",
		"__connect.errors.task.id":              "0",
		"__connect.errors.stage":                "TRANSFORMATION",
		"__connect.errors.class.name":           "org.apache.kafka.connect.transforms.Cast$Value",
		"__connect.errors.exception.class.name": "org.apache.kafka.connect.errors.DataException",
		"transportProtocol":                     "tcp",
	} {
		got, ok := h[k]
		if k == "__connect.errors.partition" {
			if ok {
				t.Errorf("header %s present (%q) for a record without partition", k, got)
			}
			continue
		}
		if got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if h["__connect.errors.exception.message"] == "" ||
		!strings.HasPrefix(h["__connect.errors.exception.stacktrace"], "org.apache.kafka.connect.errors.DataException") {
		t.Errorf("exception headers %q / %q", h["__connect.errors.exception.message"], h["__connect.errors.exception.stacktrace"])
	}
	snap := s.Metrics().Connector("plain", nil).Snapshot()
	if snap.Failed != 1 || snap.DLQ != 1 || snap.TransformFailed["num"] != 1 {
		t.Fatalf("metrics %+v", snap)
	}
	if st := s.Status(); len(st) != 1 || st[0].State != "RUNNING" {
		t.Fatalf("status %+v", st)
	}
}

// TestPushToleranceNoneStops sends the same lines with errors.tolerance
// none: the task stops with a clear error at the bad line and nothing
// after it is produced.
func TestPushToleranceNoneStops(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	port := freePort(t, "tcp")
	s := startWorker(t, workerProps(addr, t.TempDir()), pushCastConnector(port))
	conn := pushDial(t, port, nil)
	defer conn.Close()
	if _, err := conn.Write([]byte("1\n2\nnot-a-number\n3\n4\n")); err != nil {
		t.Fatal(err)
	}
	done, errf := s.TaskDone("plain", 0)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the task did not stop")
	}
	err := errf()
	if err == nil || !strings.Contains(err.Error(), "Tolerance exceeded in error handler") ||
		!strings.Contains(err.Error(), "TRANSFORMATION") || !strings.Contains(err.Error(), "Cast$Value") {
		t.Fatalf("task error %v", err)
	}
	if st := s.Status(); len(st) != 1 || st[0].State != "FAILED" || st[0].Error == "" {
		t.Fatalf("status %+v", st)
	}
	var got []string
	for _, r := range consumeTopic(t, addr, "raw") {
		got = append(got, string(r.Value))
	}
	if strings.Join(got, ",") != "1,2" {
		t.Fatalf("raw holds %q, want the two records before the failure", got)
	}
}

// BenchmarkPushTCPPipeline pushes b.N quick-start syslog lines over four
// TCP connections through a standalone worker into a kfake cluster and
// reports lines/s; one op is one line.
func BenchmarkPushTCPPipeline(b *testing.B) {
	c := newCluster(b)
	addr := c.ListenAddrs()[0]
	port := freePort(b, "tcp")
	s := startWorker(b, workerProps(addr, b.TempDir()), pushSyslogConnector(b, port))
	cm := s.Metrics().Connector("syslog-tcp", nil)
	const conns = 4
	perConn := (b.N + conns - 1) / conns
	bufs := make([][]byte, conns)
	var size int
	for id := range bufs {
		for seq := 0; seq < perConn; seq++ {
			bufs[id] = append(bufs[id], pushMakeLine(id, seq).raw...)
		}
		size += len(bufs[id])
	}
	cs := make([]net.Conn, conns)
	for id := range cs {
		cs[id] = pushDial(b, port, nil)
	}
	b.SetBytes(int64(size / (conns * perConn)))
	b.ResetTimer()
	start := time.Now()
	for id, conn := range cs {
		go func() {
			defer conn.Close()
			_, _ = conn.Write(bufs[id])
		}()
	}
	want := uint64(conns * perConn)
	deadline := time.Now().Add(10 * time.Minute)
	for cm.Snapshot().Produced < want {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d records produced", cm.Snapshot().Produced, want)
		}
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(want)/time.Since(start).Seconds(), "lines/s")
}
