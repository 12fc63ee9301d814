package store

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// laneTestJob is a lane job that only has a name.
type laneTestJob struct {
	waiter
	name string
}

// laneRecorder runs batches by recording their names; hold, when set,
// blocks the first batch until it is closed.
type laneRecorder struct {
	mu      sync.Mutex
	batches [][]string
	hold    chan struct{}
}

func (r *laneRecorder) run(b []*laneTestJob) {
	r.mu.Lock()
	first := len(r.batches) == 0
	names := make([]string, len(b))
	for i, j := range b {
		names[i] = j.name
	}
	r.batches = append(r.batches, names)
	r.mu.Unlock()
	if first && r.hold != nil {
		<-r.hold
	}
}

func (r *laneRecorder) seen() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.batches)
}

// until polls cond; the lanes have no hooks, so the test watches their state.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLanesLinger(t *testing.T) {
	t.Run("an idle lane does not wait", func(t *testing.T) {
		rec := &laneRecorder{}
		ls := newLanes(1, 8, rec.run)
		ls.linger, ls.lingerBelow = time.Hour, 4
		done := make(chan struct{})
		go func() {
			ls.do("k", &laneTestJob{waiter: newWaiter(context.Background()), name: "A"})
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("a lone job on an idle lane waited for the linger")
		}
	})

	t.Run("a running lane gathers a small batch until enough are queued", func(t *testing.T) {
		rec := &laneRecorder{hold: make(chan struct{})}
		ls := newLanes(1, 8, rec.run)
		ls.linger, ls.lingerBelow = time.Hour, 3
		l := &ls.lanes[0]
		queued := func() int { l.mu.Lock(); defer l.mu.Unlock(); return len(l.queue) }
		var wg sync.WaitGroup
		send := func(name string) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ls.do("k", &laneTestJob{waiter: newWaiter(context.Background()), name: name})
			}()
		}
		send("A")
		until(t, "the first batch to start", func() bool { return len(rec.seen()) == 1 })
		send("B") // queued while A's batch runs
		until(t, "B to be queued", func() bool { return queued() == 1 })
		close(rec.hold)
		until(t, "the lane to linger", func() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.lingering })
		send("C")
		send("D") // the third queued job ends the wait long before the hour
		wg.Wait()
		got := rec.seen()
		if len(got) != 2 || !slices.Equal(got[0], []string{"A"}) || len(got[1]) != 3 {
			t.Fatalf("batches %v, want [A] then B, C and D together", got)
		}
	})

	t.Run("a small batch goes once the linger is over", func(t *testing.T) {
		rec := &laneRecorder{hold: make(chan struct{})}
		ls := newLanes(1, 8, rec.run)
		ls.linger, ls.lingerBelow = time.Millisecond, 3
		l := &ls.lanes[0]
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			ls.do("k", &laneTestJob{waiter: newWaiter(context.Background()), name: "A"})
		}()
		until(t, "the first batch to start", func() bool { return len(rec.seen()) == 1 })
		go func() {
			defer wg.Done()
			ls.do("k", &laneTestJob{waiter: newWaiter(context.Background()), name: "B"})
		}()
		until(t, "B to be queued", func() bool { l.mu.Lock(); defer l.mu.Unlock(); return len(l.queue) == 1 })
		close(rec.hold)
		wg.Wait()
		if got := rec.seen(); len(got) != 2 || !slices.Equal(got[1], []string{"B"}) {
			t.Fatalf("batches %v, want [A] then [B]", got)
		}
	})
}
