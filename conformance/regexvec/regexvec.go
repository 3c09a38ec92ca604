// Package regexvec runs regex vectors: one Java pattern run by
// java.util.regex on one input, with the compile outcome, matches(),
// lookingAt(), the find() sequence, split, replaceAll and replaceFirst the
// JDK produced. Importing the package registers the kind with the
// conformance runner; vectors are detected by their "pattern" field.
package regexvec

import (
	"encoding/json"
	"errors"
	"fmt"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance"
	"sluice.io/sluice/expr/jregex"
)

func init() {
	conformance.Register(conformance.Kind{
		Name:     "regex",
		Priority: 30,
		Detect: func(fields map[string]json.RawMessage) bool {
			return conformance.IsString(fields, "pattern")
		},
		Run: Run,
	})
}

// Vector is one regex vector.
type Vector struct {
	ID          string `json:"id"`
	Pattern     string `json:"pattern"`
	Input       string `json:"input"`
	Replacement string `json:"replacement"`
	Compile     struct {
		OK          bool           `json:"ok"`
		GroupCount  int            `json:"groupCount"`
		NamedGroups map[string]int `json:"namedGroups"`
		Error       string         `json:"error"`
		Description string         `json:"description"`
		Index       int            `json:"index"`
		Message     string         `json:"message"`
	} `json:"compile"`
	Matches      *bool     `json:"matches"`
	LookingAt    *bool     `json:"lookingAt"`
	Find         []Found   `json:"find"`
	Split        []string  `json:"split"`
	Split2       []string  `json:"split2"`
	ReplaceAll   *Replaced `json:"replaceAll"`
	ReplaceFirst *Replaced `json:"replaceFirst"`
}

// Found is one find() result.
type Found struct {
	U8     [2]int             `json:"u8"`
	Groups []*string          `json:"groups"`
	Named  map[string]*string `json:"named"`
}

// Replaced is a replacement outcome: a result or an exception.
type Replaced struct {
	Result  *string `json:"result,omitempty"`
	Error   string  `json:"error,omitempty"`
	Message string  `json:"message,omitempty"`
}

// Run runs one vector line and reports the first difference.
func Run(line []byte) error {
	var v Vector
	if err := json.Unmarshal(line, &v); err != nil {
		return fmt.Errorf("decoding regex vector: %w", err)
	}
	re, err := jregex.Compile(v.Pattern)
	if !v.Compile.OK {
		var se *jregex.SyntaxError
		if !errors.As(err, &se) {
			return fmt.Errorf("compile: expected PatternSyntaxException %q at %d, got %v", v.Compile.Description, v.Compile.Index, err)
		}
		if se.Desc != v.Compile.Description || se.Index != v.Compile.Index {
			return conformance.Diff("compile error", []any{v.Compile.Description, v.Compile.Index}, []any{se.Desc, se.Index})
		}
		if v.Compile.Message != "" && se.Error() != v.Compile.Message {
			return conformance.Diff("compile error message", v.Compile.Message, se.Error())
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("compile: expected success, got %v", err)
	}
	if re.GroupCount() != v.Compile.GroupCount {
		return conformance.Diff("groupCount", v.Compile.GroupCount, re.GroupCount())
	}
	if ng := re.NamedGroups(); !sameNames(ng, v.Compile.NamedGroups) {
		return conformance.Diff("namedGroups", v.Compile.NamedGroups, ng)
	}
	if v.Matches != nil {
		got, err := re.MatchesErr(v.Input)
		if err != nil || got != *v.Matches {
			return conformance.Diff("matches", *v.Matches, fmt.Sprint(got, err))
		}
	}
	if v.LookingAt != nil {
		got, err := re.LookingAtErr(v.Input)
		if err != nil || got != *v.LookingAt {
			return conformance.Diff("lookingAt", *v.LookingAt, fmt.Sprint(got, err))
		}
	}
	if v.Find != nil {
		ms, err := re.FindAll(v.Input, -1)
		if err != nil {
			return fmt.Errorf("find: %w", err)
		}
		got := make([]Found, len(ms))
		for i, m := range ms {
			got[i] = found(re, v.Input, m)
		}
		if !sameJSON(v.Find, got) {
			return conformance.Diff("find", v.Find, got)
		}
	}
	for _, sp := range []struct {
		name  string
		want  []string
		limit int
	}{{"split", v.Split, 0}, {"split2", v.Split2, 2}} {
		if sp.want == nil {
			continue
		}
		got, err := re.Split(v.Input, sp.limit)
		if err != nil {
			return fmt.Errorf("%s: %w", sp.name, err)
		}
		if got == nil {
			got = []string{}
		}
		if !sameJSON(sp.want, got) {
			return conformance.Diff(sp.name, sp.want, got)
		}
	}
	for _, rp := range []struct {
		name string
		want *Replaced
		f    func(string, string) (string, error)
	}{{"replaceAll", v.ReplaceAll, re.ReplaceAll}, {"replaceFirst", v.ReplaceFirst, re.ReplaceFirst}} {
		if rp.want == nil {
			continue
		}
		s, err := rp.f(v.Input, v.Replacement)
		got := &Replaced{}
		if err != nil {
			got.Error = sluice.ErrorClass(err)
			got.Message = err.Error()
		} else {
			got.Result = &s
		}
		if !sameJSON(rp.want, got) {
			return conformance.Diff(rp.name, rp.want, got)
		}
	}
	return nil
}

func found(re *jregex.Regexp, s string, m *jregex.Match) Found {
	f := Found{U8: [2]int{m.Start(), m.End()}, Named: map[string]*string{}}
	for i := range m.Groups {
		if g, ok := m.Group(s, i); ok {
			f.Groups = append(f.Groups, &g)
		} else {
			f.Groups = append(f.Groups, nil)
		}
	}
	for name, n := range re.NamedGroups() {
		f.Named[name] = f.Groups[n]
	}
	return f
}

func sameNames(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	ok, _, err := conformance.JSONEqual(x, y)
	return err == nil && ok
}
