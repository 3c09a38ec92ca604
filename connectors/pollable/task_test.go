package pollable

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"sluice.io/sluice"
)

// scripted is an API client whose answers the test sets; it records when
// and how it was called.
type scripted struct {
	mu     sync.Mutex
	parts  int
	calls  []call
	answer func(n int, partition, offset map[string]any, items int) ([]*sluice.Record, error)
	closed bool
	cfg    map[string]string
}

type call struct {
	at        time.Time
	partition string
	items     int
}

var (
	scriptMu sync.Mutex
	script   *scripted
)

func init() {
	RegisterClient(ClientInfo{Class: "test.pollable.ScriptedClient", Config: sluice.NewConfigDef(), New: func() APIClient {
		scriptMu.Lock()
		defer scriptMu.Unlock()
		return script
	}})
}

func useScript(t *testing.T, s *scripted) {
	scriptMu.Lock()
	script = s
	scriptMu.Unlock()
	t.Cleanup(func() { scriptMu.Lock(); script = nil; scriptMu.Unlock() })
}

func (s *scripted) Configure(cfg map[string]string) error { s.cfg = cfg; return nil }
func (s *scripted) Partitions(context.Context) ([]map[string]any, error) {
	var out []map[string]any
	for i := range s.parts {
		out = append(out, map[string]any{"p": fmt.Sprint("part", i)})
	}
	return out, nil
}
func (s *scripted) InitialOffset(map[string]any) (map[string]any, error) {
	return map[string]any{"n": int64(0)}, nil
}
func (s *scripted) Poll(ctx context.Context, topic string, partition, offset map[string]any, items int) ([]*sluice.Record, error) {
	s.mu.Lock()
	n := len(s.calls)
	s.calls = append(s.calls, call{at: time.Now(), partition: partition["p"].(string), items: items})
	s.mu.Unlock()
	if s.answer == nil {
		return nil, nil
	}
	return s.answer(n, partition, offset, items)
}
func (s *scripted) Close() { s.mu.Lock(); s.closed = true; s.mu.Unlock() }

func (s *scripted) callLog() []call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]call(nil), s.calls...)
}

// records makes k records advancing the "n" offset in place.
func records(offset map[string]any, k int) []*sluice.Record {
	var out []*sluice.Record
	for range k {
		offset["n"] = offset["n"].(int64) + 1
		out = append(out, &sluice.Record{Value: fmt.Sprint(offset["n"]), SourceOffset: maps.Clone(offset)})
	}
	return out
}

func baseCfg(extra ...string) map[string]string {
	cfg := map[string]string{"apiclient.class": "ScriptedClient", "topic": "t", "poll.interval": "1000", "poll.backoff": "5000"}
	for i := 0; i+1 < len(extra); i += 2 {
		cfg[extra[i]] = extra[i+1]
	}
	return cfg
}

type memOffsets map[string]map[string]any

func (m memOffsets) Offset(p map[string]any) (map[string]any, error) { return m[fmt.Sprint(p)], nil }

func TestGroupPartitions(t *testing.T) {
	for _, tc := range []struct {
		n, groups int
		want      string
	}{
		{5, 2, "[[0 3] [3 5]]"},
		{5, 5, "[[0 1] [1 2] [2 3] [3 4] [4 5]]"},
		{7, 3, "[[0 3] [3 5] [5 7]]"},
		{2, 1, "[[0 2]]"},
		{3, 3, "[[0 1] [1 2] [2 3]]"},
	} {
		g, err := GroupPartitions(tc.n, tc.groups)
		if err != nil || fmt.Sprint(g) != tc.want {
			t.Errorf("GroupPartitions(%d,%d) = %v %v, want %s", tc.n, tc.groups, g, err, tc.want)
		}
	}
	if _, err := GroupPartitions(0, 0); err == nil {
		t.Error("zero groups accepted")
	}
}

func TestPartitionCRC32(t *testing.T) {
	// CRC32 of "p=part0" (one entry, so no ordering question).
	if got := PartitionCRC32(map[string]any{"p": "part0"}); got != "2304203759" {
		t.Errorf("crc = %s", got)
	}
	a := PartitionCRC32(map[string]any{"___URL": "http://x/y", "___METHOD": "GET"})
	b := PartitionCRC32(map[string]any{"___METHOD": "GET", "___URL": "http://x/y"})
	if a != b {
		t.Errorf("crc depends on map construction: %s vs %s", a, b)
	}
}

func TestTaskDistribution(t *testing.T) {
	s := &scripted{parts: 5}
	useScript(t, s)
	c := &Connector{}
	if err := c.Configure(baseCfg()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		max  int
		want []int
	}{{1, []int{5}}, {2, []int{3, 2}}, {3, []int{2, 2, 1}}, {8, []int{1, 1, 1, 1, 1}}} {
		tcs, err := c.TaskConfigs(tc.max)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		var seen []string
		for _, cfg := range tcs {
			task := &Task{}
			if err := task.Start(context.Background(), cfg, nil); err != nil {
				t.Fatal(err)
			}
			got = append(got, len(task.partitions))
			for _, p := range task.partitions {
				seen = append(seen, p["p"].(string))
			}
			if tc.max == 1 && cfg[PartitionsForTaskConfig] != "" {
				t.Error("single task got a partition list")
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || strings.Join(seen, ",") != "part0,part1,part2,part3,part4" {
			t.Errorf("tasks.max=%d: sizes %v partitions %v, want %v", tc.max, got, seen, tc.want)
		}
	}
	// a task whose partitions all vanished fails to start
	task := &Task{}
	err := task.Start(context.Background(), baseCfg(PartitionsForTaskConfig, "123"), nil)
	if err == nil || !strings.Contains(err.Error(), "no partitions from client") {
		t.Errorf("err = %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		cfg  map[string]string
		want string
	}{
		{map[string]string{"topic": "t"}, `Missing required configuration "apiclient.class"`},
		{map[string]string{"apiclient.class": "nope.Client", "topic": "t"}, "Class nope.Client could not be found."},
		{baseCfg("poll.cron", "* * *"), "has 3 fields"},
		{baseCfg("poll.cron", "61 * * * *"), "invalid UNIX cron"},
		{baseCfg("poll.cron", "0 0 25 * * ?"), "invalid Quartz cron"},
		{baseCfg("poll.size", "x"), "poll.size"},
		{baseCfg("poll.cron.zone", "Mars/Base"), "unknown time zone"},
	} {
		err := (&Connector{}).Configure(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

func TestStartOffsets(t *testing.T) {
	s := &scripted{parts: 2}
	useScript(t, s)
	stored := memOffsets{fmt.Sprint(map[string]any{"p": "part1"}): {"n": int64(41)}}
	task := &Task{}
	if err := task.Start(context.Background(), baseCfg(), stored); err != nil {
		t.Fatal(err)
	}
	if task.Offset(0)["n"] != int64(0) || task.Offset(1)["n"] != int64(41) {
		t.Errorf("offsets %v %v", task.Offset(0), task.Offset(1))
	}
	task = &Task{}
	if err := task.Start(context.Background(), baseCfg("reset.offsets", "true"), stored); err != nil {
		t.Fatal(err)
	}
	if task.Offset(1)["n"] != int64(0) {
		t.Errorf("reset.offsets kept %v", task.Offset(1))
	}
}

// A small first pass makes Poll sleep one interval and poll again; then it
// returns because the interval has passed.
func TestPollPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{parts: 1, answer: func(n int, _, off map[string]any, _ int) ([]*sluice.Record, error) {
			return records(off, 2), nil
		}}
		useScript(t, s)
		task := &Task{}
		if err := task.Start(context.Background(), baseCfg("poll.size", "10"), nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		recs, err := task.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		calls := s.callLog()
		if len(recs) != 4 || len(calls) != 2 || calls[1].at.Sub(start) != time.Second || calls[1].items != 8 {
			t.Fatalf("got %d records, calls %v", len(recs), calls)
		}
		if recs[3].SourceOffset["n"] != int64(4) || recs[0].Topic != "t" || recs[0].SourcePartition["p"] != "part0" {
			t.Errorf("record 3 %+v", recs[3])
		}
	})
}

// A full batch returns at once; with poll.partitions.evenly=false the same
// partition continues next time, with true the next one.
func TestPollEvenly(t *testing.T) {
	for _, evenly := range []string{"true", "false"} {
		synctest.Test(t, func(t *testing.T) {
			s := &scripted{parts: 3, answer: func(n int, _, off map[string]any, items int) ([]*sluice.Record, error) {
				return records(off, items), nil
			}}
			useScript(t, s)
			task := &Task{}
			if err := task.Start(context.Background(), baseCfg("poll.size", "5", "poll.partitions.evenly", evenly), nil); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if recs, err := task.Poll(context.Background()); err != nil || len(recs) != 5 {
					t.Fatalf("%d %v", len(recs), err)
				}
			}
			var seq []string
			for _, c := range s.callLog() {
				seq = append(seq, c.partition)
			}
			want := "part0,part1,part2"
			if evenly == "false" {
				want = "part0,part0,part0"
			}
			if strings.Join(seq, ",") != want {
				t.Errorf("evenly=%s: %v", evenly, seq)
			}
		})
	}
}

// Failures are retried after poll.backoff and then the interval; after
// poll.retries failures the poll fails.
func TestPollRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{parts: 1, answer: func(int, map[string]any, map[string]any, int) ([]*sluice.Record, error) {
			return nil, errors.New("boom")
		}}
		useScript(t, s)
		task := &Task{}
		if err := task.Start(context.Background(), baseCfg("poll.size", "10", "poll.interval", "100000", "poll.retries", "2"), nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err := task.Poll(context.Background())
		if err == nil || !strings.Contains(err.Error(), "Failed to poll data after all (2) retries: boom") {
			t.Fatalf("err = %v", err)
		}
		calls := s.callLog()
		if len(calls) != 3 || calls[1].at.Sub(start) != 105*time.Second || calls[2].at.Sub(start) != 210*time.Second {
			t.Errorf("calls %v", calls)
		}
	})
}

// Records read before a failure are kept and returned once the interval
// has passed.
func TestPollKeepsRecordsBeforeFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{parts: 1, answer: func(n int, _, off map[string]any, _ int) ([]*sluice.Record, error) {
			if n == 0 {
				return records(off, 1), nil
			}
			return nil, errors.New("boom")
		}}
		useScript(t, s)
		task := &Task{}
		if err := task.Start(context.Background(), baseCfg("poll.size", "10", "poll.interval", "100000", "poll.retries", "2"), nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		recs, err := task.Poll(context.Background())
		if err != nil || len(recs) != 1 || time.Since(start) != 105*time.Second || len(s.callLog()) != 2 {
			t.Errorf("recs %d err %v after %v calls %d", len(recs), err, time.Since(start), len(s.callLog()))
		}
	})
}

// Stop during a back-off or an interval ends Poll promptly with what it has.
func TestStopMidBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{parts: 1, answer: func(n int, _, off map[string]any, _ int) ([]*sluice.Record, error) {
			if n == 0 {
				return records(off, 1), nil
			}
			return nil, errors.New("boom")
		}}
		useScript(t, s)
		task := &Task{}
		if err := task.Start(context.Background(), baseCfg("poll.size", "10", "poll.interval", "1000", "poll.backoff", "3600000"), nil); err != nil {
			t.Fatal(err)
		}
		go func() {
			time.Sleep(time.Minute)
			task.Stop()
		}()
		start := time.Now()
		recs, err := task.Poll(context.Background())
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if err != nil || len(recs) != 1 || time.Since(start) != time.Minute || !closed {
			t.Errorf("recs %d err %v after %v closed %v", len(recs), err, time.Since(start), closed)
		}
	})
}

// With poll.cron a partition is polled when its next fire time after the
// last execution has passed; the execution time travels in the offsets.
func TestCronSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// synctest time starts at 2000-01-01T00:00:00Z
		s := &scripted{parts: 1, answer: func(n int, _, off map[string]any, _ int) ([]*sluice.Record, error) {
			return records(off, 1), nil
		}}
		useScript(t, s)
		task := &Task{}
		cfg := baseCfg("poll.size", "1", "poll.interval", "60000", "poll.cron", "*/15 * * * *", "poll.cron.zone", "UTC")
		if err := task.Start(context.Background(), cfg, nil); err != nil {
			t.Fatal(err)
		}
		var stamps []int64
		for range 3 {
			recs, err := task.Poll(context.Background())
			if err != nil || len(recs) != 1 {
				t.Fatal(len(recs), err)
			}
			stamps = append(stamps, toInt64(recs[0].SourceOffset[LastExecutionKey]))
		}
		var at []string
		for _, c := range s.callLog() {
			at = append(at, c.at.UTC().Format("15:04:05"))
		}
		// a full batch (1 of 1) does not stamp the execution time, so the
		// partition is polled on every wake-up until it returns less.
		if strings.Join(at, ",") != "00:00:00,00:00:00,00:00:00" || stamps[0] != 0 {
			t.Errorf("calls at %v stamps %v", at, stamps)
		}
		task.Stop()

		s2 := &scripted{parts: 1, answer: func(n int, _, off map[string]any, _ int) ([]*sluice.Record, error) {
			return records(off, 1), nil
		}}
		useScript(t, s2)
		task = &Task{}
		cfg["poll.size"] = "5"
		if err := task.Start(context.Background(), cfg, nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for range 3 {
			recs, err := task.Poll(context.Background())
			if err != nil || len(recs) != 1 {
				t.Fatal(len(recs), err)
			}
			if got := toInt64(recs[0].SourceOffset[LastExecutionKey]); got != time.Now().UnixMilli() && got < start.UnixMilli() {
				t.Errorf("stamp %d", got)
			}
		}
		at = nil
		for _, c := range s2.callLog() {
			at = append(at, c.at.UTC().Format("15:04:05"))
		}
		// due at start (never executed), then at the first wake-up after :15 and :30
		if strings.Join(at, ",") != "00:00:00,00:16:00,00:31:00" {
			t.Errorf("calls at %v", at)
		}
	})
}

func TestQuartzCron(t *testing.T) {
	s, err := ParseCron("0 0 15 ? * 6#3", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	n, ok := s.Next(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	if !ok || !n.Equal(time.Date(2024, 3, 15, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("next = %v", n)
	}
	u, _ := ParseCron("0 15 * * 7", time.UTC)
	n, _ = u.Next(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	if !n.Equal(time.Date(2024, 3, 3, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("unix next = %v", n)
	}
	e, _ := ParseCron("0 0 0 1 1 ? 2001", time.UTC)
	if _, ok := e.Next(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("expired schedule fires")
	}
}
