package router

import (
	"testing"

	"sluice.io/sluice"
)

func TestHeaderMemo(t *testing.T) {
	var r Runner
	tm := r.memosFor("t")
	str := &sluice.Header{Key: "host", Schema: sluice.StringSchema, Value: "web1"}
	if _, ok := tm.get(0, str); ok {
		t.Fatal("hit in an empty memo")
	}
	tm.put(0, str, []byte("web1"))
	if b, ok := tm.get(0, &sluice.Header{Key: "host", Schema: sluice.StringSchema, Value: "web" + "1"}); !ok || string(b) != "web1" {
		t.Fatalf("equal header missed: %q %v", b, ok)
	}
	for name, h := range map[string]*sluice.Header{
		"other value":  {Key: "host", Schema: sluice.StringSchema, Value: "web2"},
		"other key":    {Key: "hostname", Schema: sluice.StringSchema, Value: "web1"},
		"other schema": {Key: "host", Schema: sluice.OptionalStringSchema, Value: "web1"},
		"other type":   {Key: "host", Schema: sluice.StringSchema, Value: []byte("web1")},
	} {
		if _, ok := tm.get(0, h); ok {
			t.Errorf("%s: hit", name)
		}
	}
	if _, ok := r.memosFor("u").get(0, str); ok {
		t.Error("other topic: hit")
	}
	tm = r.memosFor("t")
	if _, ok := tm.get(1, str); ok {
		t.Error("other position: hit")
	}
	// Values that are not scalars are never remembered.
	tm.put(2, &sluice.Header{Key: "b", Value: []byte("x")}, []byte("x"))
	if _, ok := tm.get(2, &sluice.Header{Key: "b", Value: []byte("x")}); ok {
		t.Error("byte slice value remembered")
	}
	num := &sluice.Header{Key: "sev", Schema: sluice.Int32Schema, Value: int32(3)}
	tm.put(1, num, []byte("3"))
	if b, ok := tm.get(1, &sluice.Header{Key: "sev", Schema: sluice.Int32Schema, Value: int32(3)}); !ok || string(b) != "3" {
		t.Errorf("int32 header missed")
	}
	if _, ok := tm.get(1, &sluice.Header{Key: "sev", Schema: sluice.Int32Schema, Value: int64(3)}); ok {
		t.Error("int64 value matched an int32 one")
	}
	nul := &sluice.Header{Key: "n", Schema: sluice.OptionalStringSchema}
	tm.put(3, nul, nil)
	if b, ok := tm.get(3, nul); !ok || b != nil {
		t.Error("null header missed")
	}
	tm.put(memoPositions, str, nil)
	if len(tm.memos) > memoPositions {
		t.Error("position beyond the bound remembered")
	}
}

func TestHeaderMemoTopics(t *testing.T) {
	var r Runner
	h := &sluice.Header{Key: "k", Schema: sluice.StringSchema, Value: "v"}
	for i := 0; i < memoTopics; i++ {
		r.memosFor(string(rune('a'+i))).put(0, h, []byte{byte('a' + i)})
	}
	for i := 0; i < memoTopics; i++ {
		if b, ok := r.memosFor(string(rune('a'+i))).get(0, h); !ok || b[0] != byte('a'+i) {
			t.Fatalf("topic %c: %q %v", 'a'+i, b, ok)
		}
	}
	// One more topic replaces the first one remembered.
	r.memosFor("z").put(0, h, []byte("z"))
	if _, ok := r.memosFor("a").get(0, h); ok {
		t.Fatal("replaced topic still remembered")
	}
	if b, ok := r.memosFor("c").get(0, h); !ok || string(b) != "c" {
		t.Fatal("other topic forgotten")
	}
}

func TestHeaderSlots(t *testing.T) {
	var r Runner
	a := r.headerSlots(3)
	b := r.headerSlots(2)
	if len(a) != 3 || cap(a) != 3 || len(b) != 2 {
		t.Fatalf("slots %d/%d and %d", len(a), cap(a), len(b))
	}
	a = append(a, a[0]) // appending must not overwrite b
	b[0].Key = "b"
	if a[3].Key == "b" {
		t.Fatal("slots overlap")
	}
	if big := r.headerSlots(headerSlabSize); len(big) != headerSlabSize {
		t.Fatalf("large request: %d slots", len(big))
	}
}
