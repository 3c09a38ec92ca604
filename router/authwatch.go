package router

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// AuthError is an authentication or authorization failure between a
// producer and Kafka: retrying cannot fix it, so the task fails, as
// Kafka's producer raises a non-retriable AuthenticationException or
// AuthorizationException.
type AuthError struct {
	// Broker is the broker address, when known.
	Broker string
	// Cause names the kind of failure ("SASL authentication failed",
	// "TLS handshake failed", ...).
	Cause string
	// Err is the error the client saw.
	Err error
}

// Error describes the failure.
func (e *AuthError) Error() string {
	if e.Broker != "" {
		return fmt.Sprintf("%s with broker %s: %v", e.Cause, e.Broker, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Cause, e.Err)
}

// Unwrap returns the client's error.
func (e *AuthError) Unwrap() error { return e.Err }

// saslCloseLimit is how many SASL exchanges in a row the broker may close
// without an answer before that counts as rejected credentials (a broker
// that closes the connection instead of answering SASL_AUTHENTICATION_FAILED;
// a single close may be a restart).
const saslCloseLimit = 3

// AuthWatch watches the broker connections of producers (a kgo hook added
// with Opt) and records the first authentication or authorization failure:
// a TLS handshake the broker or the client rejected (untrusted or
// mismatched certificate, TLS alert), a SASL exchange the broker refused,
// or a broker that keeps closing the connection during SASL. Connection
// failures that may heal (refused, reset, timed out) are not reported.
type AuthWatch struct {
	mu        sync.Mutex
	err       *AuthError
	done      chan struct{}
	saslClose int
}

// NewAuthWatch returns a watch that has seen no failure.
func NewAuthWatch() *AuthWatch { return &AuthWatch{done: make(chan struct{})} }

// Opt returns the client option installing the watch.
func (w *AuthWatch) Opt() kgo.Opt { return kgo.WithHooks(w) }

// Done is closed when a failure was recorded.
func (w *AuthWatch) Done() <-chan struct{} { return w.done }

// Err returns the recorded failure, or nil.
func (w *AuthWatch) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		return nil
	}
	return w.err
}

// Report records err as the watch's failure when it is an authentication
// or authorization failure, and reports whether it is one.
func (w *AuthWatch) Report(broker string, err error) bool {
	ae := classifyAuth(broker, err)
	if ae == nil {
		return false
	}
	w.record(ae)
	return true
}

func (w *AuthWatch) record(ae *AuthError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = ae
		close(w.done)
	}
}

// OnBrokerConnect implements kgo.HookBrokerConnect: it sees dial, TLS and
// SASL errors of every new connection, and connections made.
func (w *AuthWatch) OnBrokerConnect(meta kgo.BrokerMetadata, _ time.Duration, _ net.Conn, err error) {
	if err != nil {
		w.Report(brokerAddr(meta), err)
		return
	}
	// A connection is complete once any SASL exchange succeeded.
	w.mu.Lock()
	w.saslClose = 0
	w.mu.Unlock()
}

// OnBrokerE2E implements kgo.HookBrokerE2E: it counts SASL exchanges the
// broker ended by closing the connection.
func (w *AuthWatch) OnBrokerE2E(meta kgo.BrokerMetadata, key int16, e2e kgo.BrokerE2E) {
	const saslHandshake, saslAuthenticate = 17, 36
	if key != saslHandshake && key != saslAuthenticate {
		return
	}
	err := e2e.ReadErr
	if err == nil {
		err = e2e.WriteErr
	}
	w.mu.Lock()
	switch {
	case err == nil:
		w.mu.Unlock()
		return
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || isReset(err):
		w.saslClose++
	default:
		w.mu.Unlock()
		return
	}
	n := w.saslClose
	w.mu.Unlock()
	if n >= saslCloseLimit {
		w.record(&AuthError{Broker: brokerAddr(meta), Cause: "SASL authentication failed",
			Err: fmt.Errorf("the broker closed the connection during %d SASL exchanges in a row (credentials rejected?): %w", n, err)})
	}
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }

func brokerAddr(meta kgo.BrokerMetadata) string {
	if meta.Host == "" {
		return ""
	}
	return net.JoinHostPort(meta.Host, fmt.Sprint(meta.Port))
}

// IsAuthError reports whether err is an authentication or authorization
// failure (see AuthWatch).
func IsAuthError(err error) bool { return classifyAuth("", err) != nil }

// classifyAuth returns err as an AuthError when it is an authentication or
// authorization failure, otherwise nil.
func classifyAuth(broker string, err error) *AuthError {
	if err == nil {
		return nil
	}
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae
	}
	mk := func(cause string) *AuthError { return &AuthError{Broker: broker, Cause: cause, Err: err} }
	switch {
	case errors.Is(err, kerr.SaslAuthenticationFailed), errors.Is(err, kerr.IllegalSaslState),
		errors.Is(err, kerr.UnsupportedSaslMechanism):
		return mk("SASL authentication failed")
	case errors.Is(err, kerr.TopicAuthorizationFailed):
		return mk("topic authorization failed")
	case errors.Is(err, kerr.ClusterAuthorizationFailed):
		return mk("cluster authorization failed")
	case errors.Is(err, kerr.TransactionalIDAuthorizationFailed):
		return mk("transactional id authorization failed")
	case isTLSFailure(err):
		return mk("TLS handshake failed")
	}
	return nil
}

// isTLSFailure reports whether err is a certificate the client rejected
// or a TLS alert the broker sent (it rejected the client's certificate or
// handshake).
func isTLSFailure(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
		rerr x509.SystemRootsError
	)
	if errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr) || errors.As(err, &rerr) {
		return true
	}
	return anyInChain(err, func(e error) bool {
		op, ok := e.(*net.OpError)
		return ok && op.Op == "remote error"
	})
}

// anyInChain reports whether f holds for err or any error it wraps.
func anyInChain(err error, f func(error) bool) bool {
	for depth := 0; err != nil && depth < 32; depth++ {
		if f(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if anyInChain(e, f) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
