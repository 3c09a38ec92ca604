package siem

import (
	"reflect"
	"testing"

	"sluice.io/sluice"
)

func newTransform(t testing.TB, simple string, cfg map[string]string) (sluice.Transformation, error) {
	t.Helper()
	p, _, err := sluice.Plugins.Lookup(Package + simple)
	if err != nil {
		t.Fatal(err)
	}
	tr := p.New().(sluice.Transformation)
	return tr, tr.Configure(cfg)
}

type hv struct{ k, v string }

func rec(value any, headers ...hv) *sluice.Record {
	r := &sluice.Record{Topic: "t", HasPartition: true, Value: value, Timestamp: 1581005395000, HasTimestamp: true}
	for _, h := range headers {
		r.Headers = append(r.Headers, sluice.Header{Key: h.k, Schema: sluice.StringSchema, Value: h.v})
	}
	return r
}

func headerList(r *sluice.Record) []hv {
	var out []hv
	for _, h := range r.Headers {
		out = append(out, hv{h.Key, sluice.JavaToString(h.Value)})
	}
	return out
}

func TestTransforms(t *testing.T) {
	m := sluice.NewMap(2, true)
	m.Put("b", int32(1))
	m.Put("name", "bob")
	cases := []struct {
		id, class string
		cfg       map[string]string
		in        *sluice.Record
		dropped   bool
		topic     string // "" = unchanged "t"
		key       any
		value     any
		headers   []hv
		errClass  string
		errStage  string // "config" or "apply"
	}{
		{id: "RR01", class: "RegexRules", cfg: map[string]string{"rules": "r1", "rules.r1.find": `\d`, "rules.r1.replacement": "#"}, in: rec("a1b22"), value: "a#b##"},
		{id: "RR02", class: "RegexRules", cfg: map[string]string{"rules": "r1,r2", "rules.r1.find": "a", "rules.r1.replacement": "b", "rules.r2.find": "b", "rules.r2.replacement": "c"}, in: rec("ab"), value: "cc"},
		{id: "RR04", class: "RegexRules", cfg: map[string]string{"rules": "r1", "rules.r1.find": `(?<user>\w+)@`, "rules.r1.replacement": "${user}[at]"}, in: rec("joe@acme"), value: "joe[at]acme"},
		{id: "RR05", class: "RegexRules", cfg: map[string]string{"rules": "r1", "rules.r1.find": "x", "rules.r1.replacement": "$9"}, in: rec("axb"), value: "axb"},
		{id: "RR06", class: "RegexRules", cfg: map[string]string{"rules": "r1", "rules.r1.replacement": "WHOLE"}, in: rec("anything"), value: "WHOLE"},
		{id: "RR08", class: "RegexRules", cfg: map[string]string{"rules": "r1", "rules.r1.if": "^secret", "rules.r1.find": "[a-z]", "rules.r1.replacement": "*"}, in: rec("secret1"), value: "******1"},
		{id: "RR10", class: "RegexRules", cfg: map[string]string{"rules": "r1", "rules.r1.find": "4", "rules.r1.replacement": "5"}, in: rec(int32(42)), value: "52"},
		{id: "RR12", class: "RegexRules", cfg: map[string]string{"applyTo": "header.h", "rules": "r1", "rules.r1.find": "x", "rules.r1.replacement": "y"},
			in: rec("v", hv{"h", "x1"}, hv{"other", "o"}, hv{"h", "x2"}), value: "v", headers: []hv{{"other", "o"}, {"h", "y1"}, {"h", "y2"}}},
		{id: "RR14", class: "RegexRules", cfg: map[string]string{"applyTo": "HEADER.copy", "applyToValue": "${VALUE}", "rules": "r1", "rules.r1.find": `\d+`, "rules.r1.replacement": "N"},
			in: rec("id=123"), value: "id=123", headers: []hv{{"copy", "id=N"}}},
		{id: "RR15", class: "RegexRules", cfg: map[string]string{"applyToField": "/user/name", "rules": "r1", "rules.r1.find": "o", "rules.r1.replacement": "0"}, in: rec(`{"user":{"name":"bob"},"x":1}`), value: "b0b"},
		{id: "RR17", class: "RegexRules", cfg: map[string]string{"rules": "r1", "rules.r1.find": "a", "rules.r1.replacement": "  "}, in: rec("bab"), value: "bb"},
		{id: "RR23", class: "RegexRules", cfg: map[string]string{"applyTo": "HEADER.h", "rules": "r1"}, in: rec("v", hv{"h", "keep"}), errClass: "NullPointerException", errStage: "apply"},
		{id: "RR26", class: "RegexRules", cfg: map[string]string{"applyTo": "PARTITION", "rules": "r1"}, in: rec("v"), errClass: "ConfigException", errStage: "config"},
		{id: "RR30", class: "RegexRules", cfg: map[string]string{"applyToField": "name", "rules": "r1", "rules.r1.find": "o", "rules.r1.replacement": "0"}, in: rec(m), value: "b0b"},
		{id: "RR31", class: "RegexRules", cfg: map[string]string{"applyToField": "/x", "rules": "r1", "rules.r1.find": "o", "rules.r1.replacement": "0"}, in: rec("not json foo"), value: "n0t js0n f00"},
		{id: "RR32", class: "RegexRules", cfg: map[string]string{"applyToField": "x", "rules": "r1", "rules.r1.find": "o", "rules.r1.replacement": "0"}, in: rec(`{"x" : "foo"}`), value: `{"x":"f00"}`},
		{id: "RR33", class: "RegexRules", cfg: map[string]string{"applyToField": "/missing", "rules": "r1", "rules.r1.find": "^", "rules.r1.replacement": "M"}, in: rec(`{"x":"foo"}`), value: "M"},
		{id: "RF01", class: "RegexFilter", cfg: map[string]string{"conditions": "c1", "conditions.c1.if": "DEBUG"}, in: rec("a DEBUG line"), dropped: true},
		{id: "RF03", class: "RegexFilter", cfg: map[string]string{"conditions": "c1", "filterType": "keep", "conditions.c1.if": "DEBUG"}, in: rec("an INFO line"), dropped: true},
		{id: "RF04", class: "RegexFilter", cfg: map[string]string{"conditions": "c1", "filterType": "keep", "conditions.c1.if": "DEBUG"}, in: rec("a DEBUG line"), value: "a DEBUG line"},
		{id: "RF06", class: "RegexFilter", cfg: map[string]string{"conditions": "c1", "conditions.c1.if": "x"}, in: rec(nil), errClass: "NullPointerException", errStage: "apply"},
		{id: "RF07", class: "RegexFilter", cfg: map[string]string{"conditions": "c1"}, in: rec("x"), errClass: "ConnectException", errStage: "config"},
		{id: "RF08", class: "RegexFilter", cfg: map[string]string{"conditions": "c1", "filterType": "KEEP", "conditions.c1.if": "x"}, in: rec("x"), errClass: "ConfigException", errStage: "config"},
		{id: "RF09", class: "RegexFilter", cfg: map[string]string{"applyTo": "HEADER.lvl", "conditions": "c1", "conditions.c1.if": "debug,trace", "conditions.c1.if_mode": "in"}, in: rec("x", hv{"lvl", "trace"}), dropped: true},
		{id: "RF10", class: "RegexFilter", cfg: map[string]string{"applyTo": "HEADER.lvl", "conditions": "c1", "filterType": "keep", "conditions.c1.if": "x"}, in: rec("x"), dropped: true},
		{id: "RT01", class: "RegexRouter", cfg: map[string]string{"rules": "r1,r2", "rules.r1.if": "^ERR", "rules.r1.replacement": "errors", "rules.r2.if": "^WARN", "rules.r2.replacement": "warnings"}, in: rec("WARN disk"), topic: "warnings", value: "WARN disk"},
		{id: "RT02", class: "RegexRouter", cfg: map[string]string{"rules": "r1", "rules.r1.if": "^ERR", "rules.r1.replacement": "errors"}, in: rec("INFO x"), value: "INFO x"},
		{id: "RT04", class: "RegexRouter", cfg: map[string]string{"rules": "r1", "fallbackTopic": "", "rules.r1.if": "^ERR", "rules.r1.replacement": "errors"}, in: rec("INFO x"), dropped: true},
		{id: "RT05", class: "RegexRouter", cfg: map[string]string{"rules": "r1", "rules.r1.if": "^ERR"}, in: rec("ERR x"), dropped: true},
		{id: "RT06", class: "RegexRouter", cfg: map[string]string{"rules": "r1", "rules.r1.find": "^ERR", "rules.r1.replacement": "errors"}, in: rec("ERR x"), value: "ERR x"},
		{id: "RT07", class: "RegexRouter", cfg: map[string]string{"rules": "r1", "rules.r1.if": `^(\w+)`, "rules.r1.replacement": "t_$1"}, in: rec("ERR x"), topic: "t_$1", value: "ERR x"},
		{id: "RT10", class: "RegexRouter", cfg: map[string]string{"applyTo": "HEADER.src", "rules": "r1", "fallbackTopic": "fb", "rules.r1.if": "fw1", "rules.r1.replacement": "firewall"}, in: rec("v"), topic: "fb", value: "v"},
		{id: "AH03", class: "AddHeader", cfg: map[string]string{"name": "h", "names": "a,b", "value": "x"}, in: rec("v"), value: "v", headers: []hv{{"h", "x"}, {"a", "x"}, {"b", "x"}}},
		{id: "AH05", class: "AddHeader", cfg: map[string]string{"name": "h", "value": "new", "replace": "true"}, in: rec("v", hv{"h", "old"}, hv{"h", "old2"}), value: "v", headers: []hv{{"h", "new"}}},
		{id: "AH06", class: "AddHeader", cfg: map[string]string{"name": "h", "value": "${HEADER.missing}"}, in: rec("v"), value: "v"},
		{id: "AH07", class: "AddHeader", cfg: map[string]string{"name": "h", "value": "yes", "condition.if": "^ERR"}, in: rec("INFO"), value: "INFO"},
		{id: "AH08", class: "AddHeader", cfg: map[string]string{"name": "h", "value": "yes", "condition.if": "^ERR"}, in: rec("ERR"), value: "ERR", headers: []hv{{"h", "yes"}}},
		{id: "AH10", class: "AddHeader", cfg: map[string]string{"name": "h", "value": "5", "schema": "INT32"}, in: rec("v"), errClass: "DataException", errStage: "apply"},
		{id: "AH11", class: "AddHeader", cfg: map[string]string{"value": "x"}, in: rec("v"), errClass: "ConfigException", errStage: "config"},
		{id: "AH13", class: "AddHeader", cfg: map[string]string{"name": "h", "value": "x", "schema": "string"}, in: rec("v"), errClass: "IllegalArgumentException", errStage: "config"},
		{id: "AH18", class: "AddHeader", cfg: map[string]string{"name": "h", "value": "${KEY}"}, in: func() *sluice.Record { r := rec("v"); r.Key = int32(7); return r }(), key: int32(7), value: "v", headers: []hv{{"h", "7"}}},
		{id: "MT01", class: "MapTranslate", cfg: map[string]string{"maps": "high,low", "maps.high.values": "ERR,CRIT", "maps.low.values": "INFO,DEBUG"}, in: rec("CRIT"), value: "high"},
		{id: "MT03", class: "MapTranslate", cfg: map[string]string{"maps": "high", "maps.high.values": "ERR", "fallbackKey": "unknown-${TOPIC}"}, in: rec("OTHER"), value: "unknown-t"},
		{id: "MT04", class: "MapTranslate", cfg: map[string]string{"maps": "m1", "maps.m1.key": "Severity ${VALUE}", "maps.m1.values": "1,2"}, in: rec("2"), value: "Severity 2"},
		{id: "MT05", class: "MapTranslate", cfg: map[string]string{"maps": "m1", "maps.m1.values": "5"}, in: rec(int32(5)), value: "5"},
		{id: "MT06", class: "MapTranslate", cfg: map[string]string{"applyTo": "HEADER.sev", "maps": "hi", "maps.hi.values": "3"}, in: rec("v", hv{"sev", "3"}, hv{"sev", "9"}), value: "v", headers: []hv{{"sev", "hi"}, {"sev", "9"}}},
		{id: "MT07", class: "MapTranslate", cfg: map[string]string{"maps": "a,b", "maps.a.values": "x", "maps.b.values": "x"}, in: rec("x"), value: "b"},
		{id: "MT08", class: "MapTranslate", cfg: map[string]string{"maps": "m1"}, in: rec("x"), errClass: "ConfigException", errStage: "config"},
		{id: "MT09", class: "MapTranslate", cfg: map[string]string{"maps": "m1", "maps.m1.values": "x"}, in: rec(nil), value: nil},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			tr, err := newTransform(t, c.class, c.cfg)
			if c.errStage == "config" {
				if err == nil || errClass(err) != c.errClass {
					t.Fatalf("Configure: %v; want %s", err, c.errClass)
				}
				return
			}
			if err != nil {
				t.Fatalf("Configure: %v", err)
			}
			before := headerList(c.in)
			out, err := tr.Apply(c.in)
			if !reflect.DeepEqual(headerList(c.in), before) {
				t.Fatalf("input record mutated")
			}
			if c.errStage == "apply" {
				if err == nil || errClass(err) != c.errClass {
					t.Fatalf("Apply: %v; want %s", err, c.errClass)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if c.dropped {
				if out != nil {
					t.Fatalf("kept %+v, want dropped", out)
				}
				return
			}
			if out == nil {
				t.Fatal("dropped")
			}
			topic := c.topic
			if topic == "" {
				topic = "t"
			}
			if out.Topic != topic || !reflect.DeepEqual(out.Key, c.key) || !reflect.DeepEqual(out.Value, c.value) ||
				!reflect.DeepEqual(headerList(out), c.headers) {
				t.Fatalf("got topic=%q key=%#v value=%#v headers=%v", out.Topic, out.Key, out.Value, headerList(out))
			}
		})
	}
}

func TestJavaMapOrder(t *testing.T) {
	mk := func(names ...string) []update {
		var ups []update
		for _, n := range names {
			ups = append(ups, update{t: &target{kind: targetHeader, name: n, id: n, hash: sluice.JavaHashCode(n)}})
		}
		return ups
	}
	names := func(ups []update) []string {
		var out []string
		for _, u := range ups {
			out = append(out, u.t.id)
		}
		return out
	}
	// Orders printed by java.util.HashMap: new HashMap<>(3) after putting
	// VALUE, HEADER.b, HEADER.a, HEADER.c, HEADER.x.y and removing VALUE;
	// new HashMap<>(2) after putting HEADER.zz, HEADER.b.
	got := names(javaMapOrder(mk("HEADER.b", "HEADER.a", "HEADER.c", "HEADER.x.y"), 3, 5))
	if want := []string{"HEADER.a", "HEADER.x.y", "HEADER.b", "HEADER.c"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	got = names(javaMapOrder(mk("HEADER.zz", "HEADER.b"), 2, 2))
	if want := []string{"HEADER.zz", "HEADER.b"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestJSONPointerRead(t *testing.T) {
	doc := `{"a":{"b":[10,{"c":1.50}],"":"empty","t~/":"esc"},"n":null,"big":123456789012345678901}  trailing`
	n, err := parseJacksonTree(doc)
	if err != nil {
		t.Fatal(err)
	}
	for ptr, want := range map[string]string{
		"/a/b/0": "10", "/a/b/1/c": "1.5", "/a/": "empty", "/a/t~0~1": "esc", "/n": "null",
		"/big": "123456789012345678901", "/a": "", "/a/b/01": "", "/missing": "",
	} {
		p, ok := compileJSONPointer(ptr)
		if !ok {
			t.Fatalf("compile %q", ptr)
		}
		if got := n.at(p).asText(); got != want {
			t.Errorf("at(%q) = %q, want %q", ptr, got, want)
		}
	}
	if got := n.String(); got != `{"a":{"b":[10,{"c":1.5}],"":"empty","t~/":"esc"},"n":null,"big":123456789012345678901}` {
		t.Errorf("String() = %s", got)
	}
	for _, bad := range []string{"not json", "01", "[1,]", `{"a":1,}`, "tru", "1x", `"\x"`, "{\"a\":\"\n\"}"} {
		if _, err := parseJacksonTree(bad); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
	if n, err := parseJacksonTree("  "); err != nil || n.kind != jnMissing {
		t.Errorf("blank: %v %v", n, err)
	}
}
