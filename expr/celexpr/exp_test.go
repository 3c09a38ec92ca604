package celexpr

import (
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
)

func TestExp(t *testing.T) {
	env, err := cel.NewEnv(cel.Variable("p", types.NewNullableType(types.IntType)),
		cel.Variable("ts", types.NewNullableType(types.TimestampType)),
		cel.Variable("h", cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable("v", cel.DynType))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"p == null", "p > 3", "p + 1 == 4", "ts == null", "ts > timestamp('2020-01-01T00:00:00Z')", "ts.getFullYear() == 2021", `h["x"] == null`, "v", "p", "1/0 == 1"} {
		ast, iss := env.Compile(src)
		if iss.Err() != nil {
			t.Logf("%s: %v", src, iss.Err())
			continue
		}
		prg, _ := env.Program(ast)
		for _, act := range []map[string]any{{"p": types.NullValue, "ts": types.NullValue, "h": map[string]string{}, "v": 1}, {"p": types.Int(3), "ts": types.Timestamp{Time: time.Unix(1620000000, 0)}, "h": map[string]string{"x": "a"}, "v": true}} {
			out, _, err := prg.Eval(act)
			t.Logf("%s: type=%v out=%v err=%v", src, ast.OutputType(), out, err)
		}
	}
}
