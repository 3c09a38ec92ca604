// Package xformvec is the transformation vector kind: a flat connector
// configuration (transforms and predicates) applied to one record given as
// JsonConverter envelopes, with the record, drop or error Java produced.
//
// It also provides Codec, which turns records into the vector RECORD JSON
// form and back; `sluice transform` prints records in that form.
package xformvec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance"
)

// JSONConverterClass is the class of the converter that decodes and encodes
// record envelopes.
const JSONConverterClass = "org.apache.kafka.connect.json.JsonConverter"

// RecordJSON is a record in vector form: key, value and header values are
// schemas-enabled JsonConverter envelopes ({"schema": …, "payload": …}).
type RecordJSON struct {
	Topic      string          `json:"topic"`
	Partition  *int32          `json:"partition"`
	Timestamp  *int64          `json:"timestamp"`
	Key        json.RawMessage `json:"key"`
	Value      json.RawMessage `json:"value"`
	Headers    []HeaderJSON    `json:"headers"`
	KeyTypes   json.RawMessage `json:"keyTypes,omitempty"`
	ValueTypes json.RawMessage `json:"valueTypes,omitempty"`
}

// HeaderJSON is one header in vector form.
type HeaderJSON struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	Types json.RawMessage `json:"types,omitempty"`
}

// CodecError is a failure to decode or encode a record envelope. Stage is
// "decode" or "encode"; Field names the part ("key", "value", "header h").
type CodecError struct {
	Stage string
	Field string
	Err   error
}

// Error implements error.
func (e *CodecError) Error() string { return e.Stage + " " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *CodecError) Unwrap() error { return e.Err }

// Codec converts records between Go and vector form with JsonConverter
// (schemas enabled) instances for keys, values and headers.
type Codec struct {
	key, value sluice.Converter
	header     headerCodec
}

// headerCodec decodes and encodes one header value.
type headerCodec interface {
	toConnect(topic, key string, b []byte) (*sluice.Schema, any, error)
	fromConnect(topic, key string, s *sluice.Schema, v any) ([]byte, error)
}

type headerViaHC struct{ hc sluice.HeaderConverter }

func (h headerViaHC) toConnect(topic, key string, b []byte) (*sluice.Schema, any, error) {
	return h.hc.ToConnectHeader(topic, key, b)
}

func (h headerViaHC) fromConnect(topic, key string, s *sluice.Schema, v any) ([]byte, error) {
	return h.hc.FromConnectHeader(topic, key, s, v)
}

type headerViaConv struct{ c sluice.Converter }

func (h headerViaConv) toConnect(topic, _ string, b []byte) (*sluice.Schema, any, error) {
	return h.c.ToConnect(topic, nil, b)
}

func (h headerViaConv) fromConnect(topic, _ string, s *sluice.Schema, v any) ([]byte, error) {
	return h.c.FromConnect(topic, nil, s, v)
}

// NewCodec returns a codec whose JsonConverters have schemas enabled plus
// the given extra settings (e.g. "decimal.format": "NUMERIC").
func NewCodec(settings map[string]string) (*Codec, error) {
	p, class, err := sluice.Plugins.Lookup(JSONConverterClass)
	if err != nil || p.New == nil {
		return nil, fmt.Errorf("converter %s is not available (is its package imported?)", JSONConverterClass)
	}
	cfg := map[string]string{"schemas.enable": "true"}
	for k, v := range settings {
		cfg[k] = v
	}
	newConv := func(isKey bool) (sluice.Converter, error) {
		c, ok := p.New().(sluice.Converter)
		if !ok {
			return nil, fmt.Errorf("%s is not a Converter", class)
		}
		if err := c.Configure(copyMap(cfg), isKey); err != nil {
			return nil, fmt.Errorf("configuring %s: %w", class, err)
		}
		return c, nil
	}
	c := &Codec{}
	if c.key, err = newConv(true); err != nil {
		return nil, err
	}
	if c.value, err = newConv(false); err != nil {
		return nil, err
	}
	if hc, ok := p.New().(sluice.HeaderConverter); ok {
		if err := hc.Configure(copyMap(cfg)); err != nil {
			return nil, fmt.Errorf("configuring %s as header converter: %w", class, err)
		}
		c.header = headerViaHC{hc}
	} else {
		hv, err := newConv(false)
		if err != nil {
			return nil, err
		}
		c.header = headerViaConv{hv}
	}
	return c, nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// Decode turns a vector record into a source record (no Kafka offset).
func (c *Codec) Decode(rj *RecordJSON) (*sluice.Record, error) {
	r := &sluice.Record{Topic: rj.Topic}
	if rj.Partition != nil {
		r.Partition, r.HasPartition = *rj.Partition, true
	}
	if rj.Timestamp != nil {
		r.Timestamp, r.HasTimestamp = *rj.Timestamp, true
	}
	var err error
	if !isNull(rj.Key) {
		if r.KeySchema, r.Key, err = c.key.ToConnect(rj.Topic, nil, rj.Key); err != nil {
			return nil, &CodecError{Stage: "decode", Field: "key", Err: err}
		}
	}
	if !isNull(rj.Value) {
		if r.ValueSchema, r.Value, err = c.value.ToConnect(rj.Topic, nil, rj.Value); err != nil {
			return nil, &CodecError{Stage: "decode", Field: "value", Err: err}
		}
	}
	if len(rj.Headers) > 0 {
		r.Headers = make(sluice.Headers, 0, len(rj.Headers))
		for _, h := range rj.Headers {
			var s *sluice.Schema
			var v any
			if !isNull(h.Value) {
				if s, v, err = c.header.toConnect(rj.Topic, h.Key, h.Value); err != nil {
					return nil, &CodecError{Stage: "decode", Field: "header " + h.Key, Err: err}
				}
			}
			r.Headers = append(r.Headers, sluice.Header{Key: h.Key, Schema: s, Value: v})
		}
	}
	return r, nil
}

func envelope(b []byte) json.RawMessage {
	if b == nil {
		return json.RawMessage("null")
	}
	return json.RawMessage(b)
}

func typeTree(s *sluice.Schema, v any) json.RawMessage {
	if s != nil || v == nil {
		return nil
	}
	b, err := json.Marshal(conformance.TypeTree(v))
	if err != nil {
		return nil
	}
	return b
}

// Encode turns a record into vector form. keyTypes, valueTypes and header
// types are filled for schemaless non-null values.
func (c *Codec) Encode(r *sluice.Record) (*RecordJSON, error) {
	rj := &RecordJSON{Topic: r.Topic, Headers: []HeaderJSON{}}
	if r.HasPartition {
		p := r.Partition
		rj.Partition = &p
	}
	if r.HasTimestamp {
		t := r.Timestamp
		rj.Timestamp = &t
	}
	b, err := c.key.FromConnect(r.Topic, r.Headers, r.KeySchema, r.Key)
	if err != nil {
		return nil, &CodecError{Stage: "encode", Field: "key", Err: err}
	}
	rj.Key, rj.KeyTypes = envelope(b), typeTree(r.KeySchema, r.Key)
	if b, err = c.value.FromConnect(r.Topic, r.Headers, r.ValueSchema, r.Value); err != nil {
		return nil, &CodecError{Stage: "encode", Field: "value", Err: err}
	}
	rj.Value, rj.ValueTypes = envelope(b), typeTree(r.ValueSchema, r.Value)
	for _, h := range r.Headers {
		hb, err := c.header.fromConnect(r.Topic, h.Key, h.Schema, h.Value)
		if err != nil {
			return nil, &CodecError{Stage: "encode", Field: "header " + h.Key, Err: err}
		}
		rj.Headers = append(rj.Headers, HeaderJSON{Key: h.Key, Value: envelope(hb), Types: typeTree(h.Schema, h.Value)})
	}
	return rj, nil
}

// StringMap turns a JSON object of settings into strings: strings as they
// are, other values as their JSON text (true, 10, …).
func StringMap(raw json.RawMessage) (map[string]string, error) {
	if isNull(raw) {
		return map[string]string{}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		if isNull(v) {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[k] = s
			continue
		}
		out[k] = string(bytes.TrimSpace(v))
	}
	return out, nil
}
