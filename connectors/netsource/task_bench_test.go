package netsource

import (
	"context"
	"net"
	"testing"
	"time"
)

// BenchmarkTCPIngest sends ~190-byte lines through one loopback TCP
// connection and polls them out as records; one op is one line.
func BenchmarkTCPIngest(b *testing.B) {
	block, perBlock := syslogStream(1 << 20)
	lineBytes := float64(len(block)) / float64(perBlock)
	task := startTask(b, baseProps(QueueBatchSizeConfig, "10000", PollIntervalConfig, "5", QueueBatchTimeoutConfig, "5"))
	c, err := net.Dial("tcp", task.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	blocks := (b.N + perBlock - 1) / perBlock
	want := blocks * perBlock
	b.SetBytes(int64(lineBytes))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	go func() {
		for i := 0; i < blocks; i++ {
			if _, err := c.Write(block); err != nil {
				return
			}
		}
	}()
	got := 0
	for got < want {
		recs, err := task.Poll(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		got += len(recs)
	}
	el := time.Since(start).Seconds()
	b.StopTimer()
	b.ReportMetric(float64(got)/el, "lines/s")
	b.ReportMetric(float64(got)*lineBytes/el/1e6, "MB/s")
}
