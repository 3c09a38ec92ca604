package router

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"sluice.io/sluice"
)

// ignoredProducerKeys are Kafka producer settings that have no franz-go
// counterpart or are fixed by Sluice; they are accepted silently.
var ignoredProducerKeys = map[string]bool{
	"key.serializer": true, "value.serializer": true, "max.block.ms": true,
	"client.dns.lookup": true, "partitioner.class": true, "interceptor.classes": true,
	"metric.reporters": true, "metrics.num.samples": true, "metrics.sample.window.ms": true,
	"metrics.recording.level": true, "send.buffer.bytes": true, "receive.buffer.bytes": true,
	"reconnect.backoff.ms": true, "reconnect.backoff.max.ms": true, "connections.max.idle.ms": true,
	"auto.include.jmx.reporter": true,
}

// ProducerOptions maps Kafka producer settings (the worker's producer.*
// keys overridden by a connector's producer.override.* keys, prefixes
// stripped; bootstrap.servers included) onto franz-go options. Sluice's
// defaults are acks=all with idempotence, unbounded delivery timeout and
// retries (a record is never given up for a retriable error), no
// compression, and the partition a record names honoured. Keys without a
// counterpart are logged once and ignored.
func ProducerOptions(props map[string]string, clientID string, logger *slog.Logger) ([]kgo.Opt, error) {
	if logger == nil {
		logger = slog.Default()
	}
	opts := []kgo.Opt{
		kgo.ClientID(clientID),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerBatchCompression(kgo.NoCompression()),
		kgo.RecordPartitioner(honourPartition{kgo.UniformBytesPartitioner(64<<10, true, true, nil)}),
		kgo.ProducerLinger(5 * time.Millisecond),
		// Like Java's producer (max.block.ms is unbounded in Connect): ask
		// for missing topics to be created and keep waiting for them.
		kgo.AllowAutoTopicCreation(),
		kgo.UnknownTopicRetries(-1),
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	idempotent := true
	var ignored []string
	for _, k := range keys {
		v := sluice.JavaTrim(props[k])
		bad := func(err error) error {
			return &sluice.ConfigError{Name: k, Value: v, Msg: err.Error()}
		}
		switch k {
		case "bootstrap.servers":
			opts = append(opts, kgo.SeedBrokers(sluice.SplitList(v)...))
		case "client.id":
			if v != "" {
				opts = append(opts, kgo.ClientID(v))
			}
		case "acks":
			switch strings.ToLower(v) {
			case "all", "-1":
				opts = append(opts, kgo.RequiredAcks(kgo.AllISRAcks()))
			case "1":
				opts = append(opts, kgo.RequiredAcks(kgo.LeaderAck()))
				idempotent = false
			case "0":
				opts = append(opts, kgo.RequiredAcks(kgo.NoAck()))
				idempotent = false
			default:
				return nil, &sluice.ConfigError{Name: k, Value: v, Msg: "String must be one of: all, -1, 0, 1"}
			}
		case "enable.idempotence":
			b, err := parseBool(v)
			if err != nil {
				return nil, bad(err)
			}
			if !b {
				idempotent = false
			}
		case "linger.ms":
			n, err := parseMillis(v)
			if err != nil {
				return nil, bad(err)
			}
			opts = append(opts, kgo.ProducerLinger(n))
		case "batch.size":
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil || n < 0 {
				return nil, bad(fmt.Errorf("expected a non-negative integer"))
			}
			if n > 0 {
				opts = append(opts, kgo.ProducerBatchMaxBytes(int32(max(n, 1024))))
			}
		case "buffer.memory":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return nil, bad(fmt.Errorf("expected a positive integer"))
			}
			opts = append(opts, kgo.MaxBufferedBytes(int(n)))
		case "compression.type":
			c, err := compression(v)
			if err != nil {
				return nil, bad(err)
			}
			opts = append(opts, kgo.ProducerBatchCompression(c))
		case "max.in.flight.requests.per.connection":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, bad(fmt.Errorf("expected an integer of at least 1"))
			}
			opts = append(opts, kgo.MaxProduceRequestsInflightPerBroker(n))
		case "delivery.timeout.ms":
			n, err := parseMillis(v)
			if err != nil {
				return nil, bad(err)
			}
			if n < time.Duration(1<<31-1)*time.Millisecond {
				opts = append(opts, kgo.RecordDeliveryTimeout(n))
			}
		case "request.timeout.ms":
			n, err := parseMillis(v)
			if err != nil {
				return nil, bad(err)
			}
			opts = append(opts, kgo.ProduceRequestTimeout(n))
		case "retries":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return nil, bad(fmt.Errorf("expected a non-negative integer"))
			}
			if n < 1<<31-1 {
				opts = append(opts, kgo.RecordRetries(int(n)))
			}
		case "retry.backoff.ms":
			n, err := parseMillis(v)
			if err != nil {
				return nil, bad(err)
			}
			opts = append(opts, kgo.RetryBackoffFn(func(int) time.Duration { return n }))
		case "metadata.max.age.ms":
			n, err := parseMillis(v)
			if err != nil {
				return nil, bad(err)
			}
			opts = append(opts, kgo.MetadataMaxAge(n))
		case "max.request.size":
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil || n <= 0 {
				return nil, bad(fmt.Errorf("expected a positive integer"))
			}
			opts = append(opts, kgo.ProducerBatchMaxBytes(int32(n)))
		case "transactional.id":
			logger.Warn("producer setting ignored: transactions are not used for source connectors", "key", k)
		case "security.protocol", "sasl.mechanism", "sasl.jaas.config":
			// handled below
		default:
			if strings.HasPrefix(k, "ssl.") || ignoredProducerKeys[k] {
				continue
			}
			ignored = append(ignored, k)
		}
	}
	if !idempotent {
		opts = append(opts, kgo.DisableIdempotentWrite())
	}
	sec, err := SecurityOptions(props)
	if err != nil {
		return nil, err
	}
	opts = append(opts, sec...)
	if len(ignored) > 0 {
		logger.Warn("producer settings without a counterpart are ignored", "client", clientID, "keys", ignored)
	}
	return opts, nil
}

// SecurityOptions maps security.protocol, sasl.mechanism,
// sasl.jaas.config and ssl.* onto franz-go TLS and SASL options.
func SecurityOptions(props map[string]string) ([]kgo.Opt, error) {
	proto := strings.ToUpper(sluice.JavaTrim(props["security.protocol"]))
	if proto == "" {
		proto = "PLAINTEXT"
	}
	var opts []kgo.Opt
	switch proto {
	case "PLAINTEXT", "SASL_PLAINTEXT":
	case "SSL", "SASL_SSL":
		cfg, err := TLSConfig(props)
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(cfg))
	default:
		return nil, &sluice.ConfigError{Name: "security.protocol", Value: props["security.protocol"],
			Msg: "String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"}
	}
	if !strings.HasPrefix(proto, "SASL_") {
		return opts, nil
	}
	mech := strings.ToUpper(sluice.JavaTrim(props["sasl.mechanism"]))
	if mech == "" {
		mech = "GSSAPI"
	}
	user, pass, err := JAASCredentials(props["sasl.jaas.config"])
	if err != nil {
		return nil, &sluice.ConfigError{Name: "sasl.jaas.config", Value: "[hidden]", Msg: err.Error()}
	}
	switch mech {
	case "PLAIN":
		opts = append(opts, kgo.SASL(plain.Auth{User: user, Pass: pass}.AsMechanism()))
	case "SCRAM-SHA-256":
		opts = append(opts, kgo.SASL(scram.Sha256(func(context.Context) (scram.Auth, error) {
			return scram.Auth{User: user, Pass: pass}, nil
		})))
	case "SCRAM-SHA-512":
		opts = append(opts, kgo.SASL(scram.Sha512(func(context.Context) (scram.Auth, error) {
			return scram.Auth{User: user, Pass: pass}, nil
		})))
	default:
		return nil, &sluice.ConfigError{Name: "sasl.mechanism", Value: mech,
			Msg: "unsupported SASL mechanism; Sluice supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512"}
	}
	return opts, nil
}

// JAASCredentials extracts the username and password options of a JAAS
// login module entry such as
// `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";`.
func JAASCredentials(jaas string) (user, pass string, err error) {
	s := strings.TrimSpace(jaas)
	if s == "" {
		return "", "", fmt.Errorf("a JAAS configuration with username and password is required")
	}
	// login module class and control flag
	fields := 0
	i := 0
	for fields < 2 {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) && s[j] != ';' {
			j++
		}
		if j == i {
			return "", "", fmt.Errorf("JAAS configuration must name a login module and a control flag")
		}
		if fields == 1 {
			switch strings.ToLower(s[i:j]) {
			case "required", "requisite", "sufficient", "optional":
			default:
				return "", "", fmt.Errorf("invalid JAAS control flag %q", s[i:j])
			}
		}
		i = j
		fields++
	}
	opts := map[string]string{}
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] == ';' {
			break
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq <= 0 {
			return "", "", fmt.Errorf("JAAS option without '=' at %q", s[i:])
		}
		name := strings.TrimSpace(s[i : i+eq])
		i += eq + 1
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		var val strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					val.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '"' {
					closed = true
					i++
					break
				}
				val.WriteByte(c)
				i++
			}
			if !closed {
				return "", "", fmt.Errorf("unterminated quoted JAAS option %s", name)
			}
		} else {
			for i < len(s) && !isSpace(s[i]) && s[i] != ';' {
				val.WriteByte(s[i])
				i++
			}
		}
		opts[name] = val.String()
	}
	u, okU := opts["username"]
	p, okP := opts["password"]
	if !okU || !okP {
		return "", "", fmt.Errorf("JAAS configuration must set username and password")
	}
	return u, p, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("Expected value to be either true or false")
}

func parseMillis(v string) (time.Duration, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("expected a non-negative number of milliseconds")
	}
	return time.Duration(n) * time.Millisecond, nil
}

func compression(v string) (kgo.CompressionCodec, error) {
	switch strings.ToLower(v) {
	case "none":
		return kgo.NoCompression(), nil
	case "gzip":
		return kgo.GzipCompression(), nil
	case "snappy":
		return kgo.SnappyCompression(), nil
	case "lz4":
		return kgo.Lz4Compression(), nil
	case "zstd":
		return kgo.ZstdCompression(), nil
	}
	return kgo.NoCompression(), fmt.Errorf("String must be one of: none, gzip, snappy, lz4, zstd")
}

// honourPartition sends a record to the partition its source named
// (kgo.Record.Partition ≥ 0) and otherwise partitions as Java's producer
// does (murmur2 of the key, sticky batches for null keys).
type honourPartition struct{ inner kgo.Partitioner }

func (p honourPartition) ForTopic(t string) kgo.TopicPartitioner {
	return &honourTopic{inner: p.inner.ForTopic(t)}
}

type honourTopic struct{ inner kgo.TopicPartitioner }

func (p *honourTopic) RequiresConsistency(r *kgo.Record) bool {
	return r.Partition >= 0 || p.inner.RequiresConsistency(r)
}

func (p *honourTopic) Partition(r *kgo.Record, n int) int {
	if r.Partition >= 0 {
		return int(r.Partition) % n
	}
	return p.inner.Partition(r, n)
}

func (p *honourTopic) PartitionByBackup(r *kgo.Record, n int, it kgo.TopicBackupIter) int {
	if r.Partition >= 0 {
		return int(r.Partition) % n
	}
	if b, ok := p.inner.(kgo.TopicBackupPartitioner); ok {
		return b.PartitionByBackup(r, n, it)
	}
	return p.inner.Partition(r, n)
}

func (p *honourTopic) OnNewBatch() {
	if b, ok := p.inner.(kgo.TopicPartitionerOnNewBatch); ok {
		b.OnNewBatch()
	}
}
