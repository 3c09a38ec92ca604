package netsource

import (
	"context"
	"sync"
	"time"

	"sluice.io/sluice"
)

// recordQueue is a task's bounded FIFO of records. Producers (connection
// readers) block in putAll while it is full, or use tryPut and learn that
// it is full; the single consumer (Poll) takes records out. After stop,
// nothing blocks any more: producers append beyond the capacity so that no
// record they already hold is lost, and the consumer drains everything.
type recordQueue struct {
	mu       sync.Mutex
	ring     []*sluice.Record
	head, n  int
	capacity int
	dataCh   chan struct{} // closed when records arrive; nil while nobody waits
	spaceCh  chan struct{} // closed when records leave; nil while nobody waits
	stopped  bool
}

func newRecordQueue(capacity int) *recordQueue {
	return &recordQueue{capacity: capacity, ring: make([]*sluice.Record, min(capacity, 1024))}
}

// grow makes room for need more records (ring size may exceed capacity
// only after stop).
func (q *recordQueue) grow(need int) {
	if q.n+need <= len(q.ring) {
		return
	}
	size := max(2*len(q.ring), q.n+need)
	if !q.stopped {
		size = min(size, q.capacity)
	}
	nr := make([]*sluice.Record, size)
	k := copy(nr, q.ring[q.head:min(q.head+q.n, len(q.ring))])
	copy(nr[k:], q.ring[:q.n-k])
	q.ring, q.head = nr, 0
}

// appendLocked adds records; the caller checked the room.
func (q *recordQueue) appendLocked(recs []*sluice.Record) {
	q.grow(len(recs))
	for _, r := range recs {
		i := q.head + q.n
		if i >= len(q.ring) {
			i -= len(q.ring)
		}
		q.ring[i] = r
		q.n++
	}
	if q.dataCh != nil {
		close(q.dataCh)
		q.dataCh = nil
	}
}

// putAll appends recs in order, waiting while the queue is full.
func (q *recordQueue) putAll(recs []*sluice.Record) {
	for len(recs) > 0 {
		q.mu.Lock()
		room := q.capacity - q.n
		if q.stopped {
			room = len(recs)
		}
		if room > 0 {
			k := min(room, len(recs))
			q.appendLocked(recs[:k])
			recs = recs[k:]
			q.mu.Unlock()
			continue
		}
		if q.spaceCh == nil {
			q.spaceCh = make(chan struct{})
		}
		ch := q.spaceCh
		q.mu.Unlock()
		<-ch
	}
}

// tryPut appends r unless the queue is full.
func (q *recordQueue) tryPut(r *sluice.Record) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n >= q.capacity && !q.stopped {
		return false
	}
	one := [1]*sluice.Record{r}
	q.appendLocked(one[:])
	return true
}

// take moves up to limit records to dst (limit < 0: all of them).
func (q *recordQueue) take(dst []*sluice.Record, limit int) []*sluice.Record {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := q.n
	if limit >= 0 {
		k = min(k, limit)
	}
	for j := 0; j < k; j++ {
		dst = append(dst, q.ring[q.head])
		q.ring[q.head] = nil
		q.head++
		if q.head == len(q.ring) {
			q.head = 0
		}
	}
	q.n -= k
	if q.n == 0 {
		q.head = 0
	}
	if k > 0 && q.spaceCh != nil {
		close(q.spaceCh)
		q.spaceCh = nil
	}
	return dst
}

// isStopped reports whether stop was called.
func (q *recordQueue) isStopped() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.stopped
}

// len returns the number of queued records.
func (q *recordQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// waitData waits up to d for records (or stop, or ctx). It reports false
// when ctx ended.
func (q *recordQueue) waitData(ctx context.Context, t *time.Timer, d time.Duration) bool {
	q.mu.Lock()
	if q.n > 0 || q.stopped {
		q.mu.Unlock()
		return true
	}
	if q.dataCh == nil {
		q.dataCh = make(chan struct{})
	}
	ch := q.dataCh
	q.mu.Unlock()
	t.Reset(d)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	case <-ctx.Done():
		return false
	}
	return true
}

// stop ends blocking: waiting producers and the consumer wake up.
func (q *recordQueue) stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.stopped = true
	if q.spaceCh != nil {
		close(q.spaceCh)
		q.spaceCh = nil
	}
	if q.dataCh != nil {
		close(q.dataCh)
		q.dataCh = nil
	}
}
