package siem

import "sluice.io/sluice"

func init() {
	registerTransform("CEF2Map", kvPairParserDef,
		"Parses a CEF line into a map: the prefix up to the 7th pipe after `CEF:` under headerName, the extension pairs as KVPairParser reads them.",
		func() any { return NewCEF2Map() })
}

// CEF2Map is com.vrudenskyi.kafka.connect.transform.CEF2Map: a KVPairParser
// whose header is the CEF prefix (`CEF:Version|Vendor|Product|Version|
// SignatureID|Name|Severity|`, with anything before `CEF:`). Fewer pipes
// split at the last one; headerSplitRegexp is ignored; CEF escapes are not
// decoded.
type CEF2Map = KVPairParser

// NewCEF2Map returns an unconfigured CEF2Map.
func NewCEF2Map() *CEF2Map { return &KVPairParser{mode: splitCEF} }

var _ sluice.Transformation = NewCEF2Map()
