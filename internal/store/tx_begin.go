package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// lazyTx is a transaction whose BEGIN is sent with its first statement
// (pgx's Batch.BeginTx) instead of on its own: pgx's BeginTx spends a round
// trip on BEGIN alone, and under load every round trip waits its turn for a
// CPU twice (the server's goroutine, then the Postgres backend). From the
// first statement on it is pgx's own transaction (commit query, rollback,
// ErrTxCommitRollback, ErrTxClosed); one that runs no statement sends
// nothing. A connection left inside a transaction by an error is destroyed,
// not reused, when released to the pool.
type lazyTx struct {
	conn   *pgxpool.Conn
	opts   pgx.TxOptions
	tx     pgx.Tx       // nil until the first statement
	ride   *commitBatch // the batch the commit was sent with (sendLast), if any
	closed bool
}

// done reports whether the transaction takes no more statements: released,
// or its commit already sent.
func (t *lazyTx) done() bool { return t.closed || t.ride != nil }

var _ pgx.Tx = (*lazyTx)(nil)

// runInTx runs fn in a lazyTx on a connection of pool and commits it, as
// pgx.BeginTxFunc does with pgx's transaction.
func runInTx(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(pgx.Tx) error) (err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	tx := &lazyTx{conn: conn, opts: opts}
	defer func() {
		if rbErr := tx.Rollback(ctx); rbErr != nil && !errors.Is(rbErr, pgx.ErrTxClosed) && err == nil {
			err = rbErr
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

// SendBatch sends b, with BEGIN queued first if no statement was sent yet.
func (t *lazyTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if t.done() {
		return pgx.FailedBatchResults(b, pgx.ErrTxClosed)
	}
	if t.tx != nil {
		return t.tx.SendBatch(ctx, b)
	}
	nb := &pgx.Batch{}
	nb.BeginTx(t.opts)
	nb.QueuedQueries = append(nb.QueuedQueries, b.QueuedQueries...)
	br := t.conn.SendBatch(ctx, nb)
	t.tx = br.Tx()
	return &afterBegin{BatchResults: br}
}

func (t *lazyTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.done() {
		return pgconn.CommandTag{}, pgx.ErrTxClosed
	}
	if t.tx != nil {
		return t.tx.Exec(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := t.SendBatch(ctx, b)
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *lazyTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if t.done() {
		return errRow{pgx.ErrTxClosed}
	}
	if t.tx != nil {
		return t.tx.QueryRow(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	return &batchRow{br: t.SendBatch(ctx, b)}
}

// begin starts the transaction on its own round trip, for the methods whose
// answer cannot come from a batch (rows read from a batch would need it
// closed after them, which pgx.Rows cannot do).
func (t *lazyTx) begin(ctx context.Context) (pgx.Tx, error) {
	if t.done() {
		return nil, pgx.ErrTxClosed
	}
	if t.tx == nil {
		tx, err := t.conn.BeginTx(ctx, t.opts)
		if err != nil {
			return nil, err
		}
		t.tx = tx
	}
	return t.tx, nil
}

func (t *lazyTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	tx, err := t.begin(ctx)
	if err != nil {
		return nil, err
	}
	return tx.Query(ctx, sql, args...)
}

func (t *lazyTx) Commit(ctx context.Context) error {
	if t.closed {
		return pgx.ErrTxClosed
	}
	defer t.release()
	if t.ride != nil {
		return t.ride.Close() // the commit went with it: its outcome is the batch's
	}
	if t.tx == nil {
		return nil // nothing was sent: nothing to commit
	}
	return t.tx.Commit(ctx)
}

func (t *lazyTx) Rollback(ctx context.Context) error {
	if t.closed {
		return pgx.ErrTxClosed
	}
	defer t.release()
	if t.ride != nil && t.ride.Close() == nil {
		return nil // committed with its last batch: nothing left to undo
	}
	if t.tx == nil {
		return nil
	}
	return t.tx.Rollback(ctx)
}

func (t *lazyTx) release() {
	t.closed = true
	t.conn.Release()
}

func (t *lazyTx) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := t.begin(ctx)
	if err != nil {
		return nil, err
	}
	return tx.Begin(ctx)
}

func (t *lazyTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	tx, err := t.begin(ctx)
	if err != nil {
		return 0, err
	}
	return tx.CopyFrom(ctx, table, columns, src)
}

func (t *lazyTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	tx, err := t.begin(ctx)
	if err != nil {
		return nil, err
	}
	return tx.Prepare(ctx, name, sql)
}

// LargeObjects is not supported: nothing here stores large objects.
func (t *lazyTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

func (t *lazyTx) Conn() *pgx.Conn { return t.conn.Conn() }

// afterBegin is the results of a batch sent with BEGIN queued first: it
// reads BEGIN's result before the caller's first one.
type afterBegin struct {
	pgx.BatchResults
	skipped bool
	err     error
}

func (a *afterBegin) skip() error {
	if !a.skipped {
		a.skipped = true
		_, a.err = a.BatchResults.Exec()
	}
	return a.err
}

func (a *afterBegin) Exec() (pgconn.CommandTag, error) {
	if err := a.skip(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return a.BatchResults.Exec()
}

func (a *afterBegin) Query() (pgx.Rows, error) {
	if err := a.skip(); err != nil {
		return nil, err
	}
	return a.BatchResults.Query()
}

func (a *afterBegin) QueryRow() pgx.Row {
	if err := a.skip(); err != nil {
		return errRow{err}
	}
	return a.BatchResults.QueryRow()
}

// batchRow is the row of a one-statement batch: scanning it closes the batch.
type batchRow struct{ br pgx.BatchResults }

func (r *batchRow) Scan(dest ...any) error {
	err := r.br.QueryRow().Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
