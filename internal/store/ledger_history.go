package store

import (
	"context"
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

// HistoryFilter narrows a holder's history. Zero fields do not filter.
type HistoryFilter struct {
	Unit     ledger.Unit // 0 = every unit
	From, To time.Time   // created_at in [From, To)
	BeforeID int64       // only transactions older than this id (paging)
	Limit    int         // at most this many (0 = 100)
}

// Entry is one transaction in a holder's history.
type Entry struct {
	Tx   Tx
	Unit ledger.Unit
	// Delta is the holder's net balance change: positive for a credit,
	// negative for a debit (the JSON API's CREDIT / DEBIT).
	Delta ledger.Amount
}

// history lists the transactions that touched the holder's accounts, newest
// first, with the holder's net change in each. It takes no lock.
//
// Two statements: the holder's account ids, then their postings
// (accountsHistory; a customer named by external id has its ids found with
// it, customerAccounts). The ids go
// to the second statement as values, not as a join, so Postgres plans the
// postings lookups knowing which accounts they are: every earn comes from
// the merchant's one issued account, and a planner that does not know the
// id would expect a "from account" to match most of the ledger and scan it.
// With the values it walks the (merchant, account, tx) indexes, and the
// cost follows the holder's own postings, not the size of the ledger.
func (s *Store) history(ctx context.Context, q querier, merchantID int64, owner ledger.Owner, f HistoryFilter) ([]Entry, error) {
	var ids []int64
	if err := q.QueryRow(ctx, `SELECT coalesce(array_agg(id), '{}') FROM ledger_accounts
		WHERE merchant_id = $1 AND owner_kind = $2 AND owner_id = $3 AND ($4 = 0 OR unit = $4)`,
		merchantID, string(owner.Kind), owner.ID, int16(f.Unit)).Scan(&ids); err != nil {
		return nil, interpretError(err)
	}
	return accountsHistory(ctx, q, merchantID, ids, f)
}

// accountsHistory is history's second statement, over the holder's account ids.
func accountsHistory(ctx context.Context, q querier, merchantID int64, ids []int64, f HistoryFilter) ([]Entry, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// Without a date range only the newest postings can matter: a
	// transaction among the newest "limit" has, on each account and in each
	// direction, at most one posting and fewer than 2×limit newer ones.
	var moves *int
	if f.From.IsZero() && f.To.IsZero() {
		n := 2 * f.Limit * len(ids)
		moves = &n
	}
	rows, err := q.Query(ctx, `
        WITH moves AS (
            (SELECT p.tx_id, p.unit, p.amount AS d FROM ledger_postings p
             WHERE p.merchant_id = $1 AND p.to_account = ANY ($2::bigint[]) AND ($5 = 0 OR p.tx_id < $5)
             ORDER BY p.tx_id DESC LIMIT $7)
            UNION ALL
            (SELECT p.tx_id, p.unit, -p.amount FROM ledger_postings p
             WHERE p.merchant_id = $1 AND p.from_account = ANY ($2::bigint[]) AND ($5 = 0 OR p.tx_id < $5)
             ORDER BY p.tx_id DESC LIMIT $7)
        ), per AS (
            SELECT tx_id, unit, sum(d)::bigint AS delta FROM moves GROUP BY 1, 2
        )
        SELECT `+txColumns+`, per.unit, per.delta
        FROM per JOIN ledger_transactions t ON t.merchant_id = $1 AND t.id = per.tx_id
        WHERE ($3::timestamptz IS NULL OR t.created_at >= $3)
        AND ($4::timestamptz IS NULL OR t.created_at < $4)
        ORDER BY t.id DESC, per.unit LIMIT $6`,
		merchantID, ids, nullTime(f.From), nullTime(f.To), f.BeforeID, f.Limit, moves)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var unit int16
		var err error
		if e.Tx, err = scanTx(rows, &unit, &e.Delta); err != nil {
			return nil, err
		}
		e.Unit = ledger.Unit(unit)
		out = append(out, e)
	}
	return out, interpretError(rows.Err())
}

// History lists the transactions that touched the holder's accounts, newest
// first, each with the holder's net change, narrowed by f.
func (s *Store) History(ctx context.Context, merchantID int64, owner ledger.Owner, f HistoryFilter) ([]Entry, error) {
	return s.history(ctx, s.pool, merchantID, owner, f)
}

// TxByID returns one transaction of the merchant (with ReversedByID), or ErrNotFound.
func (s *Store) TxByID(ctx context.Context, merchantID, txID int64) (Tx, error) {
	return s.txByID(ctx, s.pool, merchantID, txID)
}
