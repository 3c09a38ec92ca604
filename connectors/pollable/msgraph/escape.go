package msgraph

import "net/url"

// pathEscape encodes a $filter expression for a query string (space as %20,
// which Graph requires; '+' would be read as a plus sign).
func pathEscape(s string) string { return url.PathEscape(s) }
