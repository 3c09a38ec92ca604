package siem

import (
	"errors"

	"sluice.io/sluice/expr/jregex"
)

func isSyntax(err error) bool {
	var se *jregex.SyntaxError
	return errors.As(err, &se)
}
