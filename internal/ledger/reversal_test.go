package ledger

import (
	"errors"
	"maps"
	"slices"
	"testing"
)

func TestReverse(t *testing.T) {
	original := []Posting{
		{batchKey(alice, 1), redeemPts, 200},
		{batchKey(alice, 0), redeemPts, 100},
	}
	want := []Posting{
		{redeemPts, batchKey(alice, 1), 200},
		{redeemPts, batchKey(alice, 0), 100},
	}
	got := Reverse(original)
	if !slices.Equal(got, want) {
		t.Errorf("Reverse() = %v, want %v", got, want)
	}
	if !slices.Equal(Reverse(got), original) {
		t.Error("Reverse(Reverse(p)) != p")
	}
	sum := Net(append(slices.Clone(original), got...))
	if len(sum) != 0 {
		t.Errorf("a transaction and its reversal net %v, want nothing", sum)
	}
}

func TestCheckReversible(t *testing.T) {
	tests := []struct {
		name string
		tx   TxInfo
		want error
	}{
		{"OK", TxInfo{}, nil},
		{"ErrAlreadyReversed", TxInfo{ReversedBy: 42}, ErrAlreadyReversed},
		{"ErrReversalOfReversal", TxInfo{IsReversal: true}, ErrReversalOfReversal},
		{"ErrReversalOfReversal wins over already reversed", TxInfo{IsReversal: true, ReversedBy: 42}, ErrReversalOfReversal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckReversible(tt.tx); !errors.Is(got, tt.want) {
				t.Errorf("CheckReversible() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReversalShortfall(t *testing.T) {
	// Reversing a credit of 500 into batch 1 takes 500 back from it.
	creditReversal := Reverse(Credit(issuedPts, batchKey(alice, 1), 500))
	tests := []struct {
		name          string
		postings      []Posting
		balances      map[AccountKey]Amount
		allowNegative bool
		want          error
	}{
		{"OK points still there", creditReversal, map[AccountKey]Amount{batchKey(alice, 1): 500}, false, nil},
		{"ErrInsufficientFunds points spent", creditReversal, map[AccountKey]Amount{batchKey(alice, 1): 499}, false, ErrInsufficientFunds},
		{"ErrInsufficientFunds account unknown", creditReversal, nil, false, ErrInsufficientFunds},
		{"OK negative allowed", creditReversal, map[AccountKey]Amount{batchKey(alice, 1): 0}, true, nil},
		{"OK reversal of a debit restores points", Reverse([]Posting{{batchKey(alice, 1), redeemPts, 200}}), nil, false, nil},
		{"OK system account may go negative", Reverse([]Posting{{redeemPts, issuedPts, 200}}), nil, false, nil},
		{"OK reversal of a transfer when the receiver still has them",
			Reverse([]Posting{{batchKey(alice, 1), batchKey(bob, 1), 200}}), map[AccountKey]Amount{batchKey(bob, 1): 200}, false, nil},
		{"ErrInsufficientFunds reversal of a transfer the receiver spent",
			Reverse([]Posting{{batchKey(alice, 1), batchKey(bob, 1), 200}}), map[AccountKey]Amount{batchKey(bob, 1): 100}, false, ErrInsufficientFunds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReversalShortfall(tt.postings, tt.balances, tt.allowNegative); !errors.Is(got, tt.want) {
				t.Errorf("ReversalShortfall() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReverseNetIsNegated(t *testing.T) {
	p := []Posting{{issuedPts, batchKey(alice, 1), 300}, {batchKey(alice, 0), redeemPts, 50}}
	want := Net(p)
	for k, v := range want {
		want[k] = -v
	}
	if got := Net(Reverse(p)); !maps.Equal(got, want) {
		t.Errorf("Net(Reverse) = %v, want %v", got, want)
	}
}
