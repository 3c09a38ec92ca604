// Package plugins links every built-in plugin into a binary: importing it
// (for its side effects) registers all transformations, predicates,
// converters and connectors in sluice.Plugins.
package plugins

import (
	_ "sluice.io/sluice/connectors/file"                // FileStreamSource, FileStreamSink
	_ "sluice.io/sluice/connectors/pollable"            // PollableAPIClientSourceConnector
	_ "sluice.io/sluice/connectors/pollable/httpclient" // JsonGetAPIClient
	_ "sluice.io/sluice/connectors/pollable/msgraph"    // AzureADAuditLogsClient
	_ "sluice.io/sluice/connectors/pollable/okta"       // OktaSystemLogAPIClient
	_ "sluice.io/sluice/converters/bytearray"           // ByteArrayConverter
	_ "sluice.io/sluice/converters/header"              // SimpleHeaderConverter
	_ "sluice.io/sluice/converters/json"                // JsonConverter
	_ "sluice.io/sluice/converters/str"                 // StringConverter
	_ "sluice.io/sluice/expr/celexpr"                   // CEL predicate
	_ "sluice.io/sluice/smt"                            // Apache Kafka transformations and predicates
	_ "sluice.io/sluice/smt/siem"                       // SIEM transformation library
)
