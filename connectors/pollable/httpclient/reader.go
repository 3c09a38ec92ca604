package httpclient

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"sluice.io/sluice"
)

// Pager finds the URL of the page after a response ("" when none).
type Pager interface {
	Next(reqURL string, resp *Response, root json.RawMessage, elems int) (string, error)
}

// NoPager never continues: one request per poll.
type NoPager struct{}

// Next returns "".
func (NoPager) Next(string, *Response, json.RawMessage, int) (string, error) { return "", nil }

// LinkPager follows the Link header entry with rel="next".
type LinkPager struct{}

// Next returns the rel="next" link, resolved against the request URL.
func (LinkPager) Next(reqURL string, resp *Response, _ json.RawMessage, _ int) (string, error) {
	next, ok := NextLink(resp.Header)
	if !ok {
		return "", nil
	}
	return resolve(reqURL, next)
}

// BodyPager reads the next URL from the response body (e.g.
// /@odata.nextLink or /links/next).
type BodyPager struct{ Pointer Pointer }

// Next returns the URL at the pointer, resolved against the request URL.
func (p BodyPager) Next(reqURL string, _ *Response, root json.RawMessage, _ int) (string, error) {
	node, ok := p.Pointer.Lookup(root)
	if !ok {
		return "", nil
	}
	s, ok := scalarText(node)
	if !ok || s == "" {
		return "", nil
	}
	return resolve(reqURL, s)
}

// CursorPager reads a continuation token from the body and sends it as a
// query parameter of the same URL.
type CursorPager struct {
	Pointer Pointer
	Param   string
}

// Next returns the request URL with the cursor parameter set.
func (p CursorPager) Next(reqURL string, _ *Response, root json.RawMessage, _ int) (string, error) {
	node, ok := p.Pointer.Lookup(root)
	if !ok {
		return "", nil
	}
	s, ok := scalarText(node)
	if !ok || s == "" {
		return "", nil
	}
	return SetQueryParam(reqURL, p.Param, s)
}

// CounterPager counts pages (Step 0: +1 per page) or items (Step<0: + the
// number of records received) in a query parameter; it stops on an empty
// page or, when PageSize > 0, on a short one.
type CounterPager struct {
	Param    string
	Start    int64
	ByItems  bool
	PageSize int
}

// Next returns the request URL with the counter advanced.
func (p CounterPager) Next(reqURL string, _ *Response, _ json.RawMessage, elems int) (string, error) {
	if elems == 0 || (p.PageSize > 0 && elems < p.PageSize) {
		return "", nil
	}
	cur := p.Start
	if v := QueryParam(reqURL, p.Param); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", fmt.Errorf("pagination parameter %s=%q is not a number", p.Param, v)
		}
		cur = n
	}
	if p.ByItems {
		cur += int64(elems)
	} else {
		cur++
	}
	return SetQueryParam(reqURL, p.Param, strconv.FormatInt(cur, 10))
}

func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("invalid next link %q: %w", ref, err)
	}
	return b.ResolveReference(r).String(), nil
}

// Reader is the paging engine the HTTP clients share: it requests a page,
// extracts records, filters them through the watermark and follows the
// pager until the budget is met.
//
// Offsets: NextKey holds the URL of the next page while a result set is
// being paged; without it the first URL is built from the offset. Every
// record carries the offset to resume after it: for the last record of a
// page, the next page's URL; for the others, the watermark (with a
// watermark) or the URL of their own page (without one).
type Reader struct {
	Doer    *Doer
	Method  string
	Body    func(partition, offset map[string]any, limit int) (string, string) // payload, content type
	Headers http.Header
	// FirstURL builds the URL of a new result set.
	FirstURL func(partition, offset map[string]any, limit int) (string, error)
	Records  Pointer
	Pager    Pager
	Mark     *Watermark
	NextKey  string
	// RecordHeaders are added to every record.
	RecordHeaders func(partition map[string]any) sluice.Headers
}

// Poll implements the APIClient Poll contract for one partition.
func (r *Reader) Poll(ctx context.Context, topic string, partition, offset map[string]any, items int) ([]*sluice.Record, error) {
	var state *markState
	if r.Mark != nil {
		state = r.Mark.load(offset)
	}
	base := maps.Clone(offset)
	delete(base, r.NextKey)
	pageURL, _ := offset[r.NextKey].(string)
	firstURL := ""
	if pageURL == "" {
		u, err := r.FirstURL(partition, offset, items)
		if err != nil {
			return nil, err
		}
		pageURL, firstURL = u, u
	}
	var hdrs sluice.Headers
	if r.RecordHeaders != nil {
		hdrs = r.RecordHeaders(partition)
	}
	var out []*sluice.Record
	next := pageURL
	for {
		resp, err := r.fetch(ctx, partition, offset, items-len(out), next)
		if err != nil {
			if len(out) > 0 && ctx.Err() == nil {
				break // keep what was read; the failing page is retried next time
			}
			return nil, err
		}
		root, err := firstValue(resp.Body)
		if err != nil {
			if len(out) > 0 {
				break
			}
			return nil, fmt.Errorf("read %s: %w", resp.URL, err)
		}
		elems, err := r.Records.extractRoot(root)
		if err != nil {
			return nil, err
		}
		following, err := r.Pager.Next(next, resp, root, len(elems))
		if err != nil {
			return nil, err
		}
		first := len(out)
		for _, e := range elems {
			if state != nil && !state.admit(e) {
				continue
			}
			snap := maps.Clone(base)
			if state != nil {
				state.store(snap)
			} else if next != firstURL {
				snap[r.NextKey] = next // re-read this page after a restart
			}
			out = append(out, r.record(topic, partition, hdrs, e, snap))
		}
		if len(out) > first && following != "" {
			out[len(out)-1].SourceOffset[r.NextKey] = following
		}
		if state != nil {
			state.store(offset)
			state.store(base)
		}
		if following == "" {
			delete(offset, r.NextKey)
			break
		}
		offset[r.NextKey] = following
		next = following
		if len(elems) == 0 || len(out) >= items || ctx.Err() != nil {
			break
		}
	}
	return out, nil
}

func (r *Reader) record(topic string, partition map[string]any, hdrs sluice.Headers, e json.RawMessage, snap map[string]any) *sluice.Record {
	return &sluice.Record{
		Topic:           topic,
		ValueSchema:     nil,
		Value:           string(e),
		Headers:         hdrs,
		SourcePartition: partition,
		SourceOffset:    snap,
	}
}

func (r *Reader) fetch(ctx context.Context, partition, offset map[string]any, limit int, u string) (*Response, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var payload, ctype string
	if r.Body != nil && requiresBody(method) {
		payload, ctype = r.Body(partition, offset, limit)
	}
	return r.Doer.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		var req *http.Request
		var err error
		if requiresBody(method) {
			req, err = http.NewRequestWithContext(ctx, method, u, strings.NewReader(payload))
		} else {
			req, err = http.NewRequestWithContext(ctx, method, u, nil)
		}
		if err != nil {
			return nil, err
		}
		for k, vs := range r.Headers {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		if requiresBody(method) && ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		return req, nil
	})
}

// requiresBody lists the methods OkHttp sends a body with.
func requiresBody(m string) bool {
	switch m {
	case "POST", "PUT", "PATCH", "PROPPATCH", "REPORT":
		return true
	}
	return false
}
