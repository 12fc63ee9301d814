package store

import (
	"context"
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

// MerchantZone is the merchant's time zone, for formatting its times.
func (s *Store) MerchantZone(ctx context.Context, merchantID int64) (*time.Location, error) {
	return s.merchantZone(ctx, s.pool, merchantID)
}

// MaxHistoryDepth bounds how far back history pages reach (page × per_page).
const MaxHistoryDepth = 10_000

// CustomerHistory is a page of the customer's transactions, newest first
// (page from 1). ErrNotFound for an unknown customer.
func (s *Store) CustomerHistory(ctx context.Context, merchantID int64, externalID string, page, perPage int) ([]APITx, error) {
	// One connection for the whole read: on a busy pool, taking one per
	// statement queued the request once per statement.
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, interpretError(err)
	}
	defer conn.Release()
	id, accounts, err := customerAccounts(ctx, conn, merchantID, externalID, 0)
	if err != nil {
		return nil, err
	}
	entries, err := accountsHistory(ctx, conn, merchantID, accounts, HistoryFilter{Limit: page * perPage})
	if err != nil {
		return nil, err
	}
	skip := (page - 1) * perPage
	if skip >= len(entries) {
		return []APITx{}, nil
	}
	return s.entryViews(ctx, conn, merchantID, id, entries[skip:])
}

// CustomerTransactions lists the customer's transactions in unit created on
// the local days from..to (inclusive), of txType when it is not "", newest
// first, at most 1000. ErrNotFound for an unknown customer.
func (s *Store) CustomerTransactions(ctx context.Context, merchantID int64, externalID string, unit ledger.Unit, txType string, from, to time.Time) ([]APITx, error) {
	conn, err := s.pool.Acquire(ctx) // one for the whole read, as in CustomerHistory
	if err != nil {
		return nil, interpretError(err)
	}
	defer conn.Release()
	id, accounts, err := customerAccounts(ctx, conn, merchantID, externalID, unit)
	if err != nil {
		return nil, err
	}
	loc, err := s.merchantZone(ctx, conn, merchantID)
	if err != nil {
		return nil, err
	}
	f := HistoryFilter{Unit: unit, Limit: 1000,
		From: time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc),
		To:   time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)}
	entries, err := accountsHistory(ctx, conn, merchantID, accounts, f)
	if err != nil {
		return nil, err
	}
	kept := entries[:0]
	for _, e := range entries {
		if txType == "" || e.Tx.Type == txType {
			kept = append(kept, e)
		}
	}
	return s.entryViews(ctx, conn, merchantID, id, kept)
}

// entryViews renders history entries of one customer: its totals and every
// store the entries name, read in one round trip.
func (s *Store) entryViews(ctx context.Context, q querier, merchantID, customerID int64, entries []Entry) ([]APITx, error) {
	loc, err := s.merchantZone(ctx, q, merchantID)
	if err != nil {
		return nil, err
	}
	var storeIDs []int64
	seen := map[int64]bool{}
	for _, e := range entries {
		if id := e.Tx.StoreID; id != 0 && !seen[id] {
			seen[id] = true
			storeIDs = append(storeIDs, id)
		}
	}
	cust, stores, err := s.customerAndStores(ctx, q, merchantID, customerID, storeIDs)
	if err != nil {
		return nil, err
	}
	out := make([]APITx, 0, len(entries))
	for _, e := range entries {
		out = append(out, newAPITx(loc, e.Tx, e.Unit, e.Delta, cust, stores))
	}
	return out, nil
}

// TxByCode lists the merchant's transactions of (type, code): the original
// and, if reversed, its reversal, each seen from its customer. ErrNotFound
// when there is none.
func (s *Store) TxByCode(ctx context.Context, merchantID int64, txType, code string) ([]APITx, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT t.id, a.owner_id, p.unit, sum(CASE WHEN a.id = p.to_account THEN p.amount ELSE -p.amount END)::bigint
		FROM ledger_transactions t
		JOIN ledger_postings p ON p.merchant_id = t.merchant_id AND p.tx_id = t.id
		JOIN ledger_accounts a ON a.merchant_id = p.merchant_id AND a.id IN (p.from_account, p.to_account) AND a.owner_kind = 'customer'
		WHERE t.merchant_id = $1 AND t.type = $2 AND t.code = $3
		GROUP BY t.id, a.owner_id, p.unit ORDER BY t.id`, merchantID, txType, code)
	if err != nil {
		return nil, interpretError(err)
	}
	type hit struct {
		txID, customerID int64
		unit             int16
		delta            int64
	}
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.txID, &h.customerID, &h.unit, &h.delta); err != nil {
			rows.Close()
			return nil, interpretError(err)
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	if len(hits) == 0 {
		return nil, ErrNotFound
	}
	loc, err := s.merchantZone(ctx, s.pool, merchantID)
	if err != nil {
		return nil, err
	}
	out := make([]APITx, 0, len(hits))
	for _, h := range hits {
		tx, err := s.txByID(ctx, s.pool, merchantID, h.txID)
		if err != nil {
			return nil, err
		}
		v, err := s.apiTx(ctx, s.pool, merchantID, loc, tx, ledger.Unit(h.unit), ledger.Amount(h.delta), h.customerID)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// CustomerBatches lists the customer's batch accounts that have not
// expired, soonest expiry first (GET /api/batch/expiration). ErrNotFound
// for an unknown customer.
func (s *Store) CustomerBatches(ctx context.Context, merchantID int64, externalID string) ([]AccountView, error) {
	id, err := customerID(ctx, s.pool, merchantID, externalID)
	if err != nil {
		return nil, err
	}
	return s.Batches(ctx, merchantID, ledger.Owner{Kind: ledger.OwnerCustomer, ID: id}, 0)
}
