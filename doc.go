// Package sluice holds the vocabulary every Sluice package shares: records,
// headers, Connect schemas and values, the typed configuration definitions
// (ConfigDef), the plugin registry, the plugin interfaces and the error kinds.
//
// It performs no I/O. Connect types map to Go types as follows:
//
//	INT8..INT64      int8, int16, int32, int64
//	FLOAT32/FLOAT64  float32, float64
//	BOOLEAN          bool
//	STRING           string
//	BYTES            []byte
//	ARRAY            []any
//	MAP              *Map (ordered entries)
//	STRUCT           *Struct
//	Decimal          Decimal (unscaled big integer + scale)
//	Date/Time/Timestamp time.Time (UTC)
package sluice
