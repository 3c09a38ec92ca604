package smt

import (
	"strings"
	"unicode/utf8"

	"sluice.io/sluice"
)

// fieldSyntaxVersionConfig is the KIP-821 key choosing the field path syntax.
const fieldSyntaxVersionConfig = "field.syntax.version"

// appendFieldSyntaxVersion defines field.syntax.version on def (Java's
// FieldSyntaxVersion.appendConfigTo).
func appendFieldSyntaxVersion(def *sluice.ConfigDef) *sluice.ConfigDef {
	return def.Define(sluice.ConfigKey{
		Name: fieldSyntaxVersionConfig, Type: sluice.TypeString, Default: "V1",
		Validator:  sluice.CaseInsensitiveValidString{"V1", "V2"},
		Importance: sluice.High,
		Doc: "Syntax of field paths. V1: a path names one field at the top level of the struct or map. " +
			"V2: a dotted path reaches nested fields; a step that contains dots is wrapped in backticks, " +
			"e.g. \"`foo.bar`.baz\" reads field baz of the field named \"foo.bar\".",
	})
}

// fieldSyntaxIsV2 reads field.syntax.version from a parsed config.
func fieldSyntaxIsV2(cfg *sluice.Config) (bool, error) {
	v := cfg.String(fieldSyntaxVersionConfig)
	switch strings.ToUpper(v) {
	case "V1":
		return false, nil
	case "V2":
		return true, nil
	}
	return false, &sluice.ConfigError{Name: fieldSyntaxVersionConfig, Value: v, Msg: "Unrecognized field syntax version"}
}

// fieldPath is a compiled single-field path (Java's SingleFieldPath): V1
// paths are one step, V2 paths are the dotted steps with backtick quoting.
type fieldPath struct {
	steps []string
}

// parseFieldPath compiles a path in the V1 or V2 syntax. Only V2 can fail,
// on a backtick that is never closed.
func parseFieldPath(path string, v2 bool) (fieldPath, error) {
	if !v2 {
		return fieldPath{steps: []string{path}}, nil
	}
	steps, err := parseFieldPathV2(path)
	return fieldPath{steps: steps}, err
}

// parseFieldPathV2 splits a V2 path. A step not starting with a backtick
// runs to the next dot. A step starting with a backtick runs to the next
// backtick that is followed by a dot or ends the path; a backslash right
// before such a backtick turns it into a literal backtick. A trailing dot
// adds an empty last step.
func parseFieldPathV2(path string) ([]string, error) {
	steps := []string{}
	idx := 0
	n := len(path)
	for idx < n {
		if path[idx] != '`' {
			dot := strings.IndexByte(path[idx:], '.')
			if dot < 0 {
				steps = append(steps, path[idx:])
				break
			}
			steps = append(steps, path[idx:idx+dot])
			idx += dot + 1
			continue
		}
		backtickAt := idx
		idx++
		start := idx
		var b strings.Builder
		for {
			j := strings.IndexByte(path[idx:], '`')
			if j < 0 {
				return nil, incompleteBacktick(path, backtickAt)
			}
			idx += j
			escaped := path[idx-1] == '\\'
			if idx >= n-1 {
				if escaped {
					return nil, incompleteBacktick(path, backtickAt)
				}
				b.WriteString(path[start:idx])
				steps = append(steps, b.String())
				idx++
				break
			}
			if path[idx+1] != '.' {
				idx++
				continue
			}
			if escaped {
				b.WriteString(path[start : idx-1])
				b.WriteByte('`')
				idx++
				start = idx
				continue
			}
			b.WriteString(path[start:idx])
			steps = append(steps, b.String())
			idx += 2
			break
		}
	}
	if n > 0 && path[n-1] == '.' {
		steps = append(steps, "")
	}
	return steps, nil
}

// incompleteBacktick is Java's error for an unclosed backtick; the position
// is counted in UTF-16 units as Java counts it.
func incompleteBacktick(path string, at int) error {
	pos := 0
	for _, r := range path[:at] {
		if r >= 0x10000 {
			pos += 2
		} else {
			pos++
		}
	}
	if !utf8.ValidString(path[:at]) {
		pos = at
	}
	return sluice.NewConfigError("Incomplete backtick pair in path: [%s], consider adding a backslash before backtick at position %d to escape it", path, pos)
}

// errEmptyPath is what Java's SingleFieldPath does with an empty V2 path: its
// list of steps is empty and taking all but the last one fails.
func errEmptyPath() error {
	return sluice.NewJavaError("IllegalArgumentException", "fromIndex(0) > toIndex(-1)")
}

// String joins the steps with dots.
func (p fieldPath) String() string { return strings.Join(p.steps, ".") }

// fieldFrom resolves the path in a schema (Java fieldFrom): nil when a step
// is missing; looking up a field in a non-STRUCT schema fails as Java's
// ConnectSchema.field does.
func (p fieldPath) fieldFrom(s *sluice.Schema) (*sluice.Field, error) {
	if s == nil {
		return nil, nil
	}
	if len(p.steps) == 0 {
		return nil, errEmptyPath()
	}
	cur := s
	for _, step := range p.steps[:len(p.steps)-1] {
		if cur.Type != sluice.StructType {
			return nil, sluice.NewDataError("Cannot look up fields on non-struct type")
		}
		f := cur.Field(step)
		if f == nil {
			return nil, nil
		}
		cur = f.Schema
	}
	if cur.Type != sluice.StructType {
		return nil, sluice.NewDataError("Cannot look up fields on non-struct type")
	}
	return cur.Field(p.steps[len(p.steps)-1]), nil
}

// valueFromStruct reads the path from a struct (Java valueFrom(Struct,
// boolean)): missing steps and null intermediate structs give nil;
// intermediate steps always use default substitution, the last one only
// when withDefault.
func (p fieldPath) valueFromStruct(st *sluice.Struct, withDefault bool) (any, error) {
	if st == nil {
		return nil, nil
	}
	if len(p.steps) == 0 {
		return nil, errEmptyPath()
	}
	cur := st
	for _, step := range p.steps[:len(p.steps)-1] {
		f := cur.Schema().Field(step)
		if f == nil {
			return nil, nil
		}
		sub := fieldValue(cur, f, true)
		next, err := requireStructOrNull(sub, "nested field access")
		if err != nil {
			return nil, err
		}
		if next == nil {
			return nil, nil
		}
		cur = next
	}
	f := cur.Schema().Field(p.steps[len(p.steps)-1])
	if f == nil {
		return nil, nil
	}
	return fieldValue(cur, f, withDefault), nil
}

// valueFromMap reads the path from a schemaless map (Java valueFrom(Map)):
// a missing or null step gives nil, a non-map intermediate value fails.
func (p fieldPath) valueFromMap(m *sluice.Map) (any, error) {
	if m == nil {
		return nil, nil
	}
	if len(p.steps) == 0 {
		return nil, errEmptyPath()
	}
	cur := m
	for _, step := range p.steps[:len(p.steps)-1] {
		sub, _ := cur.Get(step)
		next, err := requireMapOrNull(sub, "nested field access")
		if err != nil {
			return nil, err
		}
		if next == nil {
			return nil, nil
		}
		cur = next
	}
	v, _ := cur.Get(p.steps[len(p.steps)-1])
	return v, nil
}
