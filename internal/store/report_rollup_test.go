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
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.PostAPITransaction(ctx, m.ID, store.APITransaction{
				Type: "POINTS ORDER", Code: fmt.Sprint("order-", i), Description: "compra", Total: 1000,
				Customer: store.CustomerRef{ExternalID: fmt.Sprint("cust-", i), Name: "Cliente"},
			})
		}()
	}
	wg.Wait()
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
