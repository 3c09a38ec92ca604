package pollable

import (
	"time"

	"sluice.io/sluice"
)

// Configuration keys of the connector (Java's PollableAPIClientSourceConfig).
const (
	APIClientClassConfig = "apiclient.class"
	TopicConfig          = "topic"
	PollIntervalConfig   = "poll.interval"
	PollCronConfig       = "poll.cron"
	PollCronZoneConfig   = "poll.cron.zone"
	PollSizeConfig       = "poll.size"
	PollRetriesConfig    = "poll.retries"
	PollBackoffConfig    = "poll.backoff"
	ResetOffsetsConfig   = "reset.offsets"
	PollEvenlyConfig     = "poll.partitions.evenly"
	// InitialOffsetConfig is the conventional client key for the offset of
	// a first start; each client defines its format.
	InitialOffsetConfig = "initial.offset"
	// PartitionsForTaskConfig is the internal task key listing the CRC32
	// identities of the partitions a task owns (7 leading underscores).
	PartitionsForTaskConfig = "_______crc32_partitions_for_task"
	// LastExecutionKey is the offset key holding, with poll.cron, the epoch
	// milliseconds of the partition's last scheduled poll.
	LastExecutionKey = "_______last_execution_time_for_partition"
)

// ConnectorClass is the Java class name the connector registers under.
const ConnectorClass = "com.vrudenskyi.kafka.connect.source.PollableAPIClientSourceConnector"

// ConfigDef returns the connector's configuration definition.
func ConfigDef() *sluice.ConfigDef {
	d := sluice.NewConfigDef()
	d.Define(sluice.ConfigKey{Name: APIClientClassConfig, Type: sluice.TypeClass, Default: sluice.NoDefault,
		Validator: clientClassValidator{}, Importance: sluice.High,
		Doc: "The API client: a Java PollableAPIClient class name (or a unique alias) registered with Sluice."})
	d.Define(sluice.ConfigKey{Name: TopicConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Topic the client's records are written to."})
	d.Define(sluice.ConfigKey{Name: PollIntervalConfig, Type: sluice.TypeLong, Default: "5000", Importance: sluice.Medium,
		Doc: "Milliseconds between polling passes; with poll.cron, how often the schedule is checked."})
	d.Define(sluice.ConfigKey{Name: PollCronConfig, Type: sluice.TypeString, Default: nil, Validator: cronValidator{},
		Importance: sluice.Medium,
		Doc:        "Cron schedule of each partition: 5 fields are UNIX cron (minute hour day-of-month month day-of-week), 6 or 7 fields Quartz cron (seconds first, optional year)."})
	d.Define(sluice.ConfigKey{Name: PollCronZoneConfig, Type: sluice.TypeString, Default: nil, Validator: zoneValidator{},
		Importance: sluice.Low,
		Doc:        "IANA time zone poll.cron is evaluated in; empty means the local zone (Java uses the JVM default zone)."})
	d.Define(sluice.ConfigKey{Name: PollSizeConfig, Type: sluice.TypeInt, Default: "1000", Importance: sluice.Medium,
		Doc: "Target number of records per poll; the budget given to the client."})
	d.Define(sluice.ConfigKey{Name: PollRetriesConfig, Type: sluice.TypeInt, Default: "3", Importance: sluice.Medium,
		Doc: "Client failures tolerated within one poll before the task fails."})
	d.Define(sluice.ConfigKey{Name: PollBackoffConfig, Type: sluice.TypeLong, Default: "30000", Importance: sluice.Medium,
		Doc: "Milliseconds to wait after a client failure before retrying."})
	d.Define(sluice.ConfigKey{Name: ResetOffsetsConfig, Type: sluice.TypeBoolean, Default: "false", Importance: sluice.Low,
		Doc: "Ignore stored offsets at task start and begin every partition at its initial offset."})
	d.Define(sluice.ConfigKey{Name: PollEvenlyConfig, Type: sluice.TypeBoolean, Default: "true", Importance: sluice.Low,
		Doc: "Move to the next partition even when a poll filled the batch; false keeps reading a partition until it returns less than a batch."})
	return d
}

type taskSettings struct {
	topic    string
	interval time.Duration
	size     int
	retries  int
	backoff  time.Duration
	reset    bool
	evenly   bool
	cron     Schedule
	client   string
}

func parseSettings(props map[string]string) (*taskSettings, error) {
	c, err := ConfigDef().Parse(props)
	if err != nil {
		return nil, err
	}
	s := &taskSettings{
		topic:    c.String(TopicConfig),
		interval: time.Duration(c.Long(PollIntervalConfig)) * time.Millisecond,
		size:     int(c.Int(PollSizeConfig)),
		retries:  int(c.Int(PollRetriesConfig)),
		backoff:  time.Duration(c.Long(PollBackoffConfig)) * time.Millisecond,
		reset:    c.Bool(ResetOffsetsConfig),
		evenly:   c.Bool(PollEvenlyConfig),
		client:   c.String(APIClientClassConfig),
	}
	if expr := c.String(PollCronConfig); expr != "" {
		loc, _ := loadZone(c.String(PollCronZoneConfig))
		s.cron, err = ParseCron(expr, loc)
		if err != nil {
			return nil, &sluice.ConfigError{Name: PollCronConfig, Value: expr, Msg: err.Error()}
		}
	}
	return s, nil
}

func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	return time.LoadLocation(name)
}

type clientClassValidator struct{}

func (clientClassValidator) Validate(name string, v any) error {
	s, _ := v.(string)
	if _, _, err := Clients.Lookup(s); err != nil {
		return &sluice.ConfigError{Name: name, Value: s, Msg: err.Error()}
	}
	return nil
}

func (clientClassValidator) String() string { return "a registered PollableAPIClient" }

type cronValidator struct{}

func (cronValidator) Validate(name string, v any) error {
	s, _ := v.(string)
	if s == "" {
		return nil
	}
	if _, err := ParseCron(s, time.UTC); err != nil {
		return &sluice.ConfigError{Name: name, Value: s, Msg: err.Error()}
	}
	return nil
}

func (cronValidator) String() string { return "UNIX (5 fields) or Quartz (6-7 fields) cron expression" }

type zoneValidator struct{}

func (zoneValidator) Validate(name string, v any) error {
	s, _ := v.(string)
	if _, err := loadZone(s); err != nil {
		return &sluice.ConfigError{Name: name, Value: s, Msg: "unknown time zone"}
	}
	return nil
}

func (zoneValidator) String() string { return "IANA time zone name" }
