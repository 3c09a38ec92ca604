// Package msgraph is the Microsoft Graph audit log client of the pollable
// source (com.vrudenskyi.kafka.connect.azure.client.AzureADAuditLogsClient).
//
// One partition per data type listed in azure.ad.auditLogs.datatypes:
// directoryAudits (GET /{version}/auditLogs/directoryAudits, time field
// activityDateTime) and signIns (GET /{version}/auditLogs/signIns, time field
// createdDateTime). A new result set is requested with
// $filter=<field> ge <offset> and <field> lt <now - data.latency> and
// $top=<pageSize>; pages are followed through @odata.nextLink; the entries
// of "value" become records (compact JSON, header aad.datatype).
//
// Authentication is the OAuth 2.0 client credentials grant against
// https://login.microsoftonline.com/<azure.tenant.id>/oauth2/v2.0/token with
// scope https://graph.microsoft.com/.default; the token is cached, renewed
// azure.auth.token.renew.window before it expires and after a 401.
// Throttling (429, 503) is retried after Retry-After.
//
// Offsets: "activityDateTime" holds the newest time read (the Java key, for
// both data types), "nextLink" the page to read next while a result set is
// being paged, "ids" the ids of the entries read at exactly that time, which
// are skipped when the inclusive ge filter returns them again.
package msgraph

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sluice.io/sluice"
	"sluice.io/sluice/connectors/pollable"
	"sluice.io/sluice/connectors/pollable/httpclient"
)

// Class is the Java class name of the client.
const Class = "com.vrudenskyi.kafka.connect.azure.client.AzureADAuditLogsClient"

// Configuration keys (Java names) and Sluice additions.
const (
	DatatypesConfig   = "azure.ad.auditLogs.datatypes"
	EndpointConfig    = "azure.ad.auditLogs.api.endpoint"
	VersionConfig     = "azure.ad.auditLogs.api.version"
	FilterConfig      = "azure.ad.auditLogs.filter"
	PageSizeConfig    = "azure.ad.auditLogs.pageSize"
	InitDaysConfig    = "azure.ad.auditLogs.initDays"
	LatencyConfig     = "azure.ad.auditLogs.data.latency"
	TenantConfig      = "azure.tenant.id"
	ClientIDConfig    = "azure.auth.clientId"
	SecretConfig      = "azure.auth.clientSecret"
	ResourceConfig    = "azure.auth.resource"
	RenewConfig       = "azure.auth.token.renew.window"
	AuthorityConfig   = "azure.auth.tokenUrl"
	DefaultEndpoint   = "https://graph.microsoft.com/{api-version}/auditLogs/{item}?$top={page-size}&$filter={filter-expression}"
	DefaultFilter     = "{filter-key} ge {filter-value} and {filter-key} lt {filter-value2}"
	DefaultAuthority  = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
	PartitionKey      = "DATA_TYPE"
	TimeKey           = "activityDateTime"
	NextLinkKey       = "nextLink"
	IDsKey            = "ids"
	DatatypeHeader    = "aad.datatype"
	offsetLayout      = "2006-01-02T15:04:05.0000000Z"
	defaultGraphScope = "https://graph.microsoft.com"
)

// TimeFields maps each data type to the field its filter and offset use.
var TimeFields = map[string]string{"directoryAudits": "activityDateTime", "signIns": "createdDateTime"}

// ConfigDef returns the client's configuration definition.
func ConfigDef() *sluice.ConfigDef {
	d := sluice.NewConfigDef()
	d.Define(sluice.ConfigKey{Name: DatatypesConfig, Type: sluice.TypeList, Default: sluice.NoDefault, Validator: datatypes{}, Importance: sluice.High, Doc: "Data types to read: directoryAudits, signIns."})
	d.Define(sluice.ConfigKey{Name: EndpointConfig, Type: sluice.TypeString, Default: DefaultEndpoint, Importance: sluice.Medium, Doc: "Request URL template ({api-version}, {item}, {page-size}, {filter-expression})."})
	d.Define(sluice.ConfigKey{Name: VersionConfig, Type: sluice.TypeString, Default: "v1.0", Importance: sluice.Medium, Doc: "Graph API version (Java's default is beta)."})
	d.Define(sluice.ConfigKey{Name: FilterConfig, Type: sluice.TypeString, Default: DefaultFilter, Importance: sluice.Medium, Doc: "$filter template ({filter-key}, {filter-value}, {filter-value2})."})
	d.Define(sluice.ConfigKey{Name: PageSizeConfig, Type: sluice.TypeInt, Default: "500", Importance: sluice.Medium, Doc: "$top page size."})
	d.Define(sluice.ConfigKey{Name: InitDaysConfig, Type: sluice.TypeInt, Default: "0", Importance: sluice.Medium, Doc: "Days to read back on a first start without initial.offset."})
	d.Define(sluice.ConfigKey{Name: LatencyConfig, Type: sluice.TypeLong, Default: "600000", Importance: sluice.Medium, Doc: "Milliseconds entries may take to appear; newer entries are left for later."})
	d.Define(sluice.ConfigKey{Name: pollable.InitialOffsetConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Low, Doc: "Time of a first start (ISO-8601)."})
	d.Define(sluice.ConfigKey{Name: TenantConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High, Doc: "Azure AD tenant id."})
	d.Define(sluice.ConfigKey{Name: ClientIDConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High, Doc: "Application (client) id."})
	d.Define(sluice.ConfigKey{Name: SecretConfig, Type: sluice.TypePassword, Default: "", Importance: sluice.High, Doc: "Client secret."})
	d.Define(sluice.ConfigKey{Name: ResourceConfig, Type: sluice.TypeString, Default: defaultGraphScope, Importance: sluice.Low, Doc: "Resource the token is for; the scope is <resource>/.default."})
	d.Define(sluice.ConfigKey{Name: RenewConfig, Type: sluice.TypeLong, Default: "60000", Importance: sluice.Low, Doc: "Renew the token this many milliseconds before it expires."})
	d.Define(sluice.ConfigKey{Name: AuthorityConfig, Type: sluice.TypeString, Default: DefaultAuthority, Importance: sluice.Low, Doc: "Token endpoint template ({tenant})."})
	httpclient.DefineRetry(d)
	httpclient.DefineTransport(d)
	return d
}

type datatypes struct{}

func (datatypes) Validate(name string, v any) error {
	l, _ := v.([]string)
	if len(l) == 0 {
		return &sluice.ConfigError{Name: name, Value: "", Msg: "at least one data type is required"}
	}
	for _, t := range l {
		if _, ok := TimeFields[t]; !ok {
			return &sluice.ConfigError{Name: name, Value: sluice.JavaListString(l), Msg: "unknown data type " + t + " (directoryAudits, signIns)"}
		}
	}
	return nil
}

func (datatypes) String() string { return "[directoryAudits, signIns]" }

func init() {
	pollable.RegisterClient(pollable.ClientInfo{
		Class: Class, Config: ConfigDef(), Doc: "Microsoft Graph audit logs (directoryAudits, signIns) with OAuth 2.0 client credentials.",
		New: func() pollable.APIClient { return &Client{} },
	})
}

// Client reads Microsoft Graph audit logs.
type Client struct {
	clock    pollable.Clock
	types    []string
	endpoint string
	version  string
	filter   string
	pageSize int
	initDays int
	latency  time.Duration
	initial  string
	auth     *httpclient.OAuth2ClientCredentials
	readers  map[string]*httpclient.Reader
	doer     *httpclient.Doer
}

var _ pollable.APIClient = (*Client)(nil)

// SetClock sets the clock of time windows, token expiry and waits.
func (c *Client) SetClock(clk pollable.Clock) { c.clock = clk }

// Auth returns the token source (for inspection).
func (c *Client) Auth() *httpclient.OAuth2ClientCredentials { return c.auth }

// Configure reads the azure.* keys.
func (c *Client) Configure(props map[string]string) error {
	if c.clock == nil {
		c.clock = pollable.SystemClock{}
	}
	cfg, err := ConfigDef().Parse(props)
	if err != nil {
		return err
	}
	c.types = cfg.List(DatatypesConfig)
	c.endpoint = cfg.String(EndpointConfig)
	c.version = cfg.String(VersionConfig)
	c.filter = cfg.String(FilterConfig)
	c.pageSize = int(cfg.Int(PageSizeConfig))
	c.initDays = int(cfg.Int(InitDaysConfig))
	c.latency = time.Duration(cfg.Long(LatencyConfig)) * time.Millisecond
	c.initial = cfg.String(pollable.InitialOffsetConfig)
	hc, err := httpclient.BuildHTTPClient(cfg)
	if err != nil {
		return err
	}
	c.auth = &httpclient.OAuth2ClientCredentials{
		TokenURL:      strings.ReplaceAll(cfg.String(AuthorityConfig), "{tenant}", cfg.String(TenantConfig)),
		ClientID:      cfg.String(ClientIDConfig),
		ClientSecret:  cfg.Password(SecretConfig).Value(),
		Scopes:        []string{strings.TrimSuffix(cfg.String(ResourceConfig), "/") + "/.default"},
		RefreshBefore: time.Duration(cfg.Long(RenewConfig)) * time.Millisecond,
		HTTP:          hc, Clock: c.clock,
	}
	if c.doer, err = httpclient.NewDoer(cfg, c.auth, c.clock); err != nil {
		return err
	}
	c.doer.HTTP = hc
	value, _ := httpclient.ParsePointer("/value")
	next, _ := httpclient.ParsePointer("/@odata.nextLink")
	id, _ := httpclient.ParsePointer("/id")
	c.readers = map[string]*httpclient.Reader{}
	for _, t := range c.types {
		field, _ := httpclient.ParsePointer("/" + TimeFields[t])
		c.readers[t] = &httpclient.Reader{
			Doer:     c.doer,
			Headers:  http.Header{"Accept": {"application/json"}},
			FirstURL: c.firstURL,
			Records:  value,
			Pager:    httpclient.BodyPager{Pointer: next},
			Mark:     &httpclient.Watermark{Field: field, IDField: &id, Type: httpclient.OrderTimestamp, ValueKey: TimeKey, IDsKey: IDsKey},
			NextKey:  NextLinkKey,
			RecordHeaders: func(map[string]any) sluice.Headers {
				return sluice.Headers{{Key: DatatypeHeader, Schema: sluice.StringSchema, Value: t}}
			},
		}
	}
	return nil
}

// firstURL builds the query of a new result set from the offset time.
func (c *Client) firstURL(partition, offset map[string]any, _ int) (string, error) {
	item, _ := partition[PartitionKey].(string)
	from, _ := offset[TimeKey].(string)
	if from == "" {
		from = c.startTime()
	}
	until := c.clock.Now().UTC().Add(-c.latency).Format(offsetLayout)
	fe := strings.NewReplacer("{filter-key}", TimeFields[item], "{filter-value}", from, "{filter-value2}", until).Replace(c.filter)
	u := strings.NewReplacer(
		"{page-size}", strconv.Itoa(c.pageSize),
		"{item}", item,
		"{api-version}", c.version,
		"{filter-expression}", pathEscape(fe),
	).Replace(c.endpoint)
	return u, nil
}

func (c *Client) startTime() string {
	if c.initial != "" {
		if t, err := httpclient.ParseTimestamp(c.initial); err == nil {
			return t.UTC().Format(offsetLayout)
		}
		return c.initial
	}
	return c.clock.Now().UTC().AddDate(0, 0, -c.initDays).Format(offsetLayout)
}

// Partitions returns one partition per data type.
func (c *Client) Partitions(context.Context) ([]map[string]any, error) {
	out := make([]map[string]any, 0, len(c.types))
	for _, t := range c.types {
		out = append(out, map[string]any{PartitionKey: t})
	}
	return out, nil
}

// InitialOffset starts at initial.offset, or initDays days ago.
func (c *Client) InitialOffset(map[string]any) (map[string]any, error) {
	return map[string]any{TimeKey: c.startTime()}, nil
}

// Poll reads pages of the partition's data type.
func (c *Client) Poll(ctx context.Context, topic string, partition, offset map[string]any, items int) ([]*sluice.Record, error) {
	item, _ := partition[PartitionKey].(string)
	r := c.readers[item]
	if r == nil {
		return nil, fmt.Errorf("msgraph: unknown partition %v", partition)
	}
	recs, err := r.Poll(ctx, topic, partition, offset, items)
	if err != nil {
		return nil, fmt.Errorf("msgraph %s: %w", item, err)
	}
	return recs, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.doer.HTTP.CloseIdleConnections() }
