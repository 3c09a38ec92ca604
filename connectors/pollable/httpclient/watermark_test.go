package httpclient

import (
	"encoding/json"
	"fmt"
	"testing"
)

// Watermark offsets hold primitive values only (Connect rejects lists in
// offsets): the identities are one JSON-array string, read back in that
// form and in the list form of earlier versions.
func TestWatermarkOffsetIsPrimitive(t *testing.T) {
	f, _ := ParsePointer("/ts")
	id, _ := ParsePointer("/id")
	w := &Watermark{Field: f, IDField: &id, Type: OrderTimestamp, ValueKey: "since", IDsKey: "ids"}
	rec := func(i int, ts string) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"id":"a\"%d","ts":%q}`, i, ts))
	}
	for _, tc := range []struct {
		name   string
		offset map[string]any
	}{
		{"string", map[string]any{"since": "2024-01-01T00:00:01Z", "ids": `["a\"1"]`}},
		{"list", map[string]any{"since": "2024-01-01T00:00:01Z", "ids": []any{`a"1`}}},
		{"strings", map[string]any{"since": "2024-01-01T00:00:01Z", "ids": []string{`a"1`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := w.load(tc.offset)
			if st.admit(rec(0, "2024-01-01T00:00:00Z")) || st.admit(rec(1, "2024-01-01T00:00:01Z")) {
				t.Fatal("an older or already read record was admitted")
			}
			if !st.admit(rec(2, "2024-01-01T00:00:01Z")) {
				t.Fatal("a new record at the watermark was refused")
			}
			off := map[string]any{}
			st.store(off)
			if off["ids"] != `["a\"1","a\"2"]` || off["since"] != "2024-01-01T00:00:01Z" {
				t.Fatalf("offset %v", off)
			}
			if !st.admit(rec(3, "2024-01-01T00:00:02Z")) {
				t.Fatal("a newer record was refused")
			}
			st.store(off)
			if off["ids"] != `["a\"3"]` || off["since"] != "2024-01-01T00:00:02Z" {
				t.Fatalf("offset %v", off)
			}
			if again := w.load(off); again.admit(rec(3, "2024-01-01T00:00:02Z")) {
				t.Fatal("the stored identity was not read back")
			}
		})
	}
}

// Past MaxBoundaryIDs identities at one value, the oldest are forgotten
// and the stored list stays bounded.
func TestWatermarkBoundedIDs(t *testing.T) {
	f, _ := ParsePointer("/ts")
	id, _ := ParsePointer("/id")
	w := &Watermark{Field: f, IDField: &id, Type: OrderTimestamp, ValueKey: "since", IDsKey: "ids"}
	st := w.load(map[string]any{})
	for i := range MaxBoundaryIDs + 5 {
		if !st.admit(json.RawMessage(fmt.Sprintf(`{"id":"%d","ts":"2024-01-01T00:00:00Z"}`, i))) {
			t.Fatalf("record %d refused", i)
		}
	}
	off := map[string]any{}
	st.store(off)
	var ids []string
	if err := json.Unmarshal([]byte(off["ids"].(string)), &ids); err != nil || len(ids) != MaxBoundaryIDs ||
		ids[0] != "5" || ids[len(ids)-1] != fmt.Sprint(MaxBoundaryIDs+4) {
		t.Fatalf("%d ids, first %v, err %v", len(ids), ids[:1], err)
	}
}

// A stored identity list of any content loads without failing, and the
// identities of admitted records survive a store and load.
func FuzzWatermarkIDs(f *testing.F) {
	f.Add(`["a","b"]`, "c")
	f.Add(`[1,2.5,null,{"x":1}]`, `"quoted\"`)
	f.Add(`not json`, "\u00e9\x00")
	f.Add(``, "")
	f.Fuzz(func(t *testing.T, stored, id string) {
		p, _ := ParsePointer("/ts")
		idp, _ := ParsePointer("/id")
		w := &Watermark{Field: p, IDField: &idp, Type: OrderString, ValueKey: "v", IDsKey: "ids"}
		st := w.load(map[string]any{"v": "m", "ids": stored})
		rec, err := json.Marshal(map[string]string{"id": id, "ts": "m"})
		if err != nil {
			return
		}
		admitted := st.admit(rec)
		off := map[string]any{}
		st.store(off)
		if _, ok := off["ids"].(string); !ok {
			t.Fatalf("ids stored as %T", off["ids"])
		}
		if again := w.load(off); again.admit(rec) {
			t.Fatalf("record admitted again after store/load (first admit %v): %q", admitted, off["ids"])
		}
	})
}
