package e2e

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"sluice.io/sluice/worker"
)

// TestPushBrokerUnreachable takes the Kafka broker's port down for five
// seconds in the middle of a TCP stream (connections cut, new ones
// refused), then brings it back: every line arrives exactly once, in
// order per connection.
func TestPushBrokerUnreachable(t *testing.T) {
	sl, err := newSwitchListener("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := newCluster(t, kfake.ListenFn(func(string, string) (net.Listener, error) { return sl, nil }))
	t.Cleanup(func() { sl.Close() })
	addr := c.ListenAddrs()[0]
	port := freePort(t, "tcp")
	props := workerProps(addr, t.TempDir())
	props["producer.retry.backoff.ms"] = "100"
	s := startWorker(t, props, pushSyslogConnector(t, port))
	cm := s.Metrics().Connector("syslog-tcp", nil)

	const conns = 2
	perConn := pushScale(30_000, 3) / conns
	// The senders write a third, wait for the outage, write a third during
	// it and the rest after it.
	outage := make(chan struct{})
	back := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for id := 0; id < conns; id++ {
		conn := pushDial(t, port, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			write := func(from, to int) bool {
				for seq := from; seq < to; seq++ {
					if _, err := conn.Write([]byte(pushMakeLine(id, seq).raw)); err != nil {
						errs <- err
						return false
					}
				}
				return true
			}
			third := perConn / 3
			if !write(0, third) {
				return
			}
			<-outage
			if !write(third, 2*third) {
				return
			}
			<-back
			write(2*third, perConn)
		}()
	}
	waitFor(t, 30*time.Second, "first third produced", func() bool {
		return cm.Snapshot().Produced >= uint64(conns*(perConn/3))
	})
	sl.Down()
	close(outage)
	time.Sleep(time.Second)
	during := cm.Snapshot()
	time.Sleep(4 * time.Second)
	late := cm.Snapshot()
	if err := sl.Up(); err != nil {
		t.Fatal(err)
	}
	close(back)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if late.Produced != during.Produced || late.Received <= late.Produced {
		t.Fatalf("records were acknowledged while the broker was down: %+v then %+v", during, late)
	}
	waitRecords(t, addr, int64(conns*perConn), 60*time.Second, pushTopics...)
	pushCheck(t, addr, conns, perConn, "tcp")
	t.Logf("while down: received %d, produced %d", late.Received, late.Produced)
}

// TestPushStopDeliversQueued stops the worker while Kafka holds every
// produce request and the task's queue still holds records the listener
// accepted (the sender saw its connection fully read and closed): once
// Kafka answers, every one of them is produced before Stop returns.
func TestPushStopDeliversQueued(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	release := make(chan struct{})
	held := make(chan struct{})
	var heldOnce sync.Once
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		heldOnce.Do(func() { close(held) })
		<-release
		return nil, nil, false
	})
	var relOnce sync.Once
	releaseAll := func() { relOnce.Do(func() { close(release); c.DropControl() }) }
	t.Cleanup(releaseAll)
	port := freePort(t, "tcp")
	props := workerProps(addr, t.TempDir())
	props["sluice.max.in.flight.records"] = "50"
	s, err := worker.NewStandalone(context.Background(), props, worker.Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddConnector(pushSyslogConnector(t, port, "connector.queue.batchSize", "20")); err != nil {
		_ = s.Stop()
		t.Fatal(err)
	}
	const lines = 3000
	conn := pushDial(t, port, nil).(*net.TCPConn)
	var buf strings.Builder
	for seq := 0; seq < lines; seq++ {
		buf.WriteString(pushMakeLine(0, seq).raw)
	}
	if _, err := conn.Write([]byte(buf.String())); err != nil {
		t.Fatal(err)
	}
	if err := conn.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	// The listener closes its side only after reading everything.
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("waiting for the listener to read everything: %v", err)
	}
	conn.Close()
	<-held
	cm := s.Metrics().Connector("syslog-tcp", nil)
	if r := cm.Snapshot().Received; r >= lines {
		t.Fatalf("the router already took all %d records; the queue is not exercised", r)
	}
	time.AfterFunc(300*time.Millisecond, releaseAll)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	waitRecords(t, addr, lines, 30*time.Second, pushTopics...)
	pushCheck(t, addr, 1, lines, "tcp")
}
