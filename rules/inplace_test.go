package rules_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"sluice.io/sluice"
	"sluice.io/sluice/rules"
	_ "sluice.io/sluice/smt"
)

// cloneTopic is a plain transformation (no in-place support) that returns a
// new record sharing everything but its topic with its input.
type cloneTopic struct{}

func (cloneTopic) Configure(map[string]string) error { return nil }
func (cloneTopic) Close() error                      { return nil }
func (cloneTopic) Apply(r *sluice.Record) (*sluice.Record, error) {
	c := r.Clone()
	c.Topic += ".c"
	return c, nil
}

// passThrough is a plain transformation that returns its input.
type passThrough struct{}

func (passThrough) Configure(map[string]string) error              { return nil }
func (passThrough) Close() error                                   { return nil }
func (passThrough) Apply(r *sluice.Record) (*sluice.Record, error) { return r, nil }

// mixedRegistry holds every registered plugin plus the two plain test
// transformations.
func mixedRegistry() *sluice.Registry {
	reg := sluice.NewRegistry()
	for _, p := range sluice.Plugins.All() {
		reg.Register(p)
	}
	reg.Register(&sluice.Plugin{Class: "test.CloneTopic", Kinds: sluice.KindTransformation,
		New: func() any { return cloneTopic{} }})
	reg.Register(&sluice.Plugin{Class: "test.PassThrough", Kinds: sluice.KindTransformation,
		New: func() any { return passThrough{} }})
	return reg
}

// mixedProps interleaves transformations that change owned records in
// place with plain ones that share parts of their input with their output.
var mixedProps = map[string]string{
	"transforms":                    "clone,hdr,same,mask1,drop,rename,clone2,mask2,route,hdr2,ins,hoist,mask3,filt",
	"transforms.clone.type":         "test.CloneTopic",
	"transforms.hdr.type":           "org.apache.kafka.connect.transforms.InsertHeader",
	"transforms.hdr.header":         "pipeline",
	"transforms.hdr.value.literal":  "siem",
	"transforms.same.type":          "test.PassThrough",
	"transforms.mask1.type":         "org.apache.kafka.connect.transforms.MaskField$Value",
	"transforms.mask1.fields":       "card",
	"transforms.drop.type":          "org.apache.kafka.connect.transforms.DropHeaders",
	"transforms.drop.headers":       "gone",
	"transforms.rename.type":        "org.apache.kafka.connect.transforms.ReplaceField$Value",
	"transforms.rename.renames":     "user:who",
	"transforms.rename.exclude":     "debug",
	"transforms.clone2.type":        "test.CloneTopic",
	"transforms.mask2.type":         "org.apache.kafka.connect.transforms.MaskField$Value",
	"transforms.mask2.fields":       "ssn",
	"transforms.route.type":         "org.apache.kafka.connect.transforms.RegexRouter",
	"transforms.route.regex":        `(.*)\.c\.c`,
	"transforms.route.replacement":  "$1-routed",
	"transforms.hdr2.type":          "org.apache.kafka.connect.transforms.InsertHeader",
	"transforms.hdr2.header":        "second",
	"transforms.hdr2.value.literal": "2",
	"transforms.ins.type":           "org.apache.kafka.connect.transforms.InsertField$Value",
	"transforms.ins.static.field":   "src",
	"transforms.ins.static.value":   "app",
	"transforms.hoist.type":         "org.apache.kafka.connect.transforms.HoistField$Value",
	"transforms.hoist.field":        "payload",
	"transforms.mask3.type":         "org.apache.kafka.connect.transforms.MaskField$Value",
	"transforms.mask3.fields":       "absent",
	"transforms.filt.type":          "org.apache.kafka.connect.transforms.Filter",
	"transforms.filt.predicate":     "never",
	"predicates":                    "never",
	"predicates.never.type":         "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
	"predicates.never.pattern":      "never",
}

func mixedInputs() map[string]func() *sluice.Record {
	headers := func() sluice.Headers {
		return sluice.Headers{
			{Key: "keep", Schema: sluice.StringSchema, Value: "1"},
			{Key: "gone", Schema: sluice.StringSchema, Value: "x"},
		}
	}
	return map[string]func() *sluice.Record{
		"map": func() *sluice.Record {
			m := sluice.NewMap(5, true)
			for _, kv := range [][2]string{{"user", "alice"}, {"card", "4111"}, {"ssn", "123"}, {"debug", "d"}, {"host", "h"}} {
				m.Put(kv[0], kv[1])
			}
			return &sluice.Record{Topic: "fw", Value: m, Headers: headers(), Timestamp: 1, HasTimestamp: true}
		},
		"struct": func() *sluice.Record {
			s := &sluice.Schema{Type: sluice.StructType}
			for i, n := range []string{"user", "card", "ssn", "debug", "host"} {
				s.Fields = append(s.Fields, sluice.Field{Name: n, Index: i, Schema: sluice.OptionalStringSchema})
			}
			st := sluice.NewStruct(s)
			for i, v := range []string{"alice", "4111", "123", "d", "h"} {
				st.Set(i, v)
			}
			return &sluice.Record{Topic: "fw", ValueSchema: s, Value: st, Headers: headers()}
		},
	}
}

// applyCopying runs a chain's stages through their plain Apply, which never
// changes a record in place: the reference for Chain.Apply.
func applyCopying(t *testing.T, c *rules.Chain, r *sluice.Record) (*sluice.Record, error) {
	t.Helper()
	for _, s := range c.Stages() {
		if s.Predicate != nil {
			ok, err := s.Predicate.Test(r)
			if err != nil {
				return nil, err
			}
			if ok == s.Negate {
				continue
			}
		}
		out, err := s.Transformation.Apply(r)
		if err != nil || out == nil {
			return out, err
		}
		r = out
	}
	return r, nil
}

// TestChainMixesInPlaceAndPlainStages checks that a chain whose in-place
// stages alternate with plain ones gives the same record as copying at
// every stage, twice in a row, without changing its input.
func TestChainMixesInPlaceAndPlainStages(t *testing.T) {
	reg := mixedRegistry()
	for name, mk := range mixedInputs() {
		t.Run(name, func(t *testing.T) {
			chain, err := rules.BuildChain(mixedProps, rules.ChainOptions{Registry: reg})
			if err != nil {
				t.Fatal(err)
			}
			ref, err := rules.BuildChain(mixedProps, rules.ChainOptions{Registry: reg})
			if err != nil {
				t.Fatal(err)
			}
			want, err := applyCopying(t, ref, mk())
			if err != nil || want == nil {
				t.Fatalf("reference: %v %v", want, err)
			}
			in := mk()
			for run := 1; run <= 2; run++ {
				got, err := chain.Apply(in)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(in, mk()) {
					t.Fatalf("run %d changed the input: %+v", run, in)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("run %d:\n got %s\nwant %s", run, describe(got), describe(want))
				}
			}
			if want.Topic != "fw-routed" || len(want.Headers) != 3 || want.Headers[1].Key != "pipeline" {
				t.Fatalf("unexpected reference record %s", describe(want))
			}
		})
	}
}

// TestChainFailureLeavesInputUnchanged checks inputs after a failure and a
// drop part-way through chains of in-place stages.
func TestChainFailureLeavesInputUnchanged(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props map[string]string
		drop  bool
	}{
		{name: "error", props: map[string]string{
			"transforms":                   "hdr,mask,bad",
			"transforms.hdr.type":          "org.apache.kafka.connect.transforms.InsertHeader",
			"transforms.hdr.header":        "h",
			"transforms.hdr.value.literal": "v",
			"transforms.mask.type":         "org.apache.kafka.connect.transforms.MaskField$Value",
			"transforms.mask.fields":       "card",
			"transforms.bad.type":          "org.apache.kafka.connect.transforms.MaskField$Value",
			"transforms.bad.fields":        "user,n",
			"transforms.bad.replacement":   "x",
		}},
		{name: "drop", drop: true, props: map[string]string{
			"transforms":                   "hdr,rename,route,filt",
			"transforms.hdr.type":          "org.apache.kafka.connect.transforms.InsertHeader",
			"transforms.hdr.header":        "h",
			"transforms.hdr.value.literal": "v",
			"transforms.rename.type":       "org.apache.kafka.connect.transforms.ReplaceField$Value",
			"transforms.rename.exclude":    "card",
			"transforms.route.type":        "org.apache.kafka.connect.transforms.RegexRouter",
			"transforms.route.regex":       "f(.*)",
			"transforms.route.replacement": "g$1",
			"transforms.filt.type":         "org.apache.kafka.connect.transforms.Filter",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := rules.BuildChain(tc.props, rules.ChainOptions{})
			if err != nil {
				t.Fatal(err)
			}
			mk := func() *sluice.Record {
				r := mixedInputs()["map"]()
				r.Value.(*sluice.Map).Put("n", true)
				return r
			}
			in := mk()
			out, idx, err := chain.ApplyDetail(in)
			if out != nil || (err == nil) == !tc.drop || idx != chain.Len()-1 {
				t.Fatalf("got %v at %d, %v", out, idx, err)
			}
			if !reflect.DeepEqual(in, mk()) {
				t.Fatalf("input changed: %+v", in)
			}
		})
	}
}

func describe(r *sluice.Record) string {
	if r == nil {
		return "null"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "topic=%s headers=[", r.Topic)
	for _, h := range r.Headers {
		fmt.Fprintf(&b, "%s=%v ", h.Key, h.Value)
	}
	fmt.Fprintf(&b, "] value=%s", describeValue(r.Value))
	return b.String()
}

func describeValue(v any) string {
	switch x := v.(type) {
	case *sluice.Map:
		var parts []string
		for _, e := range x.Entries {
			parts = append(parts, fmt.Sprintf("%v:%s", e.Key, describeValue(e.Value)))
		}
		return fmt.Sprintf("{%s hashed=%v}", strings.Join(parts, ","), x.Hashed)
	case *sluice.Struct:
		return fmt.Sprintf("Struct%v", x.Values())
	}
	return fmt.Sprint(v)
}
