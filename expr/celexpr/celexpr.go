// Package celexpr evaluates CEL (Common Expression Language) conditions on
// Sluice records.
//
// An expression is compiled and type-checked once by Compile; the resulting
// Program is safe for concurrent use and evaluates records on pooled
// activations, so the per-record path compiles nothing.
//
// Variables visible to an expression:
//
//	topic      string
//	partition  int, or null when the record has no partition
//	timestamp  google.protobuf.Timestamp, or null when the record has none
//	key        the record key (see below)
//	value      the record value (see below)
//	headers    map(string, string): the last value of each header name,
//	           rendered as Connect's Values.convertToString renders it
//	           (null for a header whose value is null)
//
// key and value are null when null; a CEL map when the value is a Connect
// MAP or STRUCT (field names are keys; unset struct fields read as their
// default or null); a CEL list when it is an ARRAY; and otherwise a string:
// the value rendered as Connect's Values.convertToString does (so a number
// 42 reads as "42"). Values nested in maps, structs and lists keep their
// type: integers are int, floats double, booleans bool, bytes bytes,
// Date/Time/Timestamp timestamp, decimals their Java string form. Nested
// values are converted only when an expression reads them.
//
// Besides the CEL standard library the environment has the strings,
// encoders, math, lists, sets, optional-types and regex extensions (the
// regex extension and the built-in matches use RE2 syntax) and two functions
// taking a Java (java.util.regex) pattern:
//
//	jmatches(text, pattern)  text.jmatches(pattern)   the WHOLE text matches (String.matches)
//	jfind(text, pattern)     text.jfind(pattern)      some part of the text matches (Matcher.find)
//
// A constant pattern is compiled with the program (a bad one is a compile
// error); other patterns are compiled on first use and cached per program.
package celexpr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"

	"sluice.io/sluice"
)

// Pinned versions of the extension libraries, so that upgrading cel-go does
// not change what an expression means.
const (
	stringsVersion  = 5
	encodersVersion = 2
	mathVersion     = 3
	listsVersion    = 5
	setsVersion     = 0
	regexVersion    = 0
)

// Variable names.
const (
	varTopic     = "topic"
	varPartition = "partition"
	varTimestamp = "timestamp"
	varKey       = "key"
	varValue     = "value"
	varHeaders   = "headers"
)

// maxPatternCache bounds the per-program cache of non-constant patterns.
const maxPatternCache = 256

// newEnv builds the CEL environment shared by every program. A cel.Env is
// immutable once built and safe for concurrent use.
var newEnv = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable(varTopic, cel.StringType),
		cel.Variable(varPartition, types.NewNullableType(types.IntType)),
		cel.Variable(varTimestamp, types.NewNullableType(types.TimestampType)),
		cel.Variable(varKey, cel.DynType),
		cel.Variable(varValue, cel.DynType),
		cel.Variable(varHeaders, cel.MapType(cel.StringType, types.NewNullableType(types.StringType))),
		ext.Strings(ext.StringsVersion(stringsVersion)),
		ext.Encoders(ext.EncodersVersion(encodersVersion)),
		ext.Math(ext.MathVersion(mathVersion)),
		ext.Lists(ext.ListsVersion(listsVersion)),
		ext.Sets(ext.SetsVersion(setsVersion)),
		cel.OptionalTypes(),
		ext.Regex(ext.RegexVersion(regexVersion)),
		javaRegexFunctions(),
	)
})

// CompileError reports an expression that does not parse or type-check.
type CompileError struct {
	// Expr is the expression source.
	Expr string
	// Line and Column locate the first problem (1-based; 0 when unknown).
	Line, Column int
	// Msg describes every problem found, each prefixed with its position.
	Msg string
}

// Error implements error.
func (e *CompileError) Error() string {
	return fmt.Sprintf("CEL expression %q: %s", e.Expr, e.Msg)
}

// Program is a compiled, type-checked CEL condition. It is safe for
// concurrent use.
type Program struct {
	src  string
	prg  cel.Program
	pool sync.Pool // of *activation

	cacheMu  sync.Mutex
	patterns map[string]*patternEntry
}

// Compile parses and type-checks src, whose result must be a bool (or dyn,
// checked at evaluation), and plans it for evaluation.
func Compile(src string) (*Program, error) {
	env, err := newEnv()
	if err != nil {
		return nil, fmt.Errorf("celexpr: building the CEL environment: %w", err)
	}
	ast, iss := env.CompileSource(common.NewStringSource(src, "expression"))
	if iss != nil && iss.Err() != nil {
		return nil, issuesError(src, iss)
	}
	switch t := ast.OutputType(); {
	case t.IsExactType(types.BoolType), t.IsExactType(types.DynType):
	default:
		return nil, &CompileError{Expr: src, Line: 1, Column: 1,
			Msg: "the expression is of type " + t.String() + ", not bool"}
	}
	p := &Program{src: src}
	p.pool.New = func() any { return new(activation) }
	p.prg, err = env.Program(ast,
		cel.EvalOptions(cel.OptOptimize),
		cel.CustomDecoratorV2(p.decorate))
	if err != nil {
		ce := &CompileError{Expr: src, Msg: err.Error()}
		var pe *patternError
		if errors.As(err, &pe) {
			if loc := ast.NativeRep().SourceInfo().GetStartLocation(pe.id); loc.Line() > 0 {
				ce.Line, ce.Column = loc.Line(), loc.Column()+1
				ce.Msg = fmt.Sprintf("%d:%d: %v", ce.Line, ce.Column, pe.err)
			}
		}
		return nil, ce
	}
	return p, nil
}

// issuesError turns CEL's issues into a CompileError.
func issuesError(src string, iss *cel.Issues) error {
	e := &CompileError{Expr: src}
	var msgs []string
	for i, ce := range iss.Errors() {
		line, col := ce.Location.Line(), ce.Location.Column()+1
		if i == 0 && line > 0 {
			e.Line, e.Column = line, col
		}
		if line > 0 {
			msgs = append(msgs, fmt.Sprintf("%d:%d: %s", line, col, ce.Message))
		} else {
			msgs = append(msgs, ce.Message)
		}
	}
	if len(msgs) == 0 {
		msgs = append(msgs, iss.Err().Error())
	}
	e.Msg = strings.Join(msgs, "; ")
	return e
}

// String returns the expression source.
func (p *Program) String() string { return p.src }

// Eval evaluates the condition on r. A result that is not a bool, and any
// evaluation error (a missing map key, a function applied to the wrong
// type, …), is a *sluice.DataError.
func (p *Program) Eval(r *sluice.Record) (bool, error) {
	a := p.pool.Get().(*activation)
	a.reset(r)
	out, _, err := p.prg.Eval(a)
	var res, ok bool
	if err == nil {
		var b types.Bool
		if b, ok = out.(types.Bool); ok {
			res = bool(b)
		} else {
			err = &sluice.DataError{Msg: fmt.Sprintf("CEL expression %q evaluated to %s (type %s), not a bool",
				p.src, describe(out), out.Type().TypeName())}
		}
	} else {
		err = &sluice.DataError{Msg: fmt.Sprintf("CEL expression %q failed: %v", p.src, err), Err: err}
	}
	a.reset(nil)
	p.pool.Put(a)
	return res, err
}

// describe renders a CEL value briefly for an error message.
func describe(v ref.Val) string {
	var s string
	if str, ok := v.(types.String); ok {
		s = strconv.Quote(string(str))
	} else {
		s = fmt.Sprint(v)
	}
	if len(s) > 64 {
		cut := 61
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}
