package store

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
)

// A request with an Idempotency-Key marks its reservation committed inside
// its own business transaction, so that "the write happened" and "the key
// is spent" are one fact: a server that dies before the answer is stored
// leaves a committed reservation, and a retry is refused instead of posting
// again. The HTTP middleware puts the reservation in the request's context;
// inTxOpts (every store write) and the wallet sale batch read it from there.

type idemCtxKey struct{}

// WithIdemReservation returns ctx carrying reservation id (IdemRecord.ID):
// every store transaction run with it that writes marks the reservation
// committed as it commits.
func WithIdemReservation(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, idemCtxKey{}, id)
}

func idemReservation(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(idemCtxKey{}).(int64)
	return id, ok
}

// ErrIdemTakenOver: the request's Idempotency-Key reservation was taken over
// by another request (its owner looked dead, or IdemInFlightTimeout passed)
// before this one committed; nothing of it was committed.
var ErrIdemTakenOver = errors.New("store: idempotency key reservation taken over")

// idemAssert is the assert_written label of the statements below.
const idemAssert = "idempotency reservation"

// idemCommitSQL commits a transaction and, when it wrote anything (it has a
// transaction id), marks reservation id committed in it; it fails, and so
// commits nothing, when that reservation is no longer there (taken over).
// Sent as the transaction's commit: one simple-protocol message, no extra
// round trip (the id is an integer, so formatting it in is safe). The
// UPDATE's xid condition is a one-time filter evaluated before it writes.
func idemCommitSQL(id int64) string {
	return `WITH u AS (UPDATE idempotency_keys SET committed = true
    WHERE id = ` + strconv.FormatInt(id, 10) + ` AND pg_current_xact_id_if_assigned() IS NOT NULL RETURNING 1)
SELECT assert_written(pg_current_xact_id_if_assigned() IS NULL OR EXISTS (SELECT FROM u), '` + idemAssert + `')` + commitTail
}

// commitTail ends idemCommitSQL: a commit sent in a batch, which takes one
// statement per query, sends what comes before it and COMMIT apart.
const commitTail = ";\nCOMMIT"

// idemMarkSQL marks the reservations $1 committed (the wallet sale batch,
// for the sales it writes) and fails unless every one of them is there.
const idemMarkSQL = `WITH u AS (UPDATE idempotency_keys SET committed = true WHERE id = ANY($1::bigint[]) RETURNING 1)
SELECT assert_written((SELECT count(*) FROM u) = cardinality($1::bigint[]), '` + idemAssert + `')`

// idemTakenOver translates the failure of the statements above.
func idemTakenOver(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "P0001" && pgErr.Message == "batched write incomplete: "+idemAssert {
		return ErrIdemTakenOver
	}
	return err
}
