package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice/broker"
)

func startBroker(t *testing.T) (addr string, cl *kgo.Client) {
	t.Helper()
	e, err := broker.Start(context.Background(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	cl, err = kgo.NewClient(kgo.SeedBrokers(e.Addr()), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return e.Addr(), cl
}

func produceSync(t *testing.T, cl *kgo.Client, rs ...*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

var fixedTime = time.Date(2024, 3, 4, 5, 6, 7, 890_000_000, time.UTC)

func sampleRecords(topic string) []*kgo.Record {
	return []*kgo.Record{
		{Topic: topic, Key: []byte("k1"), Value: []byte("hello world"), Timestamp: fixedTime,
			Headers: []kgo.RecordHeader{{Key: "a", Value: []byte("1")}, {Key: "b", Value: nil}, {Key: "a", Value: []byte("2")}}},
		{Topic: topic, Value: []byte("line1\nline2"), Timestamp: fixedTime},
		{Topic: topic, Key: []byte{}, Value: []byte{0xff, 0x00}, Timestamp: fixedTime},
	}
}

func runConsumeT(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = consumeMain(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestConsumeTextFromBeginning(t *testing.T) {
	addr, cl := startBroker(t)
	produceSync(t, cl, sampleRecords("txt")...)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	// Flags after the topic are accepted too.
	code, out, errOut := runConsumeT(t, ctx, "txt", "--from-beginning", "--max", "3", "--bootstrap", addr)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := `partition=0 offset=0 timestamp=2024-03-04T05:06:07.890Z key=k1 headers=[a=1, b=null, a=2] value=hello world
partition=0 offset=1 timestamp=2024-03-04T05:06:07.890Z key=null headers=[] value="line1\nline2"
partition=0 offset=2 timestamp=2024-03-04T05:06:07.890Z key="" headers=[] value="\xff\x00"
`
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
}

func TestConsumeJSON(t *testing.T) {
	addr, cl := startBroker(t)
	produceSync(t, cl, sampleRecords("js")...)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	code, out, errOut := runConsumeT(t, ctx, "--bootstrap", addr, "--format", "json", "--from-beginning", "--max", "3", "js")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := []string{
		`{"topic":"js","partition":0,"offset":0,"timestamp":1709528767890,"key":"k1","headers":[{"key":"a","value":"1"},{"key":"b","value":null},{"key":"a","value":"2"}],"value":"hello world"}`,
		`{"topic":"js","partition":0,"offset":1,"timestamp":1709528767890,"key":null,"headers":[],"value":"line1\nline2"}`,
		`{"topic":"js","partition":0,"offset":2,"timestamp":1709528767890,"key":"","headers":[],"value":null,"value_base64":"/wA="}`,
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines: %q", len(lines), out)
	}
	for i, l := range lines {
		if !json.Valid([]byte(l)) || l != want[i] {
			t.Errorf("line %d = %s\nwant     %s", i, l, want[i])
		}
	}
}

func TestConsumeTimeout(t *testing.T) {
	addr, cl := startBroker(t)
	produceSync(t, cl, sampleRecords("to")[:2]...)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	start := time.Now()
	code, out, errOut := runConsumeT(t, ctx, "to", "--from-beginning", "--timeout", "700ms", "--bootstrap", addr)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("got %d records, want 2: %q", n, out)
	}
	if d := time.Since(start); d < 700*time.Millisecond || d > 10*time.Second {
		t.Errorf("returned after %v with -timeout 700ms", d)
	}
}

func TestConsumeStartsAtEnd(t *testing.T) {
	addr, cl := startBroker(t)
	produceSync(t, cl, &kgo.Record{Topic: "end", Value: []byte("old")})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var (
		wg          sync.WaitGroup
		code        int
		out, errOut string
		done        = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		code, out, errOut = runConsumeT(t, ctx, "end", "--max", "1", "--bootstrap", addr)
	}()
	// Keep producing until the consumer, positioned at the end, sees a record.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
loop:
	for {
		select {
		case <-done:
			break loop
		case <-ctx.Done():
			t.Fatal("consume did not exit")
		case <-tick.C:
			produceSync(t, cl, &kgo.Record{Topic: "end", Value: []byte("new")})
		}
	}
	wg.Wait()
	if code != 0 || !strings.HasSuffix(out, " value=new\n") || strings.Count(out, "\n") != 1 {
		t.Errorf("exit %d, output %q, stderr %q", code, out, errOut)
	}
}

func TestConsumeInterrupted(t *testing.T) {
	addr, _ := startBroker(t)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(300*time.Millisecond, cancel)
	code, out, errOut := runConsumeT(t, ctx, "quiet", "--bootstrap", addr)
	if code != 0 || out != "" {
		t.Errorf("exit %d, output %q, stderr %q", code, out, errOut)
	}
}

func TestConsumeArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "expected exactly one TOPIC"},
		{[]string{"a", "b"}, 2, "expected exactly one TOPIC"},
		{[]string{"t", "--format", "xml"}, 2, `-format must be text or json, not "xml"`},
		{[]string{"t", "--max", "-1"}, 2, "-max must not be negative"},
		{[]string{"t", "--timeout", "-1s"}, 2, "-timeout must not be negative"},
		{[]string{"t", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"-h"}, 0, "usage: sluice consume TOPIC"},
	} {
		code, _, errOut := runConsumeT(t, t.Context(), tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("consume %q: exit %d, stderr %q; want exit %d with %q", tc.args, code, errOut, tc.code, tc.msg)
		}
	}
}

func TestConsumeDispatch(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"consume", "-h"}, nil, &out, &errb); code != 0 || !strings.Contains(errb.String(), "--from-beginning") {
		t.Errorf("run consume -h: exit %d, stderr %q", code, errb.String())
	}
}
