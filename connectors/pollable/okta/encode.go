package okta

import "net/url"

// formEncode encodes like Java's URLEncoder (space as '+').
func formEncode(s string) string { return url.QueryEscape(s) }
