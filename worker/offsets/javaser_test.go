package offsets

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// specStream builds, piece by piece from the Java Object Serialization
// specification, the stream ObjectOutputStream writes for a HashMap holding
// two byte[] keys, the first with a byte[] value, the second with null.
func specStream(t testing.TB) []byte {
	parts := []string{
		"aced0005", // STREAM_MAGIC, STREAM_VERSION
		"73",       // TC_OBJECT
		"72", "0011", hex.EncodeToString([]byte("java.util.HashMap")),
		"0507dac1c31660d1", // serialVersionUID
		"03",               // SC_WRITE_METHOD|SC_SERIALIZABLE
		"0002",             // two fields
		"46", "000a", hex.EncodeToString([]byte("loadFactor")),
		"49", "0009", hex.EncodeToString([]byte("threshold")),
		"78", "70", // end of annotation, no superclass
		"3f400000", "0000000c", // loadFactor 0.75, threshold 12
		"77", "08", "00000010", "00000002", // block data: capacity 16, size 2
		"75", "72", "0002", hex.EncodeToString([]byte("[B")),
		"acf317f8060854e0", "02", "0000", "78", "70",
		"0000000d", hex.EncodeToString([]byte(`["c",{"a":1}]`)),
		"75", "71", "007e0002", "00000009", hex.EncodeToString([]byte(`{"pos":5}`)),
		"75", "71", "007e0002", "0000000d", hex.EncodeToString([]byte(`["c",{"a":2}]`)),
		"70", // null value
		"78", // TC_ENDBLOCKDATA
	}
	b, err := hex.DecodeString(strings.Join(parts, ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var specEntries = []Entry{
	{Key: []byte(`["c",{"a":1}]`), Value: []byte(`{"pos":5}`)},
	{Key: []byte(`["c",{"a":2}]`), Value: nil},
}

func TestWriteHashMapMatchesSpec(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHashMap(&buf, specEntries); err != nil {
		t.Fatal(err)
	}
	if want := specStream(t); !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("stream differs\n got %x\nwant %x", buf.Bytes(), want)
	}
}

func TestWriteHashMapEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHashMap(&buf, nil); err != nil {
		t.Fatal(err)
	}
	// No table yet: threshold 0, capacity reported as 16, size 0.
	want := "3f400000" + "00000000" + "7708" + "00000010" + "00000000" + "78"
	if got := hex.EncodeToString(buf.Bytes()); !strings.HasSuffix(got, want) {
		t.Fatalf("empty map stream %s does not end with %s", got, want)
	}
	entries, err := ReadHashMap(buf.Bytes())
	if err != nil || len(entries) != 0 {
		t.Fatalf("ReadHashMap(empty) = %v, %v", entries, err)
	}
}

func TestReadHashMapSpec(t *testing.T) {
	got, err := ReadHashMap(specStream(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !bytes.Equal(got[0].Key, specEntries[0].Key) || !bytes.Equal(got[0].Value, specEntries[0].Value) ||
		!bytes.Equal(got[1].Key, specEntries[1].Key) || got[1].Value != nil {
		t.Fatalf("got %q", got)
	}
}

func TestHashMapSizing(t *testing.T) {
	for _, c := range []struct{ n, capacity, threshold int }{
		{0, 16, 0}, {1, 16, 12}, {12, 16, 12}, {13, 32, 24}, {25, 64, 48},
	} {
		if capacity, threshold := hashMapSizing(c.n); capacity != c.capacity || threshold != c.threshold {
			t.Errorf("hashMapSizing(%d) = %d, %d; want %d, %d", c.n, capacity, threshold, c.capacity, c.threshold)
		}
	}
}

func TestReadHashMapErrors(t *testing.T) {
	full := specStream(t)
	for _, c := range []struct {
		name      string
		data      []byte
		truncated bool
		msg       string
	}{
		{"empty", nil, true, ""},
		{"header only", full[:4], true, ""},
		{"cut in entries", full[:len(full)-20], true, ""},
		{"missing end block", full[:len(full)-1], true, ""},
		{"bad magic", append([]byte{0xCA, 0xFE}, full[2:]...), false, "not a Java serialization stream"},
		{"string", append(append([]byte{}, full[:4]...), 0x74, 0, 1, 'x'), false, "Expected HashMap"},
		{"other class", bytes.Replace(full, []byte("java.util.HashMap"), []byte("java.util.TreeMap"), 1), false, "Expected HashMap but found java.util.TreeMap"},
		{"bad reference", bytes.Replace(full, []byte{0x71, 0x00, 0x7e, 0x00, 0x02}, []byte{0x71, 0x00, 0x7e, 0x00, 0x09}, 1), false, "invalid object reference"},
	} {
		_, err := ReadHashMap(c.data)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if errors.Is(err, ErrTruncated) != c.truncated {
			t.Errorf("%s: truncated = %v (%v)", c.name, !c.truncated, err)
		}
		if c.msg != "" && !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %q does not contain %q", c.name, err, c.msg)
		}
	}
}

func TestRoundTripManyEntries(t *testing.T) {
	var in []Entry
	for i := 0; i < 300; i++ {
		in = append(in, Entry{Key: []byte(strings.Repeat("k", i%7) + string(rune('a'+i%26)) + string(rune('0'+i%10)) + hex.EncodeToString([]byte{byte(i), byte(i >> 8)})),
			Value: bytes.Repeat([]byte{byte(i)}, i)})
	}
	var buf bytes.Buffer
	if err := WriteHashMap(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadHashMap(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("got %d entries", len(out))
	}
	for i := range in {
		if !bytes.Equal(in[i].Key, out[i].Key) || !bytes.Equal(in[i].Value, out[i].Value) {
			t.Fatalf("entry %d differs", i)
		}
	}
}

// TestWriteFileForInterop leaves a file for a manual check with a Java
// reader when SLUICE_OFFSETS_OUT names a directory.
func TestWriteFileForInterop(t *testing.T) {
	dir := os.Getenv("SLUICE_OFFSETS_OUT")
	if dir == "" {
		t.Skip("SLUICE_OFFSETS_OUT not set")
	}
	var buf bytes.Buffer
	in := make([]Entry, 0, 20)
	for i := 0; i < 20; i++ {
		in = append(in, Entry{Key: []byte{byte('A' + i)}, Value: []byte{byte(i)}})
	}
	if err := WriteHashMap(&buf, in); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.bin"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func FuzzReadHashMap(f *testing.F) {
	f.Add(specStream(f))
	var buf bytes.Buffer
	_ = WriteHashMap(&buf, nil)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ReadHashMap(data)
		if err != nil {
			return
		}
		// Whatever decodes must survive a write/read round trip unchanged.
		var out bytes.Buffer
		if err := WriteHashMap(&out, entries); err != nil {
			t.Fatal(err)
		}
		again, err := ReadHashMap(out.Bytes())
		if err != nil {
			t.Fatalf("re-reading written map: %v", err)
		}
		if len(again) != len(entries) {
			t.Fatalf("round trip changed entry count %d → %d", len(entries), len(again))
		}
		for i := range entries {
			if !bytes.Equal(entries[i].Key, again[i].Key) || !bytes.Equal(entries[i].Value, again[i].Value) ||
				(entries[i].Value == nil) != (again[i].Value == nil) {
				t.Fatalf("entry %d changed in round trip", i)
			}
		}
	})
}
