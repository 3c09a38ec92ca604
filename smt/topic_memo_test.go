package smt

import (
	"strings"
	"sync"
	"testing"

	"sluice.io/sluice"
)

// TestTopicMemoConcurrent looks topics up from several goroutines, with
// more distinct topics than the memo holds, and checks every answer.
func TestTopicMemoConcurrent(t *testing.T) {
	var m topicMemo[string]
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3000; i++ {
				topic := "t" + itoa((i*7+g)%(topicMemoSize+300))
				if got := m.get(topic, strings.ToUpper); got != strings.ToUpper(topic) {
					t.Errorf("%s -> %s", topic, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := m.len(); n == 0 || n > topicMemoSize {
		t.Fatalf("memo holds %d topics", n)
	}
}

// TestTopicNameMatchesMemo checks the memoised predicate on alternating
// topics and after reconfiguration.
func TestTopicNameMatchesMemo(t *testing.T) {
	p := &TopicNameMatches{}
	if err := p.Configure(map[string]string{"pattern": "a.*"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		for topic, want := range map[string]bool{"abc": true, "bcd": false, "a": true, "": false} {
			if got, _ := p.Test(&sluice.Record{Topic: topic}); got != want {
				t.Fatalf("%q: %v", topic, got)
			}
		}
	}
	if err := p.Configure(map[string]string{"pattern": "b.*"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Test(&sluice.Record{Topic: "abc"}); got {
		t.Fatal("stale memo after Configure")
	}
}
