// Package conformance runs conformance vectors: JSON Lines files in which
// each line is one vector (a configuration and an input, with the outcome
// the Java implementation produced). Vector kinds register themselves; the
// runner detects each line's kind by its fields and runs it.
package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
)

// Kind is one kind of vector.
type Kind struct {
	// Name names the kind in reports, e.g. "transformation".
	Name string
	// Priority orders detection: lower runs first.
	Priority int
	// Detect reports whether a vector, given as its top-level fields, is of this kind.
	Detect func(fields map[string]json.RawMessage) bool
	// Run runs one vector (the whole JSON line). It returns nil when the
	// outcome matches, or an error whose text explains the difference
	// readably (expected vs actual).
	Run func(line []byte) error
}

var (
	kindsMu sync.RWMutex
	kinds   []Kind
)

// Register adds a vector kind. Kinds register from init().
func Register(k Kind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	kinds = append(kinds, k)
	sort.SliceStable(kinds, func(i, j int) bool { return kinds[i].Priority < kinds[j].Priority })
}

// Result is the outcome of one vector.
type Result struct {
	Line int    // 1-based line number in its file
	ID   string // the vector's id
	Kind string // the detected kind, "" when none matched
	Err  error  // nil: passed
}

// Passed reports whether the vector passed.
func (r Result) Passed() bool { return r.Err == nil }

// detect returns the kind of a vector line.
func detect(line []byte) (*Kind, string, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil {
		// Vector files may hold bare NaN/Infinity number tokens (as Java's
		// doubles print); detection only needs the top-level field names.
		if json.Unmarshal(nonFiniteAsNull(line), &fields) != nil {
			return nil, "", fmt.Errorf("not a JSON object: %w", err)
		}
	}
	var id string
	if raw, ok := fields["id"]; ok {
		_ = json.Unmarshal(raw, &id)
	}
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	for i := range kinds {
		if kinds[i].Detect(fields) {
			return &kinds[i], id, nil
		}
	}
	return nil, id, fmt.Errorf("unknown vector kind (fields: %v)", keys(fields))
}

func keys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// VectorID returns the id field of a vector line ("" when it has none).
func VectorID(line []byte) string {
	_, id, _ := detect(line)
	return id
}

// RunLine runs one vector line.
func RunLine(lineNo int, line []byte) Result {
	k, id, err := detect(line)
	if err != nil {
		return Result{Line: lineNo, ID: id, Err: err}
	}
	res := Result{Line: lineNo, ID: id, Kind: k.Name}
	func() {
		defer func() {
			if p := recover(); p != nil {
				res.Err = fmt.Errorf("panic: %v", p)
			}
		}()
		res.Err = k.Run(line)
	}()
	return res
}

// Run runs every vector of a JSON Lines stream; blank lines are skipped.
func Run(r io.Reader) ([]Result, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var out []Result
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		out = append(out, RunLine(n, append([]byte(nil), line...)))
	}
	return out, sc.Err()
}

// RunFile runs every vector of a file.
func RunFile(path string) ([]Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := Run(f)
	if err != nil {
		return res, fmt.Errorf("reading %s: %w", path, err)
	}
	return res, nil
}

// Has reports whether a top-level field is present (and not JSON null when
// notNull is set).
func Has(fields map[string]json.RawMessage, name string) bool {
	_, ok := fields[name]
	return ok
}

// IsString reports whether a top-level field is a JSON string.
func IsString(fields map[string]json.RawMessage, name string) bool {
	raw, ok := fields[name]
	return ok && len(raw) > 0 && raw[0] == '"'
}

// nonFiniteAsNull replaces the bare tokens NaN, Infinity and -Infinity
// outside JSON strings with null.
func nonFiniteAsNull(line []byte) []byte {
	out := make([]byte, 0, len(line))
	inStr := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if inStr {
			out = append(out, c)
			if c == '\\' && i+1 < len(line) {
				i++
				out = append(out, line[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
			out = append(out, c)
			continue
		}
		matched := false
		for _, tok := range []string{"-Infinity", "Infinity", "NaN"} {
			if bytes.HasPrefix(line[i:], []byte(tok)) {
				out = append(out, "null"...)
				i += len(tok) - 1
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, c)
		}
	}
	return out
}
