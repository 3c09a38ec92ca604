package rules

import (
	"reflect"
	"testing"
)

func TestStandaloneConfigDef(t *testing.T) {
	d := StandaloneConfigDef(connTestRegistry())
	base := map[string]string{
		"key.converter":                "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":              "Json",
		"offset.storage.file.filename": "/tmp/offsets",
	}
	c, err := d.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.List(BootstrapServersConfig), []string{"localhost:9092"}) ||
		c.Long(OffsetFlushIntervalConfig) != 60000 || c.Long(OffsetFlushTimeoutConfig) != 5000 ||
		c.Long(TaskShutdownTimeoutConfig) != 5000 || c.String(HeaderConverterConfig) != SimpleHeaderConverterClass ||
		!reflect.DeepEqual(c.List(ListenersConfig), []string{"http://:8083"}) || c.List(PluginPathConfig) != nil ||
		len(c.List(ConfigProvidersConfig)) != 0 || c.String(PluginDiscoveryConfig) != "hybrid_warn" ||
		!c.Bool(TopicCreationEnableConfig) || c.String(ClientPolicyConfig) != "All" || c.List(AdminListenersConfig) != nil {
		t.Fatal("defaults wrong")
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for kk, vv := range base {
			if kk != k {
				m[kk] = vv
			}
		}
		return m
	}
	if _, err := d.Parse(map[string]string{"value.converter": "Json", "offset.storage.file.filename": "f"}); err == nil ||
		err.Error() != `Missing required configuration "key.converter" which has no default value.` {
		t.Fatalf("key.converter: %v", err)
	}
	for _, tc := range []struct {
		k, v, msg string
	}{
		{"listeners", "", "Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443."},
		{"listeners", "http://:8083, ,http://x:1", "Empty URL found when parsing listeners list."},
		{"admin.listeners", "http://a:1,,", "Empty URL found when parsing admin.listeners list."},
		{"plugin.discovery", "bogus", "Invalid value bogus for configuration plugin.discovery: String must be one of (case insensitive): ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL"},
		{"offset.flush.interval.ms", "10s", "Invalid value 10s for configuration offset.flush.interval.ms: Not a number of type LONG"},
		{"header.converter", "Missing", "Invalid value Missing for configuration header.converter: Class Missing could not be found."},
		{"metrics.num.samples", "0", "Invalid value 0 for configuration metrics.num.samples: Value must be at least 1"},
	} {
		_, err := d.Parse(with(tc.k, tc.v))
		if err == nil || err.Error() != tc.msg {
			t.Errorf("%s=%q: got %v, want %q", tc.k, tc.v, err, tc.msg)
		}
	}
	if _, err := d.Parse(with("admin.listeners", "")); err != nil {
		t.Errorf("empty admin.listeners: %v", err)
	}
	if _, err := d.Parse(with("plugin.discovery", "Service_Load")); err != nil {
		t.Errorf("case-insensitive plugin.discovery: %v", err)
	}
	delete(base, "offset.storage.file.filename")
	if _, err := d.Parse(base); err == nil || err.Error() != `Missing required configuration "offset.storage.file.filename" which has no default value.` {
		t.Fatalf("offsets file: %v", err)
	}
	for _, k := range d.Keys() {
		if k.Doc == "" {
			t.Errorf("%s has no doc", k.Name)
		}
	}
}
