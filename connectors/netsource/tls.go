package netsource

import (
	"bytes"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"

	"sluice.io/sluice"
)

// tlsSettings is the server TLS configuration of a task, built once.
type tlsSettings struct {
	config *tls.Config
}

// keyEntry is one private key with its certificate chain.
type keyEntry struct {
	alias string
	cert  tls.Certificate
}

// parseTLSSettings loads the keystore and truststore named by the SSL keys.
func parseTLSSettings(cfg *sluice.Config) (*tlsSettings, error) {
	entries, err := loadKeystore(cfg)
	if err != nil {
		return nil, fmt.Errorf("ssl keystore: %w", err)
	}
	if len(entries) == 0 {
		return nil, &sluice.ConfigError{Name: SSLKeystoreLocationConfig, Value: cfg.Get(SSLKeystoreLocationConfig),
			Msg: "ssl.enabled=true needs a keystore with a private key entry"}
	}
	minV, maxV, err := tlsVersions(cfg.String(SSLProtocolConfig))
	if err != nil {
		return nil, err
	}
	c := &tls.Config{MinVersion: minV, MaxVersion: maxV}
	if alias, ok := cfg.Get(SSLKeyAliasConfig).(string); ok && alias != "" {
		byAlias := map[string]*tls.Certificate{}
		for i := range entries {
			byAlias[strings.ToLower(entries[i].alias)] = &entries[i].cert
		}
		def, ok := byAlias[strings.ToLower(alias)]
		if !ok && len(entries) == 1 && entries[0].alias == "" {
			def, ok = &entries[0].cert, true // PKCS12 and PEM entries carry no alias
		}
		if !ok {
			return nil, &sluice.ConfigError{Name: SSLKeyAliasConfig, Value: alias,
				Msg: "no private key entry with this alias in the keystore"}
		}
		c.GetCertificate = func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
			if h.ServerName != "" {
				if e, ok := byAlias[strings.ToLower(h.ServerName)]; ok {
					return e, nil
				}
			}
			return def, nil
		}
	} else {
		for _, e := range entries {
			c.Certificates = append(c.Certificates, e.cert)
		}
	}
	switch strings.ToLower(cfg.String(SSLClientAuthConfig)) {
	case ClientAuthRequested:
		c.ClientAuth = tls.VerifyClientCertIfGiven
	case ClientAuthRequired:
		c.ClientAuth = tls.RequireAndVerifyClientCert
	}
	if c.ClientAuth != tls.NoClientCert {
		pool, err := loadTruststore(cfg)
		if err != nil {
			return nil, fmt.Errorf("ssl truststore: %w", err)
		}
		if pool == nil {
			return nil, &sluice.ConfigError{Name: SSLClientAuthConfig, Value: cfg.String(SSLClientAuthConfig),
				Msg: "client authentication needs a truststore (ssl.truststore.location or ssl.truststore.certificates)"}
		}
		c.ClientCAs = pool
	}
	return &tlsSettings{config: c}, nil
}

// tlsVersions maps ssl.protocol (Java's SSLContext protocol) to a version
// range: the named version is the highest offered.
func tlsVersions(p string) (minV, maxV uint16, err error) {
	switch strings.ToUpper(p) {
	case "TLS", "TLSV1.3", "":
		return tls.VersionTLS12, tls.VersionTLS13, nil
	case "TLSV1.2":
		return tls.VersionTLS12, tls.VersionTLS12, nil
	case "TLSV1.1":
		return tls.VersionTLS10, tls.VersionTLS11, nil
	case "TLSV1":
		return tls.VersionTLS10, tls.VersionTLS10, nil
	}
	return 0, 0, &sluice.ConfigError{Name: SSLProtocolConfig, Value: p, Msg: "unsupported TLS protocol " +
		"(use TLS, TLSv1.3, TLSv1.2, TLSv1.1 or TLSv1)"}
}

// readStoreFile reads a keystore file; the path must be absolute, as Java's
// SslUtils demands.
func readStoreFile(key, path string) ([]byte, error) {
	if !filepath.IsAbs(path) || filepath.Clean(path) != path {
		return nil, fmt.Errorf("%s: Relative Path not allowed:%s", key, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return b, nil
}

func optString(cfg *sluice.Config, key string) string {
	if v, ok := cfg.Get(key).(string); ok {
		return strings.TrimSpace(v)
	}
	return ""
}

func optPassword(cfg *sluice.Config, key string) (string, bool) {
	if v, ok := cfg.Get(key).(sluice.Password); ok {
		return v.Value(), true
	}
	return "", false
}

// loadKeystore returns the private key entries of the configured keystore.
func loadKeystore(cfg *sluice.Config) ([]keyEntry, error) {
	typ := strings.ToUpper(cfg.String(SSLKeystoreTypeConfig))
	loc := optString(cfg, SSLKeystoreLocationConfig)
	storePass, hasStorePass := optPassword(cfg, SSLKeystorePasswordConfig)
	keyPass, hasKeyPass := optPassword(cfg, SSLKeyPasswordConfig)
	if !hasKeyPass {
		keyPass = storePass
	}
	switch typ {
	case "JKS":
		if loc == "" {
			return nil, nil
		}
		if !hasStorePass {
			return nil, sluice.MissingConfig(SSLKeystorePasswordConfig)
		}
		data, err := readStoreFile(SSLKeystoreLocationConfig, loc)
		if err != nil {
			return nil, err
		}
		ks := keystore.New()
		if err := ks.Load(bytes.NewReader(data), []byte(storePass)); err != nil {
			return nil, fmt.Errorf("loading JKS %s: %w", loc, err)
		}
		var out []keyEntry
		for _, alias := range ks.Aliases() {
			if !ks.IsPrivateKeyEntry(alias) {
				continue
			}
			e, err := ks.GetPrivateKeyEntry(alias, []byte(keyPass))
			if err != nil {
				return nil, fmt.Errorf("JKS %s: key %q: %w", loc, alias, err)
			}
			key, err := x509.ParsePKCS8PrivateKey(e.PrivateKey)
			if err != nil {
				return nil, fmt.Errorf("JKS %s: key %q: %w", loc, alias, err)
			}
			var chain [][]byte
			for _, c := range e.CertificateChain {
				chain = append(chain, c.Content)
			}
			cert, err := makeCert(key, chain)
			if err != nil {
				return nil, fmt.Errorf("JKS %s: entry %q: %w", loc, alias, err)
			}
			out = append(out, keyEntry{alias: alias, cert: cert})
		}
		return out, nil
	case "PKCS12":
		if loc == "" {
			return nil, nil
		}
		data, err := readStoreFile(SSLKeystoreLocationConfig, loc)
		if err != nil {
			return nil, err
		}
		key, leaf, cas, err := pkcs12.DecodeChain(data, storePass)
		if err != nil {
			return nil, fmt.Errorf("PKCS12 %s (one private key entry is supported): %w", loc, err)
		}
		all := append([]*x509.Certificate{leaf}, cas...)
		var chain [][]byte
		for _, c := range all {
			chain = append(chain, c.Raw)
		}
		cert, err := makeCert(key, orderLeafFirst(key, chain))
		if err != nil {
			return nil, fmt.Errorf("PKCS12 %s: %w", loc, err)
		}
		return []keyEntry{{cert: cert}}, nil
	case "PEM":
		var keyPEM, certPEM []byte
		if v, ok := optPassword(cfg, SSLKeystoreKeyConfig); ok && strings.TrimSpace(v) != "" {
			keyPEM = []byte(v)
		}
		if v, ok := optPassword(cfg, SSLKeystoreCertChainConfig); ok && strings.TrimSpace(v) != "" {
			certPEM = []byte(v)
		}
		if l := optString(cfg, SSLKeystoreKeyLocationConfig); l != "" {
			b, err := readStoreFile(SSLKeystoreKeyLocationConfig, l)
			if err != nil {
				return nil, err
			}
			keyPEM = b
		}
		if l := optString(cfg, SSLKeystoreCertLocationConfig); l != "" {
			b, err := readStoreFile(SSLKeystoreCertLocationConfig, l)
			if err != nil {
				return nil, err
			}
			certPEM = b
		}
		if loc != "" {
			b, err := readStoreFile(SSLKeystoreLocationConfig, loc)
			if err != nil {
				return nil, err
			}
			if keyPEM == nil {
				keyPEM = b
			}
			if certPEM == nil {
				certPEM = b
			}
		}
		if keyPEM == nil && certPEM == nil {
			return nil, nil
		}
		if keyPEM == nil || certPEM == nil {
			return nil, errors.New("a PEM keystore needs both a private key and a certificate chain")
		}
		key, err := parsePEMKey(keyPEM)
		if err != nil {
			return nil, err
		}
		chain := pemBlocks(certPEM, "CERTIFICATE")
		if len(chain) == 0 {
			return nil, errors.New("PEM keystore: no CERTIFICATE block found")
		}
		cert, err := makeCert(key, orderLeafFirst(key, chain))
		if err != nil {
			return nil, fmt.Errorf("PEM keystore: %w", err)
		}
		return []keyEntry{{cert: cert}}, nil
	}
	return nil, &sluice.ConfigError{Name: SSLKeystoreTypeConfig, Value: cfg.String(SSLKeystoreTypeConfig),
		Msg: "unsupported keystore type (use JKS, PKCS12 or PEM)"}
}

// pemBlocks returns the DER bytes of every PEM block of the given type.
func pemBlocks(data []byte, typ string) [][]byte {
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		if b.Type == typ {
			out = append(out, b.Bytes)
		}
	}
}

// parsePEMKey reads the first private key block.
func parsePEMKey(data []byte) (crypto.PrivateKey, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("PEM keystore: no private key block found")
		}
		switch b.Type {
		case "PRIVATE KEY":
			return x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			return x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			return x509.ParseECPrivateKey(b.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("PEM keystore: encrypted private keys are not supported; store the key unencrypted with restricted file permissions")
		}
	}
}

// orderLeafFirst moves the certificate matching the key's public key to the
// front of the chain.
func orderLeafFirst(key crypto.PrivateKey, chain [][]byte) [][]byte {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return chain
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := signer.Public().(equaler)
	if !ok {
		return chain
	}
	for i, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err == nil && pub.Equal(c.PublicKey) {
			out := append([][]byte{der}, chain[:i]...)
			return append(out, chain[i+1:]...)
		}
	}
	return chain
}

// makeCert checks that the key matches the leaf and builds a tls.Certificate.
func makeCert(key crypto.PrivateKey, chain [][]byte) (tls.Certificate, error) {
	if len(chain) == 0 {
		return tls.Certificate{}, errors.New("no certificate chain")
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate: %w", err)
	}
	if s, ok := key.(crypto.Signer); ok {
		if pub, ok := s.Public().(interface{ Equal(crypto.PublicKey) bool }); ok && !pub.Equal(leaf.PublicKey) {
			return tls.Certificate{}, errors.New("the private key does not match the certificate")
		}
	}
	return tls.Certificate{Certificate: chain, PrivateKey: key, Leaf: leaf}, nil
}

// loadTruststore returns the trusted certificates, or nil when none is
// configured.
func loadTruststore(cfg *sluice.Config) (*x509.CertPool, error) {
	typ := strings.ToUpper(cfg.String(SSLTruststoreTypeConfig))
	loc := optString(cfg, SSLTruststoreLocationConfig)
	pass, hasPass := optPassword(cfg, SSLTruststorePasswordConfig)
	pool := x509.NewCertPool()
	add := func(der []byte) error {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return err
		}
		pool.AddCert(c)
		return nil
	}
	switch typ {
	case "JKS":
		if loc == "" {
			return nil, nil
		}
		data, err := readStoreFile(SSLTruststoreLocationConfig, loc)
		if err != nil {
			return nil, err
		}
		ks := keystore.New()
		if !hasPass {
			return nil, sluice.MissingConfig(SSLTruststorePasswordConfig)
		}
		if err := ks.Load(bytes.NewReader(data), []byte(pass)); err != nil {
			return nil, fmt.Errorf("loading JKS %s: %w", loc, err)
		}
		for _, alias := range ks.Aliases() {
			if ks.IsTrustedCertificateEntry(alias) {
				e, err := ks.GetTrustedCertificateEntry(alias)
				if err != nil {
					return nil, err
				}
				if err := add(e.Certificate.Content); err != nil {
					return nil, fmt.Errorf("JKS %s: %q: %w", loc, alias, err)
				}
			}
		}
		return pool, nil
	case "PKCS12":
		if loc == "" {
			return nil, nil
		}
		data, err := readStoreFile(SSLTruststoreLocationConfig, loc)
		if err != nil {
			return nil, err
		}
		certs, err := pkcs12.DecodeTrustStore(data, pass)
		if err != nil {
			return nil, fmt.Errorf("PKCS12 %s: %w", loc, err)
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
		return pool, nil
	case "PEM":
		var data []byte
		if v, ok := optPassword(cfg, SSLTruststoreCertsConfig); ok && strings.TrimSpace(v) != "" {
			data = []byte(v)
		} else if loc != "" {
			b, err := readStoreFile(SSLTruststoreLocationConfig, loc)
			if err != nil {
				return nil, err
			}
			data = b
		} else {
			return nil, nil
		}
		ders := pemBlocks(data, "CERTIFICATE")
		if len(ders) == 0 {
			return nil, errors.New("PEM truststore: no CERTIFICATE block found")
		}
		for _, der := range ders {
			if err := add(der); err != nil {
				return nil, fmt.Errorf("PEM truststore: %w", err)
			}
		}
		return pool, nil
	}
	return nil, &sluice.ConfigError{Name: SSLTruststoreTypeConfig, Value: cfg.String(SSLTruststoreTypeConfig),
		Msg: "unsupported truststore type (use JKS, PKCS12 or PEM)"}
}

// tlsServer wraps an accepted connection in server-side TLS.
func tlsServer(c net.Conn, s *tlsSettings) *tls.Conn { return tls.Server(c, s.config) }
