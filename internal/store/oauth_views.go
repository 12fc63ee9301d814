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
	v, _, err := s.customerAndStores(ctx, q, merchantID, id, nil)
	return v, err
}

// storesSQL reads the merchant's stores among $2.
const storesSQL = `SELECT id, coalesce(external_id, ''), name FROM stores WHERE merchant_id = $1 AND id = ANY ($2)`

// customerAndStores loads a customer with its totals as of the store clock
// and the stores storeIDs name, in one round trip: a write's answer and a
// history page show both. ErrNotFound if the customer or a store is missing.
func (s *Store) customerAndStores(ctx context.Context, q querier, merchantID, id int64, storeIDs []int64) (CustomerView, map[int64]*StoreView, error) {
	v := CustomerView{ID: id}
	owner := ledger.Owner{Kind: ledger.OwnerCustomer, ID: id}
	b := &pgx.Batch{}
	b.Queue(`SELECT external_id, name FROM customers WHERE merchant_id = $1 AND id = $2`, merchantID, id)
	b.Queue(accountsSQL, merchantID, string(owner.Kind), owner.ID, int16(0))
	if len(storeIDs) > 0 {
		b.Queue(storesSQL, merchantID, storeIDs)
	}
	br := q.SendBatch(ctx, b)
	defer br.Close()
	if err := br.QueryRow().Scan(&v.ExternalID, &v.Name); err != nil {
		return v, nil, interpretError(err)
	}
	rows, err := br.Query()
	if err != nil {
		return v, nil, interpretError(err)
	}
	all, err := scanAccounts(rows, owner)
	if err != nil {
		return v, nil, err
	}
	stores, err := scanStores(br, storeIDs)
	if err != nil {
		return v, nil, err
	}
	if err := br.Close(); err != nil {
		return v, nil, interpretError(err)
	}
	now := s.clock.Now()
	v.Totals = []AccountView{}
	for _, a := range all {
		if !a.Expired(now) {
			v.Totals = append(v.Totals, a)
		}
	}
	return v, stores, nil
}

// scanStores reads storesSQL's answer from br when storeIDs is not empty.
func scanStores(br pgx.BatchResults, storeIDs []int64) (map[int64]*StoreView, error) {
	stores := map[int64]*StoreView{}
	if len(storeIDs) == 0 {
		return stores, nil
	}
	rows, err := br.Query()
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var st StoreView
		if err := rows.Scan(&st.ID, &st.ExternalID, &st.Name); err != nil {
			return nil, interpretError(err)
		}
		stores[st.ID] = &st
	}
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	for _, id := range storeIDs {
		if stores[id] == nil {
			return nil, ErrNotFound
		}
	}
	return stores, nil
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
	var storeIDs []int64
	if tx.StoreID != 0 {
		storeIDs = []int64{tx.StoreID}
	}
	cust, stores, err := s.customerAndStores(ctx, q, merchantID, customerID, storeIDs)
	if err != nil {
		return out, err
	}
	out.Customer, out.Store = cust, stores[tx.StoreID]
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
