//go:build !race

package rules_test

import (
	"testing"

	"sluice.io/sluice/rules"
)

// TestFiveStepChainAllocs guards the copy elision of the reference chain:
// one record copy with its header, and one new map for the renamed value.
func TestFiveStepChainAllocs(t *testing.T) {
	chain, err := rules.BuildChain(fiveStepProps, rules.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := benchRecord()
	n := testing.AllocsPerRun(200, func() {
		if out, err := chain.Apply(in); err != nil || out == nil {
			t.Fatal(out, err)
		}
	})
	if n > 2 {
		t.Fatalf("%v allocations per record, want at most 2", n)
	}
}
