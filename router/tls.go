package router

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"

	"sluice.io/sluice"
)

// TLSConfig builds a client TLS configuration from Kafka's ssl.* settings:
// trust and key stores of type JKS (the default), PKCS12 or PEM (files, or
// inline PEM in ssl.truststore.certificates / ssl.keystore.key and
// ssl.keystore.certificate.chain), ssl.key.password, the minimum protocol
// from ssl.enabled.protocols / ssl.protocol, and host name verification
// unless ssl.endpoint.identification.algorithm is empty.
func TLSConfig(props map[string]string) (*tls.Config, error) {
	get := func(k string) string { return sluice.JavaTrim(props[k]) }
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	roots, err := loadTrust(get("ssl.truststore.type"), get("ssl.truststore.location"),
		get("ssl.truststore.password"), get("ssl.truststore.certificates"))
	if err != nil {
		return nil, err
	}
	cfg.RootCAs = roots
	cert, err := loadKey(get("ssl.keystore.type"), get("ssl.keystore.location"), get("ssl.keystore.password"),
		get("ssl.key.password"), get("ssl.keystore.key"), get("ssl.keystore.certificate.chain"))
	if err != nil {
		return nil, err
	}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	protos := get("ssl.enabled.protocols")
	if protos == "" {
		protos = get("ssl.protocol")
	}
	if protos != "" {
		lowest := uint16(0)
		for _, p := range sluice.SplitList(protos) {
			var v uint16
			switch strings.ToUpper(p) {
			case "TLSV1.3":
				v = tls.VersionTLS13
			case "TLSV1.2", "TLS":
				v = tls.VersionTLS12
			case "TLSV1.1":
				v = tls.VersionTLS11
			case "TLSV1":
				v = tls.VersionTLS10
			default:
				continue
			}
			if lowest == 0 || v < lowest {
				lowest = v
			}
		}
		if lowest != 0 {
			cfg.MinVersion = lowest
		}
	}
	if alg, ok := props["ssl.endpoint.identification.algorithm"]; ok && sluice.JavaTrim(alg) == "" {
		// Verify the chain but not the host name, as Kafka does with an
		// empty endpoint identification algorithm.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("server sent no certificate")
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
			return err
		}
	}
	return cfg, nil
}

func storeType(t string) string {
	if t == "" {
		return "JKS"
	}
	return strings.ToUpper(t)
}

// jksMagic opens every JKS file.
const jksMagic = "\xfe\xed\xfe\xed"

// storeFormat returns the format to read a JKS or PKCS12 store in: like
// the JDK's keystore.type.compat loading (on by default), either declared
// type accepts a file of the other format.
func storeFormat(typ string, data []byte) string {
	if typ != "JKS" && typ != "PKCS12" {
		return typ
	}
	if bytes.HasPrefix(data, []byte(jksMagic)) {
		return "JKS"
	}
	return "PKCS12"
}

// loadTrust returns the trusted certificates, nil for the system pool.
func loadTrust(typ, location, password, inline string) (*x509.CertPool, error) {
	typ = storeType(typ)
	if location == "" && inline == "" {
		return nil, nil
	}
	pool := x509.NewCertPool()
	var data []byte
	if inline != "" {
		data = []byte(inline)
		typ = "PEM"
	} else {
		var err error
		if data, err = os.ReadFile(location); err != nil {
			return nil, fmt.Errorf("reading ssl.truststore.location: %w", err)
		}
	}
	switch storeFormat(typ, data) {
	case "PEM":
		if !pool.AppendCertsFromPEM(data) {
			return nil, errors.New("ssl.truststore: no PEM certificate found")
		}
	case "PKCS12":
		certs, err := pkcs12.DecodeTrustStore(data, password)
		if err != nil {
			return nil, fmt.Errorf("reading PKCS12 trust store: %w", err)
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	case "JKS":
		ks := keystore.New()
		if err := ks.Load(bytes.NewReader(data), []byte(password)); err != nil {
			return nil, fmt.Errorf("reading JKS trust store: %w", err)
		}
		n := 0
		for _, a := range ks.Aliases() {
			if e, err := ks.GetTrustedCertificateEntry(a); err == nil {
				c, err := x509.ParseCertificate(e.Certificate.Content)
				if err != nil {
					return nil, fmt.Errorf("JKS trust store entry %s: %w", a, err)
				}
				pool.AddCert(c)
				n++
			}
		}
		if n == 0 {
			return nil, errors.New("JKS trust store holds no trusted certificate")
		}
	default:
		return nil, &sluice.ConfigError{Name: "ssl.truststore.type", Value: typ, Msg: "expected JKS, PKCS12 or PEM"}
	}
	return pool, nil
}

// loadKey returns the client certificate and key, nil when none is set.
func loadKey(typ, location, password, keyPassword, inlineKey, inlineChain string) (*tls.Certificate, error) {
	typ = storeType(typ)
	if inlineKey != "" || inlineChain != "" {
		if keyPassword != "" {
			return nil, errors.New("encrypted ssl.keystore.key is not supported; give an unencrypted PEM key")
		}
		c, err := tls.X509KeyPair([]byte(inlineChain), []byte(inlineKey))
		if err != nil {
			return nil, fmt.Errorf("ssl.keystore.key / ssl.keystore.certificate.chain: %w", err)
		}
		return &c, nil
	}
	if location == "" {
		return nil, nil
	}
	data, err := os.ReadFile(location)
	if err != nil {
		return nil, fmt.Errorf("reading ssl.keystore.location: %w", err)
	}
	switch storeFormat(typ, data) {
	case "PEM":
		c, err := tls.X509KeyPair(data, data)
		if err != nil {
			return nil, fmt.Errorf("PEM key store: %w", err)
		}
		return &c, nil
	case "PKCS12":
		key, leaf, chain, err := pkcs12.DecodeChain(data, password)
		if err != nil {
			return nil, fmt.Errorf("reading PKCS12 key store: %w", err)
		}
		c := tls.Certificate{PrivateKey: key, Leaf: leaf, Certificate: [][]byte{leaf.Raw}}
		for _, ca := range chain {
			c.Certificate = append(c.Certificate, ca.Raw)
		}
		return &c, nil
	case "JKS":
		ks := keystore.New()
		if err := ks.Load(bytes.NewReader(data), []byte(password)); err != nil {
			return nil, fmt.Errorf("reading JKS key store: %w", err)
		}
		kp := keyPassword
		if kp == "" {
			kp = password
		}
		for _, a := range ks.Aliases() {
			if !ks.IsPrivateKeyEntry(a) {
				continue
			}
			e, err := ks.GetPrivateKeyEntry(a, []byte(kp))
			if err != nil {
				return nil, fmt.Errorf("JKS key store entry %s: %w", a, err)
			}
			key, err := x509.ParsePKCS8PrivateKey(e.PrivateKey)
			if err != nil {
				return nil, fmt.Errorf("JKS key store entry %s: %w", a, err)
			}
			c := tls.Certificate{PrivateKey: key}
			for _, cc := range e.CertificateChain {
				c.Certificate = append(c.Certificate, cc.Content)
			}
			return &c, nil
		}
		return nil, errors.New("JKS key store holds no private key entry")
	default:
		return nil, &sluice.ConfigError{Name: "ssl.keystore.type", Value: typ, Msg: "expected JKS, PKCS12 or PEM"}
	}
}
