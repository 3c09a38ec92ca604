package rules

import (
	"reflect"
	"strings"
	"testing"

	"sluice.io/sluice"
)

func connTestRegistry() *sluice.Registry {
	r := sluice.NewRegistry()
	r.Register(&sluice.Plugin{Class: "org.apache.kafka.connect.json.JsonConverter", Kinds: sluice.KindConverter | sluice.KindHeaderConverter, New: func() any { return nil }})
	r.Register(&sluice.Plugin{Class: SimpleHeaderConverterClass, Kinds: sluice.KindHeaderConverter | sluice.KindConverter, New: func() any { return nil }})
	r.Register(&sluice.Plugin{Class: "org.apache.kafka.connect.transforms.RegexRouter", Kinds: sluice.KindTransformation, New: func() any { return nil }})
	return r
}

func TestConnectorName(t *testing.T) {
	cases := map[any]string{
		nil:          "",
		"my-conn":    "",
		"ünïcode ✓":  "",
		"":           "Invalid value  for configuration name: String may not be empty",
		"a\tb\x7f":   "Invalid value a\tb\x7f for configuration name: String may not contain control sequences but had the following ASCII chars: 9, 127",
		"x\u0085y\n": "Invalid value x\u0085y\n for configuration name: String may not contain control sequences but had the following ASCII chars: 133, 10",
	}
	for v, want := range cases {
		err := ConnectorName{}.Validate("name", v)
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v", v, err)
			}
			continue
		}
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %q", v, err, want)
		}
	}
}

func TestConnectorConfigDef(t *testing.T) {
	reg := connTestRegistry()
	d := ConnectorConfigDef(reg)
	base := map[string]string{"name": "c", "connector.class": "FileStreamSource"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	c, err := d.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	if c.Int(TasksMaxConfig) != 1 || c.String(ErrorsToleranceConfig) != "none" || c.Long(ErrorsRetryMaxDelayConfig) != 60000 ||
		c.Long(ErrorsRetryTimeoutConfig) != 0 || c.Bool(ErrorsLogEnableConfig) || c.String(ConfigActionReloadConfig) != "restart" ||
		!c.Bool(TasksMaxEnforceConfig) || c.Get(KeyConverterConfig) != nil || len(c.List(TransformsConfig)) != 0 {
		t.Fatalf("defaults wrong: %#v", c)
	}
	errCases := []struct {
		props map[string]string
		msg   string
	}{
		{map[string]string{"connector.class": "x"}, `Missing required configuration "name" which has no default value.`},
		{map[string]string{"name": "c"}, `Missing required configuration "connector.class" which has no default value.`},
		{with("name", " "), "Invalid value  for configuration name: String may not be empty"},
		{with("tasks.max", "0"), "Invalid value 0 for configuration tasks.max: Value must be at least 1"},
		{with("tasks.max", "x"), "Invalid value x for configuration tasks.max: Not a number of type INT"},
		{with("errors.tolerance", "ALL"), "Invalid value ALL for configuration errors.tolerance: String must be one of: none, all"},
		{with("config.action.reload", "Restart"), "Invalid value Restart for configuration config.action.reload: String must be one of: none, restart"},
		{with("errors.retry.timeout", "1.5"), "Invalid value 1.5 for configuration errors.retry.timeout: Not a number of type LONG"},
		{with("errors.log.enable", "yes"), "Invalid value yes for configuration errors.log.enable: Expected value to be either true or false"},
		{with("transforms", "a, b,a"), "Invalid value [a, b, a] for configuration transforms: Duplicate alias provided."},
		{with("predicates", "p,p"), "Invalid value [p, p] for configuration predicates: Duplicate alias provided."},
		{with("value.converter", "Nope"), "Invalid value Nope for configuration value.converter: Class Nope could not be found."},
		{with("key.converter", "RegexRouter"), "Class class org.apache.kafka.connect.transforms.RegexRouter does not implement the Converter interface"},
	}
	for _, ec := range errCases {
		_, err := d.Parse(ec.props)
		if err == nil || err.Error() != ec.msg {
			t.Errorf("%v: got %v, want %q", ec.props, err, ec.msg)
		}
	}
	ok := with("errors.tolerance", " all ", "value.converter", "Json", "header.converter", "SimpleHeaderConverter", "transforms", "a,b")
	c, err = d.Parse(ok)
	if err != nil {
		t.Fatal(err)
	}
	if c.String(ErrorsToleranceConfig) != "all" || c.String(ValueConverterConfig) != "Json" || !reflect.DeepEqual(c.List(TransformsConfig), []string{"a", "b"}) {
		t.Fatal("parsed values wrong")
	}
	for _, k := range d.Keys() {
		if k.Doc == "" {
			t.Errorf("%s has no doc", k.Name)
		}
	}
}

func TestSinkAndSourceConfigDefs(t *testing.T) {
	reg := connTestRegistry()
	sink := SinkConnectorConfigDef(reg)
	c, err := sink.Parse(map[string]string{"name": "s", "connector.class": "x", "topics": "a, b"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.List(TopicsConfig), []string{"a", "b"}) || c.String(TopicsRegexConfig) != "" ||
		c.Short(DLQReplicationFactorConfig) != 3 || c.String(DLQTopicNameConfig) != "" || c.Bool(DLQContextHeadersConfig) {
		t.Fatal("sink defaults wrong")
	}
	_, err = sink.Parse(map[string]string{"name": "s", "connector.class": "x", "topics.regex": "a("})
	if err == nil || !strings.HasPrefix(err.Error(), "Invalid value a( for configuration topics.regex: Invalid regex: ") {
		t.Fatalf("regex: %v", err)
	}
	_, err = sink.Parse(map[string]string{"name": "s", "connector.class": "x", DLQReplicationFactorConfig: "40000"})
	if err == nil || err.Error() != "Invalid value 40000 for configuration errors.deadletterqueue.topic.replication.factor: Not a number of type SHORT" {
		t.Fatalf("rf: %v", err)
	}

	src := SourceConnectorConfigDef(reg)
	c, err = src.Parse(map[string]string{"name": "s", "connector.class": "x", "exactly.once.support": "REQUIRED"})
	if err != nil {
		t.Fatal(err)
	}
	if c.String(TransactionBoundaryConfig) != "poll" || c.Get(TransactionIntervalConfig) != nil || c.Get(OffsetsStorageTopicConfig) != nil {
		t.Fatal("source defaults wrong")
	}
	for props, msg := range map[string]string{
		"transaction.boundary=sometimes":      "Invalid value sometimes for configuration transaction.boundary: String must be one of (case insensitive): ",
		"transaction.boundary.interval.ms=-1": "Invalid value -1 for configuration transaction.boundary.interval.ms: Value must be at least 0",
		"offsets.storage.topic=":              "Invalid value  for configuration offsets.storage.topic: String must be non-empty",
		"topic.creation.groups=a,a":           "Invalid value [a, a] for configuration topic.creation.groups: Duplicate alias provided.",
	} {
		k, v, _ := strings.Cut(props, "=")
		_, err := src.Parse(map[string]string{"name": "s", "connector.class": "x", k: v})
		if err == nil || !strings.HasPrefix(err.Error(), msg) {
			t.Errorf("%s: got %v, want %q", props, err, msg)
		}
	}
}

func TestTopicCreationConfigDef(t *testing.T) {
	def := TopicCreationConfigDef("default", 0, 0)
	_, err := def.Parse(map[string]string{"topic.creation.default.partitions": "3"})
	if err == nil || err.Error() != `Missing required configuration "topic.creation.default.replication.factor" which has no default value.` {
		t.Fatalf("default group: %v", err)
	}
	c, err := def.Parse(map[string]string{"topic.creation.default.partitions": "-1", "topic.creation.default.replication.factor": "-1"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.List("topic.creation.default.include"), []string{".*"}) {
		t.Fatal("default include")
	}
	_, err = def.Parse(map[string]string{"topic.creation.default.partitions": "0", "topic.creation.default.replication.factor": "1"})
	if err == nil || err.Error() != "Invalid value 0 for configuration topic.creation.default.partitions: Number of partitions must be positive, or -1 to use the broker's default" {
		t.Fatalf("partitions: %v", err)
	}
	_, err = def.Parse(map[string]string{"topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "-2"})
	if err == nil || !strings.Contains(err.Error(), "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default") {
		t.Fatalf("rf: %v", err)
	}
	grp := TopicCreationConfigDef("compacted", 3, 5)
	c, err = grp.Parse(map[string]string{"topic.creation.compacted.include": "a.*, b"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Short("topic.creation.compacted.replication.factor") != 3 || c.Int("topic.creation.compacted.partitions") != 5 {
		t.Fatal("inherited defaults")
	}
	_, err = grp.Parse(map[string]string{"topic.creation.compacted.exclude": "ok,(bad"})
	if err == nil || !strings.HasPrefix(err.Error(), "Invalid value [ok, (bad] for configuration topic.creation.compacted.exclude: Syntax error in regular expression: ") {
		t.Fatalf("regex: %v", err)
	}
}

func TestSelectConverters(t *testing.T) {
	worker := map[string]string{
		"key.converter":                  "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":                " JsonConverter ",
		"value.converter.schemas.enable": "true",
		"key.converter.encoding":         "UTF-16",
	}
	// connector-level value.converter.* without value.converter: ignored
	got, err := SelectConverters(worker, map[string]string{"value.converter.schemas.enable": "false"})
	if err != nil {
		t.Fatal(err)
	}
	want := ConverterChoices{
		Key:    ConverterChoice{Class: "org.apache.kafka.connect.storage.StringConverter", Settings: map[string]string{"encoding": "UTF-16"}},
		Value:  ConverterChoice{Class: "JsonConverter", Settings: map[string]string{"schemas.enable": "true"}},
		Header: ConverterChoice{Class: SimpleHeaderConverterClass, Settings: map[string]string{"converter.type": "header"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	// connector-level value.converter: only the connector's settings, never merged
	got, err = SelectConverters(worker, map[string]string{
		"value.converter": "JsonConverter", "value.converter.decimal.format": "NUMERIC",
		"header.converter": "Json", "header.converter.schemas.enable": "false",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Value.FromConnector || !reflect.DeepEqual(got.Value.Settings, map[string]string{"decimal.format": "NUMERIC"}) {
		t.Fatalf("value %+v", got.Value)
	}
	if !got.Header.FromConnector || got.Header.Class != "Json" ||
		!reflect.DeepEqual(got.Header.Settings, map[string]string{"schemas.enable": "false", "converter.type": "header"}) {
		t.Fatalf("header %+v", got.Header)
	}
	if got.Key.FromConnector || got.Key.Settings["encoding"] != "UTF-16" {
		t.Fatalf("key %+v", got.Key)
	}
	if _, err := SelectConverters(map[string]string{"value.converter": "x"}, nil); err == nil ||
		err.Error() != `Missing required configuration "key.converter" which has no default value.` {
		t.Fatalf("missing: %v", err)
	}
	s := ConverterChoice{Class: "Json", Settings: map[string]string{"basic.auth.user.info": "user:pw"}}.String()
	if strings.Contains(s, "user:pw") || !strings.Contains(s, "basic.auth.user.info") {
		t.Fatalf("String leaks values: %s", s)
	}
}
