// Command sluice-bench measures push ingestion end to end: it starts a
// standalone worker with its embedded Kafka broker and a TCP syslog
// connector that masks card numbers and SSNs and routes each message to
// one of three topics by severity (the quick-start pipeline), pushes
// syslog-like lines of about 190 bytes over loopback TCP from a separate
// sender process, waits until Kafka has acknowledged every record and
// reports lines/s, MB/s, CPU seconds (user+sys, from getrusage) and the
// peak resident set size.
//
// Usage:
//
//	sluice-bench [-lines N] [-conns C] [-route siem|cel] [-cpuprofile FILE] [-verify] [-inproc-sender]
//	             [-worker KEY=VALUE]... [-connector KEY=VALUE]...
//
// The figures of the "sluice" process cover the worker and the embedded
// broker; the sender's CPU is reported apart.
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice/broker"
	_ "sluice.io/sluice/connectors/netsource"
	_ "sluice.io/sluice/plugins"
	"sluice.io/sluice/worker"
)

// roleEnv selects the sender role of a child process.
const roleEnv = "SLUICE_BENCH_ROLE"

func main() {
	if os.Getenv(roleEnv) == "sender" {
		os.Exit(senderMain(os.Args[1:], os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Topics of the benchmark pipeline.
const (
	topicCritical = "syslog-critical"
	topicWarning  = "syslog-warning"
	topicInfo     = "syslog-info"
	topicDLQ      = "syslog-dlq"
	connectorName = "bench-syslog"
)

// connectorConfig is the quick-start syslog connector: card and SSN
// masking with RegexRules, routing by severity with the SIEM RegexRouter
// on the syslog.severity header, tolerance all with a dead letter queue.
// poll.interval is lowered from Java's 5 s so that the last partial batch
// does not wait.
func connectorConfig(port int) map[string]string {
	return map[string]string{
		"name":               connectorName,
		"connector.class":    "com.vrudenskyi.kafka.connect.nettysource.NettySourceConnector",
		"tasks.max":          "1",
		"transport.protocol": "TCP",
		"bind.address":       "127.0.0.1",
		"port":               strconv.Itoa(port),
		"topic":              "syslog-raw",
		"syslog.enabled":     "true",
		"poll.interval":      "100",
		// TCP senders are held back by the kernel when the queue is full,
		// so a short queue loses nothing and keeps the records in cache.
		"connector.queue.capacity": "10000",

		"transforms":                             "mask,route",
		"transforms.mask.type":                   "com.vrudenskyi.kafka.connect.transform.RegexRules",
		"transforms.mask.rules":                  "card,ssn",
		"transforms.mask.rules.card.find":        `\b\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?(\d{4})\b`,
		"transforms.mask.rules.card.replacement": "****-****-****-$1",
		"transforms.mask.rules.ssn.find":         `\b\d{3}-\d{2}-\d{4}\b`,
		"transforms.mask.rules.ssn.replacement":  "***-**-****",

		"transforms.route.type":                       "com.vrudenskyi.kafka.connect.transform.RegexRouter",
		"transforms.route.applyTo":                    "header.syslog.severity",
		"transforms.route.rules":                      "critical,warning",
		"transforms.route.rules.critical.if":          "0,1,2,3",
		"transforms.route.rules.critical.if_mode":     "IN",
		"transforms.route.rules.critical.replacement": topicCritical,
		"transforms.route.rules.warning.if":           "4,5",
		"transforms.route.rules.warning.if_mode":      "IN",
		"transforms.route.rules.warning.replacement":  topicWarning,
		"transforms.route.fallbackTopic":              topicInfo,

		"errors.tolerance":                              "all",
		"errors.deadletterqueue.topic.name":             topicDLQ,
		"errors.deadletterqueue.context.headers.enable": "true",
	}
}

// celRoute routes by severity with CEL conditions instead: three Kafka
// RegexRouters, two guarded by CEL predicates.
var celRoute = map[string]string{
	"transforms":                       "mask,critical,warning,info",
	"transforms.critical.type":         "org.apache.kafka.connect.transforms.RegexRouter",
	"transforms.critical.regex":        ".*",
	"transforms.critical.replacement":  topicCritical,
	"transforms.critical.predicate":    "isCritical",
	"transforms.warning.type":          "org.apache.kafka.connect.transforms.RegexRouter",
	"transforms.warning.regex":         ".*",
	"transforms.warning.replacement":   topicWarning,
	"transforms.warning.predicate":     "isWarning",
	"transforms.info.type":             "org.apache.kafka.connect.transforms.RegexRouter",
	"transforms.info.regex":            "syslog-raw",
	"transforms.info.replacement":      topicInfo,
	"predicates":                       "isCritical,isWarning",
	"predicates.isCritical.type":       "io.sluice.predicates.Cel",
	"predicates.isCritical.expression": `int(headers["syslog.severity"]) <= 3`,
	"predicates.isWarning.type":        "io.sluice.predicates.Cel",
	"predicates.isWarning.expression":  `int(headers["syslog.severity"]) in [4, 5]`,
}

// line is one generated syslog line and its expected result.
type line struct {
	raw    []byte // with the trailing LF
	masked string
	topic  string
}

// makeLine generates line seq of connection conn: RFC 3164, about 190
// bytes, severity cycling through 0..7, a card number in every third line
// (three spellings) and an SSN in every fifth.
func makeLine(conn, seq int) line {
	sev := (seq*5 + conn) % 8
	var msg, masked strings.Builder
	head := fmt.Sprintf("conn=%d seq=%08d user=u%04d action=login src=10.%d.%d.%d", conn, seq, seq%9973,
		conn%250, (seq/250)%250, seq%250)
	msg.WriteString(head)
	masked.WriteString(head)
	if seq%3 == 0 {
		sep := [...]string{"-", " ", ""}[seq%9/3]
		fmt.Fprintf(&msg, " card=4111%s1111%s1111%s%04d", sep, sep, sep, seq%10000)
		fmt.Fprintf(&masked, " card=****-****-****-%04d", seq%10000)
	}
	if seq%5 == 0 {
		fmt.Fprintf(&msg, " ssn=%03d-%02d-%04d", 100+seq%800, 10+seq%89, seq%10000)
		masked.WriteString(" ssn=***-**-****")
	}
	const tail = " status=ok session=a1b2c3d4e5f6 agent=bench"
	msg.WriteString(tail)
	masked.WriteString(tail)
	for msg.Len() < 148 {
		msg.WriteString(" pad")
		masked.WriteString(" pad")
	}
	raw := fmt.Sprintf("<%d>Oct 11 22:14:15 host%02d app[%d]: %s\n", 4*8+sev, conn, 1000+conn, msg.String())
	topic := topicInfo
	switch {
	case sev <= 3:
		topic = topicCritical
	case sev <= 5:
		topic = topicWarning
	}
	return line{raw: []byte(raw), masked: masked.String(), topic: topic}
}

// share returns how many of total lines connection c of conns sends.
func share(total, conns, c int) int {
	n := total / conns
	if c < total%conns {
		n++
	}
	return n
}

// result is the outcome of one run.
type result struct {
	Lines, Bytes          int64
	Elapsed               time.Duration
	UserCPU, SysCPU       time.Duration
	SenderUser, SenderSys time.Duration
	PeakRSSBytes          int64
	Topics                map[string]int64
	Expected              map[string]int64
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sluice-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lines := fs.Int("lines", 1_000_000, "number of lines to push")
	conns := fs.Int("conns", 4, "number of TCP connections")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	verify := fs.Bool("verify", false, "after the run, read every record back and check masking and routing")
	inproc := fs.Bool("inproc-sender", false, "send from this process instead of a child process")
	verbose := fs.Bool("v", false, "log the worker's messages")
	route := fs.String("route", "siem", "how to route by severity: siem (one RegexRouter step on the header) or cel (CEL-guarded RegexRouters)")
	workerSet, connSet := kvFlag{}, kvFlag{}
	fs.Var(workerSet, "worker", "set a worker property, KEY=VALUE (repeatable)")
	fs.Var(connSet, "connector", "set a connector property, KEY=VALUE (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *route != "siem" && *route != "cel" {
		fmt.Fprintf(stderr, "sluice-bench: -route must be siem or cel, not %q\n", *route)
		return 2
	}
	if *route == "cel" {
		for k, v := range celRoute {
			if _, set := connSet[k]; !set {
				connSet[k] = v
			}
		}
	}
	if *lines < 1 || *conns < 1 {
		fmt.Fprintln(stderr, "sluice-bench: -lines and -conns must be positive")
		return 2
	}
	res, err := bench(benchConfig{lines: *lines, conns: *conns, cpuprofile: *cpuprofile, verify: *verify,
		inproc: *inproc, verbose: *verbose, worker: workerSet, connector: connSet}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "sluice-bench: %v\n", err)
		return 1
	}
	report(stdout, res, *conns, *inproc)
	return 0
}

func report(w io.Writer, r *result, conns int, inproc bool) {
	sec := r.Elapsed.Seconds()
	cpu := (r.UserCPU + r.SysCPU).Seconds()
	fmt.Fprintf(w, "lines         %d over %d TCP connections (%d bytes, %.1f bytes/line)\n", r.Lines, conns, r.Bytes,
		float64(r.Bytes)/float64(r.Lines))
	fmt.Fprintf(w, "elapsed       %.3f s\n", sec)
	fmt.Fprintf(w, "throughput    %.0f lines/s, %.1f MB/s\n", float64(r.Lines)/sec, float64(r.Bytes)/sec/1e6)
	who := "worker + embedded broker"
	if inproc {
		who = "worker + embedded broker + sender"
	}
	fmt.Fprintf(w, "cpu (%s)  user %.2f s, sys %.2f s, total %.2f s (%.2f cores, %.2f µs/line)\n", who,
		r.UserCPU.Seconds(), r.SysCPU.Seconds(), cpu, cpu/sec, cpu/float64(r.Lines)*1e6)
	if !inproc {
		fmt.Fprintf(w, "cpu (sender)  user %.2f s, sys %.2f s\n", r.SenderUser.Seconds(), r.SenderSys.Seconds())
	}
	fmt.Fprintf(w, "peak RSS      %.1f MB\n", float64(r.PeakRSSBytes)/(1<<20))
	fmt.Fprintf(w, "topics        %s=%d %s=%d %s=%d %s=%d\n", topicCritical, r.Topics[topicCritical],
		topicWarning, r.Topics[topicWarning], topicInfo, r.Topics[topicInfo], topicDLQ, r.Topics[topicDLQ])
}

// kvFlag collects KEY=VALUE flags.
type kvFlag map[string]string

func (f kvFlag) String() string { return fmt.Sprint(map[string]string(f)) }

func (f kvFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", v)
	}
	f[k] = val
	return nil
}

// benchConfig is one run's settings.
type benchConfig struct {
	lines, conns            int
	cpuprofile              string
	verify, inproc, verbose bool
	worker, connector       map[string]string
}

func bench(cfg benchConfig, stderr io.Writer) (*result, error) {
	lines, conns, cpuprofile, verify, inproc, verbose := cfg.lines, cfg.conns, cfg.cpuprofile, cfg.verify, cfg.inproc, cfg.verbose
	dir, err := os.MkdirTemp("", "sluice-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	logger := slog.New(slog.DiscardHandler)
	if verbose {
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	props := map[string]string{
		"key.converter":   "org.apache.kafka.connect.storage.StringConverter",
		"value.converter": "org.apache.kafka.connect.storage.StringConverter",
		// Log lines compress about tenfold: the producer sends and the
		// broker stores a tenth of the bytes for a little CPU.
		"producer.compression.type":        "lz4",
		"offset.storage.file.filename":     filepath.Join(dir, "connect.offsets"),
		"listeners":                        "http://127.0.0.1:0",
		"sluice.progress.interval.ms":      "0",
		worker.EmbeddedBrokerAddressConfig: "127.0.0.1:0",
	}
	for k, v := range cfg.worker {
		props[k] = v
	}
	s, err := worker.NewStandalone(context.Background(), props, worker.Options{Logger: logger,
		StartBroker: func(ctx context.Context, eb worker.EmbeddedBroker, l *slog.Logger) (worker.Broker, error) {
			return broker.Start(ctx, eb.Addr, l, broker.WithDataDir(eb.DataDir))
		}})
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = s.Stop()
		}
	}()
	cc := connectorConfig(port)
	for k, v := range cfg.connector {
		cc[k] = v
	}
	if err := s.AddConnector(cc); err != nil {
		return nil, err
	}
	bootstrap := s.Bootstrap()[0]
	cm := s.Metrics().Connector(connectorName, nil)

	expected := map[string]int64{}
	var totalBytes int64
	for c := 0; c < conns; c++ {
		for seq := 0; seq < share(lines, conns, c); seq++ {
			l := makeLine(c, seq)
			expected[l.topic]++
			totalBytes += int64(len(l.raw))
		}
	}
	// Prepare the sender before the clock starts.
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var senderUser, senderSys time.Duration // set before childErr is sent
	var (
		send     func() error
		childErr = make(chan error, 1)
		child    *exec.Cmd
		ready    io.ReadCloser
		start    io.WriteCloser
	)
	if inproc {
		bufs := make([][]byte, conns)
		for c := range bufs {
			bufs[c] = connStream(lines, conns, c)
		}
		send = func() error { return sendAll(addr, bufs) }
	} else {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		child = exec.Command(exe, "-addr", addr, "-lines", strconv.Itoa(lines), "-conns", strconv.Itoa(conns))
		child.Env = append(os.Environ(), roleEnv+"=sender")
		child.Stderr = stderr
		if ready, err = child.StdoutPipe(); err != nil {
			return nil, err
		}
		if start, err = child.StdinPipe(); err != nil {
			return nil, err
		}
		if err := child.Start(); err != nil {
			return nil, fmt.Errorf("starting the sender: %w", err)
		}
		// The sender reports "ready" once its data is generated and its
		// connections are open.
		br := bufio.NewReader(ready)
		msg, err := br.ReadString('\n')
		if err != nil || msg != "ready\n" {
			_ = child.Process.Kill()
			_ = child.Wait()
			return nil, fmt.Errorf("the sender did not get ready: %q %v", msg, err)
		}
		send = func() error {
			if _, err := start.Write([]byte("go\n")); err != nil {
				return err
			}
			_ = start.Close()
			return <-childErr
		}
		go func() {
			var st struct{ User, Sys int64 }
			err := binary.Read(br, binary.LittleEndian, &st)
			werr := child.Wait()
			if err == nil {
				err = werr
			}
			senderUser, senderSys = time.Duration(st.User), time.Duration(st.Sys)
			childErr <- err
		}()
	}

	runtime.GC()
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	u0, s0, _ := rusage()
	t0 := time.Now()
	sendErr := make(chan error, 1)
	go func() { sendErr <- send() }()
	want := uint64(lines)
	deadline := time.Now().Add(10*time.Minute + time.Duration(lines)*20*time.Microsecond)
	for {
		snap := cm.Snapshot()
		if snap.Produced+snap.DLQ >= want {
			break
		}
		select {
		case err := <-sendErr:
			if err != nil {
				return nil, fmt.Errorf("sending: %w", err)
			}
			sendErr <- nil
		default:
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("timed out: %d of %d records produced", snap.Produced, want)
		}
		time.Sleep(2 * time.Millisecond)
	}
	elapsed := time.Since(t0)
	u1, s1, maxRSS := rusage()
	if cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err := <-sendErr; err != nil {
		return nil, fmt.Errorf("sending: %w", err)
	}
	res := &result{Lines: int64(lines), Bytes: totalBytes, Elapsed: elapsed, UserCPU: u1 - u0, SysCPU: s1 - s0,
		SenderUser: senderUser, SenderSys: senderSys, PeakRSSBytes: maxRSS, Expected: expected}
	if res.Topics, err = topicCounts(bootstrap); err != nil {
		return nil, err
	}
	for _, t := range []string{topicCritical, topicWarning, topicInfo, topicDLQ} {
		if res.Topics[t] != expected[t] {
			return nil, fmt.Errorf("topic %s holds %d records, want %d", t, res.Topics[t], expected[t])
		}
	}
	if verify {
		if err := verifyRecords(bootstrap, lines, conns); err != nil {
			return nil, err
		}
	}
	stopped = true
	if err := s.Stop(); err != nil {
		return nil, err
	}
	return res, nil
}

// connStream returns the bytes connection c sends.
func connStream(lines, conns, c int) []byte {
	n := share(lines, conns, c)
	buf := make([]byte, 0, n*192)
	for seq := 0; seq < n; seq++ {
		buf = append(buf, makeLine(c, seq).raw...)
	}
	return buf
}

// sendAll writes bufs[c] on connection c, all connections at once.
func sendAll(addr string, bufs [][]byte) error {
	cs := make([]net.Conn, len(bufs))
	for i := range cs {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return err
		}
		cs[i] = c
	}
	return writeAll(cs, bufs)
}

func writeAll(cs []net.Conn, bufs [][]byte) error {
	var wg sync.WaitGroup
	errs := make([]error, len(cs))
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			_, errs[i] = c.Write(bufs[i])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// senderMain is the child process: it generates its data, opens its
// connections, prints "ready", waits for a line on stdin, sends, and
// writes its CPU times (user, sys in nanoseconds) to stdout.
func senderMain(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("sluice-bench sender", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "", "listener address")
	lines := fs.Int("lines", 0, "lines in all")
	conns := fs.Int("conns", 1, "connections")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	bufs := make([][]byte, *conns)
	for c := range bufs {
		bufs[c] = connStream(*lines, *conns, c)
	}
	cs := make([]net.Conn, *conns)
	for i := range cs {
		c, err := net.DialTimeout("tcp", *addr, 5*time.Second)
		if err != nil {
			fmt.Fprintf(stderr, "sender: %v\n", err)
			return 1
		}
		cs[i] = c
	}
	fmt.Fprint(os.Stdout, "ready\n")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		fmt.Fprintf(stderr, "sender: waiting for the start: %v\n", err)
		return 1
	}
	u0, s0, _ := rusage()
	if err := writeAll(cs, bufs); err != nil {
		fmt.Fprintf(stderr, "sender: %v\n", err)
		return 1
	}
	u1, s1, _ := rusage()
	st := struct{ User, Sys int64 }{int64(u1 - u0), int64(s1 - s0)}
	if err := binary.Write(os.Stdout, binary.LittleEndian, st); err != nil {
		return 1
	}
	return 0
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// topicCounts returns the number of records of each benchmark topic.
func topicCounts(bootstrap string) (map[string]int64, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(cl).ListEndOffsets(ctx, topicCritical, topicWarning, topicInfo, topicDLQ)
	if err != nil {
		return nil, fmt.Errorf("listing end offsets: %w", err)
	}
	out := map[string]int64{}
	offs.Each(func(o kadm.ListedOffset) {
		if o.Err == nil {
			out[o.Topic] += o.Offset
		}
	})
	return out, nil
}

// verifyRecords reads every routed record back and checks that each line
// arrived once, masked, on its topic, in order per connection.
func verifyRecords(bootstrap string, lines, conns int) error {
	counts, err := topicCounts(bootstrap)
	if err != nil {
		return err
	}
	seen := make([][]bool, conns)
	for c := range seen {
		seen[c] = make([]bool, share(lines, conns, c))
	}
	for _, topic := range []string{topicCritical, topicWarning, topicInfo} {
		want := counts[topic]
		cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.ConsumeTopics(topic),
			kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		last := make([]int, conns)
		for i := range last {
			last[i] = -1
		}
		var got int64
		var bad error
		for got < want && bad == nil {
			fs := cl.PollFetches(ctx)
			if ctx.Err() != nil {
				bad = fmt.Errorf("%s: read %d of %d records", topic, got, want)
				break
			}
			fs.EachRecord(func(r *kgo.Record) {
				got++
				if bad != nil {
					return
				}
				var c, seq int
				if _, err := fmt.Sscanf(string(r.Value), "conn=%d seq=%d", &c, &seq); err != nil || c >= conns || seq >= len(seen[c]) {
					bad = fmt.Errorf("%s: unexpected record %q", topic, r.Value)
					return
				}
				l := makeLine(c, seq)
				switch {
				case string(r.Value) != l.masked:
					bad = fmt.Errorf("%s: record %q, want %q", topic, r.Value, l.masked)
				case l.topic != topic:
					bad = fmt.Errorf("conn %d seq %d on %s, want %s", c, seq, topic, l.topic)
				case seen[c][seq] || seq <= last[c]:
					bad = fmt.Errorf("%s: conn %d seq %d duplicated or out of order", topic, c, seq)
				}
				seen[c][seq], last[c] = true, seq
			})
		}
		cancel()
		cl.Close()
		if bad != nil {
			return bad
		}
	}
	for c := range seen {
		for seq, ok := range seen[c] {
			if !ok {
				return fmt.Errorf("conn %d seq %d missing", c, seq)
			}
		}
	}
	return nil
}
