package netsource

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sluice.io/sluice"
)

// baseProps returns a configuration listening on an ephemeral loopback port
// with short poll timings.
func baseProps(extra ...string) map[string]string {
	p := map[string]string{
		TopicConfig:             "net",
		BindAddressConfig:       "127.0.0.1",
		PortConfig:              "0",
		PollIntervalConfig:      "50",
		QueueBatchTimeoutConfig: "20",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i]] = extra[i+1]
	}
	return p
}

func startTask(t testing.TB, props map[string]string) *Task {
	t.Helper()
	task := &Task{}
	task.SetLogger(slog.New(slog.DiscardHandler))
	if err := task.Start(context.Background(), props, nil); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = task.Stop() })
	return task
}

// pollN polls until n records arrived (failing after a few seconds), then
// checks that no further record follows within a short wait.
func pollN(t testing.TB, task *Task, n int) []*sluice.Record {
	t.Helper()
	var out []*sluice.Record
	deadline := time.Now().Add(10 * time.Second)
	for len(out) < n {
		if time.Now().After(deadline) {
			t.Fatalf("got %d records, want %d: %v", len(out), n, values(out))
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		recs, err := task.Poll(ctx)
		cancel()
		if err != nil && err != context.DeadlineExceeded {
			t.Fatalf("Poll: %v", err)
		}
		out = append(out, recs...)
	}
	if len(out) != n {
		t.Fatalf("got %d records, want %d: %q", len(out), n, values(out))
	}
	return out
}

func values(recs []*sluice.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i], _ = r.Value.(string)
	}
	return out
}

func dialTCP(t testing.TB, task *Task) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", task.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

func port(a net.Addr) int {
	_, p, _ := net.SplitHostPort(a.String())
	n, _ := strconv.Atoi(p)
	return n
}

func TestConnectorConfig(t *testing.T) {
	tests := []struct {
		name    string
		props   map[string]string
		wantErr string
	}{
		{"tcp default", baseProps(), ""},
		{"udp mixed case", baseProps(TransportProtocolConfig, "Udp"), ""},
		{"bad transport", baseProps(TransportProtocolConfig, "sctp"), "Unsupported transport.protocol :sctp"},
		{"missing topic", map[string]string{PortConfig: "1"}, `Missing required configuration "topic" which has no default value.`},
		{"no port", map[string]string{TopicConfig: "t"}, "Port is not configured."},
		{"tls with udp", baseProps(TransportProtocolConfig, "udp", SSLEnabledConfig, "true"), "TLS is available for transport.protocol=tcp only"},
		{"bad port item", baseProps(PortsConfig, "1,x"), `For input string: "x"`},
		{"syslog pipeline", baseProps(PipelineFactoryClassConfig, "com.vrudenskyi.kafka.connect.nettysource.SyslogPipelineFactory"), "syslog.enabled=true"},
		{"default pipeline", baseProps(PipelineFactoryClassConfig, "com.vrudenskyi.kafka.connect.nettysource.DefaultTcpPipelineFactory"), ""},
		{"bad syslog format", baseProps(SyslogFormatConfig, "rfc9999"), "syslog.format"},
		{"ssl without keystore", baseProps(SSLEnabledConfig, "true"), "needs a keystore"},
		{"relative keystore", baseProps(SSLEnabledConfig, "true", SSLKeystoreLocationConfig, "ks.jks", SSLKeystorePasswordConfig, "x"), "Relative Path not allowed:ks.jks"},
		{"queue capacity", baseProps(QueueCapacityConfig, "0"), "connector.queue.capacity"},
		{"unsupported handler", baseProps(PipelineFactoryHandlersConf, "decoder"), `handler override "decoder"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &Connector{}
			err := c.Configure(tc.props)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestTaskConfigsAndRegistry(t *testing.T) {
	c := &Connector{}
	props := baseProps(PortsConfig, "5000,5001")
	if err := c.Configure(props); err != nil {
		t.Fatal(err)
	}
	cfgs, err := c.TaskConfigs(3)
	if err != nil || len(cfgs) != 3 {
		t.Fatalf("TaskConfigs = %d, %v", len(cfgs), err)
	}
	for _, m := range cfgs {
		if !maps.Equal(m, props) {
			t.Fatalf("task config %v differs from %v", m, props)
		}
	}
	for _, name := range []string{ConnectorClass, OldConnectorClass, Netty4ConnectorClass} {
		p, _, err := sluice.Plugins.Lookup(name)
		if err != nil || p.Class != ConnectorClass || p.Kinds != sluice.KindSourceConnector {
			t.Fatalf("Lookup(%s) = %+v, %v", name, p, err)
		}
		if _, ok := p.New().(*Connector); !ok {
			t.Fatalf("New() of %s is not a *Connector", name)
		}
	}
	if _, ok := c.NewTask().(*Task); !ok {
		t.Fatal("NewTask is not a *Task")
	}
}

func TestTCPRecordsAndHeaders(t *testing.T) {
	task := startTask(t, baseProps())
	c := dialTCP(t, task)
	payload := "first\nsecond\x00third\r\n\n   \n\t\nbad \xff\xfe end\nunterminated"
	if _, err := c.Write([]byte(payload)); err != nil {
		t.Fatal(err)
	}
	recs := pollN(t, task, 4)
	want := []string{"first", "second", "third\r", "bad \uFFFD\uFFFD end"}
	if got := values(recs); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("values = %q, want %q", got, want)
	}
	_ = c.CloseWrite()
	last := pollN(t, task, 1)
	if last[0].Value != "unterminated" {
		t.Fatalf("last record = %q", last[0].Value)
	}
	r := recs[0]
	if r.Topic != "net" || r.Key != nil || r.KeySchema != nil || r.ValueSchema != nil || r.HasPartition || r.HasTimestamp {
		t.Fatalf("record shape: %+v", r)
	}
	if r.SourcePartition == nil || len(r.SourcePartition) != 0 || r.SourceOffset == nil || len(r.SourceOffset) != 0 {
		t.Fatalf("source maps: %v %v", r.SourcePartition, r.SourceOffset)
	}
	cport, sport := port(c.LocalAddr()), port(task.Addr())
	wantH := []string{
		"remoteHost STRING 127.0.0.1",
		fmt.Sprintf("remotePort INT32 %d", cport),
		fmt.Sprintf("remoteAddress STRING /127.0.0.1:%d", cport),
		"transportProtocol STRING tcp",
		"localHost STRING 127.0.0.1",
		fmt.Sprintf("localPort INT32 %d", sport),
		fmt.Sprintf("localAddress STRING /127.0.0.1:%d", sport),
	}
	checkHeaders(t, r.Headers, wantH)
	if _, ok := r.Headers[1].Value.(int32); !ok {
		t.Fatalf("remotePort is %T", r.Headers[1].Value)
	}
	// Every record of the connection shares one header slice that cannot
	// be appended to in place.
	if &recs[1].Headers[0] != &r.Headers[0] || cap(r.Headers) != len(r.Headers) {
		t.Fatal("headers are not shared read-only")
	}
}

func checkHeaders(t testing.TB, h sluice.Headers, want []string) {
	t.Helper()
	got := make([]string, len(h))
	for i, x := range h {
		got[i] = fmt.Sprintf("%s %s %v", x.Key, x.Schema.Type, x.Value)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("headers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTCPOverLongAndSimpleFramer(t *testing.T) {
	task := startTask(t, baseProps(ChannelTCPPrefix+FrameMaxLengthKey, "4"))
	c := dialTCP(t, task)
	_, _ = c.Write([]byte("abcdefghij\nxy\n"))
	if got := values(pollN(t, task, 4)); strings.Join(got, ",") != "abcd,efgh,ij,xy" {
		t.Fatalf("values = %q", got)
	}
	task2 := startTask(t, baseProps(PipelineFactoryHandlersConf, "framer",
		"pipeline.factory.handlers.framer.class", "com.vrudenskyi.kafka.connect.nettysource.SimpleDelimeterFrameDecoder",
		"pipeline.factory.handlers.framer.delimiter", ";"))
	c2 := dialTCP(t, task2)
	_, _ = c2.Write([]byte("a;b;c"))
	if got := values(pollN(t, task2, 2)); strings.Join(got, ",") != "a,b" {
		t.Fatalf("simple framer values = %q", got)
	}
}

func TestTCPConnectionsKeepOrder(t *testing.T) {
	task := startTask(t, baseProps(QueueBatchSizeConfig, "7"))
	const conns, lines = 4, 500
	for i := 0; i < conns; i++ {
		c := dialTCP(t, task)
		go func(i int, c net.Conn) {
			var sb strings.Builder
			for j := 0; j < lines; j++ {
				fmt.Fprintf(&sb, "c%d-%d\n", i, j)
			}
			_, _ = c.Write([]byte(sb.String()))
		}(i, c)
	}
	recs := pollN(t, task, conns*lines)
	next := map[string]int{}
	for _, v := range values(recs) {
		conn, n, _ := strings.Cut(v, "-")
		k, _ := strconv.Atoi(n)
		if k != next[conn] {
			t.Fatalf("connection %s: got line %d, want %d", conn, k, next[conn])
		}
		next[conn]++
	}
}

func TestIPv6Headers(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback")
	}
	ln.Close()
	task := startTask(t, baseProps(BindAddressConfig, "::1"))
	c := dialTCP(t, task)
	_, _ = c.Write([]byte("x\n"))
	r := pollN(t, task, 1)[0]
	cport, sport := port(c.LocalAddr()), port(task.Addr())
	checkHeaders(t, r.Headers, []string{
		"remoteHost STRING 0:0:0:0:0:0:0:1",
		fmt.Sprintf("remotePort INT32 %d", cport),
		fmt.Sprintf("remoteAddress STRING /[0:0:0:0:0:0:0:1]:%d", cport),
		"transportProtocol STRING tcp",
		"localHost STRING 0:0:0:0:0:0:0:1",
		fmt.Sprintf("localPort INT32 %d", sport),
		fmt.Sprintf("localAddress STRING /[0:0:0:0:0:0:0:1]:%d", sport),
	})
}

func TestPortFallbackAndAllBusy(t *testing.T) {
	busy1, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy1.Close()
	busy2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy2.Close()
	free, _ := net.Listen("tcp", "127.0.0.1:0")
	freePort := port(free.Addr())
	free.Close()
	p1, p2 := strconv.Itoa(port(busy1.Addr())), strconv.Itoa(port(busy2.Addr()))

	task := startTask(t, baseProps(PortConfig, p1, PortsConfig, p2+","+strconv.Itoa(freePort)))
	if port(task.Addr()) != freePort {
		t.Fatalf("bound %v, want port %d", task.Addr(), freePort)
	}
	bad := &Task{}
	err = bad.Start(context.Background(), baseProps(PortConfig, p1, PortsConfig, p2), nil)
	if err == nil {
		bad.Stop()
		t.Fatal("Start succeeded with every port busy")
	}
	for _, want := range []string{"all port are in use", "TcpSourceTask (port:" + p1 + "," + p2 + " topic: net)"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q lacks %q", err, want)
		}
	}
	// UDP: the same fallback.
	ub, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer ub.Close()
	up := strconv.Itoa(port(ub.LocalAddr()))
	err = (&Task{}).Start(context.Background(), baseProps(TransportProtocolConfig, "udp", PortConfig, up), nil)
	if err == nil || !strings.Contains(err.Error(), "UdpSourceTask (port:"+up+" topic: net)") {
		t.Fatalf("UDP all busy error = %v", err)
	}
}

func TestHealthCheck(t *testing.T) {
	task := startTask(t, baseProps(HealthcheckEnabledConfig, "true", HealthcheckPortConfig, "0"))
	if task.HealthAddr() == nil || task.HealthAddr().String() == task.Addr().String() {
		t.Fatalf("health listener %v (data %v)", task.HealthAddr(), task.Addr())
	}
	c, err := net.Dial("tcp", task.HealthAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _ = c.Write([]byte("ping\nping\n"))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	recs, _ := task.Poll(ctx)
	if len(recs) != 0 {
		t.Fatalf("health-check data became records: %q", values(recs))
	}
	// The connection stays open: a read times out rather than seeing EOF.
	_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := c.Read(make([]byte, 1)); err == nil || err == io.EOF {
		t.Fatalf("health-check read: %v", err)
	}
	// Health check falling back to the data ports when none is given.
	task2 := startTask(t, baseProps(PortConfig, "0", HealthcheckEnabledConfig, "true"))
	if task2.HealthAddr() == nil {
		t.Fatal("no health listener on the fallback ports")
	}
}

func TestNoDataTimeoutClosesIdle(t *testing.T) {
	task := startTask(t, baseProps(ChannelTCPPrefix+NoDataTimeoutKey, "100"))
	c := dialTCP(t, task)
	_, _ = c.Write([]byte("hello"))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read = %v, want EOF from the server closing", err)
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("closed after %v", d)
	}
	if got := values(pollN(t, task, 1)); got[0] != "hello" {
		t.Fatalf("values = %q", got)
	}
}

func TestStopDrainsQueue(t *testing.T) {
	task := startTask(t, baseProps())
	c := dialTCP(t, task)
	_, _ = c.Write([]byte("a\nb\nc\npartial"))
	deadline := time.Now().Add(5 * time.Second)
	for task.QueueLen() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	recs, err := task.Poll(context.Background())
	if err != nil || strings.Join(values(recs), ",") != "a,b,c,partial" {
		t.Fatalf("after Stop: %q, %v", values(recs), err)
	}
	recs, err = task.Poll(context.Background())
	if err != nil || len(recs) != 0 {
		t.Fatalf("second Poll after Stop: %d records, %v", len(recs), err)
	}
	if _, err := net.DialTimeout("tcp", task.Addr().String(), time.Second); err == nil {
		t.Fatal("listener still accepts after Stop")
	}
}

func TestPollTiming(t *testing.T) {
	task := startTask(t, baseProps(PollIntervalConfig, "150", QueueBatchTimeoutConfig, "1000"))
	start := time.Now()
	recs, err := task.Poll(context.Background())
	d := time.Since(start)
	if err != nil || len(recs) != 0 || d < 140*time.Millisecond || d > 2*time.Second {
		t.Fatalf("empty Poll: %d records, %v, took %v", len(recs), err, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	task2 := startTask(t, baseProps(PollIntervalConfig, "60000"))
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start = time.Now()
	_, err = task2.Poll(ctx)
	if err != context.Canceled || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled Poll: %v after %v", err, time.Since(start))
	}
	// A full batch returns at once even with a long poll interval.
	task3 := startTask(t, baseProps(PollIntervalConfig, "60000", QueueBatchSizeConfig, "3"))
	c := dialTCP(t, task3)
	_, _ = c.Write([]byte("1\n2\n3\n4\n"))
	start = time.Now()
	recs, err = task3.Poll(context.Background())
	if err != nil || len(recs) != 3 || time.Since(start) > 5*time.Second {
		t.Fatalf("batch Poll: %q %v", values(recs), err)
	}
}

func TestTCPBackPressure(t *testing.T) {
	task := startTask(t, baseProps(QueueCapacityConfig, "50", QueueBatchSizeConfig, "1000"))
	c := dialTCP(t, task)
	const lines = 200000
	line := strings.Repeat("x", 180)
	var written atomic.Int64
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 0, 64<<10)
		for i := 0; i < lines; i++ {
			buf = append(buf, strconv.Itoa(i)...)
			buf = append(buf, line...)
			buf = append(buf, '\n')
			if len(buf) > 60<<10 || i == lines-1 {
				n, err := c.Write(buf)
				written.Add(int64(n))
				if err != nil {
					done <- err
					return
				}
				buf = buf[:0]
			}
		}
		done <- c.CloseWrite()
	}()
	// Nobody polls: the queue fills, the reader stops, the sender blocks.
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("sender finished without back-pressure: %v", err)
	default:
	}
	if n := task.QueueLen(); n != 50 {
		t.Fatalf("queue holds %d records, want its capacity 50", n)
	}
	stalled := written.Load()
	time.Sleep(100 * time.Millisecond)
	if written.Load() != stalled {
		t.Fatal("sender still progressing while the queue is full")
	}
	recs := pollN(t, task, lines)
	for i, v := range values(recs) {
		if !strings.HasPrefix(v, strconv.Itoa(i)+"x") || len(v) != len(strconv.Itoa(i))+180 {
			t.Fatalf("record %d = %.20q…", i, v)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestUDPRecords(t *testing.T) {
	task := startTask(t, baseProps(TransportProtocolConfig, "udp", UDPReceiveBufferSizeConfig, "16"))
	c, err := net.Dial("udp", task.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, d := range []string{"one\n", "  \n", "two\nlines", "0123456789abcdefXYZ", "\xff"} {
		if _, err := c.Write([]byte(d)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	recs := pollN(t, task, 4)
	want := []string{"one\n", "two\nlines", "0123456789abcdef", "\uFFFD"}
	if got := values(recs); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("values = %q, want %q", got, want)
	}
	cport, sport := port(c.LocalAddr()), port(task.Addr())
	checkHeaders(t, recs[0].Headers, []string{
		"remoteHost STRING 127.0.0.1",
		fmt.Sprintf("remotePort INT32 %d", cport),
		fmt.Sprintf("remoteAddress STRING /127.0.0.1:%d", cport),
		"transportProtocol STRING udp",
		"localHost STRING 127.0.0.1",
		fmt.Sprintf("localPort INT32 %d", sport),
		fmt.Sprintf("localAddress STRING /127.0.0.1:%d", sport),
	})
}

func TestUDPDropsCounted(t *testing.T) {
	task := startTask(t, baseProps(TransportProtocolConfig, "udp", QueueCapacityConfig, "5"))
	c, err := net.Dial("udp", task.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const sent = 40
	for i := 0; i < sent; i++ {
		_, _ = c.Write([]byte("d" + strconv.Itoa(i)))
		time.Sleep(time.Millisecond) // a controlled rate the kernel buffer absorbs
	}
	deadline := time.Now().Add(5 * time.Second)
	for task.Dropped()+uint64(task.QueueLen()) < sent && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if task.QueueLen() != 5 || task.Dropped() != sent-5 {
		t.Fatalf("queued %d, dropped %d; want 5 and %d", task.QueueLen(), task.Dropped(), sent-5)
	}
	if got := values(pollN(t, task, 5)); strings.Join(got, ",") != "d0,d1,d2,d3,d4" {
		t.Fatalf("kept %q", got)
	}
}
