package broker

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

func startT(t *testing.T, opts ...Option) *Embedded {
	t.Helper()
	e, err := Start(context.Background(), "127.0.0.1:0", nil, opts...)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(e.Close)
	return e
}

// client returns a franz-go client; it does not ask for automatic topic
// creation, which the broker does anyway.
func client(t *testing.T, addr string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr)}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func produce(t *testing.T, cl *kgo.Client, rs ...*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

func consumeN(t *testing.T, addr, topic string, n int) []*kgo.Record {
	t.Helper()
	cl := client(t, addr, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var got []*kgo.Record
	for len(got) < n {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed %d of %d records before timeout", len(got), n)
		}
		fs.EachError(func(_ string, _ int32, err error) { t.Fatalf("fetch: %v", err) })
		got = append(got, fs.Records()...)
	}
	return got
}

func TestRoundTrip(t *testing.T) {
	e := startT(t)
	host, port, err := net.SplitHostPort(e.Addr())
	if err != nil || host != "127.0.0.1" || port == "0" {
		t.Fatalf("Addr() = %q: want 127.0.0.1 and a real port", e.Addr())
	}
	p := client(t, e.Addr())
	produce(t, p,
		&kgo.Record{Topic: "rt", Key: []byte("k1"), Value: []byte("v1"),
			Headers: []kgo.RecordHeader{{Key: "h", Value: []byte("x")}}},
		&kgo.Record{Topic: "rt", Value: []byte("v2")},
	)
	got := consumeN(t, e.Addr(), "rt", 2)
	if len(got) != 2 {
		t.Fatalf("got %d records, want 2", len(got))
	}
	if string(got[0].Key) != "k1" || string(got[0].Value) != "v1" || got[0].Offset != 0 ||
		len(got[0].Headers) != 1 || got[0].Headers[0].Key != "h" || string(got[0].Headers[0].Value) != "x" {
		t.Errorf("first record = %+v", got[0])
	}
	if got[1].Key != nil || string(got[1].Value) != "v2" || got[1].Offset != 1 {
		t.Errorf("second record = %+v", got[1])
	}
}

func TestAutoCreatedTopicPartitions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want int
	}{
		{"default", nil, 1},
		{"three", []Option{WithDefaultPartitions(3)}, 3},
		{"ignored zero", []Option{WithDefaultPartitions(0)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := startT(t, tc.opts...)
			cl := client(t, e.Addr())
			produce(t, cl, &kgo.Record{Topic: "auto", Value: []byte("x")})
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			td, err := kadm.NewClient(cl).ListTopics(ctx, "auto")
			if err != nil {
				t.Fatalf("ListTopics: %v", err)
			}
			if n := len(td["auto"].Partitions); n != tc.want {
				t.Errorf("partitions = %d, want %d", n, tc.want)
			}
		})
	}
}

func TestSecondStartSameAddress(t *testing.T) {
	e := startT(t)
	_, err := Start(t.Context(), e.Addr(), nil)
	if err == nil {
		t.Fatal("second Start on the same address succeeded")
	}
	if !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), e.Addr()) {
		t.Errorf("error = %q: want a clear 'already in use' message naming the address", err)
	}
	// The first broker still works.
	produce(t, client(t, e.Addr()), &kgo.Record{Topic: "still", Value: []byte("ok")})
}

func TestBadAddress(t *testing.T) {
	if _, err := Start(t.Context(), "no-port", nil); err == nil {
		t.Fatal("Start with an address without port succeeded")
	}
}

func TestContextCancelStops(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	e, err := Start(ctx, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := e.Addr()
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("broker still accepts connections after its context was cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.Close() // idempotent
}

func TestDataDirPersists(t *testing.T) {
	dir := t.TempDir()
	e, err := Start(context.Background(), "127.0.0.1:0", nil, WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	cl, err := kgo.NewClient(kgo.SeedBrokers(e.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	produce(t, cl, &kgo.Record{Topic: "keep", Value: []byte("durable")})
	cl.Close()
	e.Close()

	e2 := startT(t, WithDataDir(dir))
	got := consumeN(t, e2.Addr(), "keep", 1)
	if string(got[0].Value) != "durable" {
		t.Errorf("after restart got %q, want %q", got[0].Value, "durable")
	}
}

func TestLogsThroughSlog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	e, err := Start(t.Context(), "127.0.0.1:0", logger)
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	out := buf.String()
	if !strings.Contains(out, "embedded broker started") || !strings.Contains(out, e.Addr()) ||
		!strings.Contains(out, "embedded broker stopped") {
		t.Errorf("log output = %q", out)
	}
}

func TestCorruptDataDir(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"meta.json", "topics.json"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("{not json"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if e, err := Start(context.Background(), addr, nil, WithDataDir(dir)); err == nil {
		e.Close()
		t.Skip("kfake accepted the corrupt state files")
	}
	// The address is free again after the failed start.
	e, err := Start(context.Background(), addr, nil)
	if err != nil {
		t.Fatalf("restart on %s after a failed start: %v", addr, err)
	}
	e.Close()
}
