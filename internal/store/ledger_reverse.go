package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// reverse posts the mirror image of the merchant's transaction origTxID:
// every posting moved back between the same accounts (same batches), as a
// new transaction described by info that records what it reverses. Two
// round trips: one pgx batch locking the holder accounts the original
// touched (FOR UPDATE, id order) and reading the original, its postings and
// info's natural key; then one write. Once-only is enforced by a unique index on
// the reversed id, so two concurrent reversals cannot both commit.
// Points restored into a batch the expiry job already swept reopen it, and
// the next expiry run removes them again.
//
// Errors: ErrNotFound (no such transaction for this merchant),
// ledger.ErrReversalOfReversal, ledger.ErrAlreadyReversed, and
// ledger.ErrInsufficientFunds when a holder already spent what the reversal
// takes back and allowNegative (the merchant's setting) is off; plus the
// natural-key outcomes of every posting operation.
func (s *Store) reverse(ctx context.Context, tx pgx.Tx, merchantID int64, info TxInfo, origTxID int64, allowNegative bool) (Posted, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT a.owner_kind, a.owner_id, a.unit, coalesce(a.batch_id, 0), a.balance FROM ledger_accounts a
        WHERE a.merchant_id = $1 AND a.owner_kind <> 'system' AND a.id IN (
            SELECT from_account FROM ledger_postings WHERE merchant_id = $1 AND tx_id = $2
            UNION SELECT to_account FROM ledger_postings WHERE merchant_id = $1 AND tx_id = $2)
        ORDER BY a.id FOR UPDATE OF a`, merchantID, origTxID)
	b.Queue(`SELECT `+txColumns+` FROM ledger_transactions t WHERE t.merchant_id = $1 AND t.id = $2`, merchantID, origTxID)
	b.Queue(postingsSQL, merchantID, origTxID)
	if info.IdemKey != "" {
		b.Queue(`SELECT `+txColumns+` FROM ledger_transactions t
            WHERE t.merchant_id = $1 AND t.idem_scope = $2 AND t.idem_key = $3`, merchantID, info.IdemScope, info.IdemKey)
	}
	br := tx.SendBatch(ctx, b)
	balances := map[ledger.AccountKey]ledger.Amount{}
	rows, err := br.Query()
	if err == nil {
		for rows.Next() {
			var k ledger.AccountKey
			var kind string
			var unit int16
			var bal ledger.Amount
			if err = rows.Scan(&kind, &k.Owner.ID, &unit, &k.BatchID, &bal); err != nil {
				break
			}
			k.Owner.Kind, k.Unit = ledger.OwnerKind(kind), ledger.Unit(unit)
			balances[k] = bal
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		br.Close()
		return Posted{}, interpretError(err)
	}
	orig, origErr := scanTx(br.QueryRow())
	var postings []ledger.Posting
	var expires map[ledger.AccountKey]time.Time
	if rows, err = br.Query(); err == nil {
		postings, expires, err = scanPostings(rows)
	}
	if err != nil {
		br.Close()
		return Posted{}, interpretError(err)
	}
	var prior *Tx
	if info.IdemKey != "" {
		t, err := scanTx(br.QueryRow())
		if err != nil && !errors.Is(err, ErrNotFound) {
			br.Close()
			return Posted{}, err
		}
		if err == nil {
			prior = &t
		}
	}
	if err := br.Close(); err != nil {
		return Posted{}, interpretError(err)
	}
	if origErr != nil {
		return Posted{}, origErr
	}
	holder := holderOf(postings)
	if prior != nil {
		return s.replayOf(ctx, tx, merchantID, *prior, info.Fingerprint, holder)
	}
	if err := ledger.CheckReversible(ledger.TxInfo{IsReversal: orig.ReversesTxID != 0, ReversedBy: orig.ReversedByID}); err != nil {
		return Posted{}, err
	}
	mirror := ledger.Reverse(postings)
	if err := ledger.ReversalShortfall(mirror, balances, allowNegative); err != nil {
		return Posted{}, err
	}
	if len(mirror) == 0 {
		return Posted{}, ledger.ErrNoPostings
	}
	p, err := s.post(ctx, tx, merchantID, plan{info: info, reverses: origTxID, postings: mirror, expires: expires,
		allowNegative: allowNegative, holder: holder, unit: mirror[0].From.Unit})
	if err != nil {
		return Posted{}, err
	}
	return p, s.reopenBatches(ctx, tx, merchantID, mirror, expires)
}

// holderOf returns the first holder (non-system owner) the postings name.
func holderOf(postings []ledger.Posting) ledger.Owner {
	for _, p := range postings {
		for _, k := range []ledger.AccountKey{p.From, p.To} {
			if !k.Owner.IsSystem() {
				return k.Owner
			}
		}
	}
	return ledger.Owner{}
}

// reopenBatches clears swept_at of the expired batches the postings credit,
// so that the expiry job looks at them again. The write happens only when
// a reversal restores points into an expired batch, which is rare.
func (s *Store) reopenBatches(ctx context.Context, q querier, merchantID int64, postings []ledger.Posting, expires map[ledger.AccountKey]time.Time) error {
	now := s.clock.Now()
	var ids []int64
	for _, p := range postings {
		if exp, ok := expires[p.To]; ok && p.To.BatchID != 0 && !now.Before(exp) {
			ids = append(ids, p.To.BatchID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := q.Exec(ctx, `UPDATE ledger_batches SET swept_at = NULL
        WHERE merchant_id = $1 AND id = ANY($2) AND swept_at IS NOT NULL`, merchantID, ids)
	return interpretError(err)
}

// Reverse runs reverse in its own transaction, allowing negative balances
// as the merchant's allow_negative_on_reversal setting says. See reverse for
// locks and errors.
func (s *Store) Reverse(ctx context.Context, merchantID int64, info TxInfo, origTxID int64) (Posted, error) {
	var out Posted
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var allow bool
		if err := tx.QueryRow(ctx, `SELECT allow_negative_on_reversal FROM merchants WHERE id = $1`, merchantID).Scan(&allow); err != nil {
			return interpretError(err)
		}
		var err error
		out, err = s.reverse(ctx, tx, merchantID, info, origTxID, allow)
		return err
	})
	return out, err
}
