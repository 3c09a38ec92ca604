package main

import (
	"fmt"
	"io"
	"strings"

	"sluice.io/sluice/conformance"
)

func runConformance(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("conformance", stderr)
	verbose := fs.Bool("v", false, "also list the vectors that passed")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	passed, failed := 0, 0
	for _, path := range fs.Args() {
		results, err := conformance.RunFile(path)
		if err != nil {
			fmt.Fprintf(stdout, "%s: %v\n", path, err)
			failed++
		}
		for _, r := range results {
			if r.Passed() {
				passed++
				if *verbose {
					fmt.Fprintf(stdout, "ok   %s:%d %s\n", path, r.Line, r.ID)
				}
				continue
			}
			failed++
			fmt.Fprintf(stdout, "FAIL %s:%d %s\n  %s\n", path, r.Line, r.ID,
				strings.ReplaceAll(r.Err.Error(), "\n", "\n  "))
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}
