package httpclient

import (
	"fmt"
	"strings"
	"testing"
)

// A 500-event page, as Okta or Graph return it.
func BenchmarkExtractAndWatermark(b *testing.B) {
	var parts []string
	for i := range 500 {
		parts = append(parts, fmt.Sprintf(`{"uuid":"u%04d","published":"2024-05-01T00:00:%02d.000Z","eventType":"user.session.start","actor":{"id":"00u1","type":"User"},"outcome":{"result":"SUCCESS"}}`, i, i%60))
	}
	body := []byte(`{"value":[` + strings.Join(parts, ",") + `]}`)
	p, _ := ParsePointer("/value")
	f, _ := ParsePointer("/published")
	id, _ := ParsePointer("/uuid")
	w := &Watermark{Field: f, IDField: &id, ValueKey: "since", IDsKey: "ids"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		elems, err := p.Extract(body)
		if err != nil || len(elems) != 500 {
			b.Fatal(err)
		}
		st := w.load(map[string]any{})
		for _, e := range elems {
			st.admit(e)
		}
	}
}
