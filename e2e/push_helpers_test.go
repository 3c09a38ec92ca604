package e2e

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"

	"sluice.io/sluice/rules"
)

// The quick-start push pipeline: TCP syslog, card and SSN masking, routing
// by severity.
const (
	pushExampleWorker    = "../examples/standalone/worker.properties"
	pushExampleConnector = "../examples/standalone/syslog-tcp.properties"
	pushTopicCritical    = "syslog-critical"
	pushTopicWarning     = "syslog-warning"
	pushTopicInfo        = "syslog-info"
	pushTopicDLQ         = "syslog-dlq"
)

// pushTopics are the three routed topics.
var pushTopics = []string{pushTopicCritical, pushTopicWarning, pushTopicInfo}

// pushTopicFor is the topic a message of syslog severity sev is routed to.
func pushTopicFor(sev int) string {
	switch {
	case sev <= 3:
		return pushTopicCritical
	case sev <= 5:
		return pushTopicWarning
	}
	return pushTopicInfo
}

// pushSyslogConnector returns the example syslog connector listening on
// 127.0.0.1:port, with a 100 ms poll.interval (a partial batch is handed
// on after at most that long instead of 5 s) and further key/value
// overrides.
func pushSyslogConnector(t testing.TB, port int, kv ...string) map[string]string {
	t.Helper()
	p, err := rules.LoadPropertiesFile(pushExampleConnector)
	if err != nil {
		t.Fatal(err)
	}
	m := p.Map()
	m["port"] = strconv.Itoa(port)
	m["poll.interval"] = "100"
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// pushLine is one generated syslog line: the bytes sent (newline
// included), the message as it must arrive after masking, and its
// severity.
type pushLine struct {
	raw    string
	masked string
	sev    int
}

// pushMakeLine generates line seq of connection conn: an RFC 3164 message
// of about 190 bytes whose severity cycles through 0..7, a third carrying
// a card number (in three spellings) and a fifth an SSN.
func pushMakeLine(conn, seq int) pushLine {
	sev := (seq*5 + conn) % 8
	pri := 4*8 + sev // facility auth
	var raw, masked strings.Builder
	head := fmt.Sprintf("conn=%d seq=%07d user=u%04d action=login src=10.%d.%d.%d", conn, seq, seq%9973,
		conn%250, (seq/250)%250, seq%250)
	raw.WriteString(head)
	masked.WriteString(head)
	if seq%3 == 0 {
		last := seq % 10000
		sep := [...]string{"-", " ", ""}[seq%9/3]
		fmt.Fprintf(&raw, " card=4111%s1111%s1111%s%04d", sep, sep, sep, last)
		fmt.Fprintf(&masked, " card=****-****-****-%04d", last)
	}
	if seq%5 == 0 {
		fmt.Fprintf(&raw, " ssn=%03d-%02d-%04d", 100+seq%800, 10+seq%89, seq%10000)
		masked.WriteString(" ssn=***-**-****")
	}
	tail := " status=ok session=a1b2c3d4e5f6 agent=sluice-e2e"
	raw.WriteString(tail)
	masked.WriteString(tail)
	for raw.Len() < 150 {
		raw.WriteString(" pad")
		masked.WriteString(" pad")
	}
	line := fmt.Sprintf("<%d>Oct 11 22:14:15 host%d app[%d]: %s\n", pri, conn, 1000+conn, raw.String())
	return pushLine{raw: line, masked: masked.String(), sev: sev}
}

// pushParseSeq extracts the connection and sequence numbers a message
// starts with.
func pushParseSeq(v string) (conn, seq int, ok bool) {
	if !strings.HasPrefix(v, "conn=") {
		return 0, 0, false
	}
	rest := v[len("conn="):]
	sp := strings.IndexByte(rest, ' ')
	if sp < 0 || !strings.HasPrefix(rest[sp:], " seq=") {
		return 0, 0, false
	}
	c, err1 := strconv.Atoi(rest[:sp])
	rest = rest[sp+len(" seq="):]
	if len(rest) < 7 {
		return 0, 0, false
	}
	s, err2 := strconv.Atoi(rest[:7])
	return c, s, err1 == nil && err2 == nil
}

// pushDial connects to 127.0.0.1:port, over TLS when cfg is set, retrying
// for a few seconds while the listener starts.
func pushDial(t testing.TB, port int, cfg *tls.Config) net.Conn {
	t.Helper()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		var c net.Conn
		var err error
		if cfg != nil {
			c, err = tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", addr, cfg)
		} else {
			c, err = net.DialTimeout("tcp", addr, 2*time.Second)
		}
		if err == nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("dialing %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pushSend opens conns connections and writes perConn generated lines on
// each, concurrently; it returns when every connection is closed.
func pushSend(t testing.TB, port, conns, perConn int, cfg *tls.Config) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for c := 0; c < conns; c++ {
		conn := pushDial(t, port, cfg)
		wg.Add(1)
		go func(id int, conn net.Conn) {
			defer wg.Done()
			defer conn.Close()
			_ = conn.SetWriteDeadline(time.Now().Add(90 * time.Second))
			w := bufio.NewWriterSize(conn, 64<<10)
			for seq := 0; seq < perConn; seq++ {
				if _, err := w.WriteString(pushMakeLine(id, seq).raw); err != nil {
					errs <- fmt.Errorf("connection %d line %d: %w", id, seq, err)
					return
				}
			}
			if err := w.Flush(); err != nil {
				errs <- fmt.Errorf("connection %d flush: %w", id, err)
			}
		}(c, conn)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// pushCheck reads the routed topics and checks that they hold exactly
// conns×perConn records: each generated line once, masked, on the topic of
// its severity, in sequence order per connection within each topic, with
// the syslog and network headers (transportProtocol proto)..
func pushCheck(t testing.TB, addr string, conns, perConn int, proto string) {
	t.Helper()
	seen := make([][]bool, conns)
	for c := range seen {
		seen[c] = make([]bool, perConn)
	}
	total := 0
	for _, topic := range pushTopics {
		last := make([]int, conns)
		for c := range last {
			last[c] = -1
		}
		for _, r := range consumeTopic(t, addr, topic) {
			v := string(r.Value)
			c, seq, ok := pushParseSeq(v)
			if !ok || c >= conns || seq >= perConn {
				t.Fatalf("%s: unexpected record %q", topic, v)
			}
			want := pushMakeLine(c, seq)
			if v != want.masked {
				t.Fatalf("%s: record\n %q\nwant\n %q", topic, v, want.masked)
			}
			if wt := pushTopicFor(want.sev); wt != topic {
				t.Fatalf("conn %d seq %d (severity %d) on %s, want %s", c, seq, want.sev, topic, wt)
			}
			if seen[c][seq] {
				t.Fatalf("conn %d seq %d delivered twice", c, seq)
			}
			if seq <= last[c] {
				t.Fatalf("%s: conn %d seq %d after seq %d", topic, c, seq, last[c])
			}
			if seq%97 == 0 {
				h := headerMap(r)
				if h["syslog.severity"] != strconv.Itoa(want.sev) || h["transportProtocol"] != proto {
					t.Fatalf("conn %d seq %d headers %v", c, seq, h)
				}
			}
			last[c] = seq
			seen[c][seq] = true
			total++
		}
	}
	for c := range seen {
		for seq, ok := range seen[c] {
			if !ok {
				t.Fatalf("conn %d seq %d lost (%d records in all)", c, seq, total)
			}
		}
	}
}

// pushPKI is a test CA and a server certificate for 127.0.0.1 it signed.
type pushPKI struct {
	caCert  *x509.Certificate
	srvKey  *ecdsa.PrivateKey
	srvCert *x509.Certificate
}

func pushNewPKI(t testing.TB) *pushPKI {
	t.Helper()
	mk := func(cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature}
		if isCA {
			tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
			tmpl.KeyUsage |= x509.KeyUsageCertSign
		} else {
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
			tmpl.DNSNames = []string{"localhost"}
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		}
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
	ca, caKey := mk("sluice e2e CA", nil, nil, true)
	srv, srvKey := mk("sluice e2e server", ca, caKey, false)
	return &pushPKI{caCert: ca, srvKey: srvKey, srvCert: srv}
}

// jks writes a JKS keystore holding the server key (alias "server",
// protected by keyPass) and its chain; the store is protected by
// storePass.
func (p *pushPKI) jks(t testing.TB, dir, storePass, keyPass string) string {
	t.Helper()
	pk, err := x509.MarshalPKCS8PrivateKey(p.srvKey)
	if err != nil {
		t.Fatal(err)
	}
	ks := keystore.New()
	if err := ks.SetPrivateKeyEntry("server", keystore.PrivateKeyEntry{CreationTime: time.Now(), PrivateKey: pk,
		CertificateChain: []keystore.Certificate{{Type: "X509", Content: p.srvCert.Raw}, {Type: "X509", Content: p.caCert.Raw}},
	}, []byte(keyPass)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(storePass)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "server.jks")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// p12 writes a PKCS12 keystore holding the server key and its chain.
func (p *pushPKI) p12(t testing.TB, dir, pass string) string {
	t.Helper()
	data, err := pkcs12.Modern.Encode(p.srvKey, p.srvCert, []*x509.Certificate{p.caCert}, pass)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "server.p12")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// clientConfig trusts the test CA only.
func (p *pushPKI) clientConfig() *tls.Config {
	roots := x509.NewCertPool()
	roots.AddCert(p.caCert)
	return &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}
