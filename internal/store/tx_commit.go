package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// sendLast sends b as the last statements of tx with the transaction's
// commit queued after them, when tx is a lazyTx: a write whose last
// statements need no answer looked at before it commits saves the round
// trip of its COMMIT (under load every round trip waits its turn for a CPU
// twice). An error in b stops the commit: Postgres skips the rest of a
// pipeline after a failed statement, and the transaction is rolled back.
// Closing the results reads the commit's outcome; from the call on, the
// transaction takes no more statements (ErrTxClosed), and the Commit that
// runInTx ends with only answers that outcome. The caller must therefore
// have nothing left to do but return: an error it returned after a commit
// that succeeded would undo nothing.
func sendLast(ctx context.Context, tx pgx.Tx, b *pgx.Batch) pgx.BatchResults {
	t, ok := tx.(*lazyTx)
	if !ok || t.done() {
		return tx.SendBatch(ctx, b)
	}
	commit := []string{"commit"}
	if q := t.opts.CommitQuery; q != "" {
		mark, ok := strings.CutSuffix(q, commitTail)
		if !ok {
			return tx.SendBatch(ctx, b) // a commit query this cannot split
		}
		commit = []string{mark, "commit"}
	}
	own := b.Len()
	for _, q := range commit {
		b.Queue(q)
	}
	cb := &commitBatch{BatchResults: t.SendBatch(ctx, b), own: own, commits: len(commit)}
	t.ride = cb
	return cb
}

// commitBatch is the results of a batch sent by sendLast: the caller's own,
// then the commit's, which Close reads.
type commitBatch struct {
	pgx.BatchResults
	own, read, commits int
	closed             bool
	err                error
}

func (c *commitBatch) Exec() (pgconn.CommandTag, error) {
	c.read++
	return c.BatchResults.Exec()
}

func (c *commitBatch) Query() (pgx.Rows, error) {
	c.read++
	return c.BatchResults.Query()
}

func (c *commitBatch) QueryRow() pgx.Row {
	c.read++
	return c.BatchResults.QueryRow()
}

// Close reads what the caller left of its own results, then the commit's,
// and answers the first error; nil means the transaction is committed.
func (c *commitBatch) Close() error {
	if c.closed {
		return c.err
	}
	c.closed = true
	for ; c.read < c.own && c.err == nil; c.read++ {
		_, c.err = c.BatchResults.Exec()
	}
	for i := 0; i < c.commits && c.err == nil; i++ {
		var tag pgconn.CommandTag
		tag, c.err = c.BatchResults.Exec()
		// COMMIT of a transaction that failed answers ROLLBACK, not an error.
		if c.err == nil && i == c.commits-1 && tag.String() != "COMMIT" {
			c.err = pgx.ErrTxCommitRollback
		}
	}
	if err := c.BatchResults.Close(); c.err == nil {
		c.err = err
	}
	return c.err
}
