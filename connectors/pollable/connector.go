package pollable

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"strconv"
	"strings"

	"sluice.io/sluice"
)

func init() {
	sluice.Register(&sluice.Plugin{
		Class:  ConnectorClass,
		Kinds:  sluice.KindSourceConnector,
		Config: ConfigDef(),
		Doc:    "Polls remote APIs through a pluggable API client, with per-partition offsets, retries, back-off and cron schedules.",
		New:    func() any { return &Connector{} },
	})
}

// Connector is PollableAPIClientSourceConnector: it validates the
// configuration and splits the client's partitions across tasks.
type Connector struct {
	props map[string]string
}

var _ sluice.Connector = (*Connector)(nil)
var _ sluice.Configurable = (*Connector)(nil)

// ConfigDef returns the connector's configuration definition.
func (c *Connector) ConfigDef() *sluice.ConfigDef { return ConfigDef() }

// Configure validates the connector properties.
func (c *Connector) Configure(cfg map[string]string) error {
	if _, err := parseSettings(cfg); err != nil {
		return err
	}
	c.props = cfg
	return nil
}

// TaskConfigs returns one configuration per task. With maxTasks > 1 the
// client's partitions are split into min(#partitions, maxTasks) contiguous
// groups (the first #partitions mod n groups one larger), each task told its
// partitions through their CRC32 identities.
func (c *Connector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	if maxTasks <= 1 {
		return []map[string]string{maps.Clone(c.props)}, nil
	}
	client, _, err := NewClient(c.props[APIClientClassConfig])
	if err != nil {
		return nil, err
	}
	if err := client.Configure(maps.Clone(c.props)); err != nil {
		return nil, fmt.Errorf("configure api client: %w", err)
	}
	parts, err := client.Partitions(context.Background())
	client.Close()
	if err != nil {
		return nil, fmt.Errorf("Failed to obtain partitions from apiClient: %w", err)
	}
	groups, err := GroupPartitions(len(parts), min(len(parts), maxTasks))
	if err != nil {
		return nil, err
	}
	out := make([]map[string]string, 0, len(groups))
	for _, g := range groups {
		ids := make([]string, 0, g[1]-g[0])
		for _, p := range parts[g[0]:g[1]] {
			ids = append(ids, PartitionCRC32(p))
		}
		tc := maps.Clone(c.props)
		tc[PartitionsForTaskConfig] = strings.Join(ids, ",")
		out = append(out, tc)
	}
	return out, nil
}

// NewTask returns an unstarted task.
func (c *Connector) NewTask() any { return &Task{} }

// GroupPartitions splits n items into groups contiguous ranges [from, to) as
// Connect's ConnectorUtils.groupPartitions does: every group gets n/groups
// items and the first n%groups groups one more.
func GroupPartitions(n, groups int) ([][2]int, error) {
	if groups <= 0 {
		return nil, errors.New("Number of groups must be positive.")
	}
	per, extra := n/groups, n%groups
	out := make([][2]int, 0, groups)
	from := 0
	for i := range groups {
		size := per
		if i < extra {
			size++
		}
		out = append(out, [2]int{from, from + size})
		from += size
	}
	return out, nil
}

// PartitionCRC32 is a partition's identity in task configurations: the
// decimal CRC32 of "key=value" for every entry, concatenated in Java
// HashMap iteration order of the keys (values in their Java string form).
func PartitionCRC32(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	var b strings.Builder
	for _, k := range sluice.JavaHashSetOrder(keys) {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(sluice.JavaToString(p[k]))
	}
	return strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(b.String()))), 10)
}
