package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

func TestEarnSpendBalance(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	alice := customer(1)
	if p := b.earn(alice, 1000, nil); p.Balance != 1000 || p.Replayed || len(p.Postings) != 1 {
		t.Fatalf("earn: got %+v, want balance 10.00 in one posting", p)
	}
	p, err := b.st.Spend(ctx, b.merchant, sale("SPEND"), alice, ledger.Points, 300)
	if err != nil || p.Balance != 700 {
		t.Fatalf("spend: got %+v, %v; want balance 7.00", p, err)
	}
	if _, err := b.st.Spend(ctx, b.merchant, sale("SPEND"), alice, ledger.Points, 701); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("overspend: got %v, want ErrInsufficientFunds", err)
	}
	if _, err := b.st.Spend(ctx, b.merchant, sale("SPEND"), customer(2), ledger.Points, 1); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("spend without accounts: got %v, want ErrInsufficientFunds", err)
	}
	b.wantBalance(alice, 700)
	b.conserved()
}

func TestOperationsRefuseBadInput(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"ErrBadAmountZero", func() error {
			_, err := b.st.Earn(ctx, b.merchant, sale("E"), customer(1), ledger.Points, 0, nil)
			return err
		}, ledger.ErrBadAmount},
		{"ErrSystemOwner", func() error {
			_, err := b.st.Earn(ctx, b.merchant, sale("E"), ledger.System(ledger.SystemIssued), ledger.Points, 5, nil)
			return err
		}, ledger.ErrSystemOwner},
		{"ErrUnknownUnit", func() error {
			_, err := b.st.Spend(ctx, b.merchant, sale("S"), customer(1), ledger.Unit(9), 5)
			return err
		}, ledger.ErrUnknownUnit},
		{"ErrExpiredBatch", func() error {
			_, err := b.st.Earn(ctx, b.merchant, sale("E"), customer(1), ledger.Points, 5, expiring(t0))
			return err
		}, ledger.ErrExpired},
	}
	for _, tc := range tests {
		if err := tc.run(); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	b.conserved()
}

func TestNaturalKeyReplaysOnce(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	info := store.TxInfo{Type: "WALLET SALE", IdemScope: "wallet:1:ticket", IdemKey: "T-1", Fingerprint: []byte("a")}
	first, err := b.st.Earn(ctx, b.merchant, info, customer(1), ledger.Points, 500, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.st.Earn(ctx, b.merchant, info, customer(1), ledger.Points, 500, nil)
	if err != nil || !again.Replayed || again.Tx.ID != first.Tx.ID || again.Balance != 500 || len(again.Postings) != 1 {
		t.Fatalf("repeat: got %+v, %v; want the original replayed", again, err)
	}
	// A spend with a key already used is a replay too, before any funds check.
	spendInfo := info
	spendInfo.Fingerprint = []byte("a")
	if p, err := b.st.Spend(ctx, b.merchant, spendInfo, customer(1), ledger.Points, 10_000); err != nil || !p.Replayed {
		t.Fatalf("spend with a used key: got %+v, %v; want a replay", p, err)
	}
	other := info
	other.Fingerprint = []byte("b")
	if p, err := b.st.Earn(ctx, b.merchant, other, customer(1), ledger.Points, 700, nil); !errors.Is(err, store.ErrIdemMismatch) || p.Tx.ID != first.Tx.ID {
		t.Fatalf("other content: got %+v, %v; want ErrIdemMismatch with the original", p, err)
	}
	if got, err := b.st.TxByIdem(ctx, b.merchant, "wallet:1:ticket", "T-1"); err != nil || got.ID != first.Tx.ID || got.Type != "WALLET SALE" {
		t.Fatalf("TxByIdem: got %+v, %v", got, err)
	}
	if _, err := b.st.TxByIdem(ctx, b.merchant, "wallet:1:ticket", "T-2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("TxByIdem unknown: got %v, want ErrNotFound", err)
	}
	b.wantBalance(customer(1), 500)
	b.conserved()
}

func TestBatchesFIFOAndExpiredExcluded(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	c := customer(7)
	soon, later := t0.Add(time.Hour), t0.Add(48*time.Hour)
	b.earn(c, 300, nil)
	b.earn(c, 200, expiring(later))
	b.earn(c, 100, expiring(soon))
	b.earn(c, 50, expiring(soon)) // same batch, same account
	b.wantBalance(c, 650)
	p, err := b.st.Spend(ctx, b.merchant, sale("S"), c, ledger.Points, 200)
	if err != nil {
		t.Fatal(err)
	}
	// FIFO: the batch expiring soonest (150) first, then 50 of the later one.
	if len(p.Postings) != 2 || p.Postings[0].Amount != 150 || p.Postings[1].Amount != 50 || p.Balance != 450 {
		t.Fatalf("got postings %+v balance %v, want 1.50 then 0.50, balance 4.50", p.Postings, p.Balance)
	}
	b.clock.Set(later) // expiry is inclusive: at `later` that batch is gone
	b.wantBalance(c, 300)
	if _, err := b.st.Spend(ctx, b.merchant, sale("S"), c, ledger.Points, 301); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("spending expired points: got %v, want ErrInsufficientFunds", err)
	}
	batches, err := b.st.Batches(ctx, b.merchant, c, ledger.Points)
	if err != nil || len(batches) != 0 {
		t.Fatalf("batches after expiry: got %+v, %v; want none", batches, err)
	}
	b.conserved()
}

func TestConcurrentSpendsOfLastPoints(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	c := customer(1)
	b.earn(c, 1000, expiring(t0.Add(time.Hour)))
	b.earn(c, 1000, nil)
	const goroutines, each = 50, 100
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := b.st.Spend(context.Background(), b.merchant, sale("S"), c, ledger.Points, each)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				results["ok"]++
			case errors.Is(err, ledger.ErrInsufficientFunds):
				results["insufficient"]++
			default:
				results[err.Error()]++
			}
		}()
	}
	wg.Wait()
	if results["ok"] != 20 || results["insufficient"] != 30 || len(results) != 2 {
		t.Fatalf("got %v, want 20 ok and 30 insufficient", results)
	}
	b.wantBalance(c, 0)
	b.conserved()
}

func TestPostingsAreImmutable(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	p := b.earn(customer(1), 100, nil)
	ctx := context.Background()
	for _, sql := range []string{
		`UPDATE ledger_postings SET amount = 1`,
		`DELETE FROM ledger_postings`,
		`TRUNCATE ledger_postings`,
		`UPDATE ledger_transactions SET type = 'X'`,
		`DELETE FROM ledger_transactions`,
	} {
		if _, err := b.st.Pool().Exec(ctx, sql); err == nil {
			t.Errorf("%s: got success, want refused", sql)
		}
	}
	// The API's extras stay writable.
	if _, err := b.st.Pool().Exec(ctx, `UPDATE ledger_transactions SET data = '{"a":1}' WHERE id = $1`, p.Tx.ID); err != nil {
		t.Errorf("updating data: %v", err)
	}
	b.conserved()
}

func TestDatabaseRefusesOverdraft(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	c := customer(1)
	b.earn(c, 100, nil)
	// Past the Go-side check, the conditional balance update is the last guard.
	if _, err := b.st.PostUnchecked(context.Background(), b.merchant, c, 101); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("overdraft: got %v, want ErrInsufficientFunds", err)
	}
	b.wantBalance(c, 100)
	if p, err := b.st.PostUnchecked(context.Background(), b.merchant, c, 100); err != nil || p.Balance != 0 {
		t.Fatalf("exact debit: got %+v, %v; want balance 0", p, err)
	}
	b.conserved()
}
