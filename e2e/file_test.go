package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sluice.io/sluice/worker/offsets"
)

// fileLines returns lines from..to-1 as "line-NNNNN payload…".
func fileLines(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "line-%05d payload %s\n", i, strings.Repeat("x", i%37))
	}
	return b.String()
}

// fileStoredPosition reads the position the offsets file holds for the
// connector's file.
func fileStoredPosition(t *testing.T, offsetsFile, connector, source string) int64 {
	t.Helper()
	st, _, err := offsets.Open(offsetsFile)
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.Offset(connector, map[string]any{"filename": source})
	if err != nil {
		t.Fatal(err)
	}
	if o == nil {
		return -1
	}
	p, _ := o["position"].(int64)
	return p
}

// TestFileSourceRestartResumes runs FileStreamSource, stops the worker
// with half a line at the end of the file, appends the rest and more
// lines and starts a new worker on the same offsets file: it resumes at
// the byte after the last complete line, so every line arrives exactly
// once and the cut line arrives whole.
func TestFileSourceRestartResumes(t *testing.T) {
	c := newCluster(t)
	addr := c.ListenAddrs()[0]
	dir := t.TempDir()
	src := filepath.Join(dir, "input.txt")
	first := fileLines(0, 1000)
	cut := fileLines(1000, 1001)
	if err := os.WriteFile(src, []byte(first+cut[:7]), 0o644); err != nil {
		t.Fatal(err)
	}
	props := workerProps(addr, dir)
	conn := map[string]string{"name": "file-in", "connector.class": "FileStreamSource", "file": src,
		"topic": "lines", "batch.size": "100"}

	s := startWorker(t, props, conn)
	waitRecords(t, addr, 1000, 30*time.Second, "lines")
	time.Sleep(200 * time.Millisecond) // the task sees the partial line and keeps it back
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	offsetsFile := props["offset.storage.file.filename"]
	if p := fileStoredPosition(t, offsetsFile, "file-in", src); p != int64(len(first)) {
		t.Fatalf("stored position %d, want %d (the byte after the last complete line)", p, len(first))
	}

	f, err := os.OpenFile(src, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(cut[7:] + fileLines(1001, 1500)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s = startWorker(t, props, conn)
	waitRecords(t, addr, 1500, 30*time.Second, "lines")
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	recs := consumeTopic(t, addr, "lines")
	want := strings.Split(strings.TrimSuffix(fileLines(0, 1500), "\n"), "\n")
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, r := range recs {
		if string(r.Value) != want[i] {
			t.Fatalf("record %d = %q, want %q", i, r.Value, want[i])
		}
	}
	if p, size := fileStoredPosition(t, offsetsFile, "file-in", src), int64(len(fileLines(0, 1500))); p != size {
		t.Fatalf("stored position %d after the second run, want %d", p, size)
	}
}
