package smt

import (
	"testing"

	"sluice.io/sluice"
)

func TestTimestampRouter(t *testing.T) {
	cases := []struct {
		cfg        map[string]string
		topic      string
		ts         int64
		noTS       bool
		want, err  string
		errMessage string
	}{
		{cfg: map[string]string{}, topic: "events", ts: 1700000000000, want: "events-20231114"},
		{cfg: map[string]string{"topic.format": "${topic}_${timestamp}", "timestamp.format": "yyyy-MM-dd'T'HH"}, topic: "events", ts: 1700000000000, want: "events_2023-11-14T22"},
		{cfg: map[string]string{"topic.format": "${timestamp}/${topic}/${topic}"}, topic: "a", ts: 0, want: "19700101/a/a"},
		// ${topic} is replaced first, so a topic containing ${timestamp} is expanded too.
		{cfg: map[string]string{}, topic: "x${timestamp}", ts: 0, want: "x19700101-19700101"},
		{cfg: map[string]string{}, topic: "events", noTS: true, err: "DataException", errMessage: "Timestamp missing on record: SourceRecord{"},
		{cfg: map[string]string{"timestamp.format": "yyyyq"}, topic: "events", ts: 0, err: "IllegalArgumentException", errMessage: "Illegal pattern character 'q'"},
	}
	for _, c := range cases {
		x := mustXform(t, timestampRouterClass, c.cfg)
		r := &sluice.Record{Topic: c.topic, Timestamp: c.ts, HasTimestamp: !c.noTS, ValueSchema: sluice.StringSchema, Value: "v"}
		out, err := x.Apply(r)
		if c.err != "" {
			if sluice.ErrorClass(err) != c.err || !contains(err.Error(), c.errMessage) {
				t.Fatalf("%v: got %v, want %s %q", c.cfg, err, c.err, c.errMessage)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if out.Topic != c.want || r.Topic != c.topic || out.Value != "v" {
			t.Fatalf("%v: got %q want %q", c.cfg, out.Topic, c.want)
		}
	}
}
