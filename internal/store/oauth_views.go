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

// customerAndStores loads a customer with its totals as of the store clock
// and the stores storeIDs name, in one round trip: a write's answer and a
// history page show both. ErrNotFound if the customer or a store is missing.
func (s *Store) customerAndStores(ctx context.Context, q querier, merchantID, id int64, storeIDs []int64) (CustomerView, map[int64]*StoreView, error) {
	r := s.newCustomerRead(merchantID, id, storeIDs)
	b := &pgx.Batch{}
	r.queue(b)
	br := q.SendBatch(ctx, b)
	defer br.Close()
	if err := r.read(br); err != nil {
		return r.customer, nil, err
	}
	if err := br.Close(); err != nil {
		return r.customer, nil, interpretError(err)
	}
	return r.customer, r.stores, nil
}

// customerRead is customerAndStores split in two, so that a write can queue
// the reads of its answer on the batch of its last statements
// (afterPosting): queue adds them to a batch, read scans their results.
type customerRead struct {
	merchantID, id int64
	storeIDs       []int64
	now            time.Time // accounts expired by then are left out
	customer       CustomerView
	stores         map[int64]*StoreView
}

func (s *Store) newCustomerRead(merchantID, id int64, storeIDs []int64) *customerRead {
	return &customerRead{merchantID: merchantID, id: id, storeIDs: storeIDs, now: s.clock.Now()}
}

// storesSQL reads the merchant's stores among $2.
const storesSQL = `SELECT id, coalesce(external_id, ''), name FROM stores WHERE merchant_id = $1 AND id = ANY ($2)`

func (r *customerRead) queue(b *pgx.Batch) {
	b.Queue(`SELECT external_id, name FROM customers WHERE merchant_id = $1 AND id = $2`, r.merchantID, r.id)
	b.Queue(accountsSQL, r.merchantID, string(ledger.OwnerCustomer), r.id, int16(0))
	if len(r.storeIDs) > 0 {
		b.Queue(storesSQL, r.merchantID, r.storeIDs)
	}
}

// read scans the results of queue, the next ones of br.
func (r *customerRead) read(br pgx.BatchResults) error {
	r.customer = CustomerView{ID: r.id, Totals: []AccountView{}}
	if err := br.QueryRow().Scan(&r.customer.ExternalID, &r.customer.Name); err != nil {
		return interpretError(err)
	}
	rows, err := br.Query()
	if err != nil {
		return interpretError(err)
	}
	all, err := scanAccounts(rows, ledger.Owner{Kind: ledger.OwnerCustomer, ID: r.id})
	if err != nil {
		return err
	}
	for _, a := range all {
		if !a.Expired(r.now) {
			r.customer.Totals = append(r.customer.Totals, a)
		}
	}
	r.stores, err = scanStores(br, r.storeIDs)
	return err
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
	cust, stores, err := s.customerAndStores(ctx, q, merchantID, customerID, txStores(tx))
	if err != nil {
		return APITx{}, err
	}
	return newAPITx(loc, tx, unit, delta, cust, stores), nil
}

// txStores is the store tx names, as customerAndStores takes it.
func txStores(tx Tx) []int64 {
	if tx.StoreID == 0 {
		return nil
	}
	return []int64{tx.StoreID}
}

func newAPITx(loc *time.Location, tx Tx, unit ledger.Unit, delta ledger.Amount, cust CustomerView, stores map[int64]*StoreView) APITx {
	return APITx{Tx: tx, Unit: unit, Delta: delta, CreatedAt: LocalTime(tx.CreatedAt, loc), Customer: cust, Store: stores[tx.StoreID]}
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

// postedView is viewPosted's answer once r, queued on a batch of the write
// (afterPosting) and read, holds the customer and the store.
func postedView(loc *time.Location, p Posted, r *customerRead) APITx {
	unit, d := customerDelta(p.Postings, r.id)
	return newAPITx(loc, p.Tx, unit, d, r.customer, r.stores)
}
