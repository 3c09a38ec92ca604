package router

import (
	"strings"
	"testing"
)

func TestJAASCredentials(t *testing.T) {
	for _, c := range []struct{ in, user, pass, err string }{
		{`org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr;et";`, "alice", "s3cr;et", ""},
		{`org.apache.kafka.common.security.scram.ScramLoginModule required
		   username="bob"
		   password="a\"b";`, "bob", `a"b`, ""},
		{`X required username=plain password=pw`, "plain", "pw", ""},
		{`X required username="u";`, "", "", "username and password"},
		{`X mandatory username="u" password="p";`, "", "", "control flag"},
		{`X required username="u password="p";`, "", "", ""},
		{``, "", "", "required"},
	} {
		u, p, err := JAASCredentials(c.in)
		if c.err != "" || (c.user == "" && c.pass == "") {
			if err == nil {
				t.Errorf("%q: no error (got %q/%q)", c.in, u, p)
			} else if !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || u != c.user || p != c.pass {
			t.Errorf("%q: %q %q %v", c.in, u, p, err)
		}
	}
}

func TestProducerOptionsErrors(t *testing.T) {
	for _, c := range []struct {
		props map[string]string
		err   string
	}{
		{map[string]string{"acks": "2"}, "acks"},
		{map[string]string{"compression.type": "brotli"}, "compression.type"},
		{map[string]string{"linger.ms": "-1"}, "linger.ms"},
		{map[string]string{"security.protocol": "KERBEROS"}, "security.protocol"},
		{map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN"}, "sasl.jaas.config"},
		{map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "GSSAPI",
			"sasl.jaas.config": `X required username="u" password="p";`}, "sasl.mechanism"},
		{map[string]string{"security.protocol": "SSL", "ssl.truststore.location": "/nonexistent"}, "truststore"},
	} {
		_, err := ProducerOptions(c.props, "c", nil)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%v: error %v, want mention of %q", c.props, err, c.err)
		}
	}
	opts, err := ProducerOptions(map[string]string{"acks": "1", "linger.ms": "20", "compression.type": "zstd",
		"batch.size": "16384", "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-512",
		"sasl.jaas.config": `X required username="u" password="p";`, "some.unknown": "x"}, "c", nil)
	if err != nil || len(opts) < 8 {
		t.Fatalf("valid settings: %d options, %v", len(opts), err)
	}
}
