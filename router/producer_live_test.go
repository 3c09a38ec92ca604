package router

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"software.sslmate.com/src/go-pkcs12"

	"sluice.io/sluice"
)

const liveTopic = "live-out"

// testPKI is a throw-away certificate authority with a server and a client
// certificate, written to files in every store format Kafka accepts.
type testPKI struct {
	dir       string
	caPool    *x509.CertPool
	caPEM     string
	server    tls.Certificate // SANs 127.0.0.1 and localhost
	serverDNS tls.Certificate // SAN kafka.invalid only
	client    tls.Certificate
	otherPEM  string // a CA that signed nothing here
}

func newCert(t *testing.T, tmpl *x509.Certificate, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	dir := t.TempDir()
	caTmpl := func(cn string) *x509.Certificate {
		return &x509.Certificate{Subject: pkix.Name{CommonName: cn}, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	}
	ca, caKey := newCert(t, caTmpl("sluice test CA"), nil, nil)
	other, _ := newCert(t, caTmpl("untrusted CA"), nil, nil)
	leaf := func(cn string, usage x509.ExtKeyUsage, ips []net.IP, dns []string) (tls.Certificate, *x509.Certificate, *ecdsa.PrivateKey) {
		c, k := newCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: cn}, IPAddresses: ips, DNSNames: dns,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}, ca, caKey)
		return tls.Certificate{Certificate: [][]byte{c.Raw, ca.Raw}, PrivateKey: k, Leaf: c}, c, k
	}
	server, _, _ := leaf("broker", x509.ExtKeyUsageServerAuth, []net.IP{net.IPv4(127, 0, 0, 1)}, []string{"localhost"})
	serverDNS, _, _ := leaf("broker", x509.ExtKeyUsageServerAuth, nil, []string{"kafka.invalid"})
	client, clientCert, clientKey := leaf("producer", x509.ExtKeyUsageClientAuth, nil, nil)
	p := &testPKI{dir: dir, caPool: x509.NewCertPool(), caPEM: pemOf("CERTIFICATE", ca.Raw),
		server: server, serverDNS: serverDNS, client: client, otherPEM: pemOf("CERTIFICATE", other.Raw)}
	p.caPool.AddCert(ca)

	// Trust stores.
	writeFile(t, filepath.Join(dir, "ca.pem"), []byte(p.caPEM))
	writeFile(t, filepath.Join(dir, "other.pem"), []byte(p.otherPEM))
	ts := keystore.New()
	if err := ts.SetTrustedCertificateEntry("caroot", keystore.TrustedCertificateEntry{CreationTime: time.Now(),
		Certificate: keystore.Certificate{Type: "X509", Content: ca.Raw}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ts.Store(&buf, []byte("trustpass")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "truststore.jks"), buf.Bytes())
	p12, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{ca}, "trustpass")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "truststore.p12"), p12)

	// Key stores: PEM (PKCS#8 key followed by the chain), JKS with a key
	// password distinct from the store password, PKCS#12.
	pk8, err := x509.MarshalPKCS8PrivateKey(clientKey)
	if err != nil {
		t.Fatal(err)
	}
	chainPEM := pemOf("CERTIFICATE", clientCert.Raw) + p.caPEM
	writeFile(t, filepath.Join(dir, "client.key"), []byte(pemOf("PRIVATE KEY", pk8)))
	writeFile(t, filepath.Join(dir, "client.pem"), []byte(pemOf("PRIVATE KEY", pk8)+chainPEM))
	writeFile(t, filepath.Join(dir, "client-chain.pem"), []byte(chainPEM))
	ks := keystore.New()
	if err := ks.SetPrivateKeyEntry("producer", keystore.PrivateKeyEntry{CreationTime: time.Now(), PrivateKey: pk8,
		CertificateChain: []keystore.Certificate{{Type: "X509", Content: clientCert.Raw}, {Type: "X509", Content: ca.Raw}}},
		[]byte("keypass")); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := ks.Store(&buf, []byte("storepass")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "keystore.jks"), buf.Bytes())
	p12, err = pkcs12.Modern.Encode(clientKey, clientCert, []*x509.Certificate{ca}, "storepass")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "keystore.p12"), p12)
	return p
}

func (p *testPKI) path(name string) string { return filepath.Join(p.dir, name) }

// serverTLS is the broker side: the given certificate, and client
// certificates required when mutual is set.
func (p *testPKI) serverTLS(cert tls.Certificate, mutual bool) *tls.Config {
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if mutual {
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = p.caPool
	}
	return cfg
}

// startCluster starts a one-broker kfake cluster holding liveTopic.
func startCluster(t *testing.T, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.SeedTopics(1, liveTopic)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// workerProducer builds a producer from worker properties the way the
// standalone worker does: producer.* keys with the prefix stripped,
// bootstrap.servers defaulting to the worker's, producer.override.* keys
// of the connector on top.
func workerProducer(t *testing.T, worker, connector map[string]string, bootstrap []string) (*kgo.Client, error) {
	t.Helper()
	props := sluice.WithPrefix(worker, "producer.")
	if _, ok := props["bootstrap.servers"]; !ok {
		props["bootstrap.servers"] = strings.Join(bootstrap, ",")
	}
	for k, v := range sluice.WithPrefix(connector, "producer.override.") {
		props[k] = v
	}
	opts, err := ProducerOptions(props, "connector-producer-live-0", nil)
	if err != nil {
		return nil, err
	}
	// Fail a dial quickly rather than wait out the default 10 s.
	return kgo.NewClient(append(opts, kgo.MaxBufferedRecords(64), kgo.DialTimeout(2*time.Second))...)
}

// roundTrip produces three records through the worker-built producer and
// reads them back with a client configured independently of the code under
// test.
func roundTrip(t *testing.T, c *kfake.Cluster, worker map[string]string, reader ...kgo.Opt) {
	t.Helper()
	prod, err := workerProducer(t, worker, nil, c.ListenAddrs())
	if err != nil {
		t.Fatalf("building the producer: %v", err)
	}
	defer prod.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// The values name the test so that records of earlier subtests on
	// the same cluster are told apart.
	want := []string{t.Name() + "/one", t.Name() + "/two", t.Name() + "/three"}
	recs := make([]*kgo.Record, len(want))
	for i, v := range want {
		recs[i] = &kgo.Record{Topic: liveTopic, Partition: -1, Key: []byte(fmt.Sprint(i)), Value: []byte(v)}
	}
	if err := prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("producing: %v", err)
	}

	cons, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics(liveTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}, reader...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	var got []string
	for len(got) < len(want) && ctx.Err() == nil {
		fs := cons.PollFetches(ctx)
		for _, e := range fs.Errors() {
			if !errors.Is(e.Err, context.DeadlineExceeded) {
				t.Fatalf("reading back: %v", e.Err)
			}
		}
		fs.EachRecord(func(r *kgo.Record) {
			if strings.HasPrefix(string(r.Value), t.Name()+"/") {
				got = append(got, string(r.Value))
			}
		})
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("read back %q, want %q", got, want)
	}
}

// failure is a producer configuration that must not deliver.
type failure struct {
	name  string
	props map[string]string // worker properties
	want  string            // text the error must contain
}

// expectFailures checks that producing through a worker-built producer for
// each failure, with producer.delivery.timeout.ms bounding the wait, fails
// by itself with a record timeout that carries the underlying cause (any
// cause when want is empty: kfake closes the connection on a failed SASL
// exchange instead of answering SASL_AUTHENTICATION_FAILED, so the client
// sees only an EOF, and only after its own request retries). The cases run
// concurrently, so the whole check takes about one timeout.
func expectFailures(t *testing.T, c *kfake.Cluster, fs []failure) {
	t.Helper()
	const limit = 5 * time.Second
	type result struct {
		err  error
		took time.Duration
	}
	results := make([]result, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			props := map[string]string{"producer.delivery.timeout.ms": "1000"}
			for k, v := range f.props {
				props[k] = v
			}
			prod, err := workerProducer(t, props, nil, c.ListenAddrs())
			if err != nil {
				results[i].err = fmt.Errorf("building the producer: %w", err)
				return
			}
			defer prod.Close()
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			start := time.Now()
			err = prod.ProduceSync(ctx, &kgo.Record{Topic: liveTopic, Partition: -1, Value: []byte("x")}).FirstErr()
			results[i] = result{err, time.Since(start)}
		}()
	}
	wg.Wait()
	for i, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			err, took := results[i].err, results[i].took
			switch {
			case err == nil:
				t.Fatal("produce succeeded")
			case errors.Is(err, context.DeadlineExceeded) || took >= limit:
				t.Fatalf("produce did not fail by itself within %v: %v", limit, err)
			case !errors.Is(err, kgo.ErrRecordTimeout) || !strings.Contains(err.Error(), f.want):
				t.Fatalf("error %q is not a record timeout naming %q", err, f.want)
			}
		})
	}
}

func TestLiveSSLTrustStores(t *testing.T) {
	t.Parallel()
	p := newTestPKI(t)
	c := startCluster(t, kfake.TLS(p.serverTLS(p.server, false)))
	reader := kgo.DialTLSConfig(&tls.Config{RootCAs: p.caPool})
	for _, tc := range []struct {
		name  string
		props map[string]string
	}{
		{"jks-default-type", map[string]string{"producer.ssl.truststore.location": p.path("truststore.jks"),
			"producer.ssl.truststore.password": "trustpass"}},
		{"pkcs12", map[string]string{"producer.ssl.truststore.type": "PKCS12",
			"producer.ssl.truststore.location": p.path("truststore.p12"), "producer.ssl.truststore.password": "trustpass"}},
		{"pem-file", map[string]string{"producer.ssl.truststore.type": "PEM",
			"producer.ssl.truststore.location": p.path("ca.pem")}},
		// The JDK reads either store format whichever of the two types
		// is declared.
		{"jks-type-pkcs12-file", map[string]string{"producer.ssl.truststore.type": "JKS",
			"producer.ssl.truststore.location": p.path("truststore.p12"), "producer.ssl.truststore.password": "trustpass"}},
		{"pkcs12-type-jks-file", map[string]string{"producer.ssl.truststore.type": "PKCS12",
			"producer.ssl.truststore.location": p.path("truststore.jks"), "producer.ssl.truststore.password": "trustpass"}},
		{"pem-inline", map[string]string{"producer.ssl.truststore.type": "PEM",
			"producer.ssl.truststore.certificates": p.caPEM}},
		{"lowercase-protocol-tls13", map[string]string{"producer.ssl.truststore.type": "pem",
			"producer.ssl.truststore.location": p.path("ca.pem"), "producer.ssl.enabled.protocols": "TLSv1.3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			props := map[string]string{"producer.security.protocol": "SSL"}
			if tc.name == "lowercase-protocol-tls13" {
				props["producer.security.protocol"] = "ssl"
			}
			for k, v := range tc.props {
				props[k] = v
			}
			roundTrip(t, c, props, reader)
		})
	}
}

func TestLiveSSLMutual(t *testing.T) {
	t.Parallel()
	p := newTestPKI(t)
	c := startCluster(t, kfake.TLS(p.serverTLS(p.server, true)))
	reader := kgo.DialTLSConfig(&tls.Config{RootCAs: p.caPool, Certificates: []tls.Certificate{p.client}})
	chain, err := os.ReadFile(p.path("client-chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(p.path("client.key"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		props map[string]string
	}{
		{"jks", map[string]string{"producer.ssl.keystore.location": p.path("keystore.jks"),
			"producer.ssl.keystore.password": "storepass", "producer.ssl.key.password": "keypass"}},
		{"pkcs12", map[string]string{"producer.ssl.keystore.type": "PKCS12",
			"producer.ssl.keystore.location": p.path("keystore.p12"), "producer.ssl.keystore.password": "storepass"}},
		{"default-type-pkcs12-file", map[string]string{"producer.ssl.keystore.location": p.path("keystore.p12"),
			"producer.ssl.keystore.password": "storepass"}},
		{"pem-file", map[string]string{"producer.ssl.keystore.type": "PEM",
			"producer.ssl.keystore.location": p.path("client.pem")}},
		{"pem-inline", map[string]string{"producer.ssl.keystore.type": "PEM",
			"producer.ssl.keystore.key": string(key), "producer.ssl.keystore.certificate.chain": string(chain)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			props := map[string]string{"producer.security.protocol": "SSL", "producer.ssl.truststore.type": "PEM",
				"producer.ssl.truststore.location": p.path("ca.pem")}
			for k, v := range tc.props {
				props[k] = v
			}
			roundTrip(t, c, props, reader)
		})
	}
	expectFailures(t, c, []failure{{"no-client-certificate", map[string]string{"producer.security.protocol": "SSL",
		"producer.ssl.truststore.type": "PEM", "producer.ssl.truststore.location": p.path("ca.pem")},
		"certificate required"}})
}

func TestLiveSSLEndpointIdentification(t *testing.T) {
	t.Parallel()
	p := newTestPKI(t)
	c := startCluster(t, kfake.TLS(p.serverTLS(p.serverDNS, false)))
	base := map[string]string{"producer.security.protocol": "SSL", "producer.ssl.truststore.type": "PEM",
		"producer.ssl.truststore.location": p.path("ca.pem")}
	t.Run("empty-algorithm-skips-host-name", func(t *testing.T) {
		props := map[string]string{"producer.ssl.endpoint.identification.algorithm": ""}
		for k, v := range base {
			props[k] = v
		}
		roundTrip(t, c, props, kgo.DialTLSConfig(&tls.Config{RootCAs: p.caPool, ServerName: "kafka.invalid"}))
	})
	expectFailures(t, c, []failure{
		{"host-name-checked", base, "doesn't contain any IP SANs"},
		{"empty-algorithm-still-checks-chain", map[string]string{"producer.security.protocol": "SSL",
			"producer.ssl.truststore.type": "PEM", "producer.ssl.truststore.location": p.path("other.pem"),
			"producer.ssl.endpoint.identification.algorithm": ""}, "certificate signed by unknown authority"},
	})
}

func TestLiveSSLUntrusted(t *testing.T) {
	t.Parallel()
	p := newTestPKI(t)
	c := startCluster(t, kfake.TLS(p.serverTLS(p.server, false)))
	expectFailures(t, c, []failure{{"other-ca", map[string]string{"producer.security.protocol": "SSL",
		"producer.ssl.truststore.type": "PEM", "producer.ssl.truststore.location": p.path("other.pem")},
		"certificate signed by unknown authority"}})
	t.Run("wrong-store-password", func(t *testing.T) {
		_, err := workerProducer(t, map[string]string{"producer.security.protocol": "SSL",
			"producer.ssl.truststore.location": p.path("truststore.jks"), "producer.ssl.truststore.password": "nope"},
			nil, c.ListenAddrs())
		if err == nil || !strings.Contains(err.Error(), "JKS trust store") {
			t.Fatalf("error %v, want a JKS trust store error", err)
		}
	})
}

// saslJAAS is a JAAS entry as found in worker properties files.
func saslJAAS(module, user, pass string) string {
	return fmt.Sprintf(`org.apache.kafka.common.security.%s required username="%s" password="%s";`, module, user, pass)
}

func TestLiveSASL(t *testing.T) {
	t.Parallel()
	const pass = `p"w;d s3cret`
	jaasPass := strings.ReplaceAll(pass, `"`, `\"`)
	c := startCluster(t, kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "reader", "readerpw"),
		kfake.Superuser("PLAIN", "alice", pass),
		kfake.Superuser("SCRAM-SHA-256", "bob", pass),
		kfake.Superuser("SCRAM-SHA-512", "carol", pass))
	reader := kgo.SASL(plain.Auth{User: "reader", Pass: "readerpw"}.AsMechanism())
	cases := []struct{ mech, module, user string }{
		{"PLAIN", "plain.PlainLoginModule", "alice"},
		{"SCRAM-SHA-256", "scram.ScramLoginModule", "bob"},
		{"SCRAM-SHA-512", "scram.ScramLoginModule", "carol"},
	}
	// The server closes the connection without a SASL session: the
	// client names the likely cause.
	fails := []failure{{"plaintext-client", map[string]string{}, "is SASL missing?"}}
	for _, tc := range cases {
		t.Run(tc.mech, func(t *testing.T) {
			roundTrip(t, c, map[string]string{"producer.security.protocol": "SASL_PLAINTEXT",
				"producer.sasl.mechanism":   tc.mech,
				"producer.sasl.jaas.config": saslJAAS(tc.module, tc.user, jaasPass)}, reader)
		})
		fails = append(fails, failure{tc.mech + "-wrong-password", map[string]string{
			"producer.security.protocol": "SASL_PLAINTEXT", "producer.sasl.mechanism": tc.mech,
			"producer.sasl.jaas.config": saslJAAS(tc.module, tc.user, "wrong")}, ""})
	}
	expectFailures(t, c, fails)
	t.Run("override-credentials", func(t *testing.T) {
		// The worker's credentials are wrong; the connector's
		// producer.override.* ones win.
		worker := map[string]string{"producer.security.protocol": "SASL_PLAINTEXT", "producer.sasl.mechanism": "PLAIN",
			"producer.sasl.jaas.config": saslJAAS("plain.PlainLoginModule", "alice", "wrong")}
		prod, err := workerProducer(t, worker, map[string]string{"producer.override.sasl.mechanism": "SCRAM-SHA-512",
			"producer.override.sasl.jaas.config": saslJAAS("scram.ScramLoginModule", "carol", jaasPass)}, c.ListenAddrs())
		if err != nil {
			t.Fatal(err)
		}
		defer prod.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := prod.ProduceSync(ctx, &kgo.Record{Topic: liveTopic, Partition: -1, Value: []byte("o")}).FirstErr(); err != nil {
			t.Fatalf("producing with overridden credentials: %v", err)
		}
	})
}

func TestLiveSASLSSL(t *testing.T) {
	t.Parallel()
	p := newTestPKI(t)
	c := startCluster(t, kfake.TLS(p.serverTLS(p.server, false)), kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "reader", "readerpw"),
		kfake.Superuser("SCRAM-SHA-512", "carol", "carolpw"))
	reader := []kgo.Opt{kgo.DialTLSConfig(&tls.Config{RootCAs: p.caPool}),
		kgo.SASL(plain.Auth{User: "reader", Pass: "readerpw"}.AsMechanism())}
	props := func(pass, trust string) map[string]string {
		return map[string]string{"producer.security.protocol": "SASL_SSL", "producer.sasl.mechanism": "SCRAM-SHA-512",
			"producer.sasl.jaas.config":        saslJAAS("scram.ScramLoginModule", "carol", pass),
			"producer.ssl.truststore.location": p.path(trust), "producer.ssl.truststore.password": "trustpass"}
	}
	t.Run("scram-jks", func(t *testing.T) {
		roundTrip(t, c, props("carolpw", "truststore.jks"), reader...)
	})
	untrusted := props("carolpw", "other.pem")
	untrusted["producer.ssl.truststore.type"] = "PEM"
	noSASL := props("carolpw", "truststore.jks")
	noSASL["producer.security.protocol"] = "SSL"
	expectFailures(t, c, []failure{
		{"wrong-password", props("nope", "truststore.jks"), ""},
		{"untrusted-ca", untrusted, "certificate signed by unknown authority"},
		{"ssl-without-sasl", noSASL, "is SASL missing?"},
	})
}

// TestLiveClusterCheck exercises the worker's start-up probe: the
// producer.* security settings alone and a metadata request under a
// deadline, which must end with an error of its own on bad credentials or
// an untrusted broker.
func TestLiveClusterCheck(t *testing.T) {
	t.Parallel()
	p := newTestPKI(t)
	c := startCluster(t, kfake.TLS(p.serverTLS(p.server, false)), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-256", "bob", "bobpw"))
	probe := func(pass, trustType, trust string) error {
		props := sluice.WithPrefix(map[string]string{"producer.security.protocol": "SASL_SSL",
			"producer.sasl.mechanism":          "SCRAM-SHA-256",
			"producer.sasl.jaas.config":        saslJAAS("scram.ScramLoginModule", "bob", pass),
			"producer.ssl.truststore.type":     trustType,
			"producer.ssl.truststore.location": p.path(trust), "producer.ssl.truststore.password": "trustpass"},
			"producer.")
		opts, err := SecurityOptions(props)
		if err != nil {
			return err
		}
		cl, err := kgo.NewClient(append(opts, kgo.SeedBrokers(c.ListenAddrs()...))...)
		if err != nil {
			return err
		}
		defer cl.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err = kadm.NewClient(cl).BrokerMetadata(ctx)
		if ctx.Err() != nil {
			t.Fatalf("probe did not end by itself: %v", err)
		}
		return err
	}
	for _, tc := range []struct{ name, pass, typ, trust, err string }{
		{"ok", "bobpw", "PKCS12", "truststore.p12", ""},
		{"wrong-password", "bad", "PKCS12", "truststore.p12", "EOF"},
		{"untrusted-ca", "bobpw", "PEM", "other.pem", "certificate signed by unknown authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := probe(tc.pass, tc.typ, tc.trust)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("probe: %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("probe error %v, want one naming %q", err, tc.err)
			}
		})
	}
}
