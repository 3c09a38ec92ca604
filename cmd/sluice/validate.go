package main

import (
	"errors"
	"fmt"
	"io"

	"sluice.io/sluice/rules"
)

func runValidate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("validate", stderr)
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	p, err := rules.LoadPropertiesFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "sluice: %v\n", err)
		return 1
	}
	errs := rules.ValidateAll(p.Map())
	for _, e := range errs {
		var ci *rules.ConfigIssue
		if !errors.As(e, &ci) {
			fmt.Fprintf(stdout, "%s: %v\n", path, e)
			continue
		}
		loc := path
		if line := p.Line(ci.Key); line > 0 {
			loc = fmt.Sprintf("%s:%d", path, line)
		}
		if ci.HasValue {
			fmt.Fprintf(stdout, "%s: %s = %q: %v\n", loc, ci.Key, ci.Value, ci.Err)
		} else {
			fmt.Fprintf(stdout, "%s: %s (not set): %v\n", loc, ci.Key, ci.Err)
		}
	}
	if len(errs) > 0 {
		fmt.Fprintf(stdout, "%d configuration error(s)\n", len(errs))
		return 1
	}
	fmt.Fprintf(stdout, "%s: OK\n", path)
	return 0
}

// loadProps reads a connector .properties file into a map.
func loadProps(path string) (map[string]string, error) {
	p, err := rules.LoadPropertiesFile(path)
	if err != nil {
		return nil, err
	}
	return p.Map(), nil
}
