package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sluice.io/sluice"
)

var update = flag.Bool("update", false, "rewrite the golden files (examples/testdata, docs)")

// TestExamples checks every example connector: each one validates cleanly,
// and each one with sample input (NAME.jsonl: vector records, -envelope;
// NAME.log: raw lines) runs through `sluice transform` with stdout and stderr
// compared to the golden files in examples/testdata. Examples that need a
// running worker (examples/standalone, the pollers) are run end to end by
// the e2e tests.
func TestExamples(t *testing.T) {
	top, err := filepath.Glob("../../examples/*.properties")
	if err != nil || len(top) == 0 {
		t.Fatalf("no examples found (%v)", err)
	}
	standalone, _ := filepath.Glob("../../examples/standalone/*.properties")
	for _, props := range append(top, standalone...) {
		name := strings.TrimSuffix(filepath.Base(props), ".properties")
		if strings.Contains(name, "worker") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run([]string{"validate", props}, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("sluice validate %s: exit %d\n%s%s", props, code, stdout.String(), stderr.String())
			}
			base := strings.TrimSuffix(props, ".properties")
			args := []string{"transform"}
			input, err := os.ReadFile(base + ".jsonl")
			if err == nil {
				args = append(args, "-envelope")
			} else if input, err = os.ReadFile(base + ".log"); err != nil {
				return // no sample input: validated only
			}
			args = append(args, props)
			stdout.Reset()
			stderr.Reset()
			code := run(args, bytes.NewReader(input), &stdout, &stderr)
			got := stdout.String()
			gotErr := stderr.String() + "exit status: " + string(rune('0'+code)) + "\n"
			golden(t, filepath.Join("../../examples/testdata", name+".stdout"), got)
			golden(t, filepath.Join("../../examples/testdata", name+".stderr"), gotErr)
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/sluice -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test ./cmd/sluice -update after checking the change)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestDocsUpToDate checks that the committed plugin reference in docs/ is
// what `sluice docs` generates now.
func TestDocsUpToDate(t *testing.T) {
	for name, content := range renderDocs(sluice.Plugins) {
		golden(t, filepath.Join("../../docs", name), string(content))
	}
}

func TestDocsCommand(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"docs", dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "transformations.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("## ValueToKey")) || !bytes.Contains(b, []byte("| `fields` | LIST |")) {
		t.Errorf("transformations.md lacks ValueToKey's reference:\n%s", b)
	}
}

func TestConformanceCommand(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte("a=b\n"))
	file := filepath.Join(t.TempDir(), "v.jsonl")
	content := `{"id":"good","input_base64":"` + b64 + `","result":[["a","b"]]}` + "\n" +
		`{"id":"bad","input_base64":"` + b64 + `","result":[["a","c"]]}` + "\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"conformance", file}, nil, &stdout, &stderr)
	out := stdout.String()
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.HasSuffix(out, "\n1 passed, 1 failed\n") {
		t.Errorf("output does not end with the summary:\n%s", out)
	}
	if !strings.Contains(out, "FAIL "+file+":2 bad") || strings.Contains(out, " good") {
		t.Errorf("failure not reported by id:\n%s", out)
	}
	stdout.Reset()
	if err := os.WriteFile(file, []byte(strings.SplitAfter(content, "\n")[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"conformance", file}, nil, &stdout, &stderr); code != 0 || stdout.String() != "1 passed, 0 failed\n" {
		t.Errorf("exit %d, output %q", code, stdout.String())
	}
}

func TestValidateCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.properties")
	content := "transforms=a,b,c\n" +
		"transforms.a.type=org.apache.kafka.connect.transforms.Nope\n" +
		"transforms.b.type=org.apache.kafka.connect.transforms.ValueToKey\n" +
		"transforms.c.type=org.apache.kafka.connect.transforms.ValueToKey\n" +
		"transforms.c.fields=id\n" +
		"transforms.c.negate=true\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"validate", file}, nil, &stdout, &stderr)
	out := stdout.String()
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		file + `:2: transforms.a.type = "org.apache.kafka.connect.transforms.Nope": Invalid value org.apache.kafka.connect.transforms.Nope for configuration transforms.a.type: Class org.apache.kafka.connect.transforms.Nope could not be found.`,
		file + `: transforms.b.fields (not set): Missing required configuration "transforms.b.fields" which has no default value.`,
		file + `:6: transforms.c.negate = "true": Config 'transforms.c.negate' was provided`,
		"3 configuration error(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if err := os.WriteFile(file, []byte("transforms=c\ntransforms.c.type=ValueToKey\ntransforms.c.fields=id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := run([]string{"validate", file}, nil, &stdout, &stderr); code != 0 {
		t.Errorf("valid file: exit %d, output %s", code, stdout.String())
	}
}

func TestPluginsCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"plugins"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d", code)
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "CLASS") {
		t.Errorf("no header:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "org.apache.kafka.connect.transforms.ValueToKey ") {
			if !strings.Contains(line, "transformation") || !strings.HasSuffix(strings.TrimSpace(line), "ValueToKey") {
				t.Errorf("ValueToKey line %q", line)
			}
			return
		}
	}
	t.Errorf("ValueToKey not listed:\n%s", out)
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"transform"}, {"validate", "a", "b"}, {"conformance"}, {"transform", "-nope", "x"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: no usage message", args)
		}
	}
}

func TestTransformRawLinesAndErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.properties")
	// ValueToKey needs a map or struct: raw strings fail, line by line.
	content := "topic=t\ntransforms=k\ntransforms.k.type=org.apache.kafka.connect.transforms.ValueToKey\ntransforms.k.fields=id\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"transform", file}, strings.NewReader("one\ntwo"), &stdout, &stderr)
	if code != 1 || stdout.Len() != 0 {
		t.Errorf("exit %d, stdout %q", code, stdout.String())
	}
	errs := stderr.String()
	if !strings.Contains(errs, "line 1: apply error: transformation \"k\" (org.apache.kafka.connect.transforms.ValueToKey) failed: ") ||
		!strings.Contains(errs, "line 2: apply error") {
		t.Errorf("stderr:\n%s", errs)
	}
	stderr.Reset()
	if err := os.WriteFile(file, []byte("transforms=k\ntransforms.k.type=ValueToKey\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"transform", file}, strings.NewReader("x\n"), &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), `Missing required configuration "transforms.k.fields"`) {
		t.Errorf("config error: exit %d, stderr %q", code, stderr.String())
	}
}
