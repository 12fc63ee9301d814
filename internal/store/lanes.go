package store

import (
	"hash/maphash"
	"sync"
)

// Lanes batch concurrent requests so that many of them share one database
// transaction (and one WAL flush). A request is queued on the lane its key
// picks; the first request to find a lane idle starts a runner that hands the
// queued requests to run, at most max at a time, until the lane is empty.
// There is no timer: a batch is whatever arrived while the previous one was
// being written, so a lone request is written at once and a busy server
// writes bigger batches.
//
// The same key always lands in the same lane, and a lane runs one batch at a
// time: two batches in flight never contain the same key. Keyed by the
// holder of a balance, this means two concurrent batches never wait on each
// other's row locks.
type lanes[J any] struct {
	lanes []lane[J]
	seed  maphash.Seed
	max   int
	run   func([]J)
}

type lane[J any] struct {
	mu      sync.Mutex
	queue   []J
	running bool
}

func newLanes[J any](n, max int, run func([]J)) *lanes[J] {
	return &lanes[J]{lanes: make([]lane[J], n), seed: maphash.MakeSeed(), max: max, run: run}
}

// submit queues j on key's lane and returns at once; run will be called with
// a batch containing j. The caller waits for j's own completion signal.
func (ls *lanes[J]) submit(key string, j J) {
	l := &ls.lanes[maphash.String(ls.seed, key)%uint64(len(ls.lanes))]
	l.mu.Lock()
	l.queue = append(l.queue, j)
	start := !l.running
	l.running = true
	l.mu.Unlock()
	if start {
		go ls.drain(l)
	}
}

// drain runs batches from l until it is empty.
func (ls *lanes[J]) drain(l *lane[J]) {
	batch := make([]J, 0, ls.max)
	for {
		l.mu.Lock()
		n := min(len(l.queue), ls.max)
		if n == 0 {
			l.running = false
			l.mu.Unlock()
			return
		}
		batch = append(batch[:0], l.queue[:n]...)
		rest := copy(l.queue, l.queue[n:])
		clear(l.queue[rest:])
		l.queue = l.queue[:rest]
		l.mu.Unlock()
		ls.run(batch)
	}
}
