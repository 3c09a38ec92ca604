package httpclient

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"time"

	"sluice.io/sluice"
)

// Transport keys (Java OkHttpClientConfig names, plus Sluice TLS keys).
const (
	ConnectTimeoutConfig   = "httpClient.connectTimeout"
	SocketTimeoutConfig    = "httpClient.socketTimeout"
	CallTimeoutConfig      = "httpClient.callTimeout"
	RetryOnFailureConfig   = "httpClient.retryOnConnectionFailure"
	MaxIdleConfig          = "httpClient.connectionPool.maxIdleConnections"
	KeepAliveConfig        = "httpClient.connectionPool.keepAliveDuration"
	EnableCookiesConfig    = "httpClient.enableCookies"
	TLSCAFileConfig        = "http.tls.ca.file"
	TLSCertFileConfig      = "http.tls.cert.file"
	TLSKeyFileConfig       = "http.tls.key.file"
	TLSInsecureConfig      = "http.tls.insecure"
	SSLTruststoreLocConfig = "ssl.truststore.location"
	SSLTruststoreTypConfig = "ssl.truststore.type"
	SSLKeystoreLocConfig   = "ssl.keystore.location"
	SSLKeystoreTypConfig   = "ssl.keystore.type"
	SSLProtocolConfig      = "ssl.protocol"
)

// DefineTransport adds the HTTP transport keys to d.
func DefineTransport(d *sluice.ConfigDef) *sluice.ConfigDef {
	d.Define(sluice.ConfigKey{Name: ConnectTimeoutConfig, Type: sluice.TypeLong, Default: "30000", Importance: sluice.Low, Group: "HTTP client",
		Doc: "Milliseconds to establish a connection."})
	d.Define(sluice.ConfigKey{Name: SocketTimeoutConfig, Type: sluice.TypeLong, Default: "30000", Importance: sluice.Low, Group: "HTTP client",
		Doc: "Milliseconds to wait for the response headers."})
	d.Define(sluice.ConfigKey{Name: CallTimeoutConfig, Type: sluice.TypeLong, Default: "0", Importance: sluice.Low, Group: "HTTP client",
		Doc: "Milliseconds one request may take in total, body included (0: no limit)."})
	d.Define(sluice.ConfigKey{Name: RetryOnFailureConfig, Type: sluice.TypeBoolean, Default: "true", Importance: sluice.Low, Group: "HTTP client",
		Doc: "Retry a request after a connection failure (with back-off, up to http.retry.max times)."})
	d.Define(sluice.ConfigKey{Name: MaxIdleConfig, Type: sluice.TypeInt, Default: "5", Importance: sluice.Low, Group: "HTTP client",
		Doc: "Idle connections kept per host."})
	d.Define(sluice.ConfigKey{Name: KeepAliveConfig, Type: sluice.TypeLong, Default: "300000", Importance: sluice.Low, Group: "HTTP client",
		Doc: "Milliseconds an idle connection is kept."})
	d.Define(sluice.ConfigKey{Name: EnableCookiesConfig, Type: sluice.TypeBoolean, Default: "false", Importance: sluice.Low, Group: "HTTP client",
		Doc: "Keep cookies the server sets and send them back."})
	d.Define(sluice.ConfigKey{Name: TLSCAFileConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Low, Group: "TLS",
		Doc: "PEM file of CA certificates to trust (instead of the system roots)."})
	d.Define(sluice.ConfigKey{Name: TLSCertFileConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Low, Group: "TLS",
		Doc: "PEM client certificate (chain) for mutual TLS."})
	d.Define(sluice.ConfigKey{Name: TLSKeyFileConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Low, Group: "TLS",
		Doc: "PEM private key of the client certificate (default: the certificate file)."})
	d.Define(sluice.ConfigKey{Name: TLSInsecureConfig, Type: sluice.TypeBoolean, Default: "false", Importance: sluice.Low, Group: "TLS",
		Doc: "Accept any server certificate (testing only)."})
	d.Define(sluice.ConfigKey{Name: SSLTruststoreLocConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Low, Group: "TLS",
		Doc: "Kafka-style trust store; only ssl.truststore.type=PEM is read."})
	d.Define(sluice.ConfigKey{Name: SSLTruststoreTypConfig, Type: sluice.TypeString, Default: "JKS", Importance: sluice.Low, Group: "TLS",
		Doc: "Type of ssl.truststore.location."})
	d.Define(sluice.ConfigKey{Name: SSLKeystoreLocConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Low, Group: "TLS",
		Doc: "Kafka-style key store (PEM file holding certificate and key); only ssl.keystore.type=PEM is read."})
	d.Define(sluice.ConfigKey{Name: SSLKeystoreTypConfig, Type: sluice.TypeString, Default: "JKS", Importance: sluice.Low, Group: "TLS",
		Doc: "Type of ssl.keystore.location."})
	d.Define(sluice.ConfigKey{Name: SSLProtocolConfig, Type: sluice.TypeString, Default: "TLSv1.3", Importance: sluice.Low, Group: "TLS",
		Doc: "Accepted for compatibility; TLS 1.2 and 1.3 are negotiated."})
	return d
}

// BuildHTTPClient makes the http.Client the transport keys describe.
func BuildHTTPClient(c *sluice.Config) (*http.Client, error) {
	tlsCfg, err := buildTLS(c)
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: time.Duration(c.Long(ConnectTimeoutConfig)) * time.Millisecond, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   time.Duration(c.Long(ConnectTimeoutConfig)) * time.Millisecond,
		ResponseHeaderTimeout: time.Duration(c.Long(SocketTimeoutConfig)) * time.Millisecond,
		MaxIdleConnsPerHost:   int(c.Int(MaxIdleConfig)),
		IdleConnTimeout:       time.Duration(c.Long(KeepAliveConfig)) * time.Millisecond,
		ForceAttemptHTTP2:     true,
	}
	hc := &http.Client{Transport: tr}
	if c.Bool(EnableCookiesConfig) {
		jar, _ := cookiejar.New(nil)
		hc.Jar = jar
	}
	return hc, nil
}

func buildTLS(c *sluice.Config) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	ca := c.String(TLSCAFileConfig)
	if loc := c.String(SSLTruststoreLocConfig); ca == "" && loc != "" {
		if !strings.EqualFold(c.String(SSLTruststoreTypConfig), "PEM") {
			return nil, &sluice.ConfigError{Name: SSLTruststoreTypConfig, Value: c.String(SSLTruststoreTypConfig),
				Msg: "only PEM trust stores are supported by the HTTP clients; use " + TLSCAFileConfig}
		}
		ca = loc
	}
	if ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, fmt.Errorf("read CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no PEM certificates in %s", ca)
		}
		cfg.RootCAs = pool
	}
	cert, key := c.String(TLSCertFileConfig), c.String(TLSKeyFileConfig)
	if loc := c.String(SSLKeystoreLocConfig); cert == "" && loc != "" {
		if !strings.EqualFold(c.String(SSLKeystoreTypConfig), "PEM") {
			return nil, &sluice.ConfigError{Name: SSLKeystoreTypConfig, Value: c.String(SSLKeystoreTypConfig),
				Msg: "only PEM key stores are supported by the HTTP clients; use " + TLSCertFileConfig}
		}
		cert = loc
	}
	if cert != "" {
		if key == "" {
			key = cert
		}
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("load client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	cfg.InsecureSkipVerify = c.Bool(TLSInsecureConfig)
	return cfg, nil
}
