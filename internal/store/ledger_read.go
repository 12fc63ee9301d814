package store

import (
	"bytes"
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// txColumns is what scanTx reads, from ledger_transactions aliased t.
const txColumns = `t.id, t.type, coalesce(t.code, ''), coalesce(t.idem_scope, ''), coalesce(t.idem_key, ''),
    t.fingerprint, t.title, t.description, coalesce(t.external_entity_id, ''), coalesce(t.store_id, 0),
    coalesce(t.collaborator_id, 0), coalesce(t.amount, 0), coalesce(t.reverses_tx_id, 0), t.data, t.created_at,
    coalesce((SELECT r.id FROM ledger_transactions r WHERE r.merchant_id = t.merchant_id AND r.reverses_tx_id = t.id), 0)`

// scanTx reads txColumns, then any extra columns into extra.
func scanTx(row pgx.Row, extra ...any) (Tx, error) {
	var t Tx
	var data []byte
	var purchase int64
	err := row.Scan(append([]any{&t.ID, &t.Type, &t.Code, &t.IdemScope, &t.IdemKey, &t.Fingerprint, &t.Title, &t.Description,
		&t.ExternalEntityID, &t.StoreID, &t.CollaboratorID, &purchase, &t.ReversesTxID, &data, &t.CreatedAt, &t.ReversedByID}, extra...)...)
	if err != nil {
		return Tx{}, interpretError(err)
	}
	t.Purchase = ledger.Amount(purchase)
	if data != nil {
		t.Data = data
	}
	return t, nil
}

// txByIdem returns the transaction recorded under a natural idempotency key,
// or ErrNotFound. It takes no lock: a caller that must not race a concurrent
// first request simply posts with the key and gets Posted.Replayed.
func (s *Store) txByIdem(ctx context.Context, q querier, merchantID int64, scope, key string) (Tx, error) {
	return scanTx(q.QueryRow(ctx, `SELECT `+txColumns+` FROM ledger_transactions t
        WHERE t.merchant_id = $1 AND t.idem_scope = $2 AND t.idem_key = $3`, merchantID, scope, key))
}

// txByID returns one transaction of the merchant, or ErrNotFound.
func (s *Store) txByID(ctx context.Context, q querier, merchantID, txID int64) (Tx, error) {
	return scanTx(q.QueryRow(ctx, `SELECT `+txColumns+` FROM ledger_transactions t
        WHERE t.merchant_id = $1 AND t.id = $2`, merchantID, txID))
}

// TxByIdem returns the transaction recorded under a natural idempotency key
// (scope, key) of the merchant, or ErrNotFound.
func (s *Store) TxByIdem(ctx context.Context, merchantID int64, scope, key string) (Tx, error) {
	return s.txByIdem(ctx, s.pool, merchantID, scope, key)
}

// TxPostings returns a transaction's postings in order, with their accounts'
// keys, or ErrNotFound if the merchant has no such transaction.
func (s *Store) TxPostings(ctx context.Context, merchantID, txID int64) ([]ledger.Posting, error) {
	ps, _, err := loadPostings(ctx, s.pool, merchantID, txID)
	if err == nil && len(ps) == 0 {
		err = ErrNotFound
	}
	return ps, err
}

// postingsSQL reads a transaction's postings ($1 merchant, $2 transaction)
// with their account keys; scanPostings reads its rows.
const postingsSQL = `
        SELECT p.amount, p.unit,
            f.owner_kind, f.owner_id, coalesce(f.batch_id, 0), f.expires_at,
            t.owner_kind, t.owner_id, coalesce(t.batch_id, 0), t.expires_at
        FROM ledger_postings p
        JOIN ledger_accounts f ON f.merchant_id = p.merchant_id AND f.id = p.from_account
        JOIN ledger_accounts t ON t.merchant_id = p.merchant_id AND t.id = p.to_account
        WHERE p.merchant_id = $1 AND p.tx_id = $2 ORDER BY p.n`

// loadPostings reads a transaction's postings with their account keys, and
// the expiry of every batch account they touch.
func loadPostings(ctx context.Context, q querier, merchantID, txID int64) ([]ledger.Posting, map[ledger.AccountKey]time.Time, error) {
	rows, err := q.Query(ctx, postingsSQL, merchantID, txID)
	if err != nil {
		return nil, nil, interpretError(err)
	}
	return scanPostings(rows)
}

// scanPostings reads postingsSQL's rows and closes them.
func scanPostings(rows pgx.Rows) ([]ledger.Posting, map[ledger.AccountKey]time.Time, error) {
	defer rows.Close()
	var ps []ledger.Posting
	expires := map[ledger.AccountKey]time.Time{}
	for rows.Next() {
		var p ledger.Posting
		var unit int16
		var fk, tk string
		var fe, te *time.Time
		if err := rows.Scan(&p.Amount, &unit, &fk, &p.From.Owner.ID, &p.From.BatchID, &fe,
			&tk, &p.To.Owner.ID, &p.To.BatchID, &te); err != nil {
			return nil, nil, interpretError(err)
		}
		p.From.Owner.Kind, p.To.Owner.Kind = ledger.OwnerKind(fk), ledger.OwnerKind(tk)
		p.From.Unit, p.To.Unit = ledger.Unit(unit), ledger.Unit(unit)
		if fe != nil {
			expires[p.From] = *fe
		}
		if te != nil {
			expires[p.To] = *te
		}
		ps = append(ps, p)
	}
	return ps, expires, interpretError(rows.Err())
}

// replayOf builds the Posted answer for an existing transaction found by its
// natural key: its postings and holder's current balance, plus
// ErrIdemMismatch when fingerprint is set and differs from the stored one.
func (s *Store) replayOf(ctx context.Context, q querier, merchantID int64, tx Tx, fingerprint []byte, holder ledger.Owner) (Posted, error) {
	ps, _, err := loadPostings(ctx, q, merchantID, tx.ID)
	if err != nil {
		return Posted{}, err
	}
	out := Posted{Tx: tx, Postings: ps, Replayed: true}
	if len(ps) > 0 {
		out.Unit = ps[0].From.Unit
		if out.Balance, err = s.balance(ctx, q, merchantID, holder, out.Unit); err != nil {
			return Posted{}, err
		}
	}
	if fingerprint != nil && !bytes.Equal(fingerprint, tx.Fingerprint) {
		return out, ErrIdemMismatch
	}
	return out, nil
}

// balance returns the holder's available balance in unit as of the store
// clock: the sum of its accounts whose batch has not expired (ledger
// invariant 6: expired points never show, even before the expiry job ran).
// It takes no lock; a holder with no account has 0.
func (s *Store) balance(ctx context.Context, q querier, merchantID int64, owner ledger.Owner, unit ledger.Unit) (ledger.Amount, error) {
	var sum int64
	err := q.QueryRow(ctx, `SELECT coalesce(sum(balance), 0)::bigint FROM ledger_accounts
        WHERE merchant_id = $1 AND owner_kind = $2 AND owner_id = $3 AND unit = $4
        AND (expires_at IS NULL OR expires_at > $5)`,
		merchantID, string(owner.Kind), owner.ID, int16(unit), s.clock.Now()).Scan(&sum)
	return ledger.Amount(sum), interpretError(err)
}

// Balance returns the holder's available balance in unit as of the store
// clock (expired batches excluded); 0 for a holder without accounts.
func (s *Store) Balance(ctx context.Context, merchantID int64, owner ledger.Owner, unit ledger.Unit) (ledger.Amount, error) {
	return s.balance(ctx, s.pool, merchantID, owner, unit)
}

// accountsSQL reads a holder's accounts ($1 merchant, $2 owner kind, $3
// owner id, $4 unit or 0) in FIFO order per unit, each with its batch.
const accountsSQL = `
        SELECT a.id, a.unit, coalesce(a.batch_id, 0), a.expires_at, a.balance,
            b.set_name, b.start_date, b.end_date
        FROM ledger_accounts a
        LEFT JOIN ledger_batches b ON b.merchant_id = a.merchant_id AND b.id = a.batch_id
        WHERE a.merchant_id = $1 AND a.owner_kind = $2 AND a.owner_id = $3 AND ($4 = 0 OR a.unit = $4)
        ORDER BY a.unit, a.expires_at NULLS LAST, a.batch_id NULLS LAST`

// accounts returns the holder's accounts in unit (every unit when unit is 0),
// expired ones included, in FIFO order per unit (the order debits consume
// them), each with its batch. It takes no lock.
func (s *Store) accounts(ctx context.Context, q querier, merchantID int64, owner ledger.Owner, unit ledger.Unit) ([]AccountView, error) {
	rows, err := q.Query(ctx, accountsSQL, merchantID, string(owner.Kind), owner.ID, int16(unit))
	if err != nil {
		return nil, interpretError(err)
	}
	return scanAccounts(rows, owner)
}

// scanAccounts reads the rows of accountsSQL and closes them.
func scanAccounts(rows pgx.Rows, owner ledger.Owner) ([]AccountView, error) {
	defer rows.Close()
	var out []AccountView
	for rows.Next() {
		var v AccountView
		var u int16
		var exp, start, end *time.Time
		var setName *string
		if err := rows.Scan(&v.ID, &u, &v.Key.BatchID, &exp, &v.Balance, &setName, &start, &end); err != nil {
			return nil, interpretError(err)
		}
		v.Key.Owner, v.Key.Unit = owner, ledger.Unit(u)
		if exp != nil {
			v.ExpiresAt = *exp
			v.Batch = &ledger.Batch{ID: v.Key.BatchID, SetName: *setName, ExpiresAt: *exp}
			if start != nil {
				v.Batch.StartDate = *start
			}
			if end != nil {
				v.Batch.EndDate = *end
			}
		}
		out = append(out, v)
	}
	return out, interpretError(rows.Err())
}

// Accounts lists the holder's accounts in unit (0 = every unit), expired
// batches included (check Account.Expired against Store.Now), soonest expiry
// first, the non-expiring account last. Seed 003's customer totals are these.
func (s *Store) Accounts(ctx context.Context, merchantID int64, owner ledger.Owner, unit ledger.Unit) ([]AccountView, error) {
	return s.accounts(ctx, s.pool, merchantID, owner, unit)
}

// Batches lists the holder's batch accounts in unit (0 = every unit) that
// have not expired as of the store clock, soonest expiry first: the answer of
// GET /api/batch/expiration. Empty batch accounts are left out.
func (s *Store) Batches(ctx context.Context, merchantID int64, owner ledger.Owner, unit ledger.Unit) ([]AccountView, error) {
	all, err := s.accounts(ctx, s.pool, merchantID, owner, unit)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var out []AccountView
	for _, a := range all {
		if a.Batch != nil && !a.Expired(now) && a.Balance != 0 {
			out = append(out, a)
		}
	}
	return out, nil
}
