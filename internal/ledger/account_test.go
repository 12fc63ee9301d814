package ledger

import (
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestAccountExpired(t *testing.T) {
	tests := []struct {
		name      string
		expiresAt time.Time
		want      bool
	}{
		{"never expires", time.Time{}, false},
		{"expires later", t0.Add(time.Second), false},
		{"expires exactly now", t0, true},
		{"expired before", t0.Add(-time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Account{ExpiresAt: tt.expiresAt}).Expired(t0); got != tt.want {
				t.Errorf("Expired() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAvailable(t *testing.T) {
	tests := []struct {
		name     string
		accounts []Account
		want     Amount
	}{
		{"no accounts", nil, 0},
		{"excludes expired batches", []Account{
			{Key: aliceB7, Balance: 500, ExpiresAt: t0},
			{Key: AccountKey{Owner: alice, Unit: Points, BatchID: 8}, Balance: 300, ExpiresAt: t0.Add(time.Hour)},
			{Key: alicePts, Balance: 200},
		}, 500},
		{"negative account reduces the balance", []Account{
			{Key: aliceB7, Balance: 500, ExpiresAt: t0.Add(time.Hour)},
			{Key: alicePts, Balance: -200},
		}, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Available(tt.accounts, t0); got != tt.want {
				t.Errorf("Available() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBatchValidate(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name  string
		batch Batch
		want  error
	}{
		{"OK", Batch{ID: 1, SetName: "PROMOCIONAL", StartDate: t0, EndDate: t0.Add(day), ExpiresAt: t0.Add(30 * day)}, nil},
		{"OK without dates", Batch{ExpiresAt: t0.Add(day)}, nil},
		{"ErrBadBatch no expiry", Batch{StartDate: t0}, ErrBadBatch},
		{"ErrBadBatch end before start", Batch{StartDate: t0, EndDate: t0.Add(-day), ExpiresAt: t0.Add(day)}, ErrBadBatch},
		{"ErrExpired expires now", Batch{ExpiresAt: t0}, ErrExpired},
		{"ErrExpired in the past", Batch{ExpiresAt: t0.Add(-day)}, ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.batch.Validate(t0); !errors.Is(got, tt.want) {
				t.Errorf("Validate() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestKeyStrings(t *testing.T) {
	if got, want := aliceB7.String(), "customer:1/POINTS/batch:7"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := redeemPts.String(), "system:2/POINTS"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !redeemPts.Owner.IsSystem() || alice.IsSystem() {
		t.Error("IsSystem() wrong")
	}
}
