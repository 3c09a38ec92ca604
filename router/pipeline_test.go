package router_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice"
	"sluice.io/sluice/converters/header"
	"sluice.io/sluice/converters/str"
	_ "sluice.io/sluice/expr/celexpr"
	"sluice.io/sluice/router"
	"sluice.io/sluice/rules"
)

// failingConverter is a value converter that rejects the string "bad".
type failingConverter struct{ str.Converter }

func (c *failingConverter) FromConnect(topic string, h sluice.Headers, s *sluice.Schema, v any) ([]byte, error) {
	if v == "bad" {
		return nil, &sluice.DataError{Msg: "value \"bad\" cannot be converted"}
	}
	return c.Converter.FromConnect(topic, h, s, v)
}

// pipelineFixture is a kfake cluster, a producer and string converters.
type pipelineFixture struct {
	cluster *kfake.Cluster
	cl      *kgo.Client
	key     *str.Converter
	value   sluice.Converter
	hdr     *header.Converter
}

func newPipelineFixture(t *testing.T, value sluice.Converter) *pipelineFixture {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "out", "odd"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ProducerLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	kc := &str.Converter{}
	if err := kc.Configure(map[string]string{}, true); err != nil {
		t.Fatal(err)
	}
	hc := &header.Converter{}
	if err := hc.Configure(map[string]string{}); err != nil {
		t.Fatal(err)
	}
	return &pipelineFixture{cluster: c, cl: cl, key: kc, value: value, hdr: hc}
}

// values reads every record of topic, in order.
func (f *pipelineFixture) values(t *testing.T, topic string) []string {
	t.Helper()
	adm := kadm.NewClient(f.cl)
	ends, err := adm.ListEndOffsets(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	end := ends[topic][0].Offset
	if end == 0 {
		return nil
	}
	cons, err := kgo.NewClient(kgo.SeedBrokers(f.cluster.ListenAddrs()...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var out []string
	for int64(len(out)) < end {
		fs := cons.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records of %s", len(out), end, topic)
		}
		fs.EachRecord(func(r *kgo.Record) { out = append(out, string(r.Value)) })
	}
	return out
}

func stringRecords(vals []string) []*sluice.Record {
	part := map[string]any{"src": "test"}
	recs := make([]*sluice.Record, len(vals))
	for i, v := range vals {
		recs[i] = &sluice.Record{Topic: "out", Value: v, ValueSchema: sluice.StringSchema,
			SourcePartition: part, SourceOffset: map[string]any{"pos": int64(i)},
			Headers: sluice.Headers{{Key: "n", Schema: sluice.Int32Schema, Value: int32(i % 3)}}}
	}
	return recs
}

// TestPipelineKeepsOrder: records cross from the transforming to the
// producing goroutine in batches; every record arrives once, in order,
// filtered ones are committed without being produced, and routed ones keep
// their relative order too.
func TestPipelineKeepsOrder(t *testing.T) {
	f := newPipelineFixture(t, nil)
	vc := &str.Converter{}
	if err := vc.Configure(map[string]string{}, false); err != nil {
		t.Fatal(err)
	}
	const n = 5003
	vals := make([]string, n)
	for i := range vals {
		vals[i] = strconv.Itoa(i)
	}
	chain, err := rules.BuildChain(map[string]string{
		"transforms":                   "drop,odd",
		"transforms.drop.type":         "org.apache.kafka.connect.transforms.Filter",
		"transforms.drop.predicate":    "sevens",
		"transforms.odd.type":          "org.apache.kafka.connect.transforms.RegexRouter",
		"transforms.odd.regex":         "out",
		"transforms.odd.replacement":   "odd",
		"transforms.odd.predicate":     "isOdd",
		"predicates":                   "sevens,isOdd",
		"predicates.sevens.type":       "io.sluice.predicates.Cel",
		"predicates.sevens.expression": `int(value) % 7 == 0`,
		"predicates.isOdd.type":        "io.sluice.predicates.Cel",
		"predicates.isOdd.expression":  `int(value) % 2 == 1`,
	}, rules.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	task := &benchTask{recs: stringRecords(vals), cancel: cancel}
	r, err := router.New(router.Config{Connector: "order", Task: task, Chain: chain,
		KeyConverter: f.key, ValueConverter: vc, HeaderConverter: f.hdr, Producer: f.cl,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := task.acked.Load(); got != n {
		t.Fatalf("%d of %d records committed", got, n)
	}
	var even, odd []string
	for i := 0; i < n; i++ {
		switch {
		case i%7 == 0:
		case i%2 == 1:
			odd = append(odd, strconv.Itoa(i))
		default:
			even = append(even, strconv.Itoa(i))
		}
	}
	for topic, want := range map[string][]string{"out": even, "odd": odd} {
		got := f.values(t, topic)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %d records, want %d in order", topic, len(got), len(want))
		}
	}
}

// TestPipelineConverterFailureStops: with errors.tolerance none, a record
// whose value cannot be converted stops the task; the records before it are
// produced and committed, none after it is produced.
func TestPipelineConverterFailureStops(t *testing.T) {
	for _, bad := range []int{0, 250, 256, 700} {
		t.Run(fmt.Sprint(bad), func(t *testing.T) {
			vc := &failingConverter{}
			if err := vc.Configure(map[string]string{}, false); err != nil {
				t.Fatal(err)
			}
			f := newPipelineFixture(t, vc)
			vals := make([]string, 1200)
			for i := range vals {
				vals[i] = strconv.Itoa(i)
			}
			vals[bad] = "bad"
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			task := &benchTask{recs: stringRecords(vals), cancel: cancel}
			r, err := router.New(router.Config{Connector: "fail", Task: task,
				KeyConverter: f.key, ValueConverter: vc, HeaderConverter: f.hdr, Producer: f.cl,
				ValueConverterClass: "test.FailingConverter",
				Logger:              slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			err = r.Run(ctx)
			var de *sluice.DataError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), "test.FailingConverter") {
				t.Fatalf("run error %v, want the converter's failure", err)
			}
			got := f.values(t, "out")
			if strings.Join(got, ",") != strings.Join(vals[:bad], ",") {
				t.Fatalf("produced %d records, want the %d before the failure", len(got), bad)
			}
			if acked := task.acked.Load(); acked != int64(bad) {
				t.Fatalf("%d records committed, want %d", acked, bad)
			}
		})
	}
}

// TestPipelineFewerSlotsThanBatch: when fewer records may be in flight
// than a hand-off batch holds, the transforming goroutine hands its queue
// over before waiting for a slot instead of waiting for itself.
func TestPipelineFewerSlotsThanBatch(t *testing.T) {
	vc := &str.Converter{}
	if err := vc.Configure(map[string]string{}, false); err != nil {
		t.Fatal(err)
	}
	f := newPipelineFixture(t, vc)
	vals := make([]string, 1000)
	for i := range vals {
		vals[i] = strconv.Itoa(i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	task := &benchTask{recs: stringRecords(vals), cancel: cancel}
	r, err := router.New(router.Config{Connector: "few", Task: task, MaxInFlight: 7,
		KeyConverter: f.key, ValueConverter: vc, HeaderConverter: f.hdr, Producer: f.cl,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the runner is stuck")
	}
	if got := f.values(t, "out"); strings.Join(got, ",") != strings.Join(vals, ",") {
		t.Fatalf("%d records, want %d in order", len(got), len(vals))
	}
}
