package netsource

import (
	"maps"

	"sluice.io/sluice"
)

// Connector is the NettySource connector: it checks the configuration and
// hands every task the same properties.
type Connector struct {
	props map[string]string
}

var (
	_ sluice.Connector    = (*Connector)(nil)
	_ sluice.Configurable = (*Connector)(nil)
	_ sluice.SourceTask   = (*Task)(nil)
)

func init() {
	sluice.Register(&sluice.Plugin{
		Class:      ConnectorClass,
		OldClasses: []string{OldConnectorClass, Netty4ConnectorClass},
		Kinds:      sluice.KindSourceConnector,
		Config:     ConfigDef(),
		Doc: "Push source: listens on a TCP (optionally TLS) or UDP port and turns every received line " +
			"(TCP) or datagram (UDP) into a record with a STRING value and network headers, as the Java " +
			"NettySource connector does; optionally parses syslog (RFC 3164/5424, RFC 6587 framing).",
		New: func() any { return &Connector{} },
	})
}

// ConfigDef returns the connector's configuration definition.
func (c *Connector) ConfigDef() *sluice.ConfigDef { return ConfigDef() }

// Configure checks the connector configuration as Java's connector start
// does (transport.protocol first) and as the tasks will (ports, TLS files,
// framing), so that mistakes surface before any task starts.
func (c *Connector) Configure(cfg map[string]string) error {
	if _, err := parseSettings(cfg); err != nil {
		return err
	}
	c.props = maps.Clone(cfg)
	return nil
}

// TaskConfigs returns maxTasks identical copies of the configuration.
func (c *Connector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	out := make([]map[string]string, maxTasks)
	for i := range out {
		out[i] = maps.Clone(c.props)
	}
	return out, nil
}

// NewTask returns an unstarted *Task.
func (c *Connector) NewTask() any { return &Task{} }
