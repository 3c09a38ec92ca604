package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStandaloneExitCodes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"standalone"}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "ConnectStandalone worker.properties") {
		t.Fatalf("no args: %d %s", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"standalone", "w.properties", "--help"}, nil, &out, &errb); code != 1 {
		t.Fatalf("--help: %d", code)
	}
	// A worker file without the required converters cannot start.
	dir := t.TempDir()
	w := filepath.Join(dir, "worker.properties")
	if err := os.WriteFile(w, []byte("bootstrap.servers=127.0.0.1:1\noffset.storage.file.filename="+filepath.Join(dir, "o")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run([]string{"standalone", w}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "Stopping due to error") {
		t.Fatalf("bad worker: %d %s", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"standalone", filepath.Join(dir, "missing.properties")}, nil, &out, &errb); code != 2 {
		t.Fatalf("missing worker file: %d %s", code, errb.String())
	}
}
