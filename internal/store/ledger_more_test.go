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

func TestTransferKeepsBatches(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	a, c := customer(1), customer(2)
	exp := t0.Add(24 * time.Hour)
	earned := b.earn(a, 100, expiring(exp))
	b.earn(a, 500, nil)
	debit, credit, err := b.st.Transfer(ctx, b.merchant, sale("TRANSFER OUT"), sale("TRANSFER IN"), a, c, ledger.Points, 300)
	if err != nil {
		t.Fatal(err)
	}
	if debit.Balance != 300 || credit.Balance != 300 || debit.Tx.ID == credit.Tx.ID {
		t.Fatalf("got debit %+v credit %+v, want two transactions leaving 3.00 each", debit, credit)
	}
	batches, err := b.st.Batches(ctx, b.merchant, c, ledger.Points)
	if err != nil || len(batches) != 1 || batches[0].Balance != 100 || !batches[0].ExpiresAt.Equal(exp) {
		t.Fatalf("receiver batches: got %+v, %v; want 1.00 expiring %v", batches, err, exp)
	}
	if got := earned.Postings[0].To.BatchID; got != batches[0].Key.BatchID || got <= 0 {
		t.Fatalf("earn posted into batch %d, receiver holds batch %d", got, batches[0].Key.BatchID)
	}
	b.clock.Set(exp)
	b.wantBalance(c, 200) // the transferred batch expired with its date
	for _, tc := range []struct {
		name     string
		from, to ledger.Owner
		want     error
	}{
		{"ErrSameCustomer", a, a, ledger.ErrSameCustomer},
		{"ErrSystemOwner", a, ledger.System(ledger.SystemIssued), ledger.ErrSystemOwner},
		{"ErrInsufficientFunds", c, a, ledger.ErrInsufficientFunds},
	} {
		if _, _, err := b.st.Transfer(ctx, b.merchant, sale("T"), sale("T"), tc.from, tc.to, ledger.Points, 10_000); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	b.conserved()
}

func TestTransfersBothWaysAtOnceDoNotDeadlock(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	a, c := customer(1), customer(2)
	b.earn(a, 10_000, expiring(t0.Add(time.Hour)))
	b.earn(c, 10_000, nil)
	const rounds = 100
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	for i := range 2 * rounds {
		from, to := a, c
		if i%2 == 1 {
			from, to = c, a
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := b.st.Transfer(context.Background(), b.merchant, sale("T"), sale("T"), from, to, ledger.Points, 7)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("transfer: %v", err)
		}
	}
	if got := b.balance(a) + b.balance(c); got != 20_000 {
		t.Fatalf("got total %v, want 200.00", got)
	}
	b.wantBalance(a, 10_000)
	b.conserved()
}

func TestReversal(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	c := customer(1)
	earned := b.earn(c, 1000, expiring(t0.Add(time.Hour)))
	spent, err := b.st.Spend(ctx, b.merchant, sale("S"), c, ledger.Points, 400)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := b.st.Reverse(ctx, b.merchant, sale("REVERSAL"), spent.Tx.ID)
	if err != nil || rev.Tx.ReversesTxID != spent.Tx.ID || rev.Balance != 1000 {
		t.Fatalf("reverse spend: got %+v, %v; want balance back to 10.00", rev, err)
	}
	tests := []struct {
		name string
		tx   int64
		want error
	}{
		{"ErrAlreadyReversed", spent.Tx.ID, ledger.ErrAlreadyReversed},
		{"ErrReversalOfReversal", rev.Tx.ID, ledger.ErrReversalOfReversal},
		{"ErrNotFound", 99_999, store.ErrNotFound},
	}
	for _, tc := range tests {
		if _, err := b.st.Reverse(ctx, b.merchant, sale("REVERSAL"), tc.tx); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// Another merchant's transaction does not exist for this one.
	other := b.newMerchant("Otra")
	if _, err := b.st.Reverse(ctx, other, sale("REVERSAL"), earned.Tx.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other merchant: got %v, want ErrNotFound", err)
	}
	got, err := b.st.TxByID(ctx, b.merchant, spent.Tx.ID)
	if err != nil || got.ReversedByID != rev.Tx.ID {
		t.Fatalf("TxByID: got %+v, %v; want reversed by %d", got, err, rev.Tx.ID)
	}
	b.conserved()
}

func TestReversalOfSpentCreditNeedsNegativesAllowed(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	c := customer(1)
	earned := b.earn(c, 1000, nil)
	if _, err := b.st.Spend(ctx, b.merchant, sale("S"), c, ledger.Points, 800); err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.Reverse(ctx, b.merchant, sale("R"), earned.Tx.ID); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("got %v, want ErrInsufficientFunds", err)
	}
	if _, err := b.st.Pool().Exec(ctx, `UPDATE merchants SET allow_negative_on_reversal = true WHERE id = $1`, b.merchant); err != nil {
		t.Fatal(err)
	}
	rev, err := b.st.Reverse(ctx, b.merchant, sale("R"), earned.Tx.ID)
	if err != nil || rev.Balance != -800 {
		t.Fatalf("got %+v, %v; want balance -8.00", rev, err)
	}
	b.conserved()
}

func TestConcurrentReversalsPostOnce(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	earned := b.earn(customer(1), 1000, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := b.st.Reverse(context.Background(), b.merchant, sale("R"), earned.Tx.ID)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				got["ok"]++
			case errors.Is(err, ledger.ErrAlreadyReversed):
				got["already"]++
			default:
				got[err.Error()]++
			}
		}()
	}
	wg.Wait()
	if got["ok"] != 1 || got["already"] != 9 {
		t.Fatalf("got %v, want 1 ok and 9 already reversed", got)
	}
	b.wantBalance(customer(1), 0)
	b.conserved()
}

func TestExpiryRunsOnce(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	exp := t0.Add(time.Hour)
	for i := range int64(30) {
		b.earn(customer(i+1), 100, expiring(exp))
	}
	b.earn(customer(1), 50, nil)
	if n, err := b.st.ExpireDue(ctx, 0); err != nil || n != 0 {
		t.Fatalf("before expiry: got %d, %v; want nothing expired", n, err)
	}
	b.clock.Set(exp.Add(time.Minute))
	// Several processes at once, each catching up in small rounds.
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := b.st.ExpireDue(context.Background(), 7)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				total += n
				mu.Unlock()
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if n, err := b.st.ExpireDue(ctx, 0); err != nil || n != 0 {
		t.Fatalf("second run: got %d, %v; want nothing more", n, err)
	}
	if total != 30 {
		t.Fatalf("got %d accounts expired, want 30", total)
	}
	b.wantBalance(customer(1), 50)
	h, err := b.st.History(ctx, b.merchant, customer(1), store.HistoryFilter{})
	if err != nil || len(h) != 3 || h[0].Tx.Type != store.ExpiredType || h[0].Delta != -100 {
		t.Fatalf("history: got %+v, %v; want the expiry first", h, err)
	}
	b.conserved()
}

func TestReversalIntoSweptBatchExpiresAgain(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	c := customer(1)
	exp := t0.Add(time.Hour)
	b.earn(c, 100, expiring(exp))
	spent, err := b.st.Spend(ctx, b.merchant, sale("S"), c, ledger.Points, 100)
	if err != nil {
		t.Fatal(err)
	}
	b.clock.Set(exp)
	if n, err := b.st.ExpireDue(ctx, 0); err != nil || n != 0 {
		t.Fatalf("got %d, %v; want an empty batch swept without postings", n, err)
	}
	if _, err := b.st.Reverse(ctx, b.merchant, sale("R"), spent.Tx.ID); err != nil {
		t.Fatal(err)
	}
	b.wantBalance(c, 0) // restored into an expired batch: never shown
	if n, err := b.st.ExpireDue(ctx, 0); err != nil || n != 1 {
		t.Fatalf("got %d, %v; want the restored points expired", n, err)
	}
	accounts, err := b.st.Accounts(ctx, b.merchant, c, ledger.Points)
	if err != nil || len(accounts) != 1 || accounts[0].Balance != 0 {
		t.Fatalf("got %+v, %v; want the batch account emptied", accounts, err)
	}
	b.conserved()
}

func TestExpiryGoesPastEmptyBatches(t *testing.T) {
	t.Parallel()
	b := newLedger(t)
	ctx := context.Background()
	c := customer(1)
	// More emptied batches than one round takes, all due before the full one.
	for i := range 25 {
		b.earn(c, 10, expiring(t0.Add(time.Duration(i+1)*time.Minute)))
	}
	if _, err := b.st.Spend(ctx, b.merchant, sale("S"), c, ledger.Points, 250); err != nil {
		t.Fatal(err)
	}
	b.earn(c, 70, expiring(t0.Add(time.Hour)))
	b.clock.Set(t0.Add(2 * time.Hour))
	if n, err := b.st.ExpireDue(ctx, 0); err != nil || n != 1 {
		t.Fatalf("got %d, %v; want the one batch with points expired in one call", n, err)
	}
	b.conserved()
}
