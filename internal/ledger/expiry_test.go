package ledger

import (
	"slices"
	"testing"
	"time"
)

func TestExpirePostings(t *testing.T) {
	expiredPts := SystemAccount(SystemExpired, Points)
	tests := []struct {
		name   string
		acc    Account
		want   []Posting
		wantOK bool
	}{
		{"OK expired batch", Account{Key: batchKey(alice, 1), Balance: 700, ExpiresAt: t0.Add(-time.Hour)},
			[]Posting{{batchKey(alice, 1), expiredPts, 700}}, true},
		{"OK expires exactly now", Account{Key: batchKey(alice, 1), Balance: 1, ExpiresAt: t0},
			[]Posting{{batchKey(alice, 1), expiredPts, 1}}, true},
		{"coins expire to the coins account", Account{Key: AccountKey{Owner: alice, Unit: Coins, BatchID: 2}, Balance: 5, ExpiresAt: t0},
			[]Posting{{AccountKey{Owner: alice, Unit: Coins, BatchID: 2}, SystemAccount(SystemExpired, Coins), 5}}, true},
		{"nothing before expiry", Account{Key: batchKey(alice, 1), Balance: 700, ExpiresAt: t0.Add(time.Second)}, nil, false},
		{"nothing for a never-expiring account", Account{Key: alicePts, Balance: 700}, nil, false},
		{"nothing when already swept", Account{Key: batchKey(alice, 1), ExpiresAt: t0.Add(-time.Hour)}, nil, false},
		{"nothing when negative", Account{Key: batchKey(alice, 1), Balance: -3, ExpiresAt: t0.Add(-time.Hour)}, nil, false},
		{"nothing for a system account", Account{Key: redeemPts, Balance: 9, ExpiresAt: t0.Add(-time.Hour)}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExpirePostings(tt.acc, t0)
			if ok != tt.wantOK || !slices.Equal(got, tt.want) {
				t.Errorf("ExpirePostings() = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
