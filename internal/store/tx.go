package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxAttempts bounds retries of transactions that Postgres aborted for
// serialization failures or deadlocks; those are safe to run again whole.
const maxAttempts = 5

// inTx runs fn in a read-committed transaction and commits it, retrying the
// whole function when Postgres reports a serialization failure or deadlock.
// fn must therefore be free of side effects outside the transaction.
// Under an Idempotency-Key (WithIdemReservation) the commit also marks the
// reservation committed, or fails with ErrIdemTakenOver.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.inTxOpts(ctx, pgx.TxOptions{}, fn)
}

func (s *Store) inTxOpts(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	if id, ok := idemReservation(ctx); ok && opts.AccessMode != pgx.ReadOnly {
		opts.CommitQuery = idemCommitSQL(id)
	}
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = runInTx(ctx, s.pool, opts, fn) // BEGIN rides on the first statement
		if !retryable(err) {
			return idemTakenOver(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt*attempt) * 2 * time.Millisecond):
		}
	}
	return err
}

// retryable reports errors after which the same transaction may succeed.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	return false
}
