package msgraph

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A Graph-shaped server: token endpoint, directoryAudits with $filter,
// @odata.nextLink paging and one 429 with Retry-After.
func TestGraphAuditLogs(t *testing.T) {
	var tokens, throttled atomic.Int32
	var filters []string
	var srvURL string
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tenant-1/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("scope") != "https://graph.microsoft.com/.default" || r.Form.Get("client_secret") != "s3" {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}`)
			return
		}
		tokens.Add(1)
		fmt.Fprint(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0"}`)
	})
	mux.HandleFunc("GET /v1.0/auditLogs/directoryAudits", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer eyJ0" {
			w.WriteHeader(401)
			return
		}
		if throttled.CompareAndSwap(0, 1) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"error":{"code":"TooManyRequests","message":"Too many requests"}}`)
			return
		}
		if r.URL.Query().Get("$skiptoken") == "" {
			filters = append(filters, r.URL.Query().Get("$filter"))
			fmt.Fprintf(w, `{"@odata.context":"x","value":[{"id":"a1","activityDateTime":"2024-05-01T00:00:01.1234567Z"},{"id":"a2","activityDateTime":"2024-05-01T00:00:02Z"}],"@odata.nextLink":"%s/v1.0/auditLogs/directoryAudits?$skiptoken=p2"}`, srvURL)
			return
		}
		fmt.Fprint(w, `{"@odata.context":"x","value":[{"id":"a3","activityDateTime":"2024-05-01T00:00:02Z"}]}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	cfg := map[string]string{
		"azure.ad.auditLogs.datatypes":    "directoryAudits, signIns",
		"azure.ad.auditLogs.api.endpoint": srv.URL + "/{api-version}/auditLogs/{item}?$top={page-size}&$filter={filter-expression}",
		"azure.auth.tokenUrl":             srv.URL + "/{tenant}/oauth2/v2.0/token",
		"azure.tenant.id":                 "tenant-1", "azure.auth.clientId": "app", "azure.auth.clientSecret": "s3",
		"initial.offset": "2024-05-01T00:00:00Z", "http.retry.backoff.ms": "1",
	}
	c := &Client{}
	if err := c.Configure(cfg); err != nil {
		t.Fatal(err)
	}
	parts, _ := c.Partitions(context.Background())
	if len(parts) != 2 || parts[1][PartitionKey] != "signIns" {
		t.Fatalf("partitions %v", parts)
	}
	off, _ := c.InitialOffset(parts[0])
	recs, err := c.Poll(context.Background(), "aad", parts[0], off, 100)
	if err != nil || len(recs) != 3 || recs[2].Value != `{"id":"a3","activityDateTime":"2024-05-01T00:00:02Z"}` || recs[0].Headers[0].Value != "directoryAudits" {
		t.Fatalf("%d %v", len(recs), err)
	}
	if !strings.HasPrefix(filters[0], "activityDateTime ge 2024-05-01T00:00:00.0000000Z and activityDateTime lt ") {
		t.Errorf("filter %q", filters[0])
	}
	if off[TimeKey] != "2024-05-01T00:00:02Z" || off[IDsKey] != `["a2","a3"]` || off[NextLinkKey] != nil || tokens.Load() != 1 {
		t.Errorf("offset %v tokens %d", off, tokens.Load())
	}
	// the next result set starts at the watermark; a2 and a3 are not repeated
	recs, err = c.Poll(context.Background(), "aad", parts[0], off, 100)
	if err != nil || len(recs) != 0 || !strings.Contains(filters[1], "ge 2024-05-01T00:00:02Z") || tokens.Load() != 1 {
		t.Errorf("second poll %d %v %q", len(recs), err, filters[1])
	}
	cfg["azure.auth.clientSecret"] = "bad"
	bad := &Client{}
	bad.Configure(cfg)
	if _, err := bad.Poll(context.Background(), "aad", parts[0], map[string]any{}, 10); err == nil || !strings.Contains(err.Error(), "Invalid client secret") {
		t.Errorf("err = %v", err)
	}
	if err := (&Client{}).Configure(map[string]string{"azure.ad.auditLogs.datatypes": "riskyUsers", "azure.tenant.id": "t", "azure.auth.clientId": "c"}); err == nil {
		t.Error("unknown data type accepted")
	}
}
