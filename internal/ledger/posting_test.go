package ledger

import (
	"errors"
	"maps"
	"testing"
)

var (
	alice      = Owner{Kind: OwnerCustomer, ID: 1}
	bob        = Owner{Kind: OwnerCustomer, ID: 2}
	alicePts   = AccountKey{Owner: alice, Unit: Points}
	aliceB7    = AccountKey{Owner: alice, Unit: Points, BatchID: 7}
	aliceCoins = AccountKey{Owner: alice, Unit: Coins}
	issuedPts  = SystemAccount(SystemIssued, Points)
	redeemPts  = SystemAccount(SystemRedeemed, Points)
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		postings []Posting
		want     error
	}{
		{"OK credit", Credit(issuedPts, alicePts, 100), nil},
		{"OK several postings", []Posting{{aliceB7, redeemPts, 5}, {alicePts, redeemPts, 7}}, nil},
		{"ErrNoPostings", nil, ErrNoPostings},
		{"ErrBadAmount zero", Credit(issuedPts, alicePts, 0), ErrBadAmount},
		{"ErrBadAmount negative", Credit(issuedPts, alicePts, -1), ErrBadAmount},
		{"ErrUnitMismatch", Credit(issuedPts, aliceCoins, 1), ErrUnitMismatch},
		{"ErrUnknownUnit", Credit(AccountKey{Owner: alice, Unit: 9}, AccountKey{Owner: bob, Unit: 9}, 1), ErrUnknownUnit},
		{"ErrSameAccount", Credit(alicePts, alicePts, 1), ErrSameAccount},
		{"ErrBadAmount in a later posting", []Posting{{issuedPts, alicePts, 1}, {issuedPts, aliceB7, 0}}, ErrBadAmount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Validate(tt.postings); !errors.Is(got, tt.want) {
				t.Errorf("Validate() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNet(t *testing.T) {
	tests := []struct {
		name     string
		postings []Posting
		want     map[AccountKey]Amount
	}{
		{"credit", Credit(issuedPts, alicePts, 100), map[AccountKey]Amount{issuedPts: -100, alicePts: 100}},
		{"FIFO debit", []Posting{{aliceB7, redeemPts, 5}, {alicePts, redeemPts, 7}},
			map[AccountKey]Amount{aliceB7: -5, alicePts: -7, redeemPts: 12}},
		{"round trip nets out", []Posting{{issuedPts, alicePts, 3}, {alicePts, issuedPts, 3}}, map[AccountKey]Amount{}},
		{"empty", nil, map[AccountKey]Amount{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Net(tt.postings); !maps.Equal(got, tt.want) {
				t.Errorf("Net() = %v, want %v", got, tt.want)
			}
		})
	}
}
