package siem

import (
	"sluice.io/sluice"
	"sluice.io/sluice/expr/celexpr"
)

// celProgram is a compiled CEL condition evaluated on a whole record.
type celProgram interface {
	Eval(r *sluice.Record) (bool, error)
}

// compileCEL compiles the `if` expression of an if_mode=cel condition; a
// bad expression is a configuration error.
func compileCEL(src string) (celProgram, error) {
	p, err := celexpr.Compile(src)
	if err != nil {
		return nil, &sluice.ConfigError{Name: CondIf, Value: src, Msg: err.Error(), Err: err}
	}
	return p, nil
}
