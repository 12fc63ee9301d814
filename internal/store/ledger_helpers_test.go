package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// t0 is the tests' starting time; the store clock is moved from here.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// ledgerBundle is a store on a fresh database with one merchant.
type ledgerBundle struct {
	t        *testing.T
	st       *store.Store
	clock    *ledger.FixedClock
	merchant int64
}

func newLedger(t *testing.T) *ledgerBundle {
	t.Helper()
	clock := ledger.NewFixedClock(t0)
	st := store.New(testdb.Pool(t), clock)
	b := &ledgerBundle{t: t, st: st, clock: clock}
	b.merchant = b.newMerchant("Tienda")
	return b
}

// newMerchant inserts a merchant row directly: the admin API is not this
// package's concern, and the insert trigger gives it its system accounts.
func (b *ledgerBundle) newMerchant(name string) int64 {
	b.t.Helper()
	var id int64
	if err := b.st.Pool().QueryRow(context.Background(), `INSERT INTO merchants (name) VALUES ($1) RETURNING id`, name).Scan(&id); err != nil {
		b.t.Fatal(err)
	}
	return id
}

func customer(id int64) ledger.Owner { return ledger.Owner{Kind: ledger.OwnerCustomer, ID: id} }

func sale(ty string) store.TxInfo { return store.TxInfo{Type: ty} }

func (b *ledgerBundle) earn(o ledger.Owner, amount ledger.Amount, batch *store.BatchSpec) store.Posted {
	b.t.Helper()
	p, err := b.st.Earn(context.Background(), b.merchant, sale("EARN"), o, ledger.Points, amount, batch)
	if err != nil {
		b.t.Fatalf("earn %v to %v: %v", amount, o, err)
	}
	return p
}

func (b *ledgerBundle) balance(o ledger.Owner) ledger.Amount {
	b.t.Helper()
	got, err := b.st.Balance(context.Background(), b.merchant, o, ledger.Points)
	if err != nil {
		b.t.Fatal(err)
	}
	return got
}

func (b *ledgerBundle) wantBalance(o ledger.Owner, want ledger.Amount) {
	b.t.Helper()
	if got := b.balance(o); got != want {
		b.t.Fatalf("balance of %v: got %v, want %v", o, got, want)
	}
}

// conserved fails the test unless the merchant's ledger check passes.
func (b *ledgerBundle) conserved() {
	b.t.Helper()
	r, err := b.st.CheckLedger(context.Background(), b.merchant)
	if err != nil {
		b.t.Fatal(err)
	}
	if !r.OK {
		b.t.Fatalf("ledger check failed: %+v", r)
	}
}

func expiring(at time.Time) *store.BatchSpec { return &store.BatchSpec{ExpiresAt: at} }
