package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

func TestCards(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := newMerchant(t, s, "A"), newMerchant(t, s, "B")
	c, err := s.CreateCard(ctx, a.ID, store.CardInput{Name: "Café", DefaultAmount: ptr(ledger.Amount(5050))})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Key, store.CardKeyPrefix) || !strings.HasPrefix(c.WebhookSecret, store.WebhookSecretPrefix) ||
		c.StampsRequired != 10 || !c.Enabled || c.DefaultAmount == nil || *c.DefaultAmount != 5050 {
		t.Fatalf("got %+v", c)
	}
	c2, _ := s.CreateCard(ctx, a.ID, store.CardInput{Name: "Otra"})
	if c2.Key == c.Key || c2.WebhookSecret == c.WebhookSecret || c2.DefaultAmount != nil {
		t.Fatalf("second card: got %+v", c2)
	}
	up, err := s.UpdateCard(ctx, a.ID, c.Key, store.CardInput{StampsRequired: ptr(5), DefaultAmount: ptr(ledger.Amount(0)),
		WebhookURL: ptr("https://hook.example/x"), Enabled: ptr(false), CustomJS: ptr("alert(1)")})
	if err != nil || up.StampsRequired != 5 || up.DefaultAmount != nil || up.Enabled || up.Name != "Café" ||
		up.WebhookURL != "https://hook.example/x" || up.WebhookSecret != c.WebhookSecret {
		t.Fatalf("got %+v, %v", up, err)
	}
	got, err := s.Card(ctx, a.ID, c.Key)
	if err != nil || got.StampsRequired != 5 || got.CustomJS != "alert(1)" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := s.Card(ctx, b.ID, c.Key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's card: got %v", err)
	}
	if _, err := s.UpdateCard(ctx, b.ID, c.Key, store.CardInput{Name: "X"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("updating another merchant's card: got %v", err)
	}
	if list, err := s.Cards(ctx, a.ID); err != nil || len(list) != 2 || list[0].Key != c.Key {
		t.Fatalf("got %d cards, %v", len(list), err)
	}
	if list, _ := s.Cards(ctx, b.ID); len(list) != 0 {
		t.Fatalf("B sees %d cards", len(list))
	}
}

func TestCardRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a := newMerchant(t, s, "A")
	for _, tc := range []struct {
		name  string
		in    store.CardInput
		field string
	}{
		{"NoName", store.CardInput{}, "name"},
		{"ZeroStamps", store.CardInput{Name: "x", StampsRequired: ptr(0)}, "stamps_required"},
		{"NegativeAmount", store.CardInput{Name: "x", DefaultAmount: ptr(ledger.Amount(-1))}, "default_amount"},
		{"NegativeDailyMax", store.CardInput{Name: "x", MaxStampsPerDay: ptr(-1)}, "max_stamps_per_day"},
		{"BadWebhook", store.CardInput{Name: "x", WebhookURL: ptr("hook.example")}, "webhook_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateCard(ctx, a.ID, tc.in)
			wantField(t, err, tc.field)
		})
	}
	if _, err := s.CreateCard(ctx, a.ID+1, store.CardInput{Name: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown merchant: got %v", err)
	}
	if list, _ := s.Cards(ctx, a.ID); len(list) != 0 {
		t.Fatalf("refused input wrote %d cards", len(list))
	}
}

func TestWallets(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := newMerchant(t, s, "A"), newMerchant(t, s, "B")
	w, err := s.CreateWallet(ctx, a.ID, store.WalletInput{Name: "Monedero", CashbackPercent: ptr(ledger.Amount(500))})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(w.Key, store.WalletKeyPrefix) || w.CashbackPercent != 500 || !w.Enabled || w.WebhookSecret == "" {
		t.Fatalf("got %+v", w)
	}
	up, err := s.UpdateWallet(ctx, a.ID, w.Key, store.WalletInput{PointsTTLDays: ptr(30), SaleMessage: ptr(true)})
	if err != nil || up.PointsTTLDays != 30 || !up.SaleMessage || up.CashbackPercent != 500 {
		t.Fatalf("got %+v, %v", up, err)
	}
	if _, err := s.Wallet(ctx, b.ID, w.Key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's wallet: got %v", err)
	}
	_, err = s.UpdateWallet(ctx, a.ID, w.Key, store.WalletInput{CashbackPercent: ptr(ledger.Amount(10001))})
	wantField(t, err, "cashback_percent")
	_, err = s.CreateWallet(ctx, a.ID, store.WalletInput{Name: "x", PointsTTLDays: ptr(-1)})
	wantField(t, err, "points_ttl_days")
	if got, _ := s.Wallet(ctx, a.ID, w.Key); got.CashbackPercent != 500 {
		t.Fatalf("a refused update wrote: %+v", got)
	}
	if list, err := s.Wallets(ctx, a.ID); err != nil || len(list) != 1 {
		t.Fatalf("got %d wallets, %v", len(list), err)
	}
}

func TestBlacklist(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := newMerchant(t, s, "A"), newMerchant(t, s, "B")
	if err := s.BlockPhone(ctx, a.ID, "(55) 1234-5678"); err != nil {
		t.Fatal(err)
	}
	if err := s.BlockPhone(ctx, a.ID, "5512345678"); err != nil {
		t.Fatalf("blocking twice: %v", err)
	}
	for _, tc := range []struct {
		merchant int64
		phone    string
		want     bool
	}{
		{a.ID, "5512345678", true},
		{a.ID, "55 1234 5678", true},
		{b.ID, "5512345678", false},
		{a.ID, "5512345679", false},
	} {
		if got, err := s.IsBlocked(ctx, tc.merchant, tc.phone); err != nil || got != tc.want {
			t.Errorf("IsBlocked(%d, %q) = %v, %v; want %v", tc.merchant, tc.phone, got, err, tc.want)
		}
	}
	if list, _ := s.Blacklist(ctx, a.ID); len(list) != 1 || list[0] != "5512345678" {
		t.Fatalf("got %v", list)
	}
	wantField(t, s.BlockPhone(ctx, a.ID, "123"), "phone")
	if err := s.UnblockPhone(ctx, b.ID, "5512345678"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unblocking in another merchant: got %v", err)
	}
	if err := s.UnblockPhone(ctx, a.ID, "5512345678"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.IsBlocked(ctx, a.ID, "5512345678"); got {
		t.Fatal("still blocked after unblock")
	}
	if err := s.BlockPhone(ctx, b.ID+1, "5512345678"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown merchant: got %v", err)
	}
}
