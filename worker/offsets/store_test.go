package offsets

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStoreKeysAndRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	s, warn, err := Open(path)
	if err != nil || warn != nil {
		t.Fatal(err, warn)
	}
	k, err := s.Key("local-file-source", map[string]any{"filename": "test.txt"})
	if err != nil || string(k) != `["local-file-source",{"filename":"test.txt"}]` {
		t.Fatalf("key %s %v", k, err)
	}
	// Java HashMap order: "b" (hash 98) after "a" (97), "aa" (3104, bucket 0) first.
	k, _ = s.Key("c", map[string]any{"b": 1, "a": int64(2), "aa": true})
	if string(k) != `["c",{"aa":true,"a":2,"b":1}]` {
		t.Fatalf("key %s", k)
	}
	if _, err := s.Key("c", map[string]any{"x": []string{"no"}}); err == nil {
		t.Fatal("non-primitive partition accepted")
	}
	if err := s.Put("c", map[string]any{"f": "x"}, map[string]any{"position": 1234}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	s2, _, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	o, err := s2.Offset("c", map[string]any{"f": "x"})
	if err != nil || o["position"] != int64(1234) {
		t.Fatalf("offset %v %v", o, err)
	}
	// A truncated file is an empty store with a warning, as in Java.
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, data[:len(data)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	s3, warn, err := Open(path)
	if err != nil || warn == nil || len(s3.Entries()) != 0 {
		t.Fatalf("truncated: %v %v %d", warn, err, len(s3.Entries()))
	}
	// Anything else that is not a HashMap stream fails.
	if err := os.WriteFile(path, []byte("not java"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(path); err == nil {
		t.Fatal("garbage accepted")
	}
}
