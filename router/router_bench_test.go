package router_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"sluice.io/sluice"
	"sluice.io/sluice/converters/header"
	"sluice.io/sluice/converters/json"
	"sluice.io/sluice/router"
	"sluice.io/sluice/rules"
	_ "sluice.io/sluice/smt"
)

// benchTask returns n records in batches of 500, then ends the run.
type benchTask struct {
	recs   []*sluice.Record
	next   int
	cancel context.CancelFunc
	acked  atomic.Int64
}

func (t *benchTask) Start(context.Context, map[string]string, sluice.OffsetReader) error { return nil }
func (t *benchTask) Poll(ctx context.Context) ([]*sluice.Record, error) {
	if t.next >= len(t.recs) {
		t.cancel()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	end := min(t.next+500, len(t.recs))
	out := t.recs[t.next:end]
	t.next = end
	return out, nil
}
func (t *benchTask) Commit(_ context.Context, acked []*sluice.Record) error {
	t.acked.Add(int64(len(acked)))
	return nil
}
func (t *benchTask) Stop() error { return nil }

// BenchmarkRouterHotPath measures poll → chain (mask + insert field +
// router) → header/key/value conversion (JSON, schemaless) → produce to
// kfake with acknowledgement and offset tracking.
func BenchmarkRouterHotPath(b *testing.B) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "bench-out"))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ProducerLinger(0), kgo.AllowAutoTopicCreation())
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	chain, err := rules.BuildChain(map[string]string{
		"transforms":                   "mask,route",
		"transforms.mask.type":         "org.apache.kafka.connect.transforms.MaskField$Value",
		"transforms.mask.fields":       "card",
		"transforms.route.type":        "org.apache.kafka.connect.transforms.RegexRouter",
		"transforms.route.regex":       "bench-(.*)",
		"transforms.route.replacement": "bench-out",
	}, rules.ChainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	kc, vc := json.New(), json.New()
	_ = kc.Configure(map[string]string{"schemas.enable": "false"}, true)
	_ = vc.Configure(map[string]string{"schemas.enable": "false"}, false)
	hc := &header.Converter{}
	_ = hc.Configure(map[string]string{})
	part := map[string]any{"file": "bench"}
	recs := make([]*sluice.Record, b.N)
	for i := range recs {
		m := sluice.NewMap(4, true)
		m.Put("id", int64(i))
		m.Put("card", "4111-1111-1111-1111")
		m.Put("msg", "user logged in from 10.0.0.1")
		recs[i] = &sluice.Record{Topic: "bench-in", Key: strconv.Itoa(i % 64), Value: m,
			SourcePartition: part, SourceOffset: map[string]any{"pos": int64(i)},
			Headers: sluice.Headers{{Key: "src", Schema: sluice.StringSchema, Value: "bench"}}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	task := &benchTask{recs: recs, cancel: cancel}
	r, err := router.New(router.Config{Connector: "bench", Task: task, Chain: chain,
		KeyConverter: kc, ValueConverter: vc, HeaderConverter: hc, Producer: cl,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := r.Run(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if got := task.acked.Load(); got != int64(b.N) {
		b.Fatalf("%d of %d records acknowledged", got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
