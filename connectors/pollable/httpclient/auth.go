package httpclient

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"sluice.io/sluice/connectors/pollable"
)

// Authenticator adds credentials to requests.
type Authenticator interface {
	// Apply sets the request's credentials; it may fetch a token.
	Apply(ctx context.Context, req *http.Request) error
	// Invalidate is called after a 401 answer; it returns true when new
	// credentials may succeed (a cached token was dropped), so the request
	// is sent once more.
	Invalidate() bool
}

// NoAuth sends no credentials.
type NoAuth struct{}

// Apply does nothing.
func (NoAuth) Apply(context.Context, *http.Request) error { return nil }

// Invalidate returns false.
func (NoAuth) Invalidate() bool { return false }

// HeaderAuth sets one header to a fixed value: HTTP Basic, a bearer token or
// an API key (e.g. Okta's "Authorization: SSWS <token>").
type HeaderAuth struct {
	Name, Value string
}

// BasicAuth returns the authenticator of HTTP Basic credentials.
func BasicAuth(user, password string) HeaderAuth {
	return HeaderAuth{Name: "Authorization", Value: "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))}
}

// Apply sets the header.
func (a HeaderAuth) Apply(_ context.Context, req *http.Request) error {
	req.Header.Set(a.Name, a.Value)
	return nil
}

// Invalidate returns false: fixed credentials cannot be renewed.
func (HeaderAuth) Invalidate() bool { return false }

// OAuth2ClientCredentials obtains bearer tokens with the OAuth 2.0 client
// credentials grant (RFC 6749 §4.4), caches them, renews them RefreshBefore
// ahead of expiry and after a 401.
type OAuth2ClientCredentials struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	// Params are further form parameters (e.g. audience or resource).
	Params map[string]string
	// BasicAuth sends the client credentials in an Authorization header
	// instead of the form body.
	BasicAuth     bool
	RefreshBefore time.Duration
	HTTP          *http.Client
	Clock         pollable.Clock

	mu      sync.Mutex
	token   string
	typ     string
	expires time.Time
	fetches int
}

// Fetches returns how many tokens were requested so far.
func (o *OAuth2ClientCredentials) Fetches() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.fetches
}

// Apply sets "Authorization: Bearer <token>", fetching a token when none is
// cached or the cached one is about to expire.
func (o *OAuth2ClientCredentials) Apply(ctx context.Context, req *http.Request) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.Clock.Now()
	if o.token == "" || (!o.expires.IsZero() && !now.Before(o.expires.Add(-o.RefreshBefore))) {
		if err := o.fetch(ctx, now); err != nil {
			return err
		}
	}
	typ := o.typ
	if typ == "" || strings.EqualFold(typ, "bearer") {
		typ = "Bearer"
	}
	req.Header.Set("Authorization", typ+" "+o.token)
	return nil
}

// Invalidate drops the cached token.
func (o *OAuth2ClientCredentials) Invalidate() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.token = ""
	return true
}

type tokenResponse struct {
	AccessToken string          `json:"access_token"`
	TokenType   string          `json:"token_type"`
	ExpiresIn   json.Number     `json:"expires_in"`
	Error       string          `json:"error"`
	ErrorDesc   string          `json:"error_description"`
	Extra       json.RawMessage `json:"-"`
}

func (o *OAuth2ClientCredentials) fetch(ctx context.Context, now time.Time) error {
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(o.Scopes) > 0 {
		form.Set("scope", strings.Join(o.Scopes, " "))
	}
	for k, v := range o.Params {
		form.Set(k, v)
	}
	if !o.BasicAuth {
		form.Set("client_id", o.ClientID)
		form.Set("client_secret", o.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("oauth2 token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if o.BasicAuth {
		req.SetBasicAuth(url.QueryEscape(o.ClientID), url.QueryEscape(o.ClientSecret))
	}
	o.fetches++
	resp, err := o.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("oauth2 token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("oauth2 token response: %w", err)
	}
	var tr tokenResponse
	_ = json.Unmarshal(body, &tr)
	if resp.StatusCode/100 != 2 || tr.AccessToken == "" {
		msg := tr.Error
		if tr.ErrorDesc != "" {
			msg += ": " + tr.ErrorDesc
		}
		return &StatusError{Code: resp.StatusCode, URL: o.TokenURL, Body: truncate(body), Msg: "oauth2 token request failed " + msg}
	}
	o.token, o.typ = tr.AccessToken, tr.TokenType
	o.expires = time.Time{}
	if secs, err := tr.ExpiresIn.Float64(); err == nil && secs > 0 {
		o.expires = now.Add(time.Duration(secs * float64(time.Second)))
	}
	return nil
}
