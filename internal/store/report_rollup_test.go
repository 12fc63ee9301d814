package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// Concurrent transactions of new customers each bump the stores rollup twice
// (the pre-registration, then the points); both bumps must land on one shard
// row per transaction, or two transactions lock two shard rows in opposite
// orders and deadlock. All succeed and the report adds up.
func TestConcurrentNewCustomerTransactionsAllCommitAndAddUp(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Rollup")
	ctx := context.Background()
	const n = 40
	errs := concurrently(n, func(i int) error {
		_, err := s.PostAPITransaction(ctx, m.ID, store.APITransaction{
			Type: "POINTS ORDER", Code: fmt.Sprint("order-", i), Description: "compra", Total: 1000,
			Customer: store.CustomerRef{ExternalID: fmt.Sprint("cust-", i), Name: "Cliente"},
		})
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
	today := time.Now().In(m.Location())
	days, err := s.StoreDailySummary(ctx, m.ID, today.AddDate(0, 0, -1), today.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	var pre int64
	var earned ledger.Amount
	for _, d := range days {
		pre += d.PreregisteredPos
		earned += d.EarnedOrders
	}
	if pre != n || earned != n*1000 {
		t.Errorf("got %d pre-registrations and %v earned, want %d and %v", pre, earned, n, ledger.Amount(n*1000))
	}
}

// A store named by its externalId is created by the first transaction that
// names it, concurrent ones included, and found by every later one: each
// externalId gets one store, whatever the order.
func TestTransactionsNamingAStoreShareIt(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Stores")
	ctx := context.Background()
	const n = 30
	views := make([]store.APITx, n)
	errs := concurrently(n, func(i int) error {
		ext := fmt.Sprint("store-", i%2)
		var err error
		views[i], err = s.PostAPITransaction(ctx, m.ID, store.APITransaction{
			Type: "POINTS ORDER", Code: fmt.Sprint("order-", i), Total: 1000,
			Customer: store.CustomerRef{ExternalID: fmt.Sprint("cust-", i%5), Name: "Cliente"},
			Store:    &store.StoreRef{ExternalID: ext, Name: "Tienda " + ext},
		})
		return err
	})
	ids := map[string]int64{}
	for i, v := range views {
		if errs[i] != nil {
			t.Fatalf("transaction %d: %v", i, errs[i])
		}
		ext := fmt.Sprint("store-", i%2)
		if v.Store == nil || v.Store.ExternalID != ext || v.Store.ID == 0 {
			t.Fatalf("transaction %d: store %+v, want %s", i, v.Store, ext)
		}
		if id, ok := ids[ext]; ok && id != v.Store.ID {
			t.Fatalf("%s has two ids: %d and %d", ext, id, v.Store.ID)
		}
		ids[ext] = v.Store.ID
	}
	if ids["store-0"] == ids["store-1"] {
		t.Fatalf("two externalIds share store %d", ids["store-0"])
	}
	// Later transactions find the same stores.
	v, err := s.PostAPITransaction(ctx, m.ID, store.APITransaction{
		Type: "POINTS ORDER", Code: "later", Total: 500, Customer: store.CustomerRef{ExternalID: "cust-0", Name: "Cliente"},
		Store: &store.StoreRef{ExternalID: "store-1", Name: "otro nombre"},
	})
	if err != nil || v.Store == nil || v.Store.ID != ids["store-1"] {
		t.Fatalf("later transaction: %+v %v, want store %d", v.Store, err, ids["store-1"])
	}
}

// concurrently runs f(0) … f(n-1) at the same time and returns their errors.
func concurrently(n int, f func(i int) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	return errs
}
