package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
)

// offsets is an in-memory OffsetReader keyed by filename.
type offsets map[string]map[string]any

func (o offsets) Offset(p map[string]any) (map[string]any, error) {
	name, _ := p[FilenameField].(string)
	return o[name], nil
}

type failingOffsets struct{}

func (failingOffsets) Offset(map[string]any) (map[string]any, error) {
	return nil, errors.New("store unavailable")
}

// line is what a test expects of one record.
type line struct {
	value string
	pos   int64
}

func startSource(t *testing.T, cfg map[string]string, off sluice.OffsetReader) *SourceTask {
	t.Helper()
	task := &SourceTask{wait: 20 * time.Millisecond}
	if err := task.Start(t.Context(), cfg, off); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { task.Stop() })
	return task
}

func poll(t *testing.T, task *SourceTask) []*sluice.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	rs, err := task.Poll(ctx)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return rs
}

func check(t *testing.T, rs []*sluice.Record, file string, want ...line) {
	t.Helper()
	if len(rs) != len(want) {
		var got []string
		for _, r := range rs {
			got = append(got, r.Value.(string))
		}
		t.Fatalf("got %d records %q, want %d", len(rs), got, len(want))
	}
	now := time.Now().UnixMilli()
	for i, r := range rs {
		if r.Value != want[i].value {
			t.Errorf("record %d value = %q, want %q", i, r.Value, want[i].value)
		}
		if p := r.SourceOffset[PositionField]; p != want[i].pos {
			t.Errorf("record %d (%q) position = %v (%T), want %d", i, r.Value, p, p, want[i].pos)
		}
		if fn := r.SourcePartition[FilenameField]; fn != file || len(r.SourcePartition) != 1 || len(r.SourceOffset) != 1 {
			t.Errorf("record %d partition %v offset %v", i, r.SourcePartition, r.SourceOffset)
		}
		if r.Topic != "lines" || r.Key != nil || r.KeySchema != nil || r.HasPartition ||
			r.ValueSchema != sluice.StringSchema || !r.HasTimestamp || r.Timestamp > now || r.Timestamp < now-5000 {
			t.Errorf("record %d = %+v", i, r)
		}
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func cfgFor(path string) map[string]string {
	return map[string]string{"file": path, "topic": "lines"}
}

func TestSourceTerminatorsAndPositions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "a\nbb\r\nccc\rd\r\n\n\rlast")
	task := startSource(t, cfgFor(path), nil)
	check(t, poll(t, task), path,
		line{"a", 2}, line{"bb", 6}, line{"ccc", 10}, line{"d", 13}, line{"", 14}, line{"", 15})
	// The unterminated tail is held back while the file may grow.
	check(t, poll(t, task), path)
	appendFile(t, path, " line\r")
	check(t, poll(t, task), path)
	// A trailing \r waits for a possible \n: \r\n is one terminator.
	appendFile(t, path, "\nnext\n")
	check(t, poll(t, task), path, line{"last line", 26}, line{"next", 31})
}

func TestSourceGrowingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grow.txt")
	writeFile(t, path, "")
	task := startSource(t, cfgFor(path), nil)
	check(t, poll(t, task), path)
	pos := int64(0)
	for i := range 5 {
		l := strings.Repeat("x", i) + "-row"
		appendFile(t, path, l+"\n")
		pos += int64(len(l) + 1)
		check(t, poll(t, task), path, line{l, pos})
	}
	// Half a line, then the rest.
	appendFile(t, path, "par")
	check(t, poll(t, task), path)
	appendFile(t, path, "tial\n")
	check(t, poll(t, task), path, line{"partial", pos + 8})
}

func TestSourceNonASCIIResume(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "utf8.txt")
	// Byte lengths: "héllo\n" 7, "日本語\r\n" 11, "😀 ok\n" 8, "\xff\xc3\n" 3.
	writeFile(t, path, "héllo\n日本語\r\n😀 ok\n\xff\xc3\n")
	task := startSource(t, cfgFor(path), nil)
	check(t, poll(t, task), path,
		line{"héllo", 7}, line{"日本語", 18}, line{"😀 ok", 26}, line{"\uFFFD\uFFFD", 29})
	task.Stop()

	for _, tc := range []struct {
		stored int64
		want   []line
	}{
		{7, []line{{"日本語", 18}, {"😀 ok", 26}, {"\uFFFD\uFFFD", 29}}},
		{18, []line{{"😀 ok", 26}, {"\uFFFD\uFFFD", 29}}},
		{29, nil},
		{0, []line{{"héllo", 7}, {"日本語", 18}, {"😀 ok", 26}, {"\uFFFD\uFFFD", 29}}},
	} {
		t2 := startSource(t, cfgFor(path), offsets{path: {PositionField: tc.stored}})
		check(t, poll(t, t2), path, tc.want...)
		t2.Stop()
	}
}

func TestSourceRestartResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.txt")
	writeFile(t, path, "one\ntwo\nthr")
	store := offsets{}
	task := startSource(t, cfgFor(path), store)
	rs := poll(t, task)
	check(t, rs, path, line{"one", 4}, line{"two", 8})
	store[path] = rs[len(rs)-1].SourceOffset
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, "ee\nfour\n")
	task = startSource(t, cfgFor(path), store)
	check(t, poll(t, task), path, line{"three", 14}, line{"four", 19})
}

func TestSourceStoredPositionBeyondEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "short.txt")
	writeFile(t, path, "ab\n")
	task := startSource(t, cfgFor(path), offsets{path: {PositionField: int64(5)}})
	check(t, poll(t, task), path)
	appendFile(t, path, "cdefg\nh\n")
	// Reading resumes at byte 5 of the grown file.
	check(t, poll(t, task), path, line{"efg", 9}, line{"h", 11})
}

func TestSourceStoredNullPosition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.txt")
	writeFile(t, path, "a\n")
	task := startSource(t, cfgFor(path), offsets{path: {PositionField: nil}})
	check(t, poll(t, task), path, line{"a", 2})
}

func TestSourceOffsetErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.txt")
	writeFile(t, path, "a\n")
	for _, tc := range []struct {
		name string
		off  sluice.OffsetReader
		want string
	}{
		{"string position", offsets{path: {PositionField: "3"}}, "Offset position is the incorrect type"},
		{"int32 position", offsets{path: {PositionField: int32(3)}}, "Offset position is the incorrect type"},
		{"reader error", failingOffsets{}, "store unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := startSource(t, cfgFor(path), tc.off)
			_, err := task.Poll(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Poll error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSourceMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "later.txt")
	task := startSource(t, cfgFor(path), nil)
	start := time.Now()
	check(t, poll(t, task), path)
	if d := time.Since(start); d < 15*time.Millisecond {
		t.Errorf("Poll on a missing file returned after %v, want a retry wait", d)
	}
	writeFile(t, path, "here\n")
	check(t, poll(t, task), path, line{"here", 5})
}

func TestSourceBatchSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.txt")
	writeFile(t, path, "1\n2\n3\n4\n5\n")
	cfg := cfgFor(path)
	cfg[BatchSizeConfig] = "2"
	task := startSource(t, cfg, nil)
	check(t, poll(t, task), path, line{"1", 2}, line{"2", 4})
	check(t, poll(t, task), path, line{"3", 6}, line{"4", 8})
	check(t, poll(t, task), path, line{"5", 10})
}

func TestSourceLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.txt")
	long := strings.Repeat("0123456789", 30_000)
	writeFile(t, path, long+"\nshort\n")
	task := startSource(t, cfgFor(path), nil)
	check(t, poll(t, task), path, line{long, 300_001}, line{"short", 300_007})
}

func TestSourceStdin(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]string
		fn   any
	}{
		{"unset", map[string]string{"topic": "lines"}, nil},
		{"empty", map[string]string{"topic": "lines", "file": ""}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := &SourceTask{wait: 20 * time.Millisecond, stdin: strings.NewReader("a\r\nb\nlast")}
			if err := task.Start(t.Context(), tc.cfg, nil); err != nil {
				t.Fatal(err)
			}
			defer task.Stop()
			var got []string
			deadline := time.Now().Add(5 * time.Second)
			for len(got) < 3 && time.Now().Before(deadline) {
				for _, r := range poll(t, task) {
					if r.SourceOffset[PositionField] != nil || r.SourcePartition[FilenameField] != tc.fn {
						t.Errorf("stdin record partition %v offset %v", r.SourcePartition, r.SourceOffset)
					}
					got = append(got, r.Value.(string))
				}
			}
			// Standard input cannot grow after its end: the last line is delivered.
			if strings.Join(got, "|") != "a|b|last" {
				t.Errorf("stdin lines = %q", got)
			}
			if rs := poll(t, task); len(rs) != 0 {
				t.Errorf("after end of input got %d more records", len(rs))
			}
		})
	}
}

func TestSourceStopWakesPoll(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idle.txt")
	writeFile(t, path, "")
	task := &SourceTask{wait: time.Minute}
	if err := task.Start(t.Context(), cfgFor(path), nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		task.Poll(t.Context())
	}()
	time.Sleep(50 * time.Millisecond)
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Poll did not return after Stop")
	}
	if rs, err := task.Poll(t.Context()); rs != nil || err != nil {
		t.Errorf("Poll after Stop = %v, %v", rs, err)
	}
}

func TestSourceContextEndsWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.txt")
	task := &SourceTask{wait: time.Minute}
	if err := task.Start(t.Context(), cfgFor(path), nil); err != nil {
		t.Fatal(err)
	}
	defer task.Stop()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if rs, err := task.Poll(ctx); rs != nil || err != nil {
		t.Errorf("Poll = %v, %v", rs, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Poll took %v after its context ended", d)
	}
}

func TestSourceReadError(t *testing.T) {
	dir := t.TempDir()
	task := startSource(t, cfgFor(dir), nil)
	if _, err := task.Poll(t.Context()); err == nil {
		t.Fatal("reading a directory succeeded")
	}
}

func BenchmarkSourcePoll(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.txt")
	content := strings.Repeat("<134>Oct 11 22:14:15 host app[42]: a typical syslog line of moderate length\n", 2000)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		task := &SourceTask{wait: time.Millisecond}
		if err := task.Start(context.Background(), cfgFor(path), nil); err != nil {
			b.Fatal(err)
		}
		rs, err := task.Poll(context.Background())
		if err != nil || len(rs) != 2000 {
			b.Fatalf("Poll = %d records, %v", len(rs), err)
		}
		task.Stop()
	}
}
