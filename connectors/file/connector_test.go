package file

import (
	"strings"
	"testing"

	"sluice.io/sluice"
)

func TestRegistryAliases(t *testing.T) {
	for alias, class := range map[string]string{
		"FileStreamSource":          SourceClass,
		"FileStreamSourceConnector": SourceClass,
		SourceClass:                 SourceClass,
		"FileStreamSink":            SinkClass,
		"FileStreamSinkConnector":   SinkClass,
	} {
		p, _, err := sluice.Plugins.Lookup(alias)
		if err != nil || p.Class != class {
			t.Errorf("Lookup(%q) = %v, %v; want %s", alias, p, err, class)
		}
	}
}

func TestSourceConnectorConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]string
		want string // error substring, "" for success
	}{
		{"ok", map[string]string{"file": "x", "topic": "t"}, ""},
		{"stdin", map[string]string{"topic": "t"}, ""},
		{"missing topic", map[string]string{"file": "x"}, `Missing required configuration "topic" which has no default value.`},
		{"empty topic", map[string]string{"topic": ""}, "Invalid value  for configuration topic: String must be non-empty"},
		{"bad batch", map[string]string{"topic": "t", "batch.size": "many"}, "Invalid value many for configuration batch.size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&SourceConnector{}).Configure(tc.cfg)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Configure: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Configure error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestTaskConfigs(t *testing.T) {
	cfg := map[string]string{"file": "x", "topic": "t", "tasks.max": "4"}
	src := &SourceConnector{}
	if err := src.Configure(cfg); err != nil {
		t.Fatal(err)
	}
	tcs, err := src.TaskConfigs(4)
	if err != nil || len(tcs) != 1 || tcs[0]["file"] != "x" || tcs[0]["tasks.max"] != "4" {
		t.Errorf("source TaskConfigs(4) = %v, %v; want one copy of the config", tcs, err)
	}
	if _, ok := src.NewTask().(sluice.SourceTask); !ok {
		t.Error("source NewTask is not a SourceTask")
	}
	sink := &SinkConnector{}
	if err := sink.Configure(map[string]string{"file": "y", "topics": "t"}); err != nil {
		t.Fatal(err)
	}
	tcs, err = sink.TaskConfigs(3)
	if err != nil || len(tcs) != 3 || tcs[2]["file"] != "y" {
		t.Errorf("sink TaskConfigs(3) = %v, %v", tcs, err)
	}
	if _, ok := sink.NewTask().(sluice.SinkTask); !ok {
		t.Error("sink NewTask is not a SinkTask")
	}
}

func TestValidateOffsets(t *testing.T) {
	withFile := map[string]string{"file": "f", "topic": "t"}
	part := map[string]any{FilenameField: "f"}
	for _, tc := range []struct {
		name string
		cfg  map[string]string
		po   []PartitionOffset
		want string
	}{
		{"ok", withFile, []PartitionOffset{{part, map[string]any{PositionField: int64(3)}}}, ""},
		{"tombstone", withFile, []PartitionOffset{{nil, nil}}, ""},
		{"stdin", map[string]string{"topic": "t"}, nil, "Offsets cannot be modified if the 'file' configuration is unspecified."},
		{"no position", withFile, []PartitionOffset{{part, map[string]any{"x": int64(1)}}}, "should either be null or contain the key 'position'"},
		{"not long", withFile, []PartitionOffset{{part, map[string]any{PositionField: "1"}}}, "expected to be a Long value"},
		{"negative", withFile, []PartitionOffset{{part, map[string]any{PositionField: int64(-1)}}}, "should be a non-negative value"},
		{"null partition", withFile, []PartitionOffset{{nil, map[string]any{PositionField: int64(1)}}}, "Partition objects cannot be null"},
		{"no filename", withFile, []PartitionOffset{{map[string]any{"f": "x"}, map[string]any{PositionField: int64(1)}}}, "should contain the key 'filename'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&SourceConnector{}).ValidateOffsets(tc.cfg, tc.po)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}
