package siem

import (
	"sluice.io/sluice"
)

// celProgram is a compiled CEL condition evaluated on a whole record.
type celProgram interface {
	Eval(r *sluice.Record) (bool, error)
}

// compileCEL compiles the `if` expression of an if_mode=cel condition.
func compileCEL(src string) (celProgram, error) {
	return nil, &sluice.ConfigError{Name: CondIf, Value: src, Msg: "CEL conditions are not available in this build"}
}
