package celexpr

import (
	"errors"

	"sluice.io/sluice"
)

// PredicateClass is the class name of the CEL predicate.
const PredicateClass = "io.sluice.predicates.Cel"

// ExpressionConfig is the predicate's configuration key.
const ExpressionConfig = "expression"

var predicateDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: ExpressionConfig, Type: sluice.TypeString, Default: sluice.NoDefault,
		Validator:  sluice.ValidatorFunc{Fn: validateExpression, Desc: "a CEL expression of type bool"},
		Importance: sluice.High,
		Doc: "CEL condition evaluated on each record; the predicate is true when it evaluates to true. " +
			"Variables: topic, partition, timestamp, key, value, headers. Java regular expressions: " +
			"jmatches(text, pattern) (whole text) and jfind(text, pattern) (any part)."})

func init() {
	sluice.Register(&sluice.Plugin{
		Class:  PredicateClass,
		Kinds:  sluice.KindPredicate,
		Config: predicateDef,
		Doc:    "True for records on which a CEL expression evaluates to true.",
		New:    func() any { return &Predicate{} },
	})
}

// validateExpression rejects an expression that does not compile.
func validateExpression(name string, v any) error {
	s, _ := v.(string)
	if _, err := Compile(s); err != nil {
		return expressionError(name, s, err)
	}
	return nil
}

// expressionError is the ConfigError for a bad expression.
func expressionError(name, src string, err error) error {
	msg := err.Error()
	var ce *CompileError
	if errors.As(err, &ce) {
		msg = ce.Msg
	}
	return &sluice.ConfigError{Name: name, Value: src, Msg: "invalid CEL expression: " + msg, Err: err}
}

// Predicate is the CEL predicate: true for records on which the configured
// expression evaluates to true. An evaluation error is a DataError.
type Predicate struct {
	prog *Program
}

var _ sluice.Predicate = (*Predicate)(nil)

// Configure implements sluice.Predicate.
func (p *Predicate) Configure(props map[string]string) error {
	cfg, err := predicateDef.Parse(props)
	if err != nil {
		return err
	}
	src := cfg.String(ExpressionConfig)
	prog, err := Compile(src)
	if err != nil {
		return expressionError(ExpressionConfig, src, err)
	}
	p.prog = prog
	return nil
}

// Test implements sluice.Predicate.
func (p *Predicate) Test(r *sluice.Record) (bool, error) {
	if p.prog == nil {
		return false, errors.New("celexpr: predicate used before Configure")
	}
	return p.prog.Eval(r)
}

// Close implements sluice.Predicate.
func (p *Predicate) Close() error { return nil }

// Program returns the compiled expression (nil before Configure).
func (p *Predicate) Program() *Program { return p.prog }
