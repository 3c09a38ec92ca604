// Package siem implements the SIEM transformation library of Kafka Connect
// (com.vrudenskyi.kafka.connect.transform): AddHeader, RegexRules,
// RegexFilter, RegexRouter, MapTranslate, TimestampConverter, ExtractField,
// RemoveField, FieldToValueTransformation, ToJson, ParseSyslog, KVPairParser
// and CEF2Map, registered under their Java class names.
//
// The transformations share three mechanisms:
//
//   - conditions (`if`, `if_mode`, `if_data`): a regex, literal or list test
//     of a string, or a CEL expression on the whole record (if_mode=cel);
//   - the applyTo machinery (`applyTo`, `applyToValue`, `applyToField`):
//     which parts of a record a transformation reads and writes back;
//   - `${…}` expressions (package expr): record data substituted into
//     configured text.
//
// Behaviour follows the Java library, including its quirks: configuration
// strings are trimmed, header write-back re-appends headers as strings at the
// end, key and value schemas are kept when a value changes type, and null
// targets raise NullPointerException where Java does.
package siem
