package jtime

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// goldenCase is one line of testdata/simpledateformat.jsonl, recorded from
// java.text.SimpleDateFormat (UTC, en_US, two-digit years from
// -770000000000 ms).
type goldenCase struct {
	Kind         string `json:"kind"`
	Pattern      string `json:"pattern"`
	Ms           int64  `json:"ms"`
	Out          string `json:"out"`
	In           string `json:"in"`
	Parsed       *int64 `json:"parsed"`
	Error        string `json:"error"`
	Offset       *int   `json:"offset"`
	CompileError string `json:"compileError"`
}

const goldenCenturyStart = -770000000000

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	fh, err := os.Open("testdata/simpledateformat.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []goldenCase
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c goldenCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func compileGolden(t *testing.T, p string) (*Format, error) {
	t.Helper()
	f, err := Compile(p)
	if err == nil {
		f.SetTwoDigitYearStart(goldenCenturyStart)
	}
	return f, err
}

func TestGolden(t *testing.T) {
	cases := loadGolden(t)
	if len(cases) < 1000 {
		t.Fatalf("only %d golden cases", len(cases))
	}
	failed := 0
	for _, c := range cases {
		f, err := compileGolden(t, c.Pattern)
		switch c.Kind {
		case "compile":
			var pe *PatternError
			if !errors.As(err, &pe) || pe.Msg != c.Error {
				t.Errorf("Compile(%q) error = %v, want %q", c.Pattern, err, c.Error)
				failed++
			}
			continue
		case "format":
			if err != nil {
				t.Errorf("Compile(%q): %v", c.Pattern, err)
				failed++
				continue
			}
			if got := f.FormatMillis(c.Ms); got != c.Out {
				t.Errorf("format %q %d = %q, want %q", c.Pattern, c.Ms, got, c.Out)
				failed++
			}
			checkParse(t, f, c.Out, c.Parsed, c.Error, nil, &failed)
		case "parse":
			if c.CompileError != "" {
				if err == nil {
					t.Errorf("Compile(%q) succeeded, want %q", c.Pattern, c.CompileError)
				}
				continue
			}
			if err != nil {
				t.Errorf("Compile(%q): %v", c.Pattern, err)
				failed++
				continue
			}
			checkParse(t, f, c.In, c.Parsed, c.Error, c.Offset, &failed)
		}
		if failed > 40 {
			t.Fatal("too many failures")
		}
	}
}

func checkParse(t *testing.T, f *Format, in string, want *int64, wantErr string, wantOff *int, failed *int) {
	t.Helper()
	got, err := f.ParseMillis(in)
	if want != nil {
		if err != nil || got != *want {
			t.Errorf("parse %q %q = %d, %v; want %d", f.Pattern(), in, got, err, *want)
			*failed++
		}
		return
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Error() != wantErr {
		t.Errorf("parse %q %q = %d, %v; want error %q", f.Pattern(), in, got, err, wantErr)
		*failed++
		return
	}
	if wantOff != nil && pe.Offset != *wantOff {
		t.Errorf("parse %q %q error offset = %d, want %d", f.Pattern(), in, pe.Offset, *wantOff)
		*failed++
	}
}
