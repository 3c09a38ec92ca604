package httpclient

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Template is text with {{name}} placeholders, compiled once. Names are
// offset.<key> (the partition's stored offset), partition.<key> and limit
// (the number of records the task asks for). A missing value renders as
// the empty string. Single braces, as in Java's {since}, are literal text.
type Template struct {
	parts []tmplPart
	src   string
}

type tmplPart struct {
	lit  string
	kind byte // 0 literal, 'o' offset, 'p' partition, 'l' limit
	key  string
}

// ParseTemplate compiles a template.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{src: s}
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			return nil, fmt.Errorf("unclosed {{ in %q", t.src)
		}
		if i > 0 {
			t.parts = append(t.parts, tmplPart{lit: s[:i]})
		}
		name := strings.TrimSpace(s[i+2 : i+2+j])
		switch {
		case name == "limit":
			t.parts = append(t.parts, tmplPart{kind: 'l'})
		case strings.HasPrefix(name, "offset.") && len(name) > 7:
			t.parts = append(t.parts, tmplPart{kind: 'o', key: name[7:]})
		case strings.HasPrefix(name, "partition.") && len(name) > 10:
			t.parts = append(t.parts, tmplPart{kind: 'p', key: name[10:]})
		default:
			return nil, fmt.Errorf("unknown placeholder {{%s}} in %q (use offset.<key>, partition.<key> or limit)", name, t.src)
		}
		s = s[i+2+j+2:]
	}
	if s != "" {
		t.parts = append(t.parts, tmplPart{lit: s})
	}
	return t, nil
}

// Static reports whether the template has no placeholders.
func (t *Template) Static() bool {
	for _, p := range t.parts {
		if p.kind != 0 {
			return false
		}
	}
	return true
}

// Render fills the placeholders; with escape, values are form-URL-encoded
// (space as '+', as Java's URLEncoder does).
func (t *Template) Render(partition, offset map[string]any, limit int, escape bool) string {
	var b strings.Builder
	for _, p := range t.parts {
		var v string
		switch p.kind {
		case 0:
			b.WriteString(p.lit)
			continue
		case 'l':
			v = strconv.Itoa(limit)
		case 'o':
			v = textOf(offset[p.key])
		case 'p':
			v = textOf(partition[p.key])
		}
		if escape {
			v = url.QueryEscape(v)
		}
		b.WriteString(v)
	}
	return b.String()
}

func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// SetQueryParam returns u with the query parameter name set to value
// (replacing any earlier values).
func SetQueryParam(u, name, value string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", err
	}
	q := p.Query()
	q.Set(name, value)
	p.RawQuery = q.Encode()
	return p.String(), nil
}

// QueryParam returns the value of a query parameter of u.
func QueryParam(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Query().Get(name)
}

// AppendQuery appends name=value to u with '?' or '&'.
func AppendQuery(u, name, value string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + url.QueryEscape(name) + "=" + url.QueryEscape(value)
}
