package file

import (
	"log/slog"
	"maps"

	"sluice.io/sluice"
)

// Source connector class and configuration keys.
const (
	SourceClass = "org.apache.kafka.connect.file.FileStreamSourceConnector"
	SinkClass   = "org.apache.kafka.connect.file.FileStreamSinkConnector"

	FileConfig      = "file"
	TopicConfig     = "topic"
	BatchSizeConfig = "batch.size"

	// DefaultBatchSize is the default of batch.size.
	DefaultBatchSize = 2000

	// FilenameField and PositionField are the keys of the source
	// partition and source offset maps.
	FilenameField = "filename"
	PositionField = "position"
)

func init() {
	sluice.Register(&sluice.Plugin{
		Class:  SourceClass,
		Kinds:  sluice.KindSourceConnector,
		Config: SourceConfigDef(),
		Doc: "Reads a text file, or standard input when file is unset, line by line (lines end at `\\n`, `\\r` or `\\r\\n`): " +
			"each line becomes a record with a STRING value and no key. A last line without terminator is delivered " +
			"once it is terminated, since the file may still grow (standard input: at its end). The offset is the " +
			"byte position after the line, so a restarted task resumes where it stopped; a missing file is waited " +
			"for. Always runs one task.",
		New: func() any { return &SourceConnector{} },
	})
	sluice.Register(&sluice.Plugin{
		Class:  SinkClass,
		Kinds:  sluice.KindSinkConnector,
		Config: SinkConfigDef(),
		Doc: "Appends each record's value in its Java string form, one per line, to a file (created if needed), " +
			"or to standard output when file is unset.",
		New: func() any { return &SinkConnector{} },
	})
}

// SourceConfigDef returns FileStreamSourceConnector's configuration.
func SourceConfigDef() *sluice.ConfigDef {
	return sluice.NewConfigDef().
		Define(sluice.ConfigKey{Name: FileConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
			Doc: "Source filename. If not specified, the standard input will be used"}).
		Define(sluice.ConfigKey{Name: TopicConfig, Type: sluice.TypeString, Default: sluice.NoDefault,
			Validator: sluice.NonEmptyString{}, Importance: sluice.High,
			Doc: "The topic to publish data to"}).
		Define(sluice.ConfigKey{Name: BatchSizeConfig, Type: sluice.TypeInt, Default: int32(DefaultBatchSize), Importance: sluice.Low,
			Doc: "The maximum number of records the source task can read from the file each time it is polled"})
}

// SourceConnector is FileStreamSourceConnector.
type SourceConnector struct {
	props map[string]string
}

var (
	_ sluice.Connector    = (*SourceConnector)(nil)
	_ sluice.Configurable = (*SourceConnector)(nil)
)

// ConfigDef returns the connector's configuration definition.
func (c *SourceConnector) ConfigDef() *sluice.ConfigDef { return SourceConfigDef() }

// Configure validates the connector properties.
func (c *SourceConnector) Configure(cfg map[string]string) error {
	pc, err := SourceConfigDef().Parse(cfg)
	if err != nil {
		return err
	}
	name := pc.String(FileConfig)
	if name == "" {
		name = "standard input"
	}
	slog.Info("Starting file source connector", "file", name)
	c.props = maps.Clone(cfg)
	return nil
}

// TaskConfigs returns exactly one task configuration whatever maxTasks is:
// only one reader of the input makes sense.
func (c *SourceConnector) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{maps.Clone(c.props)}, nil
}

// NewTask returns an unstarted *SourceTask.
func (c *SourceConnector) NewTask() any { return &SourceTask{} }

// ValidateOffsets checks offsets a user wants to store for this connector,
// as Java's alterOffsets does: the file must be configured, each offset is
// nil or holds a non-negative int64 position, and each partition names a
// filename.
func (c *SourceConnector) ValidateOffsets(cfg map[string]string, offsets []PartitionOffset) error {
	pc, err := SourceConfigDef().Parse(cfg)
	if err != nil {
		return err
	}
	if pc.String(FileConfig) == "" {
		return sluice.NewJavaError("ConnectException", "Offsets cannot be modified if the '%s' configuration is unspecified. "+
			"This is because stdin is used for input and offsets are not tracked.", FileConfig)
	}
	for _, po := range offsets {
		if po.Offset == nil {
			continue
		}
		v, ok := po.Offset[PositionField]
		if !ok {
			return sluice.NewJavaError("ConnectException", "Offset objects should either be null or contain the key '%s'", PositionField)
		}
		p, ok := v.(int64)
		if !ok {
			return sluice.NewJavaError("ConnectException", "The value for the '%s' key in the offset is expected to be a Long value", PositionField)
		}
		if p < 0 {
			return sluice.NewJavaError("ConnectException", "The value for the '%s' key in the offset should be a non-negative value", PositionField)
		}
		if po.Partition == nil {
			return sluice.NewJavaError("ConnectException", "Partition objects cannot be null")
		}
		if _, ok := po.Partition[FilenameField]; !ok {
			return sluice.NewJavaError("ConnectException", "Partition objects should contain the key '%s'", FilenameField)
		}
	}
	return nil
}

// PartitionOffset pairs a source partition with an offset (nil offset: a
// tombstone).
type PartitionOffset struct {
	Partition map[string]any
	Offset    map[string]any
}
