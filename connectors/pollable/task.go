package pollable

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"sluice.io/sluice"
)

// Task is PollableAPIClientSourceTask: it polls the client's partitions
// round-robin and paces, retries and schedules the polls.
type Task struct {
	// Clock drives pacing and schedules; nil means SystemClock.
	Clock Clock

	s          *taskSettings
	client     APIClient
	partitions []map[string]any
	offsets    []map[string]any
	cur        int

	mu       sync.Mutex
	stopCtx  context.Context
	stopFunc context.CancelFunc
	stopped  bool
}

var _ sluice.SourceTask = (*Task)(nil)

// Start builds and configures the client, selects the task's partitions and
// loads their offsets: stored ones unless reset.offsets is true, the
// client's initial offset otherwise.
func (t *Task) Start(ctx context.Context, cfg map[string]string, offsets sluice.OffsetReader) error {
	if t.Clock == nil {
		t.Clock = SystemClock{}
	}
	s, err := parseSettings(cfg)
	if err != nil {
		return err
	}
	t.s = s
	client, class, err := NewClient(s.client)
	if err != nil {
		return err
	}
	if cs, ok := client.(ClockSetter); ok {
		cs.SetClock(t.Clock)
	}
	if err := client.Configure(maps.Clone(cfg)); err != nil {
		return fmt.Errorf("configure %s: %w", sluice.SimpleName(class), err)
	}
	t.client = client
	t.stopCtx, t.stopFunc = context.WithCancel(context.WithoutCancel(ctx))
	parts, err := client.Partitions(t.stopCtx)
	if err != nil {
		client.Close()
		return fmt.Errorf("%s :failed to retrieve partitions from client: %w", sluice.SimpleName(class), err)
	}
	if ids, ok := cfg[PartitionsForTaskConfig]; ok {
		want := map[string]bool{}
		for _, id := range strings.Split(ids, ",") {
			want[id] = true
		}
		var mine []map[string]any
		for _, p := range parts {
			if want[PartitionCRC32(p)] {
				mine = append(mine, p)
			}
		}
		parts = mine
	}
	if len(parts) == 0 {
		client.Close()
		return fmt.Errorf("no partitions from client: %s", class)
	}
	t.partitions = parts
	t.offsets = make([]map[string]any, len(parts))
	for i, p := range parts {
		var off map[string]any
		if !s.reset && offsets != nil {
			stored, err := offsets.Offset(p)
			if err != nil {
				client.Close()
				return fmt.Errorf("read stored offset of partition %v: %w", p, err)
			}
			off = maps.Clone(stored)
		}
		if off == nil {
			off, err = client.InitialOffset(p)
			if err != nil {
				client.Close()
				return fmt.Errorf("%s :failed to create initial offset for partition: %v: %w", sluice.SimpleName(class), p, err)
			}
			if off == nil {
				off = map[string]any{}
			}
		}
		t.offsets[i] = off
	}
	return nil
}

// Offset returns the in-memory offset of partition i (for inspection).
func (t *Task) Offset(i int) map[string]any { return t.offsets[i] }

// Poll gathers up to poll.size records. It polls every partition once per
// pass, and passes are poll.interval apart; it returns as soon as the batch
// is full, or when records are waiting and poll.interval has elapsed since
// the call began, or when the task stops (returning what it has). A client
// failure is retried after poll.backoff, at most poll.retries times within
// one call; then Poll fails.
func (t *Task) Poll(ctx context.Context) ([]*sluice.Record, error) {
	if t.s == nil {
		return nil, errors.New("Task is not not properly started")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopLink := context.AfterFunc(t.stopCtx, cancel)
	defer stopLink()

	var result []*sluice.Record
	started := t.Clock.Now()
	retriesLeft := t.s.retries
	for {
		if err := t.pollData(ctx, &result); err != nil {
			if ctx.Err() != nil {
				break
			}
			retriesLeft--
			if retriesLeft < 0 {
				return nil, fmt.Errorf("Failed to poll data after all (%d) retries: %w", t.s.retries, err)
			}
			if t.s.backoff > 0 {
				_ = t.Clock.Sleep(ctx, t.s.backoff)
			}
		}
		if ctx.Err() != nil || len(result) >= t.s.size {
			break
		}
		if !t.Clock.Now().Before(started.Add(t.s.interval)) && len(result) > 0 {
			break
		}
		if t.Clock.Sleep(ctx, t.s.interval) != nil {
			break
		}
	}
	return result, nil
}

// pollData visits each partition at most once, appending records, until the
// batch is full.
func (t *Task) pollData(ctx context.Context, data *[]*sluice.Record) error {
	batch := t.s.size
	if len(*data) >= batch {
		return nil
	}
	toRead := len(t.partitions)
	for {
		items := batch - len(*data)
		p, off := t.partitions[t.cur], t.offsets[t.cur]
		if t.due(off) {
			prevExec, hadExec := off[LastExecutionKey]
			recs, err := t.client.Poll(ctx, t.s.topic, p, off, items)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if r.SourcePartition == nil {
					r.SourcePartition = p
				}
				if r.SourceOffset == nil {
					r.SourceOffset = maps.Clone(off)
				}
				if r.Topic == "" {
					r.Topic = t.s.topic
				}
			}
			if t.s.cron != nil {
				now := t.Clock.Now().UnixMilli()
				stamp := len(recs) < batch
				if stamp {
					off[LastExecutionKey] = now
				}
				for i, r := range recs {
					o := maps.Clone(r.SourceOffset)
					switch {
					case stamp && i == len(recs)-1:
						o[LastExecutionKey] = now
					case hadExec:
						o[LastExecutionKey] = prevExec
					default:
						delete(o, LastExecutionKey)
					}
					r.SourceOffset = o
				}
			}
			*data = append(*data, recs...)
		}
		if len(*data) >= batch && !t.s.evenly {
			return nil
		}
		t.cur = (t.cur + 1) % len(t.partitions)
		toRead--
		if ctx.Err() != nil || len(*data) >= batch || toRead <= 0 {
			return nil
		}
	}
}

// due reports whether a partition's schedule allows polling it now: always
// without poll.cron; with it, when the first fire time after the
// partition's last execution is before now.
func (t *Task) due(off map[string]any) bool {
	if t.s.cron == nil {
		return true
	}
	last := toInt64(off[LastExecutionKey])
	next, ok := t.s.cron.Next(time.UnixMilli(last))
	return ok && next.Before(t.Clock.Now())
}

// toInt64 reads an epoch-millisecond value as it comes back from an offset
// store (int64, float64 from JSON, json.Number or a string).
func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float64:
		if x > math.MaxInt64 || x < math.MinInt64 {
			return 0
		}
		return int64(x)
	case json.Number:
		n, _ := x.Int64()
		return n
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// Commit is told which records the output acknowledged; offsets are stored
// by the runtime, so there is nothing to do.
func (t *Task) Commit(ctx context.Context, acked []*sluice.Record) error { return nil }

// Stop signals running polls to return and closes the client.
func (t *Task) Stop() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped || t.stopFunc == nil {
		return nil
	}
	t.stopped = true
	t.stopFunc()
	t.client.Close()
	return nil
}
