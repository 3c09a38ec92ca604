package httpclient

import (
	"net/http"
	"strings"
)

// Link is one entry of an HTTP Link header (RFC 8288).
type Link struct {
	URL    string
	Params map[string]string
}

// ParseLinkHeader parses the value of a Link header: comma-separated
// entries "<uri-reference>; param=value; param=\"quoted\"". Commas inside
// the angle brackets or quotes do not split entries; malformed entries are
// skipped. Parameter names are lower-cased.
func ParseLinkHeader(v string) []Link {
	var out []Link
	i := 0
	for i < len(v) {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t' || v[i] == ',') {
			i++
		}
		if i >= len(v) {
			break
		}
		if v[i] != '<' {
			i = skipEntry(v, i)
			continue
		}
		end := strings.IndexByte(v[i+1:], '>')
		if end < 0 {
			break
		}
		l := Link{URL: strings.TrimSpace(v[i+1 : i+1+end]), Params: map[string]string{}}
		i += end + 2
		for {
			for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
				i++
			}
			if i >= len(v) || v[i] != ';' {
				break
			}
			i++
			for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
				i++
			}
			start := i
			for i < len(v) && v[i] != '=' && v[i] != ';' && v[i] != ',' {
				i++
			}
			name := strings.ToLower(strings.TrimSpace(v[start:i]))
			val := ""
			if i < len(v) && v[i] == '=' {
				i++
				for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
					i++
				}
				if i < len(v) && v[i] == '"' {
					i++
					var b strings.Builder
					for i < len(v) && v[i] != '"' {
						if v[i] == '\\' && i+1 < len(v) {
							i++
						}
						b.WriteByte(v[i])
						i++
					}
					if i < len(v) {
						i++
					}
					val = b.String()
				} else {
					s := i
					for i < len(v) && v[i] != ';' && v[i] != ',' {
						i++
					}
					val = strings.TrimSpace(v[s:i])
				}
			}
			if name != "" {
				if _, dup := l.Params[name]; !dup {
					l.Params[name] = val
				}
			}
		}
		out = append(out, l)
		i = skipEntry(v, i)
	}
	return out
}

// skipEntry moves past the rest of an entry to the next top-level comma.
func skipEntry(v string, i int) int {
	inQuote := false
	for ; i < len(v); i++ {
		switch {
		case inQuote && v[i] == '\\':
			i++
		case v[i] == '"':
			inQuote = !inQuote
		case !inQuote && v[i] == ',':
			return i + 1
		}
	}
	return i
}

// HasRel reports whether the link's rel parameter lists rel (relation types
// are space-separated and compared case-insensitively).
func (l Link) HasRel(rel string) bool {
	for _, r := range strings.Fields(l.Params["rel"]) {
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// NextLink returns the first link with rel="next" among all Link headers.
func NextLink(h http.Header) (string, bool) {
	for _, v := range h.Values("Link") {
		for _, l := range ParseLinkHeader(v) {
			if l.HasRel("next") {
				return l.URL, true
			}
		}
	}
	return "", false
}
