package xformvec_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"sluice.io/sluice/conformance/xformvec"
)

// FuzzCodecRoundTrip decodes arbitrary vector records without panicking;
// when a decoded record encodes (it may not: JsonConverter reads a string
// schema with an object payload as null, which a required schema then
// rejects, as Java does), decoding and encoding that again must give the
// same record.
func FuzzCodecRoundTrip(f *testing.F) {
	codec, err := xformvec.NewCodec(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var rj xformvec.RecordJSON
		if json.Unmarshal(line, &rj) != nil {
			return
		}
		r, err := codec.Decode(&rj)
		if err != nil {
			return
		}
		e1, err := codec.Encode(r)
		if err != nil {
			return
		}
		r2, err := codec.Decode(e1)
		if err != nil {
			t.Fatalf("encoded record does not decode: %v", err)
		}
		e2, err := codec.Encode(r2)
		if err != nil {
			t.Fatalf("re-decoded record does not encode: %v", err)
		}
		b1, _ := json.Marshal(e1)
		b2, _ := json.Marshal(e2)
		if !bytes.Equal(b1, b2) {
			t.Fatalf("round trip changed the record\n first: %s\nsecond: %s", b1, b2)
		}
	})
}
