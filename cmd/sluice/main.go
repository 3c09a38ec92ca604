// Command sluice runs Kafka Connect transformation chains from Java
// connector .properties files, checks them, and runs conformance vectors.
//
// Usage:
//
//	sluice transform [-envelope] [-topic T] CONNECTOR.properties < input
//	sluice validate CONNECTOR.properties
//	sluice conformance FILE.jsonl...
//	sluice plugins
//	sluice docs [DIR]
package main

import (
	"os"

	_ "sluice.io/sluice/conformance/convvec"
	_ "sluice.io/sluice/conformance/framevec"
	_ "sluice.io/sluice/conformance/propvec"
	_ "sluice.io/sluice/conformance/regexvec"
	_ "sluice.io/sluice/conformance/xformvec"
	_ "sluice.io/sluice/plugins"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
