package sluice

import "context"

// Transformation is a Single Message Transform.
type Transformation interface {
	// Configure receives the raw, alias-stripped properties, as Java's configure().
	Configure(cfg map[string]string) error
	// Apply returns the transformed record, nil to drop it, or an error. It
	// never modifies r.
	Apply(r *Record) (*Record, error)
	// Close releases resources.
	Close() error
}

// Predicate decides whether a transformation applies to a record.
type Predicate interface {
	Configure(cfg map[string]string) error
	Test(r *Record) (bool, error)
	Close() error
}

// Converter turns Connect data into bytes and back (key or value side).
type Converter interface {
	Configure(cfg map[string]string, isKey bool) error
	FromConnect(topic string, h Headers, s *Schema, v any) ([]byte, error)
	ToConnect(topic string, h Headers, b []byte) (*Schema, any, error)
}

// HeaderConverter turns one header value into bytes and back.
type HeaderConverter interface {
	Configure(cfg map[string]string) error
	FromConnectHeader(topic, key string, s *Schema, v any) ([]byte, error)
	ToConnectHeader(topic, key string, b []byte) (*Schema, any, error)
}

// OffsetReader gives a source task the offsets stored for its partitions.
type OffsetReader interface {
	Offset(partition map[string]any) (map[string]any, error)
}

// SourceTask produces records from an external system.
type SourceTask interface {
	Start(ctx context.Context, cfg map[string]string, offsets OffsetReader) error
	// Poll returns the next records (each with source partition and offset);
	// it may block until ctx is done.
	Poll(ctx context.Context) ([]*Record, error)
	// Commit is told which records the output acknowledged.
	Commit(ctx context.Context, acked []*Record) error
	Stop() error
}

// SinkTask writes records to an external system.
type SinkTask interface {
	Start(ctx context.Context, cfg map[string]string) error
	Put(ctx context.Context, rs []*Record) error
	Flush(ctx context.Context) error
	Stop() error
}

// Connector splits a connector configuration into task configurations.
type Connector interface {
	Configure(cfg map[string]string) error
	TaskConfigs(maxTasks int) ([]map[string]string, error)
	// NewTask returns an unstarted task (a SourceTask or a SinkTask).
	NewTask() any
}

// Configurable is implemented by plugins that declare their configuration.
type Configurable interface {
	ConfigDef() *ConfigDef
}
