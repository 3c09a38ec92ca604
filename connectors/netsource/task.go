package netsource

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"sluice.io/sluice"
)

// Task is one NettySource task: a TCP or UDP listener on the first free
// candidate port, feeding a bounded record queue that Poll drains.
//
// Back-pressure: when the queue is full, TCP connections are not read until
// Poll makes room (the kernel then pushes back on the sender; nothing is
// dropped), and UDP datagrams are dropped and counted (Dropped).
//
// After Stop, Poll returns every record still queued and then returns
// (nil, nil) at once.
type Task struct {
	s    *settings
	name string
	log  *slog.Logger

	q     *recordQueue
	timer *time.Timer

	mu      sync.Mutex
	ln      net.Listener
	udp     *net.UDPConn
	health  net.Listener
	conns   map[net.Conn]struct{}
	stopped bool
	wg      sync.WaitGroup

	emptyPartition map[string]any
	emptyOffset    map[string]any

	dropped     atomic.Uint64
	lastWarn    atomic.Int64 // unix nanos of the last drop warning
	warnDropped atomic.Uint64
}

// Start binds the listener and starts accepting data.
func (t *Task) Start(ctx context.Context, cfg map[string]string, _ sluice.OffsetReader) error {
	s, err := parseSettings(cfg)
	if err != nil {
		return fmt.Errorf("NettySourceTask failed to start for topic: %w", err)
	}
	t.s = s
	t.name = s.taskName()
	if t.log == nil {
		t.log = slog.Default().With("task", t.name)
	}
	t.q = newRecordQueue(s.capacity)
	t.timer = time.NewTimer(time.Hour)
	t.timer.Stop()
	t.conns = map[net.Conn]struct{}{}
	t.emptyPartition = map[string]any{}
	t.emptyOffset = map[string]any{}
	if s.udp {
		c, err := t.bindUDP()
		if err != nil {
			return fmt.Errorf("NettySourceTask failed to start for topic: %w", err)
		}
		t.udp = c
		t.wg.Add(1)
		go t.serveUDP(c)
	} else {
		ln, err := bindTCP(s.bindAddress, s.ports)
		if err != nil {
			return fmt.Errorf("NettySourceTask failed to start for topic: [%s]: all port are in use. (%w)", t.name, err)
		}
		t.ln = ln
		t.wg.Add(1)
		go t.acceptLoop(ln)
	}
	if s.health {
		ln, err := bindTCP(s.healthAddr, s.healthPorts)
		if err != nil {
			t.log.Error("failed to start the health-check listener", "ports", s.healthPorts, "err", err)
		} else {
			t.health = ln
			t.wg.Add(1)
			go t.healthLoop(ln)
			t.log.Info("started health-check listener", "addr", ln.Addr().String())
		}
	}
	t.log.Info("started", "addr", t.Addr().String())
	return nil
}

// Addr returns the address the data listener is bound to.
func (t *Task) Addr() net.Addr {
	if t.udp != nil {
		return t.udp.LocalAddr()
	}
	if t.ln != nil {
		return t.ln.Addr()
	}
	return nil
}

// HealthAddr returns the health-check listener's address, or nil.
func (t *Task) HealthAddr() net.Addr {
	if t.health != nil {
		return t.health.Addr()
	}
	return nil
}

// Dropped returns how many UDP datagrams were dropped because the queue was
// full (a counter for metrics).
func (t *Task) Dropped() uint64 { return t.dropped.Load() }

// QueueLen returns how many records wait for Poll.
func (t *Task) QueueLen() int {
	if t.q == nil {
		return 0
	}
	return t.q.len()
}

// SetLogger sets the logger; call it before Start.
func (t *Task) SetLogger(l *slog.Logger) { t.log = l }

// Poll returns the next batch of records: at once up to
// connector.queue.batchSize queued records; with fewer queued, it keeps
// collecting until the batch is full or poll.interval has passed (each wait
// lasting at most connector.queue.batchTimeout). It returns early when ctx
// ends: with the records collected so far, or ctx's error when there are
// none.
func (t *Task) Poll(ctx context.Context) ([]*sluice.Record, error) {
	if t.q == nil {
		return nil, errors.New("netsource: Poll before Start")
	}
	if t.q.isStopped() {
		return t.q.take(nil, -1), nil
	}
	limit := t.s.batchSize
	recs := t.q.take(make([]*sluice.Record, 0, min(limit, max(t.q.len(), 16))), limit)
	if len(recs) >= limit {
		return recs, nil
	}
	deadline := time.Now().Add(t.s.pollInterval)
	for len(recs) < limit {
		if t.q.isStopped() {
			return t.q.take(recs, -1), nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		if !t.q.waitData(ctx, t.timer, min(left, max(t.s.batchTimeout, time.Millisecond))) {
			if len(recs) == 0 {
				return nil, ctx.Err()
			}
			return recs, nil
		}
		recs = t.q.take(recs, limit-len(recs))
	}
	return recs, nil
}

// Commit does nothing: the records carry no offsets.
func (t *Task) Commit(context.Context, []*sluice.Record) error { return nil }

// Stop closes the listeners and connections and waits for the readers to
// finish; records already received stay queued for Poll.
func (t *Task) Stop() error {
	t.mu.Lock()
	if t.stopped || t.q == nil {
		t.mu.Unlock()
		return nil
	}
	t.stopped = true
	t.q.stop()
	var errs []error
	if t.ln != nil {
		errs = append(errs, ignoreClosed(t.ln.Close()))
	}
	if t.udp != nil {
		errs = append(errs, ignoreClosed(t.udp.Close()))
	}
	if t.health != nil {
		errs = append(errs, ignoreClosed(t.health.Close()))
	}
	for c := range t.conns {
		_ = c.Close()
	}
	t.mu.Unlock()
	t.wg.Wait()
	t.log.Info("stopped", "queued", t.q.len(), "udpDropped", t.dropped.Load())
	return errors.Join(errs...)
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// listenHost is the host part to listen on: the wildcard 0.0.0.0 listens on
// every address (IPv4 and IPv6), as the JVM does.
func listenHost(bind string) string {
	if bind == "0.0.0.0" {
		return ""
	}
	return bind
}

// bindTCP listens on the first candidate port that is free.
func bindTCP(bind string, ports []int) (net.Listener, error) {
	var last error
	for _, p := range ports {
		ln, err := net.Listen("tcp", net.JoinHostPort(listenHost(bind), strconv.Itoa(p)))
		if err == nil {
			return ln, nil
		}
		last = err
	}
	return nil, fmt.Errorf("ports %s of %s: %w", joinPorts(ports), bind, last)
}

func joinPorts(ports []int) string {
	ps := make([]string, len(ports))
	for i, p := range ports {
		ps[i] = strconv.Itoa(p)
	}
	return strings.Join(ps, ",")
}

// bindUDP binds the datagram socket on the first candidate port that is free.
func (t *Task) bindUDP() (*net.UDPConn, error) {
	var last error
	for _, p := range t.s.ports {
		addr, err := net.ResolveUDPAddr("udp", net.JoinHostPort(listenHost(t.s.bindAddress), strconv.Itoa(p)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", BindAddressConfig, err)
		}
		c, err := net.ListenUDP("udp", addr)
		if err == nil {
			if t.s.udpSocketSize > 0 {
				if err := c.SetReadBuffer(t.s.udpSocketSize); err != nil {
					t.log.Warn("cannot set the UDP socket buffer size", "err", err)
				}
			}
			return c, nil
		}
		last = err
	}
	return nil, fmt.Errorf("[%s]: all port are in use. (ports %s of %s: %w)", t.name, joinPorts(t.s.ports), t.s.bindAddress, last)
}

// track registers a live connection; it reports false when the task stops.
func (t *Task) track(c net.Conn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	t.conns[c] = struct{}{}
	return true
}

func (t *Task) untrack(c net.Conn) {
	t.mu.Lock()
	delete(t.conns, c)
	t.mu.Unlock()
}

func (t *Task) acceptLoop(ln net.Listener) {
	defer t.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			t.log.Warn("accept failed", "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if !t.track(c) {
			_ = c.Close()
			return
		}
		t.wg.Add(1)
		go t.serveConn(c)
	}
}

// recordSlab hands out records from blocks, so that a connection allocates
// records in bulk rather than one by one.
type recordSlab struct{ buf []sluice.Record }

func (s *recordSlab) next() *sluice.Record {
	if len(s.buf) == 0 {
		s.buf = make([]sluice.Record, 64)
	}
	r := &s.buf[0]
	s.buf = s.buf[1:]
	return r
}

// newRecord fills a record as StringRecordHandler does: STRING value without
// schema, no key, no partition, no timestamp, empty source maps.
func (t *Task) newRecord(slab *recordSlab, value string, h sluice.Headers) *sluice.Record {
	r := slab.next()
	r.Topic = t.s.topic
	r.Value = value
	r.Headers = h
	r.SourcePartition = t.emptyPartition
	r.SourceOffset = t.emptyOffset
	return r
}

// serveConn reads one TCP connection until it ends.
func (t *Task) serveConn(raw net.Conn) {
	defer t.wg.Done()
	defer t.untrack(raw)
	defer raw.Close()
	hdrs := connHeaders(raw)
	var rd net.Conn = raw
	if t.s.tls != nil {
		tc := tlsServer(raw, t.s.tls)
		hctx, cancel := context.WithTimeout(context.Background(), t.s.handshakeTimeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			t.log.Debug("TLS handshake failed", "remote", raw.RemoteAddr().String(), "err", err)
			return
		}
		rd = tc
	}
	var slab recordSlab
	batch := make([]*sluice.Record, 0, 64)
	var feed func([]byte)
	var finish func()
	if t.s.syslog {
		sp := NewSyslogSplitter(t.s.syslogFraming, t.s.syslogMaxLength)
		parser := newSyslogParser(t.s)
		emit := func(msg, _ []byte) {
			if v, h, ok := parser.parse(msg, hdrs); ok {
				batch = append(batch, t.newRecord(&slab, v, h))
			}
		}
		feed = func(b []byte) { _ = sp.Feed(b, emit) }
		finish = func() { sp.Close(emit) }
	} else {
		dec := t.s.framer.NewDecoder()
		emit := func(frame []byte) {
			if v, ok := RecordValue(frame); ok {
				batch = append(batch, t.newRecord(&slab, v, hdrs))
			}
		}
		feed = func(b []byte) { _ = dec.Feed(b, emit) }
		finish = func() { dec.Close(emit) }
	}
	flush := func() {
		if len(batch) > 0 {
			t.q.putAll(batch)
			clear(batch)
			batch = batch[:0]
		}
	}
	buf := make([]byte, 64<<10)
	for {
		if t.s.noData > 0 {
			_ = raw.SetReadDeadline(time.Now().Add(t.s.noData))
		}
		n, err := rd.Read(buf)
		if n > 0 {
			feed(buf[:n])
			flush()
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.log.Debug("closing idle connection", "remote", raw.RemoteAddr().String(), "nodataTimeout", t.s.noData)
			}
			finish()
			flush()
			return
		}
	}
}

// serveUDP reads datagrams until the socket closes.
func (t *Task) serveUDP(c *net.UDPConn) {
	defer t.wg.Done()
	local, _ := addrPort(c.LocalAddr())
	if ip, err := netip.ParseAddr(t.s.bindAddress); err == nil {
		local = netip.AddrPortFrom(ip, local.Port())
	}
	cache := map[netip.AddrPort]sluice.Headers{}
	var parser *syslogParser
	if t.s.syslog {
		parser = newSyslogParser(t.s)
	}
	var slab recordSlab
	buf := make([]byte, t.s.udpReadSize)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			t.log.Warn("UDP read failed", "err", err)
			continue
		}
		hdrs, ok := cache[from]
		if !ok {
			if len(cache) >= 4096 {
				clear(cache)
			}
			hdrs = networkHeaders(from, local, true, true, "udp")
			cache[from] = hdrs
		}
		var rec *sluice.Record
		if parser != nil {
			v, h, ok := parser.parse(buf[:n], hdrs)
			if !ok {
				continue
			}
			rec = t.newRecord(&slab, v, h)
		} else {
			v, ok := RecordValue(buf[:n])
			if !ok {
				continue
			}
			rec = t.newRecord(&slab, v, hdrs)
		}
		if !t.q.tryPut(rec) {
			t.noteDrop()
		}
	}
}

// noteDrop counts a dropped datagram and logs a warning at most every ten
// seconds.
func (t *Task) noteDrop() {
	t.dropped.Add(1)
	t.warnDropped.Add(1)
	now := time.Now().UnixNano()
	last := t.lastWarn.Load()
	if now-last >= int64(10*time.Second) && t.lastWarn.CompareAndSwap(last, now) {
		t.log.Warn("record queue full: UDP datagrams dropped", "dropped", t.warnDropped.Swap(0),
			"droppedTotal", t.dropped.Load(), "capacity", t.s.capacity)
	}
}

// healthLoop accepts health-check connections and discards their data.
func (t *Task) healthLoop(ln net.Listener) {
	defer t.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if !t.track(c) {
			_ = c.Close()
			return
		}
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			defer t.untrack(c)
			defer c.Close()
			var b [512]byte
			for {
				if _, err := c.Read(b[:]); err != nil {
					return
				}
			}
		}()
	}
}
