package file

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"sluice.io/sluice"
)

// FuzzSourceFile writes a file in two parts and checks that the task
// delivers exactly the lines and byte positions of a one-shot split.
func FuzzSourceFile(f *testing.F) {
	f.Add([]byte("a\nb\r\nc\rd"), uint16(3), uint8(1))
	f.Add([]byte("héllo\r\n日本\n\xff\r"), uint16(6), uint8(4))
	f.Add([]byte("\r\n\r\n\n\r"), uint16(1), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, cut uint16, batch uint8) {
		c := int(cut) % (len(data) + 1)
		path := filepath.Join(t.TempDir(), "f.txt")
		if err := os.WriteFile(path, data[:c], 0o644); err != nil {
			t.Fatal(err)
		}
		task := &SourceTask{wait: time.Millisecond}
		cfg := map[string]string{"file": path, "topic": "lines", "batch.size": strconv.Itoa(int(batch%5) + 1)}
		if err := task.Start(context.Background(), cfg, nil); err != nil {
			t.Fatal(err)
		}
		defer task.Stop()
		var got []*sluice.Record
		drain := func() {
			for range 10_000 {
				rs, err := task.Poll(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if len(rs) == 0 {
					return
				}
				got = append(got, rs...)
			}
			t.Fatal("Poll never ran dry")
		}
		drain()
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		fh.Write(data[c:])
		fh.Close()
		drain()

		want, _ := refSplit(data)
		if len(got) != len(want) {
			t.Fatalf("%q cut %d: got %d records, want %d", data, c, len(got), len(want))
		}
		var pos int64
		rest := data
		for i, r := range got {
			_, adv := nextLine(rest, false)
			rest = rest[adv:]
			pos += int64(adv)
			if r.Value != sluice.DecodeUTF8Java([]byte(want[i])) || r.SourceOffset[PositionField] != pos {
				t.Fatalf("%q cut %d: record %d = %q at %v, want %q at %d", data, c, i, r.Value, r.SourceOffset[PositionField], want[i], pos)
			}
		}
	})
}
