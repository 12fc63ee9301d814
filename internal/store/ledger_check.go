package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// CheckLedger verifies the merchant's ledger in one snapshot (ledger
// invariant 1 and the no-negative rule): per unit the postings sum to zero
// counted through the accounts they name (a posting whose account is missing
// or of another unit makes its unit unbalanced), every posting's transaction
// exists, every holder account's stored balance equals its postings, and no
// holder account is negative unless the merchant allows negatives on
// reversals. It reads every posting of the merchant: an operator's tool, not
// a request path. ErrNotFound for an unknown merchant.
func (s *Store) CheckLedger(ctx context.Context, merchantID int64) (ledger.CheckReport, error) {
	var report ledger.CheckReport
	err := s.inTxOpts(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var allowNegative bool
		if err := tx.QueryRow(ctx, `SELECT allow_negative_on_reversal FROM merchants WHERE id = $1`, merchantID).Scan(&allowNegative); err != nil {
			return interpretError(err)
		}
		rows, err := tx.Query(ctx, `
            WITH moves AS (
                SELECT to_account AS account, unit, sum(amount) AS delta FROM ledger_postings
                WHERE merchant_id = $1 GROUP BY 1, 2
                UNION ALL
                SELECT from_account, unit, -sum(amount) FROM ledger_postings
                WHERE merchant_id = $1 GROUP BY 1, 2
            ), derived AS (
                SELECT account, unit, sum(delta)::bigint AS derived FROM moves GROUP BY 1, 2
            )
            SELECT coalesce(a.id, 0), coalesce(a.owner_kind, ''), d.unit, coalesce(a.balance, 0), d.derived
            FROM derived d
            LEFT JOIN ledger_accounts a ON a.merchant_id = $1 AND a.id = d.account AND a.unit = d.unit
            UNION ALL
            SELECT a.id, a.owner_kind, a.unit, a.balance, 0
            FROM ledger_accounts a
            WHERE a.merchant_id = $1 AND NOT EXISTS (
                SELECT 1 FROM ledger_postings p WHERE p.merchant_id = $1 AND p.to_account = a.id)
            AND NOT EXISTS (
                SELECT 1 FROM ledger_postings p WHERE p.merchant_id = $1 AND p.from_account = a.id)`, merchantID)
		if err != nil {
			return interpretError(err)
		}
		defer rows.Close()
		sums := map[ledger.Unit]ledger.Amount{}
		materialised, derived := map[int64]ledger.Amount{}, map[int64]ledger.Amount{}
		for rows.Next() {
			var id, balance, d int64
			var kind string
			var unit int16
			if err := rows.Scan(&id, &kind, &unit, &balance, &d); err != nil {
				return interpretError(err)
			}
			if id == 0 {
				// Postings naming an account that does not exist in their unit:
				// they count nowhere, which unbalances the unit.
				continue
			}
			sums[ledger.Unit(unit)] += ledger.Amount(d)
			if ledger.OwnerKind(kind) != ledger.OwnerSystem {
				materialised[id] = ledger.Amount(balance)
				derived[id] = ledger.Amount(d)
			}
		}
		if err := rows.Err(); err != nil {
			return interpretError(err)
		}
		missing, err := missingTransactions(ctx, tx, merchantID)
		if err != nil {
			return err
		}
		report = ledger.Conserves(sums, materialised, derived, missing, allowNegative)
		return nil
	})
	return report, err
}

// missingTransactions lists the transaction ids that the merchant's
// postings name and its ledger does not hold (ledger.Conserves orders them). No foreign key
// guards this (migration 0012): the store writes a posting in the statement
// that writes its transaction, and transactions are never deleted.
func missingTransactions(ctx context.Context, tx pgx.Tx, merchantID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `
        SELECT DISTINCT p.tx_id FROM ledger_postings p
        WHERE p.merchant_id = $1 AND NOT EXISTS (
            SELECT 1 FROM ledger_transactions t WHERE t.merchant_id = $1 AND t.id = p.tx_id)`, merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, interpretError(err)
}
