package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/jregex"
)

// Connector-level configuration keys (Kafka's ConnectorConfig and its sink
// and source refinements).
const (
	ConnectorNameConfig         = "name"
	ConnectorClassConfig        = "connector.class"
	TasksMaxConfig              = "tasks.max"
	TasksMaxEnforceConfig       = "tasks.max.enforce"
	KeyConverterConfig          = "key.converter"
	ValueConverterConfig        = "value.converter"
	HeaderConverterConfig       = "header.converter"
	TransformsConfig            = "transforms"
	PredicatesConfig            = "predicates"
	ConfigActionReloadConfig    = "config.action.reload"
	ErrorsRetryTimeoutConfig    = "errors.retry.timeout"
	ErrorsRetryMaxDelayConfig   = "errors.retry.delay.max.ms"
	ErrorsToleranceConfig       = "errors.tolerance"
	ErrorsLogEnableConfig       = "errors.log.enable"
	ErrorsLogIncludeMsgsConfig  = "errors.log.include.messages"
	TopicsConfig                = "topics"
	TopicsRegexConfig           = "topics.regex"
	DLQTopicNameConfig          = "errors.deadletterqueue.topic.name"
	DLQReplicationFactorConfig  = "errors.deadletterqueue.topic.replication.factor"
	DLQContextHeadersConfig     = "errors.deadletterqueue.context.headers.enable"
	TopicCreationPrefix         = "topic.creation."
	TopicCreationGroupsConfig   = "topic.creation.groups"
	ExactlyOnceSupportConfig    = "exactly.once.support"
	TransactionBoundaryConfig   = "transaction.boundary"
	TransactionIntervalConfig   = "transaction.boundary.interval.ms"
	OffsetsStorageTopicConfig   = "offsets.storage.topic"
	SimpleHeaderConverterClass  = "org.apache.kafka.connect.storage.SimpleHeaderConverter"
	connGroupCommon             = "Common"
	connGroupTransforms         = "Transforms"
	connGroupPredicates         = "Predicates"
	connGroupErrors             = "Error Handling"
	connGroupTopicCreation      = "Topic Creation"
	connGroupExactlyOnce        = "Exactly Once Support"
	connGroupOffsetsTopic       = "offsets.topic"
	connTopicCreationDefaultGrp = "default"
)

// ConnectorName validates the connector name as Kafka's
// NonEmptyStringWithoutControlChars does: null passes (a missing name is
// reported as missing), "" and names holding ISO control characters fail.
type ConnectorName struct{}

// Validate implements sluice.Validator.
func (ConnectorName) Validate(name string, v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if s == "" {
		return &sluice.ConfigError{Name: name, Value: s, Msg: "String may not be empty"}
	}
	var bad []string
	for _, r := range s {
		if r <= 0x1F || r >= 0x7F && r <= 0x9F {
			bad = append(bad, strconv.Itoa(int(r)))
		}
	}
	if len(bad) > 0 {
		return &sluice.ConfigError{Name: name, Value: s,
			Msg: "String may not contain control sequences but had the following ASCII chars: " + strings.Join(bad, ", ")}
	}
	return nil
}

// String implements sluice.Validator.
func (ConnectorName) String() string { return "non-empty string without ISO control characters" }

// connUniqueAliases is Connect's alias-list validator: non-null, no duplicates.
func connUniqueAliases(kind string) sluice.Validator {
	return sluice.ValidatorFunc{
		Desc: "unique " + kind + " aliases",
		Fn: func(name string, v any) error {
			if err := (sluice.NonNull{}).Validate(name, v); err != nil {
				return err
			}
			l, _ := v.([]string)
			seen := make(map[string]bool, len(l))
			for _, a := range l {
				if seen[a] {
					return &sluice.ConfigError{Name: name, Value: sluice.JavaListString(l), Msg: "Duplicate alias provided."}
				}
				seen[a] = true
			}
			return nil
		},
	}
}

// PluginClassValidator checks that a CLASS value names a registered plugin of
// the given kind (resolving aliases in reg); null passes. base is the Java
// interface's simple name for the message, e.g. "Converter".
func PluginClassValidator(reg *sluice.Registry, kind sluice.Kind, base string) sluice.Validator {
	return sluice.ValidatorFunc{
		Desc: "A concrete subclass of " + base,
		Fn: func(name string, v any) error {
			s, ok := v.(string)
			if !ok {
				return nil
			}
			p, class, err := reg.Lookup(s)
			if err != nil {
				return &sluice.ConfigError{Name: name, Value: s, Msg: "Class " + s + " could not be found."}
			}
			if p.Kinds&kind == 0 {
				return sluice.NewConfigError("Class class %s does not implement the %s interface", class, base)
			}
			if p.Abstract {
				return sluice.NewConfigError("This class %s is abstract and cannot be created.", class)
			}
			return nil
		},
	}
}

// connDefineCommon adds the keys every connector has.
func connDefineCommon(d *sluice.ConfigDef, reg *sluice.Registry) *sluice.ConfigDef {
	return d.
		Define(sluice.ConfigKey{Name: ConnectorNameConfig, Type: sluice.TypeString, Default: sluice.NoDefault,
			Validator: ConnectorName{}, Importance: sluice.High, Group: connGroupCommon,
			Doc: "Unique name of the connector within the Connect cluster."}).
		Define(sluice.ConfigKey{Name: ConnectorClassConfig, Type: sluice.TypeString, Default: sluice.NoDefault,
			Importance: sluice.High, Group: connGroupCommon,
			Doc: "The connector's class: its fully qualified name, or an alias such as the simple class name with or without the Connector suffix (FileStreamSink, FileStreamSinkConnector)."}).
		Define(sluice.ConfigKey{Name: TasksMaxConfig, Type: sluice.TypeInt, Default: int32(1), Validator: sluice.AtLeast(1),
			Importance: sluice.High, Group: connGroupCommon,
			Doc: "Upper bound on the number of tasks the connector may run."}).
		Define(sluice.ConfigKey{Name: TasksMaxEnforceConfig, Type: sluice.TypeBoolean, Default: true,
			Importance: sluice.Low, Group: connGroupCommon,
			Doc: "Deprecated. When true, a connector that produces more task configurations than tasks.max is failed; when false, the extra tasks are allowed to run."}).
		Define(sluice.ConfigKey{Name: KeyConverterConfig, Type: sluice.TypeClass,
			Validator: PluginClassValidator(reg, sluice.KindConverter, "Converter"), Importance: sluice.Low, Group: connGroupCommon,
			Doc: "Converter for record keys of this connector, overriding the worker's; only with it set are this connector's key.converter.* settings used."}).
		Define(sluice.ConfigKey{Name: ValueConverterConfig, Type: sluice.TypeClass,
			Validator: PluginClassValidator(reg, sluice.KindConverter, "Converter"), Importance: sluice.Low, Group: connGroupCommon,
			Doc: "Converter for record values of this connector, overriding the worker's; only with it set are this connector's value.converter.* settings used."}).
		Define(sluice.ConfigKey{Name: HeaderConverterConfig, Type: sluice.TypeClass,
			Validator: PluginClassValidator(reg, sluice.KindHeaderConverter, "HeaderConverter"), Importance: sluice.Low, Group: connGroupCommon,
			Doc: "Converter for record headers of this connector, overriding the worker's; only with it set are this connector's header.converter.* settings used."}).
		Define(sluice.ConfigKey{Name: TransformsConfig, Type: sluice.TypeList, Default: []string{},
			Validator: connUniqueAliases("transformation"), Importance: sluice.Low, Group: connGroupTransforms,
			Doc: "Names of the transformations applied to each record, in order."}).
		Define(sluice.ConfigKey{Name: PredicatesConfig, Type: sluice.TypeList, Default: []string{},
			Validator: connUniqueAliases("predicate"), Importance: sluice.Low, Group: connGroupPredicates,
			Doc: "Names of the predicates that transformations may refer to."}).
		Define(sluice.ConfigKey{Name: ConfigActionReloadConfig, Type: sluice.TypeString, Default: "restart",
			Validator: sluice.ValidString{"none", "restart"}, Importance: sluice.Low, Group: connGroupCommon,
			Doc: "What to do when values obtained from config providers change: 'restart' reloads the connector with the new values (possibly later, when the provider announces an expiry), 'none' does nothing."}).
		Define(sluice.ConfigKey{Name: ErrorsRetryTimeoutConfig, Type: sluice.TypeLong, Default: int64(0),
			Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "How long, in milliseconds, a failed operation keeps being retried. 0 disables retries; -1 retries without end."}).
		Define(sluice.ConfigKey{Name: ErrorsRetryMaxDelayConfig, Type: sluice.TypeLong, Default: int64(60000),
			Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "Longest wait, in milliseconds, between two retries; once reached, random jitter is used to spread retries out."}).
		Define(sluice.ConfigKey{Name: ErrorsToleranceConfig, Type: sluice.TypeString, Default: "none",
			Validator: sluice.ValidString{"none", "all"}, Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "Whether errors while processing records are tolerated: 'none' (the default) fails the task at the first error, 'all' skips the records that fail."}).
		Define(sluice.ConfigKey{Name: ErrorsLogEnableConfig, Type: sluice.TypeBoolean, Default: false,
			Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "Log every error together with the failed operation; when false only errors that are not tolerated are reported."}).
		Define(sluice.ConfigKey{Name: ErrorsLogIncludeMsgsConfig, Type: sluice.TypeBoolean, Default: false,
			Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "Also log the record that failed (for sinks its topic, partition, offset and timestamp; for sources its key, value, headers and metadata). Off by default so that record contents stay out of logs."})
}

// ConnectorConfigDef returns the keys common to every connector. reg
// resolves converter class names for validation.
func ConnectorConfigDef(reg *sluice.Registry) *sluice.ConfigDef {
	return connDefineCommon(sluice.NewConfigDef(), reg)
}

// SinkConnectorConfigDef returns the keys of a sink connector: the common
// keys plus topics, topics.regex and the dead-letter-queue keys.
func SinkConnectorConfigDef(reg *sluice.Registry) *sluice.ConfigDef {
	return connDefineCommon(sluice.NewConfigDef(), reg).
		Define(sluice.ConfigKey{Name: TopicsConfig, Type: sluice.TypeList, Default: "",
			Importance: sluice.High, Group: connGroupCommon,
			Doc: "Topics to consume, comma separated. Exactly one of topics and topics.regex must be set."}).
		Define(sluice.ConfigKey{Name: TopicsRegexConfig, Type: sluice.TypeString, Default: "",
			Validator: RegexValidator{}, Importance: sluice.High, Group: connGroupCommon,
			Doc: "Java regular expression; every topic whose whole name matches is consumed. Exactly one of topics and topics.regex must be set."}).
		Define(sluice.ConfigKey{Name: DLQTopicNameConfig, Type: sluice.TypeString, Default: "",
			Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "Topic that receives the records which failed in conversion or transformation; empty means no dead letter queue."}).
		Define(sluice.ConfigKey{Name: DLQReplicationFactorConfig, Type: sluice.TypeShort, Default: int16(3),
			Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "Replication factor used when the dead letter queue topic has to be created."}).
		Define(sluice.ConfigKey{Name: DLQContextHeadersConfig, Type: sluice.TypeBoolean, Default: false,
			Importance: sluice.Medium, Group: connGroupErrors,
			Doc: "Add __connect.errors.* headers describing the failure to each record written to the dead letter queue."})
}

// SourceConnectorConfigDef returns the keys of a source connector: the
// common keys plus topic creation groups and the exactly-once keys. The
// per-group topic.creation.* keys come from TopicCreationConfigDef.
func SourceConnectorConfigDef(reg *sluice.Registry) *sluice.ConfigDef {
	return connDefineCommon(sluice.NewConfigDef(), reg).
		Define(sluice.ConfigKey{Name: TopicCreationGroupsConfig, Type: sluice.TypeList, Default: []string{},
			Validator: connUniqueAliases("topic creation group"), Importance: sluice.Low, Group: connGroupTopicCreation,
			Doc: "Names of topic creation groups besides 'default', tried in order; each group sets include/exclude patterns and topic settings for the new topics it matches."}).
		Define(sluice.ConfigKey{Name: ExactlyOnceSupportConfig, Type: sluice.TypeString, Default: "requested",
			Validator: sluice.CaseInsensitiveValidString{"requested", "required"}, Importance: sluice.Medium, Group: connGroupExactlyOnce,
			Doc: "'required' makes validation fail unless the connector declares exactly-once support; 'requested' does not check."}).
		Define(sluice.ConfigKey{Name: TransactionBoundaryConfig, Type: sluice.TypeString, Default: "poll",
			Validator: sluice.CaseInsensitiveValidString{"poll", "interval", "connector"}, Importance: sluice.Medium, Group: connGroupExactlyOnce,
			Doc: "With exactly-once delivery, where transactions end: after each poll, every transaction.boundary.interval.ms, or where the connector decides."}).
		Define(sluice.ConfigKey{Name: TransactionIntervalConfig, Type: sluice.TypeLong,
			Validator: sluice.ValidatorFunc{Desc: "[0,...]", Fn: func(name string, v any) error {
				if v == nil {
					return nil
				}
				return sluice.AtLeast(0).Validate(name, v)
			}}, Importance: sluice.Low, Group: connGroupExactlyOnce,
			Doc: "Transaction length in milliseconds when transaction.boundary is 'interval'; defaults to the worker's offset.flush.interval.ms."}).
		Define(sluice.ConfigKey{Name: OffsetsStorageTopicConfig, Type: sluice.TypeString,
			Validator: sluice.NonEmptyString{}, Importance: sluice.Low, Group: connGroupOffsetsTopic,
			Doc: "A topic of the connector's own for its source offsets, instead of the worker's."})
}

// RegexValidator checks that a STRING value compiles as a Java regular
// expression (Connect's RegexValidator); null passes.
type RegexValidator struct{}

// Validate implements sluice.Validator.
func (RegexValidator) Validate(name string, v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if _, err := jregex.Compile(s); err != nil {
		return &sluice.ConfigError{Name: name, Value: s, Msg: "Invalid regex: " + err.Error(), Err: err}
	}
	return nil
}

// String implements sluice.Validator.
func (RegexValidator) String() string { return "valid regex" }

// topicCreationRegexes validates include/exclude pattern lists.
var topicCreationRegexes = sluice.ValidatorFunc{
	Desc: "list of Java regular expressions",
	Fn: func(name string, v any) error {
		l, _ := v.([]string)
		for _, p := range l {
			if _, err := jregex.Compile(p); err != nil {
				return &sluice.ConfigError{Name: name, Value: sluice.JavaListString(l),
					Msg: "Syntax error in regular expression: " + err.Error(), Err: err}
			}
		}
		return nil
	},
}

var topicCreationReplication = sluice.ValidatorFunc{
	Desc: "Positive number not larger than the number of brokers, or -1 to use the broker's default",
	Fn: func(name string, v any) error {
		if f, ok := v.(int16); ok && f != -1 && f < 1 {
			return &sluice.ConfigError{Name: name, Value: f,
				Msg: "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default"}
		}
		return nil
	},
}

var topicCreationPartitions = sluice.ValidatorFunc{
	Desc: "Positive number, or -1 to use the broker's default",
	Fn: func(name string, v any) error {
		if n, ok := v.(int32); ok && n != -1 && n < 1 {
			return &sluice.ConfigError{Name: name, Value: n,
				Msg: "Number of partitions must be positive, or -1 to use the broker's default"}
		}
		return nil
	},
}

// TopicCreationConfigDef returns the keys of one topic creation group, named
// with their full topic.creation.<group>. prefix. The default group requires
// replication.factor and partitions and includes everything by default;
// another group inherits the default group's replication factor and
// partition count (pass them as defaultRF and defaultPartitions).
func TopicCreationConfigDef(group string, defaultRF int16, defaultPartitions int32) *sluice.ConfigDef {
	prefix := TopicCreationPrefix + group + "."
	d := sluice.NewConfigDef()
	var include, rf, parts any = []string{}, defaultRF, defaultPartitions
	var regexCheck sluice.Validator = topicCreationRegexes
	if group == connTopicCreationDefaultGrp {
		include, rf, parts = ".*", sluice.NoDefault, sluice.NoDefault
		regexCheck = sluice.NonNull{}
	}
	return d.
		Define(sluice.ConfigKey{Name: prefix + "include", Type: sluice.TypeList, Default: include, Validator: regexCheck,
			Importance: sluice.Low, Group: group,
			Doc: "Java regular expressions; a new topic whose whole name matches one of them (and none of the exclusions) is created with this group's settings."}).
		Define(sluice.ConfigKey{Name: prefix + "exclude", Type: sluice.TypeList, Default: []string{}, Validator: regexCheck,
			Importance: sluice.Low, Group: group,
			Doc: "Java regular expressions; a topic whose whole name matches one of them is not created with this group's settings. Exclusions win over inclusions."}).
		Define(sluice.ConfigKey{Name: prefix + "replication.factor", Type: sluice.TypeShort, Default: rf, Validator: topicCreationReplication,
			Importance: sluice.Low, Group: group,
			Doc: "Replication factor of the topics this group creates: at least 1 and at most the number of brokers, or -1 for the broker's default. Required for the default group."}).
		Define(sluice.ConfigKey{Name: prefix + "partitions", Type: sluice.TypeInt, Default: parts, Validator: topicCreationPartitions,
			Importance: sluice.Low, Group: group,
			Doc: "Partition count of the topics this group creates: at least 1, or -1 for the broker's default. Required for the default group."})
}

// ConverterChoice is the converter one side of a connector's records uses
// and the settings it is configured with.
type ConverterChoice struct {
	// Class is the class name or alias as written (trimmed).
	Class string
	// Settings are the <side>.converter.* keys (prefix stripped, raw values)
	// of the configuration the class came from; header converters also get
	// converter.type=header.
	Settings map[string]string
	// FromConnector reports that the connector configuration chose it.
	FromConnector bool
}

// ConverterChoices holds the key, value and header converter choices.
type ConverterChoices struct {
	Key, Value, Header ConverterChoice
}

// SelectConverters applies Connect's converter rule: for each of key, value
// and header, when the connector configuration sets <side>.converter the
// converter is built from the connector configuration and configured with
// the connector's <side>.converter.* keys only; otherwise the worker's class
// and the worker's <side>.converter.* keys are used (the header converter
// defaulting to SimpleHeaderConverter). The two key sets are never merged.
func SelectConverters(worker, connector map[string]string) (ConverterChoices, error) {
	var out ConverterChoices
	for _, side := range []struct {
		key string
		dst *ConverterChoice
	}{{KeyConverterConfig, &out.Key}, {ValueConverterConfig, &out.Value}, {HeaderConverterConfig, &out.Header}} {
		src, fromConn := worker, false
		if _, ok := connector[side.key]; ok {
			src, fromConn = connector, true
		}
		class, ok := src[side.key]
		if !ok {
			if side.key != HeaderConverterConfig {
				return ConverterChoices{}, sluice.MissingConfig(side.key)
			}
			class = SimpleHeaderConverterClass
		}
		settings := sluice.WithPrefix(src, side.key+".")
		if side.key == HeaderConverterConfig {
			settings["converter.type"] = "header"
		}
		*side.dst = ConverterChoice{Class: sluice.JavaTrim(class), Settings: settings, FromConnector: fromConn}
	}
	return out, nil
}

// String renders a choice for logs with its setting names only: values may
// be secrets.
func (c ConverterChoice) String() string {
	keys := make([]string, 0, len(c.Settings))
	for k := range c.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	from := "worker"
	if c.FromConnector {
		from = "connector"
	}
	return fmt.Sprintf("%s (from the %s config, settings %v)", c.Class, from, keys)
}
