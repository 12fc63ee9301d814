package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// APITx is a ledger transaction as the JSON API shows it: seen from one
// customer, with that customer's totals and the transaction's store.
type APITx struct {
	Tx    Tx
	Unit  ledger.Unit
	Delta ledger.Amount // the customer's change: > 0 CREDIT, < 0 DEBIT
	// CreatedAt is "YYYY-MM-DD HH:MM:SS" in the merchant's time zone.
	CreatedAt string
	Customer  CustomerView
	Store     *StoreView
}

// CustomerView is a customer with its totals: its accounts that have not
// expired, soonest expiry first, the non-expiring account last.
type CustomerView struct {
	ID               int64
	ExternalID, Name string
	Totals           []AccountView
}

// StoreView is a store as the JSON API shows it.
type StoreView struct {
	ID               int64
	ExternalID, Name string
}

// LocalTime formats t in loc the way the JSON API prints times.
func LocalTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateTime)
}

// customerView loads a customer with its totals as of the store clock.
func (s *Store) customerView(ctx context.Context, q querier, merchantID, id int64) (CustomerView, error) {
	v := CustomerView{ID: id}
	owner := ledger.Owner{Kind: ledger.OwnerCustomer, ID: id}
	// The customer and its accounts in one round trip.
	b := &pgx.Batch{}
	b.Queue(`SELECT external_id, name FROM customers WHERE merchant_id = $1 AND id = $2`, merchantID, id)
	b.Queue(accountsSQL, merchantID, string(owner.Kind), owner.ID, int16(0))
	br := q.SendBatch(ctx, b)
	defer br.Close()
	if err := br.QueryRow().Scan(&v.ExternalID, &v.Name); err != nil {
		return v, interpretError(err)
	}
	rows, err := br.Query()
	if err != nil {
		return v, interpretError(err)
	}
	all, err := scanAccounts(rows, owner)
	if err != nil {
		return v, err
	}
	if err := br.Close(); err != nil {
		return v, interpretError(err)
	}
	now := s.clock.Now()
	v.Totals = []AccountView{}
	for _, a := range all {
		if !a.Expired(now) {
			v.Totals = append(v.Totals, a)
		}
	}
	return v, nil
}

// storeView loads one of the merchant's stores.
func storeView(ctx context.Context, q querier, merchantID, id int64) (StoreView, error) {
	v := StoreView{ID: id}
	err := q.QueryRow(ctx, `SELECT coalesce(external_id, ''), name FROM stores WHERE merchant_id = $1 AND id = $2`, merchantID, id).
		Scan(&v.ExternalID, &v.Name)
	return v, interpretError(err)
}

// apiTx builds the view of tx from customerID's side.
func (s *Store) apiTx(ctx context.Context, q querier, merchantID int64, loc *time.Location, tx Tx, unit ledger.Unit, delta ledger.Amount, customerID int64) (APITx, error) {
	out := APITx{Tx: tx, Unit: unit, Delta: delta, CreatedAt: LocalTime(tx.CreatedAt, loc)}
	var err error
	if out.Customer, err = s.customerView(ctx, q, merchantID, customerID); err != nil {
		return out, err
	}
	if tx.StoreID != 0 {
		st, err := storeView(ctx, q, merchantID, tx.StoreID)
		if err != nil {
			return out, err
		}
		out.Store = &st
	}
	return out, nil
}

// customerDelta is the customer's net change in postings, and their unit.
func customerDelta(postings []ledger.Posting, customerID int64) (ledger.Unit, ledger.Amount) {
	var unit ledger.Unit
	var d ledger.Amount
	for _, p := range postings {
		unit = p.From.Unit
		if p.To.Owner.Kind == ledger.OwnerCustomer && p.To.Owner.ID == customerID {
			d += p.Amount
		}
		if p.From.Owner.Kind == ledger.OwnerCustomer && p.From.Owner.ID == customerID {
			d -= p.Amount
		}
	}
	return unit, d
}

// viewPosted is the view of a posting operation's result.
func (s *Store) viewPosted(ctx context.Context, q querier, merchantID int64, loc *time.Location, p Posted, customerID int64) (APITx, error) {
	unit, d := customerDelta(p.Postings, customerID)
	return s.apiTx(ctx, q, merchantID, loc, p.Tx, unit, d, customerID)
}
