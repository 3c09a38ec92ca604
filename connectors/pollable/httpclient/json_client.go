package httpclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"sluice.io/sluice"
	"sluice.io/sluice/connectors/pollable"
)

// Class names of the generic client.
const (
	JSONClientClass = "com.vrudenskyi.kafka.connect.http.JsonGetAPIClient"
)

// Keys of the generic HTTP JSON client.
const (
	ServerURIConfig      = "http.serverUri"
	EndpointConfig       = "http.endpoint"
	MethodConfig         = "http.method"
	PayloadConfig        = "http.request.payload"
	ContentTypeConfig    = "http.request.contentType"
	HeadersConfig        = "http.request.headers"
	ParamsConfig         = "http.request.params"
	AuthTypeConfig       = "http.auth.type"
	BasicUserConfig      = "http.auth.basic.user"
	BasicPasswordConfig  = "http.auth.basic.password"
	BearerTokenConfig    = "http.auth.bearer.token"
	APIKeyHeaderConfig   = "http.auth.apikey.header"
	APIKeyPrefixConfig   = "http.auth.apikey.prefix"
	APIKeyValueConfig    = "http.auth.apikey.value"
	OAuthTokenURLConfig  = "http.auth.oauth2.tokenUrl"
	OAuthClientIDConfig  = "http.auth.oauth2.clientId"
	OAuthSecretConfig    = "http.auth.oauth2.clientSecret"
	OAuthScopeConfig     = "http.auth.oauth2.scope"
	OAuthBasicConfig     = "http.auth.oauth2.clientAuthBasic"
	OAuthRefreshConfig   = "http.auth.oauth2.refreshBefore"
	DataPointerConfig    = "json.data.pointer"
	PageTypeConfig       = "http.pagination.type"
	PageNextPtrConfig    = "http.pagination.next.pointer"
	PageCursorPtrConfig  = "http.pagination.cursor.pointer"
	PageParamConfig      = "http.pagination.param"
	PageStartConfig      = "http.pagination.start"
	PageSizeConfig       = "http.pagination.size"
	OffsetFieldConfig    = "http.offset.field"
	OffsetIDFieldConfig  = "http.offset.id.field"
	OffsetTypeConfig     = "http.offset.type"
	RetryMaxConfig       = "http.retry.max"
	RetryBackoffConfig   = "http.retry.backoff.ms"
	RetryBackoffMaxCfg   = "http.retry.backoff.max.ms"
	RetryAfterMaxConfig  = "http.retry.after.max.ms"
	PartitionURLKey      = "___URL"
	PartitionMethodKey   = "___METHOD"
	OffsetNextKey        = "next"
	OffsetSinceKey       = "since"
	OffsetIDsKey         = "ids"
	SourceHeader         = "http.source"
	authNone, authBasic  = "none", "basic"
	authBearer, authKey  = "bearer", "apikey"
	authOAuth2           = "oauth2"
	pageNone, pageLink   = "none", "link"
	pageBody, pageCursor = "body", "cursor"
	pagePage, pageOffset = "page", "offset"
)

// DefineRetry adds the retry keys shared by the HTTP clients.
func DefineRetry(d *sluice.ConfigDef) *sluice.ConfigDef {
	d.Define(sluice.ConfigKey{Name: RetryMaxConfig, Type: sluice.TypeInt, Default: "5", Validator: sluice.AtLeast(0), Importance: sluice.Low, Group: "Retries",
		Doc: "Retries of one request after 429, 502, 503, 504 or a connection failure."})
	d.Define(sluice.ConfigKey{Name: RetryBackoffConfig, Type: sluice.TypeLong, Default: "1000", Validator: sluice.AtLeast(0), Importance: sluice.Low, Group: "Retries",
		Doc: "First back-off step in milliseconds; doubled per retry, with jitter."})
	d.Define(sluice.ConfigKey{Name: RetryBackoffMaxCfg, Type: sluice.TypeLong, Default: "60000", Validator: sluice.AtLeast(0), Importance: sluice.Low, Group: "Retries",
		Doc: "Longest back-off step in milliseconds."})
	d.Define(sluice.ConfigKey{Name: RetryAfterMaxConfig, Type: sluice.TypeLong, Default: "600000", Validator: sluice.AtLeast(0), Importance: sluice.Low, Group: "Retries",
		Doc: "Longest wait a Retry-After (or X-Rate-Limit-Reset) header may ask for, in milliseconds."})
	return d
}

// NewDoer builds a Doer from parsed transport and retry keys.
func NewDoer(c *sluice.Config, auth Authenticator, clock pollable.Clock) (*Doer, error) {
	hc, err := BuildHTTPClient(c)
	if err != nil {
		return nil, err
	}
	retries := int(c.Int(RetryMaxConfig))
	return &Doer{
		HTTP: hc, Auth: auth, Clock: clock, MaxRetries: retries,
		BackoffInitial: time.Duration(c.Long(RetryBackoffConfig)) * time.Millisecond,
		BackoffMax:     time.Duration(c.Long(RetryBackoffMaxCfg)) * time.Millisecond,
		RetryAfterMax:  time.Duration(c.Long(RetryAfterMaxConfig)) * time.Millisecond,
		CallTimeout:    time.Duration(c.Long(CallTimeoutConfig)) * time.Millisecond,
	}, nil
}

// JSONConfigDef returns the generic client's configuration definition.
func JSONConfigDef() *sluice.ConfigDef {
	d := sluice.NewConfigDef()
	d.Define(sluice.ConfigKey{Name: ServerURIConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Base URI, e.g. https://host."})
	d.Define(sluice.ConfigKey{Name: EndpointConfig, Type: sluice.TypeString, Default: sluice.NoDefault, Importance: sluice.High,
		Doc: "Path and query appended to http.serverUri; may hold {{offset.<key>}}, {{partition.<key>}} and {{limit}} placeholders (form-URL-encoded)."})
	d.Define(sluice.ConfigKey{Name: MethodConfig, Type: sluice.TypeString, Default: "GET", Importance: sluice.Medium,
		Doc: "HTTP method; a body is sent only with POST, PUT, PATCH, PROPPATCH and REPORT."})
	d.Define(sluice.ConfigKey{Name: PayloadConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Low,
		Doc: "Request body; placeholders are filled unescaped."})
	d.Define(sluice.ConfigKey{Name: ContentTypeConfig, Type: sluice.TypeString, Default: "text/plain", Importance: sluice.Low,
		Doc: "Media type of the request body."})
	d.Define(sluice.ConfigKey{Name: HeadersConfig, Type: sluice.TypeList, Default: "", Importance: sluice.Low,
		Doc: "Header aliases; http.request.headers.<alias>.name (default: the alias) and .value. Repeated names send several values."})
	d.Define(sluice.ConfigKey{Name: ParamsConfig, Type: sluice.TypeList, Default: "", Importance: sluice.Low,
		Doc: "Query parameter aliases; http.request.params.<alias>.name (default: the alias) and .value (a template). A parameter whose value renders empty is left out."})
	d.Define(sluice.ConfigKey{Name: AuthTypeConfig, Type: sluice.TypeString, Default: "none",
		Validator: sluice.CaseInsensitiveValidString{authNone, authBasic, authBearer, authKey, authOAuth2, "ntlm", "custom"}, Importance: sluice.High,
		Doc: "none, basic, bearer, apikey or oauth2 (client credentials). Java's ntlm and custom are not supported."})
	d.Define(sluice.ConfigKey{Name: BasicUserConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Medium, Doc: "User of basic authentication."})
	d.Define(sluice.ConfigKey{Name: BasicPasswordConfig, Type: sluice.TypePassword, Default: "", Importance: sluice.Medium, Doc: "Password of basic authentication."})
	d.Define(sluice.ConfigKey{Name: BearerTokenConfig, Type: sluice.TypePassword, Default: "", Importance: sluice.Medium, Doc: "Token sent as Authorization: Bearer <token>."})
	d.Define(sluice.ConfigKey{Name: APIKeyHeaderConfig, Type: sluice.TypeString, Default: "X-API-Key", Importance: sluice.Medium, Doc: "Header carrying the API key."})
	d.Define(sluice.ConfigKey{Name: APIKeyPrefixConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Medium, Doc: "Text before the key, e.g. \"SSWS\" (a space is added)."})
	d.Define(sluice.ConfigKey{Name: APIKeyValueConfig, Type: sluice.TypePassword, Default: "", Importance: sluice.Medium, Doc: "The API key."})
	d.Define(sluice.ConfigKey{Name: OAuthTokenURLConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Medium, Doc: "OAuth 2.0 token endpoint."})
	d.Define(sluice.ConfigKey{Name: OAuthClientIDConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Medium, Doc: "OAuth 2.0 client id."})
	d.Define(sluice.ConfigKey{Name: OAuthSecretConfig, Type: sluice.TypePassword, Default: "", Importance: sluice.Medium, Doc: "OAuth 2.0 client secret."})
	d.Define(sluice.ConfigKey{Name: OAuthScopeConfig, Type: sluice.TypeList, Default: "", Importance: sluice.Medium, Doc: "OAuth 2.0 scopes."})
	d.Define(sluice.ConfigKey{Name: OAuthBasicConfig, Type: sluice.TypeBoolean, Default: "false", Importance: sluice.Low, Doc: "Send the client credentials with HTTP Basic instead of in the form."})
	d.Define(sluice.ConfigKey{Name: OAuthRefreshConfig, Type: sluice.TypeLong, Default: "60000", Importance: sluice.Low, Doc: "Renew a token this many milliseconds before it expires."})
	d.Define(sluice.ConfigKey{Name: DataPointerConfig, Type: sluice.TypeString, Default: "/", Validator: pointerValidator{}, Importance: sluice.High,
		Doc: "JSON Pointer of the records: an array gives one record per element, another node one record, a missing node the whole body. The default \"/\" names the member \"\", so a usual response is one record; use an empty value for a root array."})
	d.Define(sluice.ConfigKey{Name: PageTypeConfig, Type: sluice.TypeString, Default: pageNone,
		Validator: sluice.CaseInsensitiveValidString{pageNone, pageLink, pageBody, pageCursor, pagePage, pageOffset}, Importance: sluice.Medium,
		Doc: "Pagination: none, link (Link header rel=\"next\"), body (next URL at http.pagination.next.pointer), cursor (token at http.pagination.cursor.pointer sent as http.pagination.param), page (page number in http.pagination.param) or offset (item offset in http.pagination.param)."})
	d.Define(sluice.ConfigKey{Name: PageNextPtrConfig, Type: sluice.TypeString, Default: "", Validator: pointerValidator{}, Importance: sluice.Medium, Doc: "JSON Pointer of the next page's URL (body pagination)."})
	d.Define(sluice.ConfigKey{Name: PageCursorPtrConfig, Type: sluice.TypeString, Default: "", Validator: pointerValidator{}, Importance: sluice.Medium, Doc: "JSON Pointer of the continuation token (cursor pagination)."})
	d.Define(sluice.ConfigKey{Name: PageParamConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Medium, Doc: "Query parameter of the cursor, page number or item offset."})
	d.Define(sluice.ConfigKey{Name: PageStartConfig, Type: sluice.TypeLong, Default: "0", Importance: sluice.Low, Doc: "Page number or item offset of the first request when it carries none."})
	d.Define(sluice.ConfigKey{Name: PageSizeConfig, Type: sluice.TypeInt, Default: "0", Importance: sluice.Low, Doc: "Page size; a shorter page ends page/offset pagination (0: only an empty page does)."})
	d.Define(sluice.ConfigKey{Name: OffsetFieldConfig, Type: sluice.TypeString, Default: "", Validator: pointerValidator{}, Importance: sluice.Medium,
		Doc: "JSON Pointer, inside each record, of the field the offset follows (a timestamp or an increasing id); empty keeps no state, as Java does."})
	d.Define(sluice.ConfigKey{Name: OffsetIDFieldConfig, Type: sluice.TypeString, Default: "", Validator: pointerValidator{}, Importance: sluice.Low,
		Doc: "JSON Pointer of a unique record id, used to skip records already read at the offset value (default: a hash of the record)."})
	d.Define(sluice.ConfigKey{Name: OffsetTypeConfig, Type: sluice.TypeString, Default: "timestamp",
		Validator: sluice.CaseInsensitiveValidString{"timestamp", "number", "string"}, Importance: sluice.Low,
		Doc: "How offset values compare: timestamp, number or string."})
	d.Define(sluice.ConfigKey{Name: pollable.InitialOffsetConfig, Type: sluice.TypeString, Default: "", Importance: sluice.Medium,
		Doc: "Offset value of a first start (the value of {{offset.since}})."})
	DefineRetry(d)
	DefineTransport(d)
	return d
}

type pointerValidator struct{}

func (pointerValidator) Validate(name string, v any) error {
	s, _ := v.(string)
	if _, err := ParsePointer(s); err != nil {
		return &sluice.ConfigError{Name: name, Value: s, Msg: err.Error()}
	}
	return nil
}

func (pointerValidator) String() string { return "JSON Pointer" }

func init() {
	pollable.RegisterClient(pollable.ClientInfo{
		Class:  JSONClientClass,
		Config: JSONConfigDef(),
		Doc:    "Generic HTTP JSON client: templates, authentication, pagination and offsets from a record field.",
		New:    func() pollable.APIClient { return &JSONClient{} },
	})
}

// JSONClient is JsonGetAPIClient with what it lacked: URL templates using
// the offset, more authentication schemes, pagination, offsets advanced from
// a record field, rate-limit handling and TLS options.
type JSONClient struct {
	clock     pollable.Clock
	url       string
	method    string
	initial   string
	reader    *Reader
	endpoint  *Template
	params    []param
	payload   *Template
	ctype     string
	doer      *Doer
	hasMark   bool
	closeIdle func()
}

type param struct {
	name string
	tmpl *Template
}

var _ pollable.APIClient = (*JSONClient)(nil)

// SetClock sets the clock of waits and token expiry.
func (c *JSONClient) SetClock(clk pollable.Clock) { c.clock = clk }

// Configure reads the client keys.
func (c *JSONClient) Configure(props map[string]string) error {
	if c.clock == nil {
		c.clock = pollable.SystemClock{}
	}
	cfg, err := JSONConfigDef().Parse(props)
	if err != nil {
		return err
	}
	c.url = cfg.String(ServerURIConfig) + cfg.String(EndpointConfig)
	c.method = cfg.String(MethodConfig)
	if c.endpoint, err = ParseTemplate(c.url); err != nil {
		return &sluice.ConfigError{Name: EndpointConfig, Value: cfg.String(EndpointConfig), Msg: err.Error()}
	}
	if c.payload, err = ParseTemplate(cfg.String(PayloadConfig)); err != nil {
		return &sluice.ConfigError{Name: PayloadConfig, Value: cfg.String(PayloadConfig), Msg: err.Error()}
	}
	c.ctype = cfg.String(ContentTypeConfig)
	for _, alias := range cfg.List(ParamsConfig) {
		name := sluice.JavaTrim(props[ParamsConfig+"."+alias+".name"])
		if name == "" {
			name = alias
		}
		t, err := ParseTemplate(sluice.JavaTrim(props[ParamsConfig+"."+alias+".value"]))
		if err != nil {
			return &sluice.ConfigError{Name: ParamsConfig + "." + alias + ".value", Value: props[ParamsConfig+"."+alias+".value"], Msg: err.Error()}
		}
		c.params = append(c.params, param{name: name, tmpl: t})
	}
	headers := http.Header{"Accept": {"application/json"}}
	for _, alias := range cfg.List(HeadersConfig) {
		name := sluice.JavaTrim(props[HeadersConfig+"."+alias+".name"])
		if name == "" {
			name = alias
		}
		headers.Add(name, sluice.JavaTrim(props[HeadersConfig+"."+alias+".value"]))
	}
	hc, err := BuildHTTPClient(cfg)
	if err != nil {
		return err
	}
	auth, err := buildAuth(cfg, hc, c.clock)
	if err != nil {
		return err
	}
	if c.doer, err = NewDoer(cfg, auth, c.clock); err != nil {
		return err
	}
	c.doer.HTTP = hc
	if !cfg.Bool(RetryOnFailureConfig) {
		c.doer.MaxRetries = 0
	}
	ptr, _ := ParsePointer(cfg.String(DataPointerConfig))
	pager, err := buildPager(cfg)
	if err != nil {
		return err
	}
	c.reader = &Reader{
		Doer: c.doer, Method: c.method, Headers: headers, Records: ptr, Pager: pager, NextKey: OffsetNextKey,
		FirstURL: c.firstURL,
		Body: func(partition, offset map[string]any, limit int) (string, string) {
			return c.payload.Render(partition, offset, limit, false), c.ctype
		},
		RecordHeaders: func(partition map[string]any) sluice.Headers {
			return sluice.Headers{{Key: SourceHeader, Schema: sluice.StringSchema, Value: textOf(partition[PartitionURLKey])}}
		},
	}
	if f := cfg.String(OffsetFieldConfig); f != "" {
		fp, _ := ParsePointer(f)
		typ, _ := ParseOrderType(cfg.String(OffsetTypeConfig))
		w := &Watermark{Field: fp, Type: typ, ValueKey: OffsetSinceKey, IDsKey: OffsetIDsKey}
		if id := cfg.String(OffsetIDFieldConfig); id != "" {
			ip, _ := ParsePointer(id)
			w.IDField = &ip
		}
		c.reader.Mark = w
	}
	c.initial = cfg.String(pollable.InitialOffsetConfig)
	c.closeIdle = hc.CloseIdleConnections
	return nil
}

func (c *JSONClient) firstURL(partition, offset map[string]any, limit int) (string, error) {
	u := c.endpoint.Render(partition, offset, limit, true)
	for _, p := range c.params {
		if v := p.tmpl.Render(partition, offset, limit, false); v != "" {
			u = AppendQuery(u, p.name, v)
		}
	}
	return u, nil
}

func buildAuth(cfg *sluice.Config, hc *http.Client, clock pollable.Clock) (Authenticator, error) {
	switch strings.ToLower(cfg.String(AuthTypeConfig)) {
	case authBasic:
		if cfg.String(BasicUserConfig) == "" {
			return nil, sluice.MissingConfig(BasicUserConfig)
		}
		return BasicAuth(cfg.String(BasicUserConfig), cfg.Password(BasicPasswordConfig).Value()), nil
	case authBearer:
		if cfg.Password(BearerTokenConfig).Value() == "" {
			return nil, sluice.MissingConfig(BearerTokenConfig)
		}
		return HeaderAuth{Name: "Authorization", Value: "Bearer " + cfg.Password(BearerTokenConfig).Value()}, nil
	case authKey:
		v := cfg.Password(APIKeyValueConfig).Value()
		if v == "" {
			return nil, sluice.MissingConfig(APIKeyValueConfig)
		}
		if p := cfg.String(APIKeyPrefixConfig); p != "" {
			v = p + " " + v
		}
		return HeaderAuth{Name: cfg.String(APIKeyHeaderConfig), Value: v}, nil
	case authOAuth2:
		for _, k := range []string{OAuthTokenURLConfig, OAuthClientIDConfig} {
			if cfg.String(k) == "" {
				return nil, sluice.MissingConfig(k)
			}
		}
		return &OAuth2ClientCredentials{
			TokenURL: cfg.String(OAuthTokenURLConfig), ClientID: cfg.String(OAuthClientIDConfig),
			ClientSecret: cfg.Password(OAuthSecretConfig).Value(), Scopes: cfg.List(OAuthScopeConfig),
			BasicAuth: cfg.Bool(OAuthBasicConfig), RefreshBefore: time.Duration(cfg.Long(OAuthRefreshConfig)) * time.Millisecond,
			HTTP: hc, Clock: clock,
		}, nil
	case "ntlm", "custom":
		return nil, &sluice.ConfigError{Name: AuthTypeConfig, Value: cfg.String(AuthTypeConfig), Msg: "not supported by Sluice"}
	}
	return NoAuth{}, nil
}

func buildPager(cfg *sluice.Config) (Pager, error) {
	need := func(key string) error {
		if cfg.String(key) == "" {
			return &sluice.ConfigError{Name: key, Value: "", Msg: "required by " + PageTypeConfig + "=" + cfg.String(PageTypeConfig)}
		}
		return nil
	}
	switch strings.ToLower(cfg.String(PageTypeConfig)) {
	case pageLink:
		return LinkPager{}, nil
	case pageBody:
		if err := need(PageNextPtrConfig); err != nil {
			return nil, err
		}
		p, _ := ParsePointer(cfg.String(PageNextPtrConfig))
		return BodyPager{Pointer: p}, nil
	case pageCursor:
		if err := need(PageCursorPtrConfig); err != nil {
			return nil, err
		}
		if err := need(PageParamConfig); err != nil {
			return nil, err
		}
		p, _ := ParsePointer(cfg.String(PageCursorPtrConfig))
		return CursorPager{Pointer: p, Param: cfg.String(PageParamConfig)}, nil
	case pagePage, pageOffset:
		if err := need(PageParamConfig); err != nil {
			return nil, err
		}
		return CounterPager{Param: cfg.String(PageParamConfig), Start: cfg.Long(PageStartConfig),
			ByItems: strings.EqualFold(cfg.String(PageTypeConfig), pageOffset), PageSize: int(cfg.Int(PageSizeConfig))}, nil
	}
	return NoPager{}, nil
}

// Partitions returns the single partition {___URL, ___METHOD}.
func (c *JSONClient) Partitions(context.Context) ([]map[string]any, error) {
	return []map[string]any{{PartitionURLKey: c.url, PartitionMethodKey: c.method}}, nil
}

// InitialOffset is empty, or holds initial.offset as the offset value.
func (c *JSONClient) InitialOffset(map[string]any) (map[string]any, error) {
	if c.initial == "" {
		return map[string]any{}, nil
	}
	return map[string]any{OffsetSinceKey: c.initial}, nil
}

// Poll reads one result set (all its pages, within the budget).
func (c *JSONClient) Poll(ctx context.Context, topic string, partition, offset map[string]any, items int) ([]*sluice.Record, error) {
	recs, err := c.reader.Poll(ctx, topic, partition, offset, items)
	if err != nil {
		return nil, fmt.Errorf("poll %s: %w", partition[PartitionURLKey], err)
	}
	return recs, nil
}

// Close releases idle connections.
func (c *JSONClient) Close() {
	if c.closeIdle != nil {
		c.closeIdle()
	}
}

// Doer returns the client's request executor (for inspection).
func (c *JSONClient) Doer() *Doer { return c.doer }
