package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// TestAPIKeyCache: a found key is served from memory, a revocation through
// the store ends it at once, and an entry past its time is read again.
func TestAPIKeyCache(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	m := newMerchant(t, s, "Cached")
	id, key, err := s.CreateAPIKey(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.MerchantByAPIKey(ctx, key); err != nil || got.ID != m.ID {
		t.Fatalf("first lookup: %+v %v", got, err)
	}
	// Revoked behind the store's back: the cached answer holds for at most
	// a second, then the database's answer wins.
	if _, err := s.Pool().Exec(ctx, `UPDATE api_keys SET revoked_at = now() WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MerchantByAPIKey(ctx, key); err != nil || got.ID != m.ID {
		t.Fatalf("cached lookup: %+v %v", got, err)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := s.MerchantByAPIKey(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after the cache time: %v, want ErrNotFound", err)
	}
	// Revoked through the store: refused at once.
	id2, key2, err := s.CreateAPIKey(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MerchantByAPIKey(ctx, key2); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAPIKey(ctx, m.ID, id2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MerchantByAPIKey(ctx, key2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after RevokeAPIKey: %v, want ErrNotFound", err)
	}
}
