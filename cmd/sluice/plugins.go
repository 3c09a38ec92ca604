package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"sluice.io/sluice"
)

func runPlugins(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("plugins", stderr)
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLASS\tKINDS\tALIASES")
	for _, p := range sluice.Plugins.All() {
		kinds := p.Kinds.String()
		if p.Abstract {
			kinds += " (abstract)"
		}
		for _, class := range append([]string{p.Class}, p.OldClasses...) {
			aliases := strings.Join(sluice.Plugins.Aliases(class), ", ")
			if aliases == "" {
				aliases = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", class, kinds, aliases)
		}
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "sluice: %v\n", err)
		return 1
	}
	return 0
}
