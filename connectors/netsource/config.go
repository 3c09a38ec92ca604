package netsource

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"sluice.io/sluice"
)

// Class names under which the connector is registered.
const (
	// ConnectorClass is the Java class of the Netty 3 connector.
	ConnectorClass = "com.vrudenskyi.kafka.connect.nettysource.NettySourceConnector"
	// OldConnectorClass is the Netty 3 connector's older package spelling.
	OldConnectorClass = "com.mckesson.kafka.connect.nettysource.NettySourceConnector"
	// Netty4ConnectorClass is the Java class of the Netty 4 connector.
	Netty4ConnectorClass = "com.mckesson.kafka.connect.netty4.NettySourceConnector"
)

// Connector keys (Java's names).
const (
	BindAddressConfig           = "bind.address"
	PortConfig                  = "port"
	PortsConfig                 = "ports"
	TransportProtocolConfig     = "transport.protocol"
	ThreadsConfig               = "threads"
	PollIntervalConfig          = "poll.interval"
	PipelineFactoryClassConfig  = "pipeline.factory.class"
	PipelineFactoryHandlersConf = "pipeline.factory.handlers"
	ChannelInitClassConfig      = "channel.init.class"
	ChannelHandlersConfig       = "channel.handlers"
	TopicConfig                 = "topic"
	SSLEnabledConfig            = "ssl.enabled"
	SSLKeyAliasConfig           = "ssl.key.alias"
	HealthcheckEnabledConfig    = "healthcheck.enabled"
	HealthcheckBindAddrConfig   = "healthcheck.bind.address"
	HealthcheckPortConfig       = "healthcheck.port"
	HealthcheckPortsConfig      = "healthcheck.ports"
	QueueClassConfig            = "connector.queue.class"
	QueueBatchTimeoutConfig     = "connector.queue.batchTimeout"
	QueueBatchSizeConfig        = "connector.queue.batchSize"
	QueueCapacityConfig         = "connector.queue.capacity"
	UDPReceiveBufferSizeConfig  = "transport.protocol.udp.receiveBufferSize"
)

// Sluice extension keys.
const (
	UDPSocketBufferSizeConfig = "transport.protocol.udp.socketBufferSize"
	SyslogEnabledConfig       = "syslog.enabled"
	SyslogFormatConfig        = "syslog.format"
	SyslogFramingConfig       = "syslog.framing"
	SyslogValueConfig         = "syslog.value"
	SyslogMaxLengthConfig     = "syslog.maxLength"
	TLSHandshakeTimeoutConfig = "ssl.handshake.timeout.ms"
)

// Defaults that differ from Java's (see docs/differences.md).
const (
	// DefaultQueueCapacity bounds the record queue of a task; Java's default
	// is Integer.MAX_VALUE (unbounded).
	DefaultQueueCapacity = 100000
	// DefaultUDPReceiveBufferSize holds the largest UDP payload, so that no
	// datagram is truncated; Java's default is 2048.
	DefaultUDPReceiveBufferSize = 65536
	// DefaultSyslogMaxLength is the longest syslog message kept in one record.
	DefaultSyslogMaxLength = 65536
)

// Java class names that select the behaviour Sluice builds in.
var (
	defaultPipelineClasses = map[string]bool{
		"com.vrudenskyi.kafka.connect.nettysource.DefaultTcpPipelineFactory":    true,
		"com.vrudenskyi.kafka.connect.nettysource.DefaultUdpPipelineFactory":    true,
		"com.mckesson.kafka.connect.nettysource.DefaultTcpPipelineFactory":      true,
		"com.mckesson.kafka.connect.nettysource.DefaultUdpPipelineFactory":      true,
		"com.mckesson.kafka.connect.netty4.DefaultTcpChannelInitializer":        true,
		"com.mckesson.kafka.connect.netty4.DefaultUdpChannelInitializer":        true,
		"com.vrudenskyi.kafka.connect.nettysource.DefaultTcpChannelInitializer": true,
	}
	simpleFramerClasses = map[string]bool{
		"com.vrudenskyi.kafka.connect.nettysource.SimpleDelimeterFrameDecoder": true,
		"com.mckesson.kafka.connect.nettysource.SimpleDelimeterFrameDecoder":   true,
		"com.mckesson.kafka.connect.netty4.SimpleDelimeterFrameDecoder":        true,
	}
	defaultFramerClasses = map[string]bool{
		"com.vrudenskyi.kafka.connect.nettysource.DelimeterOrMaxLengthFrameDecoder": true,
		"com.mckesson.kafka.connect.nettysource.DelimeterOrMaxLengthFrameDecoder":   true,
		"com.mckesson.kafka.connect.netty4.DelimeterOrMaxLengthFrameDecoder":        true,
	}
)

// Syslog formats and framings (values of syslog.format and syslog.framing).
const (
	SyslogAuto           = "auto"
	SyslogRFC3164        = "rfc3164"
	SyslogRFC5424        = "rfc5424"
	SyslogOctetCounting  = "octet-counting"
	SyslogNonTransparent = "non-transparent"
	SyslogValueMessage   = "message"
	SyslogValueLine      = "line"
)

// TLS client-authentication modes (values of ssl.client.auth).
const (
	ClientAuthNone      = "none"
	ClientAuthRequested = "requested"
	ClientAuthRequired  = "required"
)

// ConfigDef returns the connector's configuration definition: Java's keys
// in Java's order, then the TCP framing keys under both prefixes, then the
// Sluice extensions.
func ConfigDef() *sluice.ConfigDef {
	g := "NettySourceConnector"
	d := sluice.NewConfigDef().
		Define(sluice.ConfigKey{Name: BindAddressConfig, Type: sluice.TypeString, Default: "0.0.0.0", Importance: sluice.High, Group: g,
			Doc: "Address the listener binds to (an IP literal or a host name)."}).
		Define(sluice.ConfigKey{Name: PortConfig, Type: sluice.TypeInt, Default: nil, Importance: sluice.High, Group: g,
			Doc: "First candidate port. Each task binds the first free port of `port` followed by `ports`."}).
		Define(sluice.ConfigKey{Name: PortsConfig, Type: sluice.TypeList, Default: nil, Importance: sluice.Medium, Group: g,
			Doc: "Further candidate ports, tried in order after `port`; lets several tasks on one host take different ports. " +
				"When every candidate is taken the task fails, naming the ports."}).
		Define(sluice.ConfigKey{Name: TransportProtocolConfig, Type: sluice.TypeString, Default: "tcp", Importance: sluice.High, Group: g,
			Doc: "`tcp` or `udp` (case-insensitive)."}).
		Define(sluice.ConfigKey{Name: ThreadsConfig, Type: sluice.TypeInt, Default: int32(0), Importance: sluice.Low, Group: g,
			Doc: "Accepted for compatibility; Sluice reads every connection on its own goroutine."}).
		Define(sluice.ConfigKey{Name: PollIntervalConfig, Type: sluice.TypeLong, Default: int64(5000), Importance: sluice.Low, Group: g,
			Doc: "Longest time in ms one poll keeps collecting records before it returns them."}).
		Define(sluice.ConfigKey{Name: PipelineFactoryClassConfig, Type: sluice.TypeClass, Default: nil, Importance: sluice.High, Group: g,
			Doc: "Java pipeline factory. Only the default TCP/UDP factories are accepted; for syslog use `syslog.enabled`."}).
		Define(sluice.ConfigKey{Name: PipelineFactoryHandlersConf, Type: sluice.TypeList, Default: nil, Importance: sluice.Low, Group: g,
			Doc: "Handler overrides. Sluice supports overriding the handler named `framer` with " +
				"`SimpleDelimeterFrameDecoder` or `DelimeterOrMaxLengthFrameDecoder` (keys under `pipeline.factory.handlers.framer.`)."}).
		Define(sluice.ConfigKey{Name: ChannelInitClassConfig, Type: sluice.TypeClass, Default: nil, Importance: sluice.Low, Group: g,
			Doc: "Netty 4 spelling of `pipeline.factory.class`."}).
		Define(sluice.ConfigKey{Name: ChannelHandlersConfig, Type: sluice.TypeList, Default: nil, Importance: sluice.Low, Group: g,
			Doc: "Netty 4 spelling of `pipeline.factory.handlers` (sub-keys under `channel.handlers.<name>.`)."}).
		Define(sluice.ConfigKey{Name: TopicConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High, Group: g,
			Doc: "Topic of every record."}).
		Define(sluice.ConfigKey{Name: SSLEnabledConfig, Type: sluice.TypeBoolean, Default: false, Importance: sluice.Medium, Group: g,
			Doc: "Serve TLS on the TCP listener (rejected with `transport.protocol=udp`)."}).
		Define(sluice.ConfigKey{Name: SSLKeyAliasConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium, Group: g,
			Doc: "Keystore alias of the default certificate. When set, a client's SNI host name that equals another alias " +
				"holding a key and chain selects that entry instead."}).
		Define(sluice.ConfigKey{Name: HealthcheckEnabledConfig, Type: sluice.TypeBoolean, Default: false, Importance: sluice.Medium, Group: g,
			Doc: "Open an extra TCP listener that accepts connections and discards what they send (for load-balancer checks). " +
				"Failing to open it is logged, not fatal."}).
		Define(sluice.ConfigKey{Name: HealthcheckBindAddrConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium, Group: g,
			Doc: "Bind address of the health-check listener; blank means `bind.address`."}).
		Define(sluice.ConfigKey{Name: HealthcheckPortConfig, Type: sluice.TypeInt, Default: nil, Importance: sluice.Medium, Group: g,
			Doc: "First candidate port of the health-check listener."}).
		Define(sluice.ConfigKey{Name: HealthcheckPortsConfig, Type: sluice.TypeList, Default: nil, Importance: sluice.Medium, Group: g,
			Doc: "Further health-check candidate ports; with neither set, the data ports are tried (the first free one wins)."})
	defineSSL(d)
	d.Define(sluice.ConfigKey{Name: QueueClassConfig, Type: sluice.TypeClass, Default: nil, Importance: sluice.Low, Group: "Queue",
		Doc: "Custom Java queue class; not supported (must be unset)."}).
		Define(sluice.ConfigKey{Name: QueueBatchTimeoutConfig, Type: sluice.TypeLong, Default: int64(5000), Importance: sluice.Low, Group: "Queue",
			Doc: "Longest wait in ms for each further record inside one poll."}).
		Define(sluice.ConfigKey{Name: QueueBatchSizeConfig, Type: sluice.TypeInt, Default: int32(1000), Importance: sluice.Low, Group: "Queue",
			Doc: "Most records one poll returns.", Validator: sluice.AtLeast(1)}).
		Define(sluice.ConfigKey{Name: QueueCapacityConfig, Type: sluice.TypeInt, Default: int32(DefaultQueueCapacity), Importance: sluice.Low, Group: "Queue",
			Doc: "Records a task holds before its output takes them. When full, TCP connections stop being read (senders are " +
				"pushed back by TCP) and UDP datagrams are dropped and counted. Java's default is unbounded.", Validator: sluice.AtLeast(1)})
	DefineTCPFraming(d, ChannelTCPPrefix)
	DefineTCPFraming(d, PipelineTCPPrefix)
	g = "UDP"
	d.Define(sluice.ConfigKey{Name: UDPReceiveBufferSizeConfig, Type: sluice.TypeInt, Default: int32(DefaultUDPReceiveBufferSize), Importance: sluice.Low, Group: g,
		Doc: "Read buffer per datagram in bytes; longer datagrams are truncated to it. Java's default is 2048.", Validator: sluice.Between(1, 65536)}).
		Define(sluice.ConfigKey{Name: UDPSocketBufferSizeConfig, Type: sluice.TypeInt, Default: int32(0), Importance: sluice.Low, Group: g,
			Doc: "Sluice: kernel receive buffer (SO_RCVBUF) of the UDP socket in bytes; 0 keeps the system default.", Validator: sluice.AtLeast(0)})
	g = "Syslog"
	d.Define(sluice.ConfigKey{Name: SyslogEnabledConfig, Type: sluice.TypeBoolean, Default: false, Importance: sluice.Medium, Group: g,
		Doc: "Sluice: parse every message as syslog (RFC 3164 / RFC 5424) into `syslog.*` headers."}).
		Define(sluice.ConfigKey{Name: SyslogFormatConfig, Type: sluice.TypeString, Default: SyslogAuto, Importance: sluice.Medium, Group: g,
			Validator: sluice.CaseInsensitiveValidString{SyslogAuto, SyslogRFC3164, SyslogRFC5424},
			Doc:       "Sluice: `rfc3164`, `rfc5424`, or `auto` (decided per message: a version number after the priority means RFC 5424)."}).
		Define(sluice.ConfigKey{Name: SyslogFramingConfig, Type: sluice.TypeString, Default: SyslogAuto, Importance: sluice.Medium, Group: g,
			Validator: sluice.CaseInsensitiveValidString{SyslogAuto, SyslogOctetCounting, SyslogNonTransparent},
			Doc: "Sluice: TCP framing of RFC 6587: `octet-counting` (`LEN SP MSG`), `non-transparent` (messages end with LF or NUL), " +
				"or `auto` (decided per message: a leading digit means octet counting). UDP carries one message per datagram."}).
		Define(sluice.ConfigKey{Name: SyslogValueConfig, Type: sluice.TypeString, Default: SyslogValueMessage, Importance: sluice.Medium, Group: g,
			Validator: sluice.CaseInsensitiveValidString{SyslogValueMessage, SyslogValueLine},
			Doc:       "Sluice: record value: the parsed `message` part, or the whole `line`."}).
		Define(sluice.ConfigKey{Name: SyslogMaxLengthConfig, Type: sluice.TypeInt, Default: int32(DefaultSyslogMaxLength), Importance: sluice.Low, Group: g,
			Validator: sluice.AtLeast(1),
			Doc:       "Sluice: longest syslog message in bytes over TCP; longer ones are cut into pieces of this size (never dropped)."})
	return d
}

// sslKeys lists Kafka's client SSL keys that Java defines and does not use.
var sslUnusedKeys = []struct{ name, def, doc string }{
	{"ssl.provider", "", "Accepted; not used."},
	{"ssl.cipher.suites", "", "Accepted; not used (as in Java)."},
	{"ssl.enabled.protocols", "TLSv1.2,TLSv1.3", "Accepted; not used (as in Java, `ssl.protocol` decides)."},
	{"ssl.keymanager.algorithm", "SunX509", "Accepted; not used."},
	{"ssl.trustmanager.algorithm", "PKIX", "Accepted; not used."},
	{"ssl.endpoint.identification.algorithm", "https", "Accepted; not used (server side)."},
	{"ssl.secure.random.implementation", "", "Accepted; not used."},
	{"ssl.engine.factory.class", "", "Accepted; not supported (must be unset)."},
}

// SSL key names.
const (
	SSLProtocolConfig             = "ssl.protocol"
	SSLKeystoreTypeConfig         = "ssl.keystore.type"
	SSLKeystoreLocationConfig     = "ssl.keystore.location"
	SSLKeystorePasswordConfig     = "ssl.keystore.password"
	SSLKeyPasswordConfig          = "ssl.key.password"
	SSLKeystoreKeyConfig          = "ssl.keystore.key"
	SSLKeystoreCertChainConfig    = "ssl.keystore.certificate.chain"
	SSLTruststoreCertsConfig      = "ssl.truststore.certificates"
	SSLTruststoreTypeConfig       = "ssl.truststore.type"
	SSLTruststoreLocationConfig   = "ssl.truststore.location"
	SSLTruststorePasswordConfig   = "ssl.truststore.password"
	SSLClientAuthConfig           = "ssl.client.auth"
	SSLKeystoreCertLocationConfig = "ssl.keystore.certificate.location"
	SSLKeystoreKeyLocationConfig  = "ssl.keystore.key.location"
)

func defineSSL(d *sluice.ConfigDef) {
	g := "SSL"
	d.Define(sluice.ConfigKey{Name: SSLProtocolConfig, Type: sluice.TypeString, Default: "TLSv1.3", Importance: sluice.Medium, Group: g,
		Doc: "Highest TLS version offered: `TLSv1.3` (or `TLS`), `TLSv1.2`, `TLSv1.1`, `TLSv1`. Sluice accepts TLS 1.2 and later " +
			"unless this names an older version."}).
		Define(sluice.ConfigKey{Name: SSLKeystoreTypeConfig, Type: sluice.TypeString, Default: "JKS", Importance: sluice.Medium, Group: g,
			Doc: "`JKS`, `PKCS12` or `PEM` (case-insensitive). With `PEM`: `ssl.keystore.location` names one file holding the " +
				"private key and certificate chain, or `ssl.keystore.key` and `ssl.keystore.certificate.chain` hold them inline, " +
				"or (Sluice) `ssl.keystore.key.location` and `ssl.keystore.certificate.location` name two files."}).
		Define(sluice.ConfigKey{Name: SSLKeystoreLocationConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High, Group: g,
			Doc: "Absolute path of the keystore file (a relative path is rejected, as in Java)."}).
		Define(sluice.ConfigKey{Name: SSLKeystorePasswordConfig, Type: sluice.TypePassword, Default: nil, Importance: sluice.High, Group: g,
			Doc: "Keystore password (required with a JKS or PKCS12 keystore)."}).
		Define(sluice.ConfigKey{Name: SSLKeyPasswordConfig, Type: sluice.TypePassword, Default: nil, Importance: sluice.High, Group: g,
			Doc: "Password of the private keys (JKS) or of an encrypted PEM key; unset means the keystore password."}).
		Define(sluice.ConfigKey{Name: SSLKeystoreKeyConfig, Type: sluice.TypePassword, Default: nil, Importance: sluice.High, Group: g,
			Doc: "PEM private key text (with `ssl.keystore.type=PEM`)."}).
		Define(sluice.ConfigKey{Name: SSLKeystoreCertChainConfig, Type: sluice.TypePassword, Default: nil, Importance: sluice.High, Group: g,
			Doc: "PEM certificate chain text (with `ssl.keystore.type=PEM`)."}).
		Define(sluice.ConfigKey{Name: SSLTruststoreCertsConfig, Type: sluice.TypePassword, Default: nil, Importance: sluice.High, Group: g,
			Doc: "PEM trusted certificates text (with `ssl.truststore.type=PEM`)."}).
		Define(sluice.ConfigKey{Name: SSLTruststoreTypeConfig, Type: sluice.TypeString, Default: "JKS", Importance: sluice.Medium, Group: g,
			Doc: "`JKS`, `PKCS12` or `PEM`."}).
		Define(sluice.ConfigKey{Name: SSLTruststoreLocationConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High, Group: g,
			Doc: "Absolute path of the truststore; it verifies client certificates when `ssl.client.auth` asks for them."}).
		Define(sluice.ConfigKey{Name: SSLTruststorePasswordConfig, Type: sluice.TypePassword, Default: nil, Importance: sluice.High, Group: g,
			Doc: "Truststore password (JKS may omit it: the integrity check is then skipped)."})
	for _, k := range sslUnusedKeys {
		var def any
		typ := sluice.TypeString
		switch k.name {
		case "ssl.cipher.suites", "ssl.enabled.protocols":
			typ = sluice.TypeList
			if k.def != "" {
				def = k.def
			}
		case "ssl.engine.factory.class":
			typ = sluice.TypeClass
		default:
			if k.def != "" {
				def = k.def
			}
		}
		d.Define(sluice.ConfigKey{Name: k.name, Type: typ, Default: def, Importance: sluice.Low, Group: g, Doc: k.doc})
	}
	d.Define(sluice.ConfigKey{Name: SSLClientAuthConfig, Type: sluice.TypeString, Default: ClientAuthNone, Importance: sluice.Medium, Group: g,
		Validator: sluice.CaseInsensitiveValidString{ClientAuthNone, ClientAuthRequested, ClientAuthRequired},
		Doc: "Sluice: client certificates: `none` (Java's behaviour), `requested` (verified against the truststore when sent) " +
			"or `required`."}).
		Define(sluice.ConfigKey{Name: SSLKeystoreCertLocationConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium, Group: g,
			Doc: "Sluice: with `ssl.keystore.type=PEM`, absolute path of a PEM file with the certificate chain (leaf first)."}).
		Define(sluice.ConfigKey{Name: SSLKeystoreKeyLocationConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium, Group: g,
			Doc: "Sluice: with `ssl.keystore.type=PEM`, absolute path of a PEM file with the private key (PKCS#8, PKCS#1 or SEC 1)."}).
		Define(sluice.ConfigKey{Name: TLSHandshakeTimeoutConfig, Type: sluice.TypeLong, Default: int64(30000), Importance: sluice.Low, Group: g,
			Validator: sluice.AtLeast(1),
			Doc:       "Sluice: a TLS client that has not completed its handshake within this many ms is disconnected."})
}

// settings are a task's parsed configuration.
type settings struct {
	udp         bool
	bindAddress string
	ports       []int
	topic       string

	pollInterval time.Duration
	batchTimeout time.Duration
	batchSize    int
	capacity     int

	framer *Framer
	noData time.Duration

	udpReadSize   int
	udpSocketSize int

	ssl              bool
	tls              *tlsSettings
	handshakeTimeout time.Duration

	health      bool
	healthAddr  string
	healthPorts []int

	syslog          bool
	syslogFormat    string
	syslogFraming   string
	syslogValueLine bool
	syslogMaxLength int
}

// taskName is Java's task description, e.g. "TcpSourceTask (port:1,2 topic: t)".
func (s *settings) taskName() string {
	kind := "TcpSourceTask"
	if s.udp {
		kind = "UdpSourceTask"
	}
	ps := make([]string, len(s.ports))
	for i, p := range s.ports {
		ps[i] = strconv.Itoa(p)
	}
	return kind + " (port:" + strings.Join(ps, ",") + " topic: " + s.topic + ")"
}

// parseTransport checks transport.protocol as Java's connector does.
func parseTransport(v string) (udp bool, err error) {
	switch sluice.JavaUpperCase(v) {
	case "TCP":
		return false, nil
	case "UDP":
		return true, nil
	}
	return false, fmt.Errorf("Unsupported %s :%s", TransportProtocolConfig, v)
}

// portList is `port` followed by the `ports` items.
func portList(cfg *sluice.Config, portKey, portsKey string) ([]int, error) {
	var out []int
	if p, ok := cfg.Get(portKey).(int32); ok {
		out = append(out, int(p))
	}
	for _, item := range cfg.List(portsKey) {
		n, err := sluice.ParseJavaInt(item, 32)
		if err != nil {
			return nil, sluice.NewJavaError("NumberFormatException", "For input string: \"%s\" (in %s)", item, portsKey)
		}
		out = append(out, int(n))
	}
	for _, p := range out {
		if p < 0 || p > 65535 {
			return nil, sluice.NewJavaError("IllegalArgumentException", "port out of range:%d", p)
		}
	}
	return out, nil
}

func millis(ms int64) time.Duration {
	if ms < 0 {
		ms = 0
	}
	if ms > math.MaxInt64/int64(time.Millisecond) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(ms) * time.Millisecond
}

// parseSettings parses and checks a task configuration.
func parseSettings(props map[string]string) (*settings, error) {
	cfg, err := ConfigDef().Parse(props)
	if err != nil {
		return nil, err
	}
	s := &settings{
		bindAddress:      cfg.String(BindAddressConfig),
		topic:            cfg.String(TopicConfig),
		pollInterval:     millis(cfg.Long(PollIntervalConfig)),
		batchTimeout:     millis(cfg.Long(QueueBatchTimeoutConfig)),
		batchSize:        int(cfg.Int(QueueBatchSizeConfig)),
		capacity:         int(cfg.Int(QueueCapacityConfig)),
		udpReadSize:      int(cfg.Int(UDPReceiveBufferSizeConfig)),
		udpSocketSize:    int(cfg.Int(UDPSocketBufferSizeConfig)),
		ssl:              cfg.Bool(SSLEnabledConfig),
		handshakeTimeout: millis(cfg.Long(TLSHandshakeTimeoutConfig)),
		health:           cfg.Bool(HealthcheckEnabledConfig),
		syslog:           cfg.Bool(SyslogEnabledConfig),
		syslogFormat:     strings.ToLower(cfg.String(SyslogFormatConfig)),
		syslogFraming:    strings.ToLower(cfg.String(SyslogFramingConfig)),
		syslogValueLine:  strings.EqualFold(cfg.String(SyslogValueConfig), SyslogValueLine),
		syslogMaxLength:  int(cfg.Int(SyslogMaxLengthConfig)),
	}
	if s.udp, err = parseTransport(cfg.String(TransportProtocolConfig)); err != nil {
		return nil, err
	}
	if s.ports, err = portList(cfg, PortConfig, PortsConfig); err != nil {
		return nil, err
	}
	if len(s.ports) == 0 {
		return nil, fmt.Errorf("Port is not configured.")
	}
	if s.ssl && s.udp {
		return nil, &sluice.ConfigError{Name: SSLEnabledConfig, Value: true,
			Msg: "TLS is available for transport.protocol=tcp only"}
	}
	if cfg.Get(QueueClassConfig) != nil {
		return nil, &sluice.ConfigError{Name: QueueClassConfig, Value: cfg.Get(QueueClassConfig),
			Msg: "custom queue classes are not supported; use connector.queue.capacity"}
	}
	if v := cfg.Get("ssl.engine.factory.class"); v != nil {
		return nil, &sluice.ConfigError{Name: "ssl.engine.factory.class", Value: v, Msg: "not supported"}
	}
	if s.framer, err = framerFor(cfg, props); err != nil {
		return nil, err
	}
	def, err := NewFramer(props)
	if err != nil {
		return nil, err
	}
	s.noData = def.Settings().NoDataTimeout
	if s.ssl {
		if s.tls, err = parseTLSSettings(cfg); err != nil {
			return nil, err
		}
	}
	if s.health {
		s.healthAddr = strings.TrimSpace(cfg.String(HealthcheckBindAddrConfig))
		if s.healthAddr == "" {
			s.healthAddr = s.bindAddress
		}
		if s.healthPorts, err = portList(cfg, HealthcheckPortConfig, HealthcheckPortsConfig); err != nil {
			return nil, err
		}
		if len(s.healthPorts) == 0 {
			s.healthPorts = s.ports
		}
	}
	return s, nil
}

// framerFor builds the TCP framer: the default one from the framing keys,
// or the one a `framer` handler override names.
func framerFor(cfg *sluice.Config, props map[string]string) (*Framer, error) {
	for _, k := range []struct{ class, handlers string }{
		{ChannelInitClassConfig, ChannelHandlersConfig},
		{PipelineFactoryClassConfig, PipelineFactoryHandlersConf},
	} {
		if c, ok := cfg.Get(k.class).(string); ok && c != "" && !defaultPipelineClasses[c] {
			msg := "pipeline factory not supported; the default TCP/UDP pipeline is built in"
			if strings.Contains(c, "Syslog") {
				msg = "the Java syslog pipeline is not supported; set syslog.enabled=true for syslog parsing"
			}
			return nil, &sluice.ConfigError{Name: k.class, Value: c, Msg: msg}
		}
	}
	var framer *Framer
	for _, k := range []string{PipelineFactoryHandlersConf, ChannelHandlersConfig} {
		for _, name := range cfg.List(k) {
			sub := sluice.WithPrefix(props, k+"."+name+".")
			class, hasClass := sub["class"]
			class = sluice.JavaTrim(class)
			switch {
			case name == "framer" && hasClass && simpleFramerClasses[class]:
				f, err := NewSimpleFramer(sub)
				if err != nil {
					return nil, err
				}
				framer = f
			case name == "framer" && hasClass && defaultFramerClasses[class]:
				framer = nil
			default:
				return nil, &sluice.ConfigError{Name: k, Value: sluice.JavaListString(cfg.List(k)),
					Msg: fmt.Sprintf("handler override %q is not supported (only the framer can be replaced)", name)}
			}
		}
	}
	if framer != nil {
		return framer, nil
	}
	return NewFramer(props)
}
