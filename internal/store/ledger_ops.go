package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// The ledger operations below come in two forms: unexported helpers taking
// the caller's pgx.Tx, for API store methods that write their own rows
// (outbox, checkbooks, ticket records) in the same transaction, and exported
// wrappers that run one operation in its own transaction (retrying
// serialization failures and deadlocks). After a helper returns an error the
// caller's transaction must be rolled back (return the error from inTx).
//
// Errors shared by all posting operations:
//   - ledger.ErrBadAmount (amount not positive), ledger.ErrUnknownUnit;
//   - ledger.ErrInsufficientFunds (a debit larger than the available balance);
//   - ErrIdemMismatch (natural key reused with other content; Posted holds the original);
//   - on a natural-key repeat with the same content: no error, Posted.Replayed.

// earn credits amount to the holder from the merchant's SystemIssued
// account, into the batch spec names (found or created; nil = the holder's
// non-expiring account). It locks only the holder's credited account row.
// One statement, batch included. Extra errors: ledger.ErrExpired
// and ledger.ErrBadBatch for a bad batch, ledger.ErrSystemOwner.
func (s *Store) earn(ctx context.Context, tx pgx.Tx, merchantID int64, info TxInfo, to ledger.Owner, unit ledger.Unit, amount ledger.Amount, batch *BatchSpec) (Posted, error) {
	return s.credit(ctx, tx, merchantID, info, ledger.SystemIssued, to, unit, amount, batch)
}

// spend debits amount from the holder's accounts FIFO (batches expiring
// first, then the non-expiring account; expired batches are never spent)
// to the merchant's SystemRedeemed account. Two round trips: the holder's
// accounts in the unit are locked FOR UPDATE in id order (and the natural key
// looked up), then one write statement.
func (s *Store) spend(ctx context.Context, tx pgx.Tx, merchantID int64, info TxInfo, from ledger.Owner, unit ledger.Unit, amount ledger.Amount) (Posted, error) {
	return s.debit(ctx, tx, merchantID, info, from, unit, amount, ledger.SystemRedeemed)
}

// adjust moves the holder's balance by delta against the merchant's
// SystemAdjustment account: a positive delta is credited (into batch, if
// given), a negative one debited FIFO like spend, with spend's locks and
// errors. A zero delta is ledger.ErrBadAmount.
func (s *Store) adjust(ctx context.Context, tx pgx.Tx, merchantID int64, info TxInfo, owner ledger.Owner, unit ledger.Unit, delta ledger.Amount, batch *BatchSpec) (Posted, error) {
	if delta < 0 {
		return s.debit(ctx, tx, merchantID, info, owner, unit, -delta, ledger.SystemAdjustment)
	}
	return s.credit(ctx, tx, merchantID, info, ledger.SystemAdjustment, owner, unit, delta, batch)
}

// credit moves amount from a system account to a holder (optionally into a batch).
func (s *Store) credit(ctx context.Context, q querier, merchantID int64, info TxInfo, source int64, to ledger.Owner, unit ledger.Unit, amount ledger.Amount, batch *BatchSpec) (Posted, error) {
	if err := checkHolder(to, unit, amount); err != nil {
		return Posted{}, err
	}
	dest := ledger.AccountKey{Owner: to, Unit: unit}
	p := plan{info: info, holder: to, unit: unit}
	if batch != nil {
		b := ledger.Batch{SetName: batch.SetName, StartDate: batch.StartDate, EndDate: batch.EndDate, ExpiresAt: batch.ExpiresAt}
		if err := b.Validate(s.clock.Now()); err != nil {
			return Posted{}, err
		}
		dest.BatchID = pendingBatch
		p.batch = batch
		p.expires = map[ledger.AccountKey]time.Time{dest: batch.ExpiresAt}
	}
	p.postings = ledger.Credit(ledger.SystemAccount(source, unit), dest, amount)
	return s.post(ctx, q, merchantID, p)
}

// debit moves amount from a holder's accounts, FIFO, to a system account.
func (s *Store) debit(ctx context.Context, q querier, merchantID int64, info TxInfo, from ledger.Owner, unit ledger.Unit, amount ledger.Amount, sink int64) (Posted, error) {
	if err := checkHolder(from, unit, amount); err != nil {
		return Posted{}, err
	}
	accounts, orig, err := s.lockHolders(ctx, q, merchantID, unit, info, from)
	if err != nil || orig != nil {
		if orig != nil {
			return s.replayOf(ctx, q, merchantID, *orig, info.Fingerprint, from)
		}
		return Posted{}, err
	}
	postings, err := ledger.Spend(accounts[from], amount, s.clock.Now(), ledger.SystemAccount(sink, unit))
	if err != nil {
		return Posted{}, err
	}
	return s.post(ctx, q, merchantID, plan{info: info, postings: postings, expires: expiries(accounts[from]), holder: from, unit: unit})
}

// checkHolder refuses what no posting operation on a holder accepts.
func checkHolder(o ledger.Owner, unit ledger.Unit, amount ledger.Amount) error {
	switch {
	case o.IsSystem():
		return ledger.ErrSystemOwner
	case !unit.Valid():
		return ledger.ErrUnknownUnit
	case !amount.Positive() || amount > ledger.MaxAmount:
		return ledger.ErrBadAmount
	}
	return nil
}

// lockHolders locks every account of the given holders in unit FOR UPDATE in
// account-id order (one order for everyone, so that two transfers in opposite
// directions cannot deadlock) and, in the same round trip, looks up the
// natural key of info; a found transaction is returned instead of accounts.
func (s *Store) lockHolders(ctx context.Context, q querier, merchantID int64, unit ledger.Unit, info TxInfo, owners ...ledger.Owner) (map[ledger.Owner][]ledger.Account, *Tx, error) {
	kinds := make([]string, len(owners))
	ids := make([]int64, len(owners))
	for i, o := range owners {
		kinds[i], ids[i] = string(o.Kind), o.ID
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT a.id, a.owner_kind, a.owner_id, coalesce(a.batch_id, 0), a.expires_at, a.balance
        FROM ledger_accounts a
        WHERE a.merchant_id = $1 AND a.unit = $2
        AND (a.owner_kind, a.owner_id) IN (SELECT * FROM unnest($3::text[], $4::bigint[]))
        ORDER BY a.id FOR UPDATE`, merchantID, int16(unit), kinds, ids)
	if info.IdemKey != "" {
		b.Queue(`SELECT `+txColumns+` FROM ledger_transactions t
            WHERE t.merchant_id = $1 AND t.idem_scope = $2 AND t.idem_key = $3`, merchantID, info.IdemScope, info.IdemKey)
	}
	br := q.SendBatch(ctx, b)
	defer br.Close()
	rows, err := br.Query()
	if err != nil {
		return nil, nil, interpretError(err)
	}
	out := map[ledger.Owner][]ledger.Account{}
	for rows.Next() {
		var a ledger.Account
		var kind string
		var exp *time.Time
		if err := rows.Scan(&a.ID, &kind, &a.Key.Owner.ID, &a.Key.BatchID, &exp, &a.Balance); err != nil {
			rows.Close()
			return nil, nil, interpretError(err)
		}
		a.Key.Owner.Kind, a.Key.Unit = ledger.OwnerKind(kind), unit
		if exp != nil {
			a.ExpiresAt = *exp
		}
		out[a.Key.Owner] = append(out[a.Key.Owner], a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, interpretError(err)
	}
	if info.IdemKey != "" {
		tx, err := scanTx(br.QueryRow())
		if err == nil {
			return nil, &tx, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, nil, err
		}
	}
	return out, nil, nil
}

// expiries maps the batch accounts among accounts to their expiry.
func expiries(accounts []ledger.Account) map[ledger.AccountKey]time.Time {
	m := map[ledger.AccountKey]time.Time{}
	for _, a := range accounts {
		if a.Key.BatchID != 0 {
			m[a.Key] = a.ExpiresAt
		}
	}
	return m
}

// Earn runs earn in its own transaction: amount credited to the holder
// (into batch if given) from SystemIssued. See earn for locks and errors.
func (s *Store) Earn(ctx context.Context, merchantID int64, info TxInfo, to ledger.Owner, unit ledger.Unit, amount ledger.Amount, batch *BatchSpec) (Posted, error) {
	var out Posted
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.earn(ctx, tx, merchantID, info, to, unit, amount, batch)
		return err
	})
	return out, err
}

// Spend runs spend in its own transaction: amount debited FIFO from the
// holder to SystemRedeemed. See spend for locks and errors.
func (s *Store) Spend(ctx context.Context, merchantID int64, info TxInfo, from ledger.Owner, unit ledger.Unit, amount ledger.Amount) (Posted, error) {
	var out Posted
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.spend(ctx, tx, merchantID, info, from, unit, amount)
		return err
	})
	return out, err
}

// Adjust runs adjust in its own transaction: the holder's balance moved by
// delta against SystemAdjustment. See adjust for locks and errors.
func (s *Store) Adjust(ctx context.Context, merchantID int64, info TxInfo, owner ledger.Owner, unit ledger.Unit, delta ledger.Amount, batch *BatchSpec) (Posted, error) {
	var out Posted
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.adjust(ctx, tx, merchantID, info, owner, unit, delta, batch)
		return err
	})
	return out, err
}
