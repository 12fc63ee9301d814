package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// newStore is a store on a fresh database.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	s := store.New(testdb.Pool(t), nil)
	t.Cleanup(s.Close) // before the pool's own cleanup
	return s
}

// newMerchant creates a merchant or fails the test.
func newMerchant(t *testing.T, s *store.Store, name string) store.Merchant {
	t.Helper()
	m, err := s.CreateMerchant(context.Background(), name, "")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantField fails unless err is a *store.FieldError naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *store.FieldError
	if !errors.As(err, &fe) || fe.Field != field || !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("got error %v, want a FieldError on %q", err, field)
	}
}

func ptr[T any](v T) *T { return &v }
