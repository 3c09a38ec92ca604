package smt

import (
	"strings"
	"sync"
	"sync/atomic"
)

// topicMemoSize bounds a topicMemo: past it the memo starts afresh.
const topicMemoSize = 1024

// topicMemo memoises a result that depends on a record's topic alone. Topics
// repeat, usually in runs, so the last topic looked up is checked first
// without any lock; the others live in a bounded map.
type topicMemo[T any] struct {
	last atomic.Pointer[topicMemoEntry[T]]

	mu sync.RWMutex
	m  map[string]*topicMemoEntry[T]
}

type topicMemoEntry[T any] struct {
	topic string
	val   T
}

// get returns the result for topic, computing and storing it on a miss.
func (c *topicMemo[T]) get(topic string, compute func(string) T) T {
	if e := c.last.Load(); e != nil && e.topic == topic {
		return e.val
	}
	c.mu.RLock()
	e, ok := c.m[topic]
	c.mu.RUnlock()
	if !ok {
		e = &topicMemoEntry[T]{topic: strings.Clone(topic), val: compute(topic)}
		c.mu.Lock()
		if c.m == nil || len(c.m) >= topicMemoSize {
			c.m = make(map[string]*topicMemoEntry[T], 16)
		}
		c.m[e.topic] = e
		c.mu.Unlock()
	}
	c.last.Store(e)
	return e.val
}

// len returns the number of topics in the map.
func (c *topicMemo[T]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// reset forgets every memoised topic.
func (c *topicMemo[T]) reset() {
	c.mu.Lock()
	c.m = nil
	c.last.Store(nil)
	c.mu.Unlock()
}
