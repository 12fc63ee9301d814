package store

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The parts of sale batching that wallet sales (apikey_walletbatch.go) and
// card stamps (apikey_cardbatch.go) share: the job, the batcher, the
// counters, the inputs of the batch read and the final write.

// SaleBatchStats counts what the sale batches of one program kind did
// since start.
type SaleBatchStats struct {
	Batches uint64 // batches committed with at least one sale written
	Written uint64 // sales written by those batches
	Alone   uint64 // sales sent to run alone (their own transaction)
	Failed  uint64 // batches that could not commit (their sales ran alone)
}

type saleCounters struct{ batches, written, alone, failed atomic.Uint64 }

func (c *saleCounters) stats() SaleBatchStats {
	return SaleBatchStats{c.batches.Load(), c.written.Load(), c.alone.Load(), c.failed.Load()}
}

// WalletBatchStats reads the wallet sale batch counters (for /metrics and tests).
func (s *Store) WalletBatchStats() SaleBatchStats { return s.wallet.counters.stats() }

// saleJob is one /wallet/sale or /loyalty/sale waiting for its batch.
type saleJob struct {
	waiter
	m     Merchant
	in    SaleInput
	res   SaleResult
	alone bool // the caller must run the sale by itself
}

// saleMaxBatch bounds one sale batch's statements (wallet sales or card
// stamps).
const saleMaxBatch = 128

// A sale batch costs Postgres about a millisecond of CPU whatever its size
// (two statements' executor start, their constraint and index-predicate
// setup, BEGIN and COMMIT) on top of about 0.12 ms per sale. At a moderate
// load the lanes never go idle yet write batches of two to six sales, and
// that fixed cost alone kept the two cores 84-89 % busy at 2,000-3,000
// sales/s. So a lane that has just written a batch and finds fewer than
// saleLingerBelow sales queued waits saleLinger before taking them: the
// batch grows, the fixed cost is paid less often. A busy lane (saturation)
// never waits, and neither does a request that finds its lane idle.
const (
	saleLinger      = 2 * time.Millisecond
	saleLingerBelow = 16
)

// saleBatcher is one program kind's sale batching: its lanes (keyed by
// member), its counters, how a batch is written and how a sale runs alone.
type saleBatcher struct {
	lanes    *lanes[*saleJob]
	counters saleCounters
	// write runs a batch; an error means nothing of it was committed.
	write func([]*saleJob) error
	alone func(context.Context, Merchant, SaleInput) (SaleResult, error)
}

func newSaleBatcher(write func([]*saleJob) error, alone func(context.Context, Merchant, SaleInput) (SaleResult, error)) *saleBatcher {
	b := &saleBatcher{write: write, alone: alone}
	b.lanes = newLanes(laneCount(), saleMaxBatch, b.run)
	b.lanes.linger, b.lanes.lingerBelow = saleLinger, saleLingerBelow
	return b
}

// sale queues one sale on its member's lane and returns its answer: the
// batch's, or its own transaction's when the batch sent it to run alone.
func (b *saleBatcher) sale(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	if err := ctx.Err(); err != nil {
		return SaleResult{}, err
	}
	j := &saleJob{waiter: newWaiter(ctx), m: m, in: in}
	b.lanes.do(memberLaneKey(m.ID, in.Phone), j)
	if j.alone {
		b.counters.alone.Add(1)
		return b.alone(ctx, m, in)
	}
	return j.res, j.err
}

// run is the lanes' run function: write sets the answer of every job of
// batch or marks it to run alone; if the batch failed, all run alone.
func (b *saleBatcher) run(batch []*saleJob) {
	if err := b.write(batch); err != nil {
		b.counters.failed.Add(1)
		for _, j := range batch {
			j.alone = true
		}
	}
}

// batchOrder keeps a batch's sales in arrival order for each member and
// each ticket: a sale sent alone runs, in effect, after the batch, and so
// must the later sales of its member and of its ticket; a ticket sold
// earlier in the batch answers its later repeats.
type batchOrder struct {
	taken        map[ticketKey]int // tickets sold earlier in this batch → job index
	laterMembers map[memberKey]bool
	laterTickets map[ticketKey]bool
}

func newBatchOrder() *batchOrder {
	return &batchOrder{taken: map[ticketKey]int{}, laterMembers: map[memberKey]bool{}, laterTickets: map[ticketKey]bool{}}
}

// alone sends j to run by itself, after the batch.
func (o *batchOrder) alone(j *saleJob, mk memberKey, tk ticketKey) {
	j.alone, o.laterMembers[mk] = true, true
	if j.in.Ticket != "" {
		o.laterTickets[tk] = true
	}
}

// follows reports whether j comes after a sale of its member or ticket that
// was sent alone (and so must run alone too).
func (o *batchOrder) follows(j *saleJob, mk memberKey, tk ticketKey) bool {
	return o.laterMembers[mk] || (j.in.Ticket != "" && o.laterTickets[tk])
}

// replayed answers job i without writing when its ticket was sold before
// the batch (r.replay) or earlier in it: the first sale's result, or
// ErrTicketOtherContact for another contact.
func (o *batchOrder) replayed(jobs []*saleJob, i int, reads []saleRead, tk ticketKey, w *saleWrite) bool {
	j, r := jobs[i], reads[i]
	if prior, ok, err := r.replay(); ok {
		j.res, j.err = prior, err
		return true
	}
	first, ok := o.taken[tk]
	if !ok || j.in.Ticket == "" {
		return false
	}
	if *reads[first].contactID != *r.contactID {
		j.err = ErrTicketOtherContact
	} else {
		j.res = w.results[first]
		j.res.Replayed = true
	}
	return true
}

// sold records that job i, written by the batch, took its ticket.
func (o *batchOrder) sold(j *saleJob, i int, tk ticketKey) {
	if j.in.Ticket != "" {
		o.taken[tk] = i
	}
}

// beginSaleBatch takes a connection of the lanes' pool and sends BEGIN and
// the batch's read statement over its inputs (mids, keys, phones,
// collaborators, tickets, then extra). The caller reads the answers and
// releases the connection; one left inside a transaction by an error is
// closed, not reused, by Release.
func (s *Store) beginSaleBatch(ctx context.Context, jobs []*saleJob, sql string, extra ...any) (*pgxpool.Conn, pgx.BatchResults, error) {
	conn, err := s.lanePool.Acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	n := len(jobs)
	mids, keys, phones := make([]int64, n), make([]string, n), make([]string, n)
	collabs, tickets := make([]int64, n), make([]*string, n)
	for i, j := range jobs {
		mids[i], keys[i], phones[i], collabs[i] = j.m.ID, j.in.Key, j.in.Phone, j.in.CollaboratorID
		if j.in.Ticket != "" {
			tickets[i] = &j.in.Ticket
		}
	}
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(sql, append([]any{mids, keys, phones, collabs, tickets}, extra...)...)
	return conn, conn.SendBatch(ctx, b), nil
}

// commitSaleBatch is a batch's last round trip, on the connection whose
// transaction read and locked its facts: w's rows, the Idempotency-Key
// marks of the sales written and COMMIT (ROLLBACK when w is empty). Once
// committed it answers the jobs written; an error means nothing was.
func (s *Store) commitSaleBatch(ctx context.Context, conn *pgxpool.Conn, w *saleWrite, jobs []*saleJob, c *saleCounters) error {
	if w.empty() {
		// Every sale was refused, replayed or runs alone: nothing to write.
		_, err := conn.Exec(ctx, "ROLLBACK")
		return err
	}
	b := &pgx.Batch{}
	b.Queue(saleBatchWriteSQL, w.args()...)
	// The Idempotency-Key reservations of the sales written are spent in the
	// same transaction (idempotency_commit.go); a reservation taken over
	// fails the batch, and its sales run alone.
	if ids := w.idemReservations(jobs); len(ids) > 0 {
		b.Queue(idemMarkSQL, ids)
	}
	b.Queue("COMMIT")
	br := conn.SendBatch(ctx, b)
	for range b.Len() {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return err
		}
	}
	if err := br.Close(); err != nil {
		return err
	}
	for i, j := range jobs {
		if w.wrote[i] {
			j.res, j.err = w.results[i], nil
		}
	}
	c.batches.Add(1)
	c.written.Add(uint64(len(w.sMid)))
	return nil
}
