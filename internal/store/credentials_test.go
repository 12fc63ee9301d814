package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := newMerchant(t, s, "A"), newMerchant(t, s, "B")
	id, key, err := s.CreateAPIKey(ctx, a.ID)
	if err != nil || !strings.HasPrefix(key, store.APIKeyPrefix) {
		t.Fatalf("got %q, %v", key, err)
	}
	got, err := s.MerchantByAPIKey(ctx, key)
	if err != nil || got.ID != a.ID {
		t.Fatalf("got merchant %d, %v; want %d", got.ID, err, a.ID)
	}
	for _, bad := range []string{"", key + "x", strings.ToUpper(key)} {
		if _, err := s.MerchantByAPIKey(ctx, bad); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("key %q: got %v, want ErrNotFound", bad, err)
		}
	}
	if err := s.RevokeAPIKey(ctx, b.ID, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoking another merchant's key: got %v, want ErrNotFound", err)
	}
	if _, err := s.MerchantByAPIKey(ctx, key); err != nil {
		t.Fatalf("a refused revoke revoked the key: %v", err)
	}
	if err := s.RevokeAPIKey(ctx, a.ID, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MerchantByAPIKey(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked key: got %v, want ErrNotFound", err)
	}
	list, err := s.APIKeys(ctx, a.ID)
	if err != nil || len(list) != 1 || list[0].RevokedAt == nil || !strings.HasPrefix(key, list[0].Prefix) {
		t.Fatalf("got %+v, %v", list, err)
	}
	if _, _, err := s.CreateAPIKey(ctx, b.ID+10); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown merchant: got %v", err)
	}
}

func TestThirdpartyTokens(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a := newMerchant(t, s, "A")
	id, tok, err := s.CreateThirdpartyToken(ctx, a.ID)
	if err != nil || !strings.HasPrefix(tok, store.ThirdpartyTokenPrefix) {
		t.Fatalf("got %q, %v", tok, err)
	}
	if got, err := s.MerchantByThirdpartyToken(ctx, tok); err != nil || got.ID != a.ID {
		t.Fatalf("got %d, %v", got.ID, err)
	}
	// An apikey is not a third-party token, even of the same merchant.
	_, key, _ := s.CreateAPIKey(ctx, a.ID)
	if _, err := s.MerchantByThirdpartyToken(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("apikey as token: got %v", err)
	}
	if err := s.RevokeThirdpartyToken(ctx, a.ID, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MerchantByThirdpartyToken(ctx, tok); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked token: got %v", err)
	}
	if list, err := s.ThirdpartyTokens(ctx, a.ID); err != nil || len(list) != 1 {
		t.Fatalf("got %+v, %v", list, err)
	}
}

func TestOAuthClients(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := newMerchant(t, s, "A"), newMerchant(t, s, "B")
	id, sec, err := s.CreateOAuthClient(ctx, a.ID, "pos")
	if err != nil || !strings.HasPrefix(sec, store.ClientSecretPrefix) {
		t.Fatalf("got %q, %v", sec, err)
	}
	if got, err := s.MerchantByOAuthClient(ctx, id, sec); err != nil || got.ID != a.ID {
		t.Fatalf("got %d, %v", got.ID, err)
	}
	if _, err := s.MerchantByOAuthClient(ctx, id, sec+"x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("wrong secret: got %v", err)
	}
	if _, _, err := s.CreateOAuthClient(ctx, a.ID, ""); err == nil {
		t.Fatal("empty name: got no error")
	} else {
		wantField(t, err, "name")
	}
	if err := s.RevokeOAuthClient(ctx, b.ID, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's client: got %v", err)
	}
	if err := s.RevokeOAuthClient(ctx, a.ID, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MerchantByOAuthClient(ctx, id, sec); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked client: got %v", err)
	}
	if list, err := s.OAuthClients(ctx, a.ID); err != nil || len(list) != 1 || list[0].Name != "pos" {
		t.Fatalf("got %+v, %v", list, err)
	}
}
