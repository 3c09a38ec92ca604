package worker

import (
	"bytes"
	"log/slog"
	"runtime/debug"
	"strings"
	"testing"
)

func TestPlanGC(t *testing.T) {
	const gib = int64(1) << 30
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		props   map[string]string
		env     map[string]string
		mem     int64
		want    gcPlan
		wantErr string
	}{
		{name: "defaults", mem: 8 * gib,
			want: gcPlan{percent: 400, setPercent: true, percentSrc: "default", limit: 6 * gib, setLimit: true, limitSrc: "default"}},
		{name: "unknown memory", mem: 0,
			want: gcPlan{percent: 400, setPercent: true, percentSrc: "default", limitSrc: "none"}},
		{name: "keys", mem: 8 * gib, props: map[string]string{GCPercentConfig: " 150 ", GCMemoryLimitConfig: "1000000"},
			want: gcPlan{percent: 150, setPercent: true, percentSrc: GCPercentConfig, limit: 1000000, setLimit: true, limitSrc: GCMemoryLimitConfig}},
		{name: "off and no limit", mem: 8 * gib, props: map[string]string{GCPercentConfig: "OFF", GCMemoryLimitConfig: "0"},
			want: gcPlan{percent: -1, setPercent: true, percentSrc: GCPercentConfig, limitSrc: "none"}},
		{name: "environment wins", mem: 8 * gib, env: map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"},
			props: map[string]string{GCPercentConfig: "150", GCMemoryLimitConfig: "1000000"},
			want:  gcPlan{percentSrc: "GOGC", limitSrc: "GOMEMLIMIT"}},
		{name: "bad percent", props: map[string]string{GCPercentConfig: "-2"}, wantErr: GCPercentConfig},
		{name: "bad percent text", props: map[string]string{GCPercentConfig: "lots"}, wantErr: GCPercentConfig},
		{name: "bad limit", props: map[string]string{GCMemoryLimitConfig: "-1"}, wantErr: GCMemoryLimitConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := planGC(tt.props, env(tt.env), func() int64 { return tt.mem })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("plan = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestApplyGCLogsAndSets(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	defer func() { debug.SetGCPercent(oldPercent); debug.SetMemoryLimit(oldLimit) }()
	var buf bytes.Buffer
	applyGC(gcPlan{percent: 321, setPercent: true, percentSrc: "default", limit: 1 << 40, setLimit: true, limitSrc: "default"},
		slog.New(slog.NewTextHandler(&buf, nil)))
	if got := debug.SetGCPercent(100); got != 321 {
		t.Errorf("GC percent = %d, want 321", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("memory limit = %d, want %d", got, int64(1)<<40)
	}
	if s := buf.String(); !strings.Contains(s, "gc.percent=321") || !strings.Contains(s, "memory.limit.bytes=1099511627776") {
		t.Errorf("log = %q", s)
	}
}

func TestAvailableMemory(t *testing.T) {
	if m := memTotal(); m > 0 {
		if a := availableMemory(); a <= 0 || a > m {
			t.Fatalf("availableMemory() = %d with MemTotal %d", a, m)
		}
	}
}
