package ledger

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"
)

func TestTransfer(t *testing.T) {
	soon, later := t0.Add(time.Hour), t0.Add(48*time.Hour)
	sender := []Account{
		{Key: batchKey(alice, 0), Balance: 1000},
		{Key: batchKey(alice, 2), Balance: 300, ExpiresAt: later},
		{Key: batchKey(alice, 1), Balance: 200, ExpiresAt: soon},
		{Key: batchKey(alice, 3), Balance: 999, ExpiresAt: t0.Add(-time.Hour)},
	}
	tests := []struct {
		name     string
		accounts []Account
		receiver Owner
		amount   Amount
		want     []Posting
		err      error
	}{
		{"OK expiry travels with the points", sender, bob, 600, []Posting{
			{batchKey(alice, 1), batchKey(bob, 1), 200},
			{batchKey(alice, 2), batchKey(bob, 2), 300},
			{batchKey(alice, 0), batchKey(bob, 0), 100},
		}, nil},
		{"OK to a member of another kind", sender, Owner{Kind: OwnerWalletMember, ID: 1}, 10, []Posting{
			{batchKey(alice, 1), batchKey(Owner{Kind: OwnerWalletMember, ID: 1}, 1), 10},
		}, nil},
		{"ErrSameCustomer", sender, alice, 10, nil, ErrSameCustomer},
		{"ErrSameCustomer before funds", sender, alice, 1_000_000, nil, ErrSameCustomer},
		{"ErrSystemOwner receiver", sender, System(SystemRedeemed), 10, nil, ErrSystemOwner},
		{"ErrInsufficientFunds expired batch does not count", sender, bob, 1501, nil, ErrInsufficientFunds},
		{"ErrInsufficientFunds no accounts", nil, bob, 1, nil, ErrInsufficientFunds},
		{"ErrBadAmount", sender, bob, 0, nil, ErrBadAmount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Transfer(tt.accounts, tt.receiver, tt.amount, t0)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Transfer() error = %v, want %v", err, tt.err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Transfer() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckTransfer(t *testing.T) {
	tests := []struct {
		name             string
		sender, receiver Owner
		want             error
	}{
		{"OK", alice, bob, nil},
		{"ErrSameCustomer", alice, alice, ErrSameCustomer},
		{"ErrSystemOwner sender", System(SystemIssued), bob, ErrSystemOwner},
		{"ErrSystemOwner receiver", alice, System(SystemIssued), ErrSystemOwner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckTransfer(tt.sender, tt.receiver); !errors.Is(got, tt.want) {
				t.Errorf("CheckTransfer() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTransferLegsBalanceSeparately(t *testing.T) {
	direct := []Posting{
		{batchKey(alice, 1), batchKey(bob, 1), 200},
		{batchKey(alice, 0), batchKey(bob, 0), 100},
	}
	debit, credit := TransferLegs(direct)
	mid := SystemAccount(SystemTransfer, Points)
	wantDebit := map[AccountKey]Amount{batchKey(alice, 1): -200, batchKey(alice, 0): -100, mid: 300}
	wantCredit := map[AccountKey]Amount{batchKey(bob, 1): 200, batchKey(bob, 0): 100, mid: -300}
	if got := Net(debit); !maps.Equal(got, wantDebit) {
		t.Errorf("Net(debit) = %v, want %v", got, wantDebit)
	}
	if got := Net(credit); !maps.Equal(got, wantCredit) {
		t.Errorf("Net(credit) = %v, want %v", got, wantCredit)
	}
	if got, want := Net(append(debit, credit...)), Net(direct); !maps.Equal(got, want) {
		t.Errorf("legs together net %v, want the direct transfer's %v", got, want)
	}
	if err := errors.Join(Validate(debit), Validate(credit)); err != nil {
		t.Errorf("legs invalid: %v", err)
	}
}
