package file

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sluice.io/sluice"
)

func TestSinkWritesJavaStrings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	writeFile(t, path, "existing\n")
	task := &SinkTask{}
	if err := task.Start(t.Context(), map[string]string{"file": path}); err != nil {
		t.Fatal(err)
	}
	m := sluice.NewMap(1, false)
	m.Put("k", int32(1))
	recs := []*sluice.Record{
		{Value: "plain"},
		{Value: nil},
		{Value: int32(42)},
		{Value: float64(1e10)},
		{Value: true},
		{Value: []any{"a", int64(2)}},
		{Value: m},
		{Value: "héllo 日本"},
	}
	if err := task.Put(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	want := "existing\nplain\nnull\n42\n1.0E10\ntrue\n[a, 2]\n{k=1}\nhéllo 日本\n"
	if err := task.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Errorf("file = %q, want %q", got, want)
	}
	if err := task.Put(t.Context(), []*sluice.Record{{Value: "after"}}); err != nil {
		t.Fatal(err)
	}
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != want+"after\n" {
		t.Errorf("after Stop file = %q", got)
	}
}

func TestSinkBuffersUntilFlush(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.txt")
	task := &SinkTask{}
	if err := task.Start(t.Context(), map[string]string{"file": path}); err != nil {
		t.Fatal(err)
	}
	defer task.Stop()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Start did not create the file: %v", err)
	}
	if err := task.Put(t.Context(), []*sluice.Record{{Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); len(got) != 0 {
		t.Errorf("before Flush file = %q, want empty", got)
	}
	if err := task.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "x\n" {
		t.Errorf("after Flush file = %q", got)
	}
}

func TestSinkStdout(t *testing.T) {
	var out bytes.Buffer
	task := &SinkTask{stdout: &out}
	if err := task.Start(t.Context(), map[string]string{"file": ""}); err != nil {
		t.Fatal(err)
	}
	if err := task.Put(t.Context(), []*sluice.Record{{Value: "a"}, {Value: int64(7)}}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "a\n7\n" {
		t.Errorf("stdout = %q", out.String())
	}
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestSinkOpenError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "out.txt")
	err := (&SinkTask{}).Start(t.Context(), map[string]string{"file": path})
	if err == nil || !strings.Contains(err.Error(), "Couldn't find or create file '"+path+"' for FileStreamSinkTask") ||
		sluice.ErrorClass(err) != "ConnectException" {
		t.Fatalf("Start error = %v", err)
	}
}

func TestSinkPutBeforeStart(t *testing.T) {
	if err := (&SinkTask{}).Put(t.Context(), []*sluice.Record{{Value: "x"}}); err == nil {
		t.Fatal("Put before Start succeeded")
	}
}

func BenchmarkSinkPut(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.txt")
	task := &SinkTask{}
	if err := task.Start(b.Context(), map[string]string{"file": path}); err != nil {
		b.Fatal(err)
	}
	defer task.Stop()
	recs := make([]*sluice.Record, 1000)
	for i := range recs {
		recs[i] = &sluice.Record{Value: "<134>Oct 11 22:14:15 host app[42]: a typical syslog line of moderate length"}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := task.Put(b.Context(), recs); err != nil {
			b.Fatal(err)
		}
		if err := task.Flush(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
