package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// ExpiredType is the transaction type of an expiry.
const ExpiredType = "POINTS EXPIRED"

// expiryBatches bounds how many due batches one ExpireDue call takes.
const expiryBatches = 20

// ExpireDue runs one round of the expiry job in one transaction: it takes up
// to expiryBatches batches of any merchant that are past their expiration
// date and not yet swept (FOR UPDATE SKIP LOCKED, so several server
// processes share the work and never take the same batch), locks up to limit
// of their accounts with a positive balance (FOR UPDATE SKIP LOCKED: an
// account a sale holds right now is left for the next round), and posts one
// POINTS EXPIRED transaction per account, moving its whole balance to the
// merchant's SystemExpired account. A batch with nothing left is marked
// swept; rounds that only sweep empty batches go on to the next ones. It
// returns how many accounts it expired; a caller catches up by calling it
// until it returns 0. Running it again finds the balances at zero, so it is
// idempotent; a reversal that restores points into a swept batch reopens it
// (see reverse).
func (s *Store) ExpireDue(ctx context.Context, limit int) (int, error) {
	if limit <= 0 {
		limit = 500
	}
	for {
		n, swept, err := s.expireRound(ctx, limit)
		if err != nil || n > 0 || swept == 0 {
			return n, err
		}
	}
}

// expireRound is one transaction of ExpireDue: accounts expired, batches swept.
func (s *Store) expireRound(ctx context.Context, limit int) (n int, swept int64, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		n, swept = 0, 0
		now := s.clock.Now()
		rows, err := tx.Query(ctx, `SELECT merchant_id, id FROM ledger_batches
            WHERE swept_at IS NULL AND expires_at <= $1
            ORDER BY expires_at, merchant_id, id LIMIT $2 FOR UPDATE SKIP LOCKED`, now, expiryBatches)
		if err != nil {
			return interpretError(err)
		}
		var merchants, batches []int64
		for rows.Next() {
			var m, b int64
			if err := rows.Scan(&m, &b); err != nil {
				rows.Close()
				return interpretError(err)
			}
			merchants, batches = append(merchants, m), append(batches, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(batches) == 0 {
			return interpretError(err)
		}
		due, err := dueAccounts(ctx, tx, merchants, batches, limit)
		if err != nil {
			return err
		}
		for _, d := range due {
			postings, ok := ledger.ExpirePostings(d.acc, now)
			if !ok {
				continue
			}
			info := TxInfo{Type: ExpiredType, Title: "Puntos expirados",
				Description: "batch " + strconv.FormatInt(d.acc.Key.BatchID, 10) + " expired"}
			_, err := s.post(ctx, tx, d.merchantID, plan{info: info, postings: postings,
				expires: map[ledger.AccountKey]time.Time{d.acc.Key: d.acc.ExpiresAt}, holder: d.acc.Key.Owner, unit: d.acc.Key.Unit})
			if err != nil {
				return err
			}
			n++
		}
		// Our own updates are visible here; accounts other transactions hold
		// still show their committed positive balance, so their batch stays due.
		tag, err := tx.Exec(ctx, `UPDATE ledger_batches b SET swept_at = $3
            FROM unnest($1::bigint[], $2::bigint[]) AS d(merchant_id, id)
            WHERE b.merchant_id = d.merchant_id AND b.id = d.id AND NOT EXISTS (
                SELECT 1 FROM ledger_accounts a
                WHERE a.merchant_id = b.merchant_id AND a.batch_id = b.id AND a.balance > 0)`,
			merchants, batches, now)
		swept = tag.RowsAffected()
		return interpretError(err)
	})
	return n, swept, err
}

// dueAccount is a batch account to expire, with its merchant.
type dueAccount struct {
	merchantID int64
	acc        ledger.Account
}

// dueAccounts locks up to limit positive accounts of the given batches,
// skipping those another transaction holds.
func dueAccounts(ctx context.Context, tx pgx.Tx, merchants, batches []int64, limit int) ([]dueAccount, error) {
	rows, err := tx.Query(ctx, `
        SELECT a.merchant_id, a.id, a.owner_kind, a.owner_id, a.unit, a.batch_id, a.expires_at, a.balance
        FROM ledger_accounts a
        JOIN unnest($1::bigint[], $2::bigint[]) AS d(merchant_id, id) ON a.merchant_id = d.merchant_id AND a.batch_id = d.id
        WHERE a.balance > 0 AND a.owner_kind <> 'system'
        ORDER BY a.merchant_id, a.id LIMIT $3 FOR UPDATE OF a SKIP LOCKED`, merchants, batches, limit)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []dueAccount
	for rows.Next() {
		var d dueAccount
		var kind string
		var unit int16
		if err := rows.Scan(&d.merchantID, &d.acc.ID, &kind, &d.acc.Key.Owner.ID, &unit, &d.acc.Key.BatchID,
			&d.acc.ExpiresAt, &d.acc.Balance); err != nil {
			return nil, interpretError(err)
		}
		d.acc.Key.Owner.Kind, d.acc.Key.Unit = ledger.OwnerKind(kind), ledger.Unit(unit)
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}
