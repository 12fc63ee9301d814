package store

import (
	"context"
	"hash/maphash"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// Lanes batch concurrent requests so that many of them share one database
// transaction (and one WAL flush). A request is queued on the lane its key
// picks; the first request to find a lane idle starts a runner that hands the
// queued requests to run, at most max at a time, until the lane is empty;
// once run returns, every job of the batch is answered. A batch is whatever
// arrived while the previous one was being written, so a lone request is
// written at once and a busy server writes bigger batches. A lane with a
// linger (sales) that is kept running by small batches waits that long
// before taking the next one (see saleLinger); an idle lane never waits.
//
// The same key always lands in the same lane, and a lane runs one batch at a
// time: two batches in flight never contain the same key. Keyed by the
// holder of a balance, this means two concurrent batches never wait on each
// other's row locks.
type lanes[J laneJob] struct {
	lanes []lane[J]
	seed  maphash.Seed
	max   int
	run   func([]J)
	// linger is how long a running lane waits before a batch of fewer than
	// lingerBelow jobs; 0 never waits.
	linger      time.Duration
	lingerBelow int
}

type lane[J laneJob] struct {
	mu      sync.Mutex
	queue   []J
	running bool
	// lingering is set while the runner waits for a bigger batch; wake cuts
	// the wait short once lingerBelow jobs are queued.
	lingering bool
	wake      chan struct{}
}

// waiter is what every lane job carries: its caller's context, the error it
// is answered with and the signal that its answer is ready.
type waiter struct {
	ctx  context.Context
	err  error
	done chan struct{}
}

func newWaiter(ctx context.Context) waiter { return waiter{ctx: ctx, done: make(chan struct{})} }

func (w *waiter) waiting() *waiter { return w }

// laneJob is a job type embedding waiter.
type laneJob interface{ waiting() *waiter }

// laneCount is how many batches of one kind may be in flight at once: one
// per core, at least two, so that one batch is read while another waits on
// its commit's WAL flush. Measured on 2 cores for wallet sales: 2 lanes
// write batches twice as large as 4 for the same throughput, with a lower
// p99; 3 lanes, batches of 41 instead of 61 and fewer sales/s.
func laneCount() int { return max(2, runtime.GOMAXPROCS(0)) }

// readLaneCount is the same for contact lookups, per program kind: one lane
// per two cores, so that the two kinds together keep one lookup statement in
// flight per core. A lookup has no commit to wait on, so a second lane of
// the same kind only splits the batches: measured on 2 cores (reads phase,
// 256 terminals), one lane per kind read 14,939 and 16,207 lookups/s with
// batches twice as large, against 11,737 and 13,035 with two.
func readLaneCount() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// memberLaneKey is the lane key of a request about one contact of a
// merchant: all of that contact's requests share a lane.
func memberLaneKey(merchantID int64, phone string) string {
	return strconv.FormatInt(merchantID, 10) + "/" + phone
}

func newLanes[J laneJob](n, max int, run func([]J)) *lanes[J] {
	ls := &lanes[J]{lanes: make([]lane[J], n), seed: maphash.MakeSeed(), max: max, run: run}
	for i := range ls.lanes {
		ls.lanes[i].wake = make(chan struct{}, 1)
	}
	return ls
}

// do queues j on key's lane and returns once j is answered: run has set its
// result, or j.err is its context's error if the caller gave up first.
func (ls *lanes[J]) do(key string, j J) {
	l := &ls.lanes[maphash.String(ls.seed, key)%uint64(len(ls.lanes))]
	l.mu.Lock()
	l.queue = append(l.queue, j)
	start := !l.running
	l.running = true
	if l.lingering && len(l.queue) >= ls.lingerBelow {
		l.lingering = false
		l.wake <- struct{}{} // room for one, and only one waiter at a time
	}
	l.mu.Unlock()
	if start {
		go ls.drain(l)
	}
	<-j.waiting().done
}

// drain runs batches from l until it is empty. The first batch goes at
// once; after a batch, a lane with a linger waits before taking a small one.
func (ls *lanes[J]) drain(l *lane[J]) {
	batch := make([]J, 0, ls.max)
	for first := true; ; first = false {
		l.mu.Lock()
		n := min(len(l.queue), ls.max)
		if n == 0 {
			l.running = false
			l.mu.Unlock()
			return
		}
		if !first && n < ls.lingerBelow && ls.linger > 0 {
			l.lingering = true
			l.mu.Unlock()
			t := time.NewTimer(ls.linger)
			select {
			case <-t.C:
			case <-l.wake:
				t.Stop()
			}
			l.mu.Lock()
			l.lingering = false
			select { // a wake sent as the timer fired must not cut the next wait short
			case <-l.wake:
			default:
			}
			n = min(len(l.queue), ls.max)
		}
		batch = append(batch[:0], l.queue[:n]...)
		rest := copy(l.queue, l.queue[n:])
		clear(l.queue[rest:])
		l.queue = l.queue[:rest]
		l.mu.Unlock()
		ls.runBatch(batch)
	}
}

// runBatch answers the jobs whose callers gave up with their context's
// error (nothing was written for them), hands the others to run, and then
// signals every job answered.
func (ls *lanes[J]) runBatch(batch []J) {
	live := make([]J, 0, len(batch))
	for _, j := range batch {
		w := j.waiting()
		if err := w.ctx.Err(); err != nil {
			w.err = err
			close(w.done)
			continue
		}
		live = append(live, j)
	}
	if len(live) > 0 {
		ls.run(live)
	}
	for _, j := range live {
		close(j.waiting().done)
	}
}
