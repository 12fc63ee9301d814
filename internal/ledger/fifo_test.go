package ledger

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func batchKey(o Owner, id int64) AccountKey { return AccountKey{Owner: o, Unit: Points, BatchID: id} }

func TestFIFOOrder(t *testing.T) {
	accounts := []Account{
		{Key: batchKey(alice, 0)},
		{Key: batchKey(alice, 9), ExpiresAt: t0.Add(2 * time.Hour)},
		{Key: batchKey(alice, 5), ExpiresAt: t0.Add(2 * time.Hour)},
		{Key: batchKey(alice, 3), ExpiresAt: t0.Add(3 * time.Hour)},
		{Key: batchKey(alice, 8), ExpiresAt: t0.Add(time.Hour)},
	}
	var got []int64
	for _, a := range FIFOOrder(accounts) {
		got = append(got, a.Key.BatchID)
	}
	if want := []int64{8, 5, 9, 3, 0}; !slices.Equal(got, want) {
		t.Errorf("FIFOOrder batches = %v, want %v", got, want)
	}
	if accounts[0].Key.BatchID != 0 {
		t.Error("FIFOOrder modified its input")
	}
}

func TestSpend(t *testing.T) {
	soon, later := t0.Add(time.Hour), t0.Add(48*time.Hour)
	wallet := []Account{ // deliberately unsorted
		{Key: batchKey(alice, 0), Balance: 1000},
		{Key: batchKey(alice, 2), Balance: 300, ExpiresAt: later},
		{Key: batchKey(alice, 1), Balance: 200, ExpiresAt: soon},
		{Key: batchKey(alice, 3), Balance: 999, ExpiresAt: t0}, // expired at now
	}
	tests := []struct {
		name     string
		accounts []Account
		amount   Amount
		to       AccountKey
		want     []Posting
		err      error
	}{
		{"OK within the first batch", wallet, 150, redeemPts,
			[]Posting{{batchKey(alice, 1), redeemPts, 150}}, nil},
		{"OK across batches, soonest first", wallet, 600, redeemPts,
			[]Posting{{batchKey(alice, 1), redeemPts, 200}, {batchKey(alice, 2), redeemPts, 300}, {batchKey(alice, 0), redeemPts, 100}}, nil},
		{"OK whole available balance", wallet, 1500, redeemPts,
			[]Posting{{batchKey(alice, 1), redeemPts, 200}, {batchKey(alice, 2), redeemPts, 300}, {batchKey(alice, 0), redeemPts, 1000}}, nil},
		{"ErrInsufficientFunds expired points do not count", wallet, 1501, redeemPts, nil, ErrInsufficientFunds},
		{"ErrInsufficientFunds no accounts", nil, 1, redeemPts, nil, ErrInsufficientFunds},
		{"ErrInsufficientFunds negative account must be covered", []Account{
			{Key: batchKey(alice, 1), Balance: 500, ExpiresAt: soon},
			{Key: batchKey(alice, 0), Balance: -200},
		}, 301, redeemPts, nil, ErrInsufficientFunds},
		{"OK negative account gives nothing", []Account{
			{Key: batchKey(alice, 1), Balance: 500, ExpiresAt: soon},
			{Key: batchKey(alice, 0), Balance: -200},
		}, 300, redeemPts, []Posting{{batchKey(alice, 1), redeemPts, 300}}, nil},
		{"ErrBadAmount zero", wallet, 0, redeemPts, nil, ErrBadAmount},
		{"ErrBadAmount negative", wallet, -5, redeemPts, nil, ErrBadAmount},
		{"ErrMixedAccounts two owners", []Account{{Key: batchKey(alice, 0), Balance: 5}, {Key: batchKey(bob, 0), Balance: 5}}, 1, redeemPts, nil, ErrMixedAccounts},
		{"ErrMixedAccounts duplicate key", []Account{{Key: batchKey(alice, 0), Balance: 5}, {Key: batchKey(alice, 0), Balance: 5}}, 1, redeemPts, nil, ErrMixedAccounts},
		{"ErrUnitMismatch accounts", []Account{{Key: batchKey(alice, 0), Balance: 5}, {Key: aliceCoins, Balance: 5}}, 1, redeemPts, nil, ErrUnitMismatch},
		{"ErrUnitMismatch destination", wallet, 1, SystemAccount(SystemRedeemed, Coins), nil, ErrUnitMismatch},
		{"ErrSameAccount destination", wallet, 1, batchKey(alice, 1), nil, ErrSameAccount},
		{"ErrSameAccount destination not reached", wallet, 1, batchKey(alice, 0), nil, ErrSameAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Spend(tt.accounts, tt.amount, t0, tt.to)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Spend() error = %v, want %v", err, tt.err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Spend() = %v, want %v", got, tt.want)
			}
			if err == nil {
				if err := Validate(got); err != nil {
					t.Errorf("Spend() postings invalid: %v", err)
				}
			}
		})
	}
}
