// Package okta is the Okta System Log client of the pollable source
// (com.vrudenskyi.kafka.connect.okta.OktaSystemLogAPIClient).
//
// It reads GET /api/v1/logs with "Authorization: SSWS <okta.token>": the
// first request of a partition asks for events since initial.offset in
// ascending order; every answer is a JSON array of LogEvent objects, one
// record each (compact JSON, header http.source = the URL template), and a
// Link header whose rel="next" URL (carrying an "after" cursor) is where
// reading continues — Okta sends it even when no more events exist yet, so
// polling simply keeps following it.
//
// Offsets: "______next" is the URL to read next (the Java key, so offsets
// written by the Java client are understood), "______published" the
// published time of the newest event read and "______uuids" the uuids of
// the events read with exactly that time. The last record of a page carries
// the page's next link; the others carry a since-query at their own
// published time, after which already-read events at that instant are
// skipped by uuid. A restart therefore neither loses nor repeats events.
//
// Rate limits: 429 answers are retried after Retry-After or
// X-Rate-Limit-Reset (epoch seconds), otherwise with exponential back-off
// (http.retry.* keys).
package okta

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sluice.io/sluice"
	"sluice.io/sluice/connectors/pollable"
	"sluice.io/sluice/connectors/pollable/httpclient"
)

// Class is the Java class name of the client.
const Class = "com.vrudenskyi.kafka.connect.okta.OktaSystemLogAPIClient"

// Configuration keys.
const (
	URIConfig       = "okta.serverUri"
	TokenConfig     = "okta.token"
	EndpointConfig  = "okta.endpoint"
	LimitConfig     = "okta.limit"
	SortOrderConfig = "okta.sortOrder"
	// DefaultEndpoint is the Java default; {since}, {sortOrder} and {limit}
	// are replaced form-URL-encoded.
	DefaultEndpoint = "/api/v1/logs?since={since}&sortOrder={sortOrder}&limit={limit}"
	// DefaultInitialOffset is the since of a first start.
	DefaultInitialOffset = "2000-01-01T00:00:00.000Z"
	// NextKey, PublishedKey and UUIDsKey are the offset keys.
	NextKey      = "______next"
	PublishedKey = "______published"
	UUIDsKey     = "______uuids"
)

// ConfigDef returns the client's configuration definition.
func ConfigDef() *sluice.ConfigDef {
	d := sluice.NewConfigDef()
	d.Define(sluice.ConfigKey{Name: URIConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High, Doc: "Okta host, e.g. https://example.okta.com."})
	d.Define(sluice.ConfigKey{Name: TokenConfig, Type: sluice.TypePassword, Default: sluice.NoDefault, Importance: sluice.High, Doc: "Okta API token (sent as SSWS)."})
	d.Define(sluice.ConfigKey{Name: EndpointConfig, Type: sluice.TypeString, Default: DefaultEndpoint, Importance: sluice.High, Doc: "Endpoint template."})
	d.Define(sluice.ConfigKey{Name: LimitConfig, Type: sluice.TypeInt, Default: "1000", Importance: sluice.High, Doc: "Events per page."})
	d.Define(sluice.ConfigKey{Name: SortOrderConfig, Type: sluice.TypeString, Default: "ASCENDING", Importance: sluice.High, Doc: "Sort order."})
	d.Define(sluice.ConfigKey{Name: pollable.InitialOffsetConfig, Type: sluice.TypeString, Default: DefaultInitialOffset, Importance: sluice.High, Doc: "since of a first start."})
	httpclient.DefineRetry(d)
	httpclient.DefineTransport(d)
	return d
}

func init() {
	pollable.RegisterClient(pollable.ClientInfo{
		Class: Class, Config: ConfigDef(), Doc: "Okta System Log (/api/v1/logs) with Link rel=\"next\" polling.",
		New: func() pollable.APIClient { return &Client{} },
	})
}

// Client reads the Okta System Log.
type Client struct {
	clock     pollable.Clock
	url       string
	initial   string
	limit     int
	sortOrder string
	reader    *httpclient.Reader
	doer      *httpclient.Doer
}

var _ pollable.APIClient = (*Client)(nil)

// SetClock sets the clock of rate-limit waits.
func (c *Client) SetClock(clk pollable.Clock) { c.clock = clk }

// Configure reads the okta.* keys.
func (c *Client) Configure(props map[string]string) error {
	if c.clock == nil {
		c.clock = pollable.SystemClock{}
	}
	cfg, err := ConfigDef().Parse(props)
	if err != nil {
		return err
	}
	c.url = cfg.String(URIConfig) + cfg.String(EndpointConfig)
	c.initial = cfg.String(pollable.InitialOffsetConfig)
	c.limit = int(cfg.Int(LimitConfig))
	c.sortOrder = cfg.String(SortOrderConfig)
	auth := httpclient.HeaderAuth{Name: "Authorization", Value: "SSWS " + cfg.Password(TokenConfig).Value()}
	if c.doer, err = httpclient.NewDoer(cfg, auth, c.clock); err != nil {
		return err
	}
	published, _ := httpclient.ParsePointer("/published")
	uuid, _ := httpclient.ParsePointer("/uuid")
	c.reader = &httpclient.Reader{
		Doer:     c.doer,
		Headers:  http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}},
		FirstURL: func(_, offset map[string]any, _ int) (string, error) { return c.sinceURL(offset), nil },
		Pager:    httpclient.LinkPager{},
		Mark:     &httpclient.Watermark{Field: published, IDField: &uuid, Type: httpclient.OrderTimestamp, ValueKey: PublishedKey, IDsKey: UUIDsKey},
		NextKey:  NextKey,
		RecordHeaders: func(map[string]any) sluice.Headers {
			return sluice.Headers{{Key: httpclient.SourceHeader, Schema: sluice.StringSchema, Value: c.url}}
		},
	}
	return nil
}

// sinceURL fills the endpoint template with the offset's published time
// (or initial.offset).
func (c *Client) sinceURL(offset map[string]any) string {
	since, _ := offset[PublishedKey].(string)
	if since == "" {
		since = c.initial
	}
	return routeParams(c.url, map[string]string{"since": since, "limit": strconv.Itoa(c.limit), "sortOrder": c.sortOrder})
}

// routeParams replaces every {name} with the form-URL-encoded value.
func routeParams(u string, params map[string]string) string {
	for k, v := range params {
		u = strings.ReplaceAll(u, "{"+k+"}", formEncode(v))
	}
	return u
}

// Partitions returns one partition holding the URL template.
func (c *Client) Partitions(context.Context) ([]map[string]any, error) {
	return []map[string]any{{httpclient.PartitionURLKey: c.url, httpclient.PartitionMethodKey: "GET"}}, nil
}

// InitialOffset starts at initial.offset.
func (c *Client) InitialOffset(map[string]any) (map[string]any, error) {
	return map[string]any{NextKey: c.sinceURL(nil)}, nil
}

// Poll reads pages of events until the budget is met or Okta has no more.
func (c *Client) Poll(ctx context.Context, topic string, partition, offset map[string]any, items int) ([]*sluice.Record, error) {
	recs, err := c.reader.Poll(ctx, topic, partition, offset, items)
	if err != nil {
		return nil, fmt.Errorf("okta: %w", err)
	}
	return recs, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.doer.HTTP.CloseIdleConnections() }
