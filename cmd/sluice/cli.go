package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is one sluice subcommand.
type command struct {
	summary string
	usage   string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"transform": {"run a connector's transformation chain over records read from stdin",
			"transform [-envelope] [-topic TOPIC] CONNECTOR.properties", runTransform},
		"validate": {"list every configuration error of a connector's transformation chain",
			"validate CONNECTOR.properties", runValidate},
		"conformance": {"run conformance vector files; ends with \"N passed, M failed\"",
			"conformance FILE.jsonl...", runConformance},
		"plugins": {"list the registered plugins: class names, kinds, aliases",
			"plugins", runPlugins},
		"docs": {"render every plugin's configuration reference to Markdown (default DIR: docs)",
			"docs [DIR]", runDocs},
		"consume":    {"print records of a Kafka topic (default broker 127.0.0.1:9092)", "consume TOPIC [--from-beginning] [--max N] [--bootstrap HOST:PORT] [--timeout D] [--format text|json]", runConsume},
		"standalone": {"run source connectors like connect-standalone.sh until SIGINT/SIGTERM", "standalone WORKER.properties CONNECTOR.properties...", runStandalone},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: sluice COMMAND [ARGS]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'sluice COMMAND -h' for a command's options.")
}

// run executes the command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "sluice: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

// newFlags returns a flag set for a subcommand that reports to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := commands[name]
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: sluice %s\n\n%s\n", c.usage, strings.ToUpper(c.summary[:1])+c.summary[1:])
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns the exit status to use when the
// command must stop (help shown or a bad flag), or -1 to go on.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	return -1
}
