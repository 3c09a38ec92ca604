package celexpr

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"sluice.io/sluice/expr/jregex"
)

// Java regex functions.
const (
	fnJMatches = "jmatches"
	fnJFind    = "jfind"
)

// javaRegexFunctions declares jmatches and jfind, global and member forms.
// The bindings given here compile the pattern on every call; programs
// replace each call with a node holding a compiled or cached pattern (see
// Program.decorate), so the bindings serve only environments without it.
func javaRegexFunctions() cel.EnvOption {
	decl := func(name string, whole bool) cel.EnvOption {
		impl := func(text, pattern ref.Val) ref.Val {
			t, ok := text.(types.String)
			if !ok {
				return types.MaybeNoSuchOverloadErr(text)
			}
			p, ok := pattern.(types.String)
			if !ok {
				return types.MaybeNoSuchOverloadErr(pattern)
			}
			re, err := jregex.Compile(string(p))
			if err != nil {
				return types.WrapErr(fmt.Errorf("%s: %w", name, err))
			}
			return match(re, string(t), whole)
		}
		return cel.Function(name,
			cel.Overload(name+"_string_string", []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(impl)),
			cel.MemberOverload("string_"+name+"_string", []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(impl)))
	}
	return cel.Lib(javaRegexLib{decl(fnJMatches, true), decl(fnJFind, false)})
}

type javaRegexLib []cel.EnvOption

// CompileOptions implements cel.Library.
func (l javaRegexLib) CompileOptions() []cel.EnvOption { return l }

// ProgramOptions implements cel.Library.
func (javaRegexLib) ProgramOptions() []cel.ProgramOption { return nil }

// match runs re on text: the whole text (Matcher.matches) or a part of it
// (Matcher.find). A match that gives up (timeout) is an error.
func match(re *jregex.Regexp, text string, whole bool) ref.Val {
	var ok bool
	var err error
	if whole {
		ok, err = re.MatchesErr(text)
	} else {
		ok, err = re.FindErr(text)
	}
	if err != nil {
		return types.WrapErr(err)
	}
	return types.Bool(ok)
}

// patternEntry is a cached pattern compilation (the regex or its error).
type patternEntry struct {
	re  *jregex.Regexp
	err error
}

// pattern compiles a non-constant pattern, caching the result per program.
func (p *Program) pattern(src string) (*jregex.Regexp, error) {
	p.cacheMu.Lock()
	e, ok := p.patterns[src]
	p.cacheMu.Unlock()
	if ok {
		return e.re, e.err
	}
	re, err := jregex.Compile(src)
	e = &patternEntry{re: re, err: err}
	p.cacheMu.Lock()
	if p.patterns == nil || len(p.patterns) >= maxPatternCache {
		p.patterns = make(map[string]*patternEntry)
	}
	p.patterns[src] = e
	p.cacheMu.Unlock()
	return re, err
}

// decorate replaces every jmatches/jfind call by a node that uses a pattern
// compiled now (a constant pattern; a bad one fails the compilation) or the
// program's pattern cache.
func (p *Program) decorate(i interpreter.InterpretableV2) (interpreter.InterpretableV2, error) {
	call, ok := i.(interpreter.InterpretableCall)
	if !ok {
		return i, nil
	}
	var whole bool
	switch call.Function() {
	case fnJMatches:
		whole = true
	case fnJFind:
	default:
		return i, nil
	}
	args := call.Args()
	if len(args) != 2 {
		return i, nil
	}
	n := &regexCall{call: call, text: args[0], prog: p, whole: whole}
	if c, ok := args[1].(interpreter.InterpretableConst); ok {
		if s, ok := c.Value().(types.String); ok {
			re, err := jregex.Compile(string(s))
			if err != nil {
				return nil, &patternError{id: args[1].ID(),
					err: fmt.Errorf("%s: invalid Java regular expression %q: %w", call.Function(), string(s), err)}
			}
			n.re = re
			return n, nil
		}
	}
	n.pat = args[1]
	return n, nil
}

// patternError is a bad constant pattern found while planning a program;
// id is the pattern's expression node.
type patternError struct {
	id  int64
	err error
}

// Error implements error.
func (e *patternError) Error() string { return e.err.Error() }

// Unwrap returns the cause.
func (e *patternError) Unwrap() error { return e.err }

// regexCall evaluates jmatches or jfind.
type regexCall struct {
	call  interpreter.InterpretableCall
	text  interpreter.InterpretableV2
	pat   interpreter.InterpretableV2 // nil when re is a constant pattern
	re    *jregex.Regexp
	prog  *Program
	whole bool
}

var _ interpreter.InterpretableCall = (*regexCall)(nil)

// ID implements interpreter.Interpretable.
func (n *regexCall) ID() int64 { return n.call.ID() }

// Function implements interpreter.InterpretableCall.
func (n *regexCall) Function() string { return n.call.Function() }

// OverloadID implements interpreter.InterpretableCall.
func (n *regexCall) OverloadID() string { return n.call.OverloadID() }

// Args implements interpreter.InterpretableCall.
func (n *regexCall) Args() []interpreter.InterpretableV2 { return n.call.Args() }

// Eval implements interpreter.Interpretable.
func (n *regexCall) Eval(act interpreter.Activation) ref.Val {
	var pat ref.Val
	if n.pat != nil {
		pat = n.pat.Eval(act)
	}
	return n.apply(n.text.Eval(act), pat)
}

// Exec implements interpreter.InterpretableV2.
func (n *regexCall) Exec(frame *interpreter.ExecutionFrame) ref.Val {
	var pat ref.Val
	if n.pat != nil {
		pat = n.pat.Exec(frame)
	}
	return n.apply(n.text.Exec(frame), pat)
}

func (n *regexCall) apply(text, pat ref.Val) ref.Val {
	t, ok := text.(types.String)
	if !ok {
		return types.MaybeNoSuchOverloadErr(text)
	}
	re := n.re
	if re == nil {
		s, ok := pat.(types.String)
		if !ok {
			return types.MaybeNoSuchOverloadErr(pat)
		}
		var err error
		if re, err = n.prog.pattern(string(s)); err != nil {
			return types.NewErr("%s: invalid Java regular expression %q: %v", n.call.Function(), string(s), err)
		}
	}
	return match(re, string(t), n.whole)
}
