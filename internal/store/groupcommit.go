package store

import (
	"context"
	"errors"
	"hash/maphash"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Group commit: concurrent writes that arrive while a previous batch is
// committing share the next transaction, so N tills pay for one BEGIN, one
// COMMIT and one WAL flush instead of N. Each write still runs its own checks
// and gets its own answer:
//
//   - every job runs inside its own savepoint; a job that returns an error is
//     rolled back to that savepoint, so it writes nothing and the other jobs
//     of the batch are unaffected;
//   - nobody is answered before the shared COMMIT has returned, so a success
//     is durable when it is reported (ledger.md invariant 5);
//   - if the batch cannot commit (deadlock, serialization failure, lost
//     connection), every job of it runs again alone through inTx, so the
//     outcome each caller sees is always that of a committed transaction.
//
// Jobs are spread over lanes by a key (the customer, the contact): the same
// key always lands in the same lane, so two batches never wait on each
// other's locks for the same holder. A lane has no idle goroutine: the first
// job to find it idle starts a runner that drains it and exits.
//
// A job has the same contract as inTx's function: it must be free of side
// effects outside the transaction and reset whatever results it captures,
// because it may run twice (once in a batch that failed to commit, once alone).

const (
	// groupLanes is how many batches may be in flight at once: enough to keep
	// both Postgres cores busy while a lane waits on its commit's fsync.
	groupLanes = 8
	// groupMaxBatch caps a batch well below Postgres's 64 cached
	// subtransactions per backend, past which every snapshot gets slower.
	groupMaxBatch = 48
)

// groupJob is one caller's write waiting for a batch.
type groupJob struct {
	ctx  context.Context
	fn   func(pgx.Tx) error
	err  error
	done chan struct{}
}

// groupLane is a queue of jobs and whether a runner is draining it.
type groupLane struct {
	mu      sync.Mutex
	queue   []*groupJob
	running bool
}

// groupCommitter holds the lanes of one Store.
type groupCommitter struct {
	lanes [groupLanes]groupLane
	seed  maphash.Seed
	// maxBatch is groupMaxBatch; tests lower it to force several batches.
	maxBatch int
}

var jobPool = sync.Pool{New: func() any { return &groupJob{done: make(chan struct{}, 1)} }}

// inGroupTx runs fn in a transaction shared with other concurrent callers of
// the same lane and returns once that transaction has committed (fn's writes
// are durable) or fn's error (fn wrote nothing). key chooses the lane: pass
// what identifies the holder whose balance fn changes.
func (s *Store) inGroupTx(ctx context.Context, key string, fn func(pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g := &s.gc
	j := jobPool.Get().(*groupJob)
	j.ctx, j.fn, j.err = ctx, fn, nil
	lane := g.laneFor(key)
	lane.mu.Lock()
	lane.queue = append(lane.queue, j)
	start := !lane.running
	lane.running = true
	lane.mu.Unlock()
	if start {
		go s.drainLane(lane)
	}
	<-j.done
	err := j.err
	j.ctx, j.fn, j.err = nil, nil, nil
	jobPool.Put(j)
	return err
}

// laneFor is the lane of every job with this key.
func (g *groupCommitter) laneFor(key string) *groupLane {
	return &g.lanes[maphash.String(g.seed, key)%groupLanes]
}

// drainLane commits batches from the lane until it is empty.
func (s *Store) drainLane(lane *groupLane) {
	max := s.gc.maxBatch
	if max <= 0 {
		max = groupMaxBatch
	}
	batch := make([]*groupJob, 0, max)
	for {
		lane.mu.Lock()
		n := min(len(lane.queue), max)
		if n == 0 {
			lane.running = false
			lane.mu.Unlock()
			return
		}
		batch = append(batch[:0], lane.queue[:n]...)
		rest := copy(lane.queue, lane.queue[n:])
		clear(lane.queue[rest:])
		lane.queue = lane.queue[:rest]
		lane.mu.Unlock()

		s.commitBatch(batch)
		for _, j := range batch {
			j.done <- struct{}{}
		}
	}
}

// commitBatch runs the jobs of one batch and sets each job's err.
func (s *Store) commitBatch(batch []*groupJob) {
	live := batch[:0:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.err = err // the caller gave up before its turn: nothing was written
			continue
		}
		live = append(live, j)
	}
	switch len(live) {
	case 0:
		return
	case 1:
		live[0].err = s.inTx(live[0].ctx, live[0].fn)
		return
	}
	if err := s.tryBatch(live); err != nil {
		// Nothing of the batch committed: each job runs again on its own, and
		// its answer is that of its own transaction.
		for _, j := range live {
			j.err = s.inTx(j.ctx, j.fn)
		}
	}
}

// tryBatch runs live in one transaction, each job in its own savepoint, and
// commits. It returns an error only when the transaction as a whole failed;
// job errors are stored on the jobs.
func (s *Store) tryBatch(live []*groupJob) error {
	// The batch outlives no caller's patience: it runs under the context of
	// the first job, and a job whose own context ends mid-batch only loses
	// its own statements (pgx reports them as failed).
	ctx := context.WithoutCancel(live[0].ctx)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	for _, j := range live {
		if _, err := tx.Exec(ctx, "SAVEPOINT g"); err != nil {
			return err
		}
		j.err = j.fn(tx)
		if j.err == nil {
			continue
		}
		if retryable(j.err) {
			// A deadlock or serialization failure inside the batch: undo the
			// whole batch so that this job, too, gets a fresh transaction.
			return j.err
		}
		if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT g"); err != nil {
			return errors.Join(j.err, err)
		}
	}
	return tx.Commit(ctx)
}
