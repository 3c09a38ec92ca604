package rules

import (
	"sluice.io/sluice"
)

// Worker configuration keys (Kafka's WorkerConfig, RestServerConfig and
// StandaloneConfig).
const (
	BootstrapServersConfig        = "bootstrap.servers"
	ClientDNSLookupConfig         = "client.dns.lookup"
	TaskShutdownTimeoutConfig     = "task.shutdown.graceful.timeout.ms"
	OffsetFlushIntervalConfig     = "offset.flush.interval.ms"
	OffsetFlushTimeoutConfig      = "offset.flush.timeout.ms"
	PluginPathConfig              = "plugin.path"
	PluginDiscoveryConfig         = "plugin.discovery"
	ClientPolicyConfig            = "connector.client.config.override.policy"
	TopicCreationEnableConfig     = "topic.creation.enable"
	TopicTrackingEnableConfig     = "topic.tracking.enable"
	TopicTrackingAllowResetConfig = "topic.tracking.allow.reset"
	ListenersConfig               = "listeners"
	AdminListenersConfig          = "admin.listeners"
	RestAdvertisedHostConfig      = "rest.advertised.host.name"
	RestAdvertisedPortConfig      = "rest.advertised.port"
	RestAdvertisedListenerConfig  = "rest.advertised.listener"
	RestExtensionClassesConfig    = "rest.extension.classes"
	OffsetStorageFileConfig       = "offset.storage.file.filename"
	MetricsSampleWindowConfig     = "metrics.sample.window.ms"
	MetricsNumSamplesConfig       = "metrics.num.samples"
	MetricsRecordingLevelConfig   = "metrics.recording.level"
	MetricReportersConfig         = "metric.reporters"
)

// listenersValidator is Connect's check of listeners: at least one URL and
// no blank entry.
type listenersValidator struct{ key string }

// Validate implements sluice.Validator.
func (lv listenersValidator) Validate(name string, v any) error {
	if v == nil {
		if lv.key == AdminListenersConfig {
			return nil // admin.listeners may be unset
		}
		return sluice.NewConfigError("Invalid value type for listeners (expected list of URLs , ex: http://localhost:8080,https://localhost:8443).")
	}
	l, _ := v.([]string)
	if len(l) == 0 {
		if lv.key == AdminListenersConfig {
			return nil // an empty admin.listeners disables the admin endpoints
		}
		return sluice.NewConfigError("Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.")
	}
	for _, item := range l {
		if sluice.JavaTrim(item) == "" {
			return sluice.NewConfigError("Empty URL found when parsing %s list.", lv.key)
		}
	}
	return nil
}

// String implements sluice.Validator.
func (lv listenersValidator) String() string {
	return "List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443."
}

// WorkerConfigDef returns the keys common to standalone and distributed
// workers. reg resolves converter class names for validation.
func WorkerConfigDef(reg *sluice.Registry) *sluice.ConfigDef {
	convDoc := func(side string) string {
		return "Converter between Connect's data and the serialized form of record " + side +
			" in Kafka, used by every connector that does not set its own; its settings are the worker's " +
			side[:len(side)-1] + ".converter.* keys. JsonConverter is a common choice."
	}
	return sluice.NewConfigDef().
		Define(sluice.ConfigKey{Name: BootstrapServersConfig, Type: sluice.TypeList, Default: "localhost:9092", Importance: sluice.High,
			Doc: "host:port pairs used to make the first connection to the Kafka cluster; the rest of the cluster is discovered from them."}).
		Define(sluice.ConfigKey{Name: ClientDNSLookupConfig, Type: sluice.TypeString, Default: "use_all_dns_ips",
			Validator: sluice.ValidString{"use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"}, Importance: sluice.Medium,
			Doc: "How client host names are resolved: try every address a name resolves to, or resolve bootstrap names to their canonical names first."}).
		Define(sluice.ConfigKey{Name: KeyConverterConfig, Type: sluice.TypeClass, Default: sluice.NoDefault,
			Validator: PluginClassValidator(reg, sluice.KindConverter, "Converter"), Importance: sluice.High, Doc: convDoc("keys")}).
		Define(sluice.ConfigKey{Name: ValueConverterConfig, Type: sluice.TypeClass, Default: sluice.NoDefault,
			Validator: PluginClassValidator(reg, sluice.KindConverter, "Converter"), Importance: sluice.High, Doc: convDoc("values")}).
		Define(sluice.ConfigKey{Name: TaskShutdownTimeoutConfig, Type: sluice.TypeLong, Default: "5000", Importance: sluice.Low,
			Doc: "Milliseconds to wait for tasks to stop cleanly; the budget covers all tasks together, not each one."}).
		Define(sluice.ConfigKey{Name: OffsetFlushIntervalConfig, Type: sluice.TypeLong, Default: int64(60000), Importance: sluice.Low,
			Doc: "Milliseconds between attempts to commit task offsets."}).
		Define(sluice.ConfigKey{Name: OffsetFlushTimeoutConfig, Type: sluice.TypeLong, Default: int64(5000), Importance: sluice.Low,
			Doc: "Milliseconds to wait for outstanding records to be flushed and offsets committed before the commit attempt is abandoned until the next interval."}).
		Define(sluice.ConfigKey{Name: PluginPathConfig, Type: sluice.TypeList, Importance: sluice.Low,
			Doc: "Comma-separated directories or archives holding plugins. Config provider references are not resolved in this key."}).
		Define(sluice.ConfigKey{Name: PluginDiscoveryConfig, Type: sluice.TypeString, Default: "hybrid_warn",
			Validator: sluice.CaseInsensitiveValidString{"only_scan", "hybrid_warn", "hybrid_fail", "service_load"}, Importance: sluice.Low,
			Doc: "How plugins are discovered on the plugin path; kept for compatibility with Connect's files."}).
		Define(sluice.ConfigKey{Name: MetricsSampleWindowConfig, Type: sluice.TypeLong, Default: int64(30000), Validator: sluice.AtLeast(0), Importance: sluice.Low,
			Doc: "Length in milliseconds of the window over which a metric sample is computed."}).
		Define(sluice.ConfigKey{Name: MetricsNumSamplesConfig, Type: sluice.TypeInt, Default: int32(2), Validator: sluice.AtLeast(1), Importance: sluice.Low,
			Doc: "Number of samples kept to compute metrics."}).
		Define(sluice.ConfigKey{Name: MetricsRecordingLevelConfig, Type: sluice.TypeString, Default: "INFO",
			Validator: sluice.ValidString{"INFO", "DEBUG"}, Importance: sluice.Low,
			Doc: "Highest recording level of the metrics that are recorded."}).
		Define(sluice.ConfigKey{Name: MetricReportersConfig, Type: sluice.TypeList, Default: "org.apache.kafka.common.metrics.JmxReporter", Importance: sluice.Low,
			Doc: "Classes notified of metric changes; accepted for compatibility with Connect's files."}).
		Define(sluice.ConfigKey{Name: HeaderConverterConfig, Type: sluice.TypeClass, Default: SimpleHeaderConverterClass,
			Validator: PluginClassValidator(reg, sluice.KindHeaderConverter, "HeaderConverter"), Importance: sluice.Low,
			Doc: "Converter between Connect header values and their serialized form, used by every connector that does not set its own; its settings are the worker's header.converter.* keys. The default renders values as strings and infers their types when reading."}).
		Define(sluice.ConfigKey{Name: ConfigProvidersConfig, Type: sluice.TypeList, Default: []string{}, Importance: sluice.Low,
			Doc: "Names of config providers. Each needs config.providers.<name>.class and may take config.providers.<name>.param.* settings; configurations then refer to values as ${<name>:[<path>:]<key>}."}).
		Define(sluice.ConfigKey{Name: ClientPolicyConfig, Type: sluice.TypeString, Default: "All", Importance: sluice.Medium,
			Doc: "Which client settings connectors may override with producer.override.*, consumer.override.* and admin.override.*: All, None or Principal (security settings only)."}).
		Define(sluice.ConfigKey{Name: TopicCreationEnableConfig, Type: sluice.TypeBoolean, Default: true, Importance: sluice.Low,
			Doc: "Let source connectors create their topics with the settings of their topic.creation.* keys."}).
		Define(sluice.ConfigKey{Name: TopicTrackingEnableConfig, Type: sluice.TypeBoolean, Default: true, Importance: sluice.Low,
			Doc: "Track the topics each connector uses."}).
		Define(sluice.ConfigKey{Name: TopicTrackingAllowResetConfig, Type: sluice.TypeBoolean, Default: true, Importance: sluice.Low,
			Doc: "Allow requests that reset a connector's set of active topics."}).
		Define(sluice.ConfigKey{Name: ListenersConfig, Type: sluice.TypeList, Default: "http://:8083",
			Validator: listenersValidator{ListenersConfig}, Importance: sluice.Low,
			Doc: "URLs the REST API listens on, comma separated, such as http://myhost:8083,https://myhost:8443; an empty host means the default interface."}).
		Define(sluice.ConfigKey{Name: RestAdvertisedHostConfig, Type: sluice.TypeString, Importance: sluice.Low,
			Doc: "Host name other workers use to reach this one, when it differs from the listener's."}).
		Define(sluice.ConfigKey{Name: RestAdvertisedPortConfig, Type: sluice.TypeInt, Importance: sluice.Low,
			Doc: "Port other workers use to reach this one, when it differs from the listener's."}).
		Define(sluice.ConfigKey{Name: RestAdvertisedListenerConfig, Type: sluice.TypeString, Importance: sluice.Low,
			Doc: "Protocol (http or https) advertised to other workers."}).
		Define(sluice.ConfigKey{Name: RestExtensionClassesConfig, Type: sluice.TypeList, Default: "", Importance: sluice.Low,
			Doc: "REST extension classes; accepted for compatibility with Connect's files."}).
		Define(sluice.ConfigKey{Name: AdminListenersConfig, Type: sluice.TypeList,
			Validator: listenersValidator{AdminListenersConfig}, Importance: sluice.Low,
			Doc: "Separate URLs for the administrative REST endpoints; unset means the ordinary listeners serve them, an empty value disables them."})
}

// StandaloneConfigDef returns the keys of a standalone worker: the common
// worker keys plus the offsets file.
func StandaloneConfigDef(reg *sluice.Registry) *sluice.ConfigDef {
	return WorkerConfigDef(reg).
		Define(sluice.ConfigKey{Name: OffsetStorageFileConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High,
			Doc: "File in which source connector offsets are stored."})
}
