package netsource

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
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"
)

type testCert struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

func newCert(t testing.TB, cn string, dns []string, ca *testCert, isCA, client bool) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     dns,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if !isCA {
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		if client {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		}
	} else {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	parent, signer := tmpl, key
	if ca != nil {
		parent, signer = ca.cert, ca.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &testCert{key: key, cert: c}
}

type pki struct {
	ca, def, other, client *testCert
	dir                    string
}

func newPKI(t testing.TB) *pki {
	ca := newCert(t, "test-ca", nil, nil, true, false)
	return &pki{
		ca:     ca,
		def:    newCert(t, "default", []string{"localhost"}, ca, false, false),
		other:  newCert(t, "other", []string{"other.example"}, ca, false, false),
		client: newCert(t, "client", nil, ca, false, true),
		dir:    t.TempDir(),
	}
}

func (p *pki) write(t testing.TB, name string, data []byte) string {
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func pkcs8(t testing.TB, k *ecdsa.PrivateKey) []byte {
	b, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (p *pki) jks(t testing.TB) string {
	ks := keystore.New()
	for alias, c := range map[string]*testCert{"default": p.def, "other.example": p.other} {
		err := ks.SetPrivateKeyEntry(alias, keystore.PrivateKeyEntry{
			CreationTime: time.Now(),
			PrivateKey:   pkcs8(t, c.key),
			CertificateChain: []keystore.Certificate{
				{Type: "X509", Content: c.cert.Raw}, {Type: "X509", Content: p.ca.cert.Raw}},
		}, []byte("keypass"))
		if err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte("storepass")); err != nil {
		t.Fatal(err)
	}
	return p.write(t, "server.jks", buf.Bytes())
}

func (p *pki) p12(t testing.TB) string {
	data, err := pkcs12.Modern.Encode(p.def.key, p.def.cert, []*x509.Certificate{p.ca.cert}, "p12pass")
	if err != nil {
		t.Fatal(err)
	}
	return p.write(t, "server.p12", data)
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// dialTLS connects with the test CA as root and returns the served leaf's
// common name.
func (p *pki) dialTLS(t testing.TB, task *Task, sni string, client *testCert) (*tls.Conn, string) {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(p.ca.cert)
	cfg := &tls.Config{RootCAs: roots, ServerName: sni}
	if sni == "" {
		cfg.ServerName = "127.0.0.1"
	}
	if client != nil {
		cfg.Certificates = []tls.Certificate{{Certificate: [][]byte{client.cert.Raw}, PrivateKey: client.key}}
	}
	c, err := tls.Dial("tcp", task.Addr().String(), cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, c.ConnectionState().PeerCertificates[0].Subject.CommonName
}

func TestTLSJKSWithSNI(t *testing.T) {
	p := newPKI(t)
	task := startTask(t, baseProps(SSLEnabledConfig, "true", SSLKeystoreLocationConfig, p.jks(t),
		SSLKeystorePasswordConfig, "storepass", SSLKeyPasswordConfig, "keypass", SSLKeyAliasConfig, "default"))
	c1, cn := p.dialTLS(t, task, "", nil)
	if cn != "default" {
		t.Fatalf("without SNI served %q", cn)
	}
	c2, cn := p.dialTLS(t, task, "other.example", nil)
	if cn != "other" {
		t.Fatalf("SNI other.example served %q", cn)
	}
	_, _ = c1.Write([]byte("over tls\n"))
	recs := pollN(t, task, 1)
	_, _ = c2.Write([]byte("second\n"))
	recs = append(recs, pollN(t, task, 1)...)
	if got := values(recs); got[0] != "over tls" || got[1] != "second" {
		t.Fatalf("values = %q", got)
	}
	if recs[0].Headers[0].Value != "127.0.0.1" || recs[0].Headers[3].Value != "tcp" {
		t.Fatalf("headers = %v", recs[0].Headers)
	}
	// A wrong store password fails at configuration time.
	err := (&Connector{}).Configure(baseProps(SSLEnabledConfig, "true", SSLKeystoreLocationConfig, p.jks(t),
		SSLKeystorePasswordConfig, "wrong", SSLKeyPasswordConfig, "keypass"))
	if err == nil {
		t.Fatal("wrong keystore password accepted")
	}
	// An alias that is not in the keystore is a configuration error.
	err = (&Connector{}).Configure(baseProps(SSLEnabledConfig, "true", SSLKeystoreLocationConfig, p.jks(t),
		SSLKeystorePasswordConfig, "storepass", SSLKeyPasswordConfig, "keypass", SSLKeyAliasConfig, "nope"))
	if err == nil {
		t.Fatal("unknown alias accepted")
	}
}

func TestTLSPKCS12(t *testing.T) {
	p := newPKI(t)
	task := startTask(t, baseProps(SSLEnabledConfig, "true", SSLKeystoreTypeConfig, "PKCS12",
		SSLKeystoreLocationConfig, p.p12(t), SSLKeystorePasswordConfig, "p12pass", SSLProtocolConfig, "TLSv1.2"))
	c, cn := p.dialTLS(t, task, "localhost", nil)
	if cn != "default" || c.ConnectionState().Version != tls.VersionTLS12 {
		t.Fatalf("served %q over %x", cn, c.ConnectionState().Version)
	}
	_, _ = c.Write([]byte("p12 line\n"))
	if got := values(pollN(t, task, 1)); got[0] != "p12 line" {
		t.Fatalf("values = %q", got)
	}
}

func TestTLSPEMWithClientAuth(t *testing.T) {
	p := newPKI(t)
	chain := append(pemOf("CERTIFICATE", p.def.cert.Raw), pemOf("CERTIFICATE", p.ca.cert.Raw)...)
	certFile := p.write(t, "server.crt", chain)
	keyFile := p.write(t, "server.key", pemOf("PRIVATE KEY", pkcs8(t, p.def.key)))
	caFile := p.write(t, "ca.crt", pemOf("CERTIFICATE", p.ca.cert.Raw))
	task := startTask(t, baseProps(SSLEnabledConfig, "true", SSLKeystoreTypeConfig, "PEM",
		SSLKeystoreCertLocationConfig, certFile, SSLKeystoreKeyLocationConfig, keyFile,
		SSLTruststoreTypeConfig, "PEM", SSLTruststoreLocationConfig, caFile, SSLClientAuthConfig, "required"))

	// Without a client certificate the server refuses the connection.
	c, _ := p.dialTLS(t, task, "localhost", nil)
	_, _ = c.Write([]byte("refused\n"))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("connection without client certificate was served")
	}
	ok, _ := p.dialTLS(t, task, "localhost", p.client)
	_, _ = ok.Write([]byte("authenticated\n"))
	if got := values(pollN(t, task, 1)); got[0] != "authenticated" {
		t.Fatalf("values = %q", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if recs, _ := task.Poll(ctx); len(recs) != 0 {
		t.Fatalf("unauthenticated data became records: %q", values(recs))
	}

	// One PEM file holding key and chain, through ssl.keystore.location.
	both := p.write(t, "both.pem", append(pemOf("PRIVATE KEY", pkcs8(t, p.def.key)), chain...))
	task2 := startTask(t, baseProps(SSLEnabledConfig, "true", SSLKeystoreTypeConfig, "pem", SSLKeystoreLocationConfig, both))
	c2, cn := p.dialTLS(t, task2, "localhost", nil)
	_, _ = c2.Write([]byte("pem\n"))
	if got := values(pollN(t, task2, 1)); cn != "default" || got[0] != "pem" {
		t.Fatalf("served %q, values %q", cn, got)
	}
}
