package http

import (
	"net/http"
	"strings"
	"testing"
)

func TestAdminCards(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	r := b.admin(http.MethodPost, adminPath(a, "/loyalty-cards"), map[string]any{"name": "Café", "default_amount": "50.50",
		"stamps_required": 8, "webhook_url": "https://hook.example/c", "custom_js": "console.log(1)"})
	got := r.JSON(t)
	key, _ := got["loyalty_key"].(string)
	secret, _ := got["webhook_secret"].(string)
	if r.Status != 201 || !strings.HasPrefix(key, "lk_") || !strings.HasPrefix(secret, "whsec_") || got["default_amount"] != 50.5 ||
		got["loyalty_app_client"] != b.cfg.PublicURL+"/c/"+key || got["loyalty_app_redeem"] != b.cfg.PublicURL+"/r/"+key ||
		got["enabled"] != true || got["stamps_required"] != float64(8) {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodPatch, adminPath(a, "/loyalty-cards/"+key), map[string]any{"default_amount": nil, "webhook_url": nil,
		"enabled": false, "max_stamps_per_day": 2})
	got = r.JSON(t)
	if r.Status != 200 || got["default_amount"] != nil || got["webhook_url"] != nil || got["enabled"] != false ||
		got["name"] != "Café" || got["max_stamps_per_day"] != float64(2) || got["webhook_secret"] != nil {
		t.Fatalf("patch: got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, adminPath(a, "/loyalty-cards/"+key), nil)
	if r.Status != 200 || strings.Contains(string(r.Body), secret) || r.JSON(t)["custom_js"] != "console.log(1)" {
		t.Fatalf("get: got %d %s (the secret must not appear)", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, adminPath(a, "/loyalty-cards"), nil)
	if list := r.JSON(t)["loyalty_cards"].([]any); len(list) != 1 || strings.Contains(string(r.Body), secret) {
		t.Fatalf("list: %s", r.Body)
	}
	// Another merchant's card is unknown to it and unchanged by it.
	wantAdminError(t, b.admin(http.MethodGet, adminPath(other, "/loyalty-cards/"+key), nil), 404, "not_found", "")
	wantAdminError(t, b.admin(http.MethodPatch, adminPath(other, "/loyalty-cards/"+key), map[string]any{"name": "X"}), 404, "not_found", "")
	if c, _ := b.store.Card(t.Context(), a, key); c.Name != "Café" {
		t.Fatalf("another merchant renamed the card to %q", c.Name)
	}
}

func TestAdminCardRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a := b.newMerchant("A")
	for _, tc := range []struct {
		name  string
		body  map[string]any
		code  string
		field string
	}{
		{"MissingName", map[string]any{"stamps_required": 5}, "invalid_field", "name"},
		{"EmptyName", map[string]any{"name": ""}, "invalid_field", "name"},
		{"ZeroStamps", map[string]any{"name": "x", "stamps_required": 0}, "invalid_field", "stamps_required"},
		{"StampsNotNumber", map[string]any{"name": "x", "stamps_required": "ten"}, "invalid_field", "stamps_required"},
		{"AmountThreePlaces", map[string]any{"name": "x", "default_amount": 1.005}, "invalid_field", "default_amount"},
		{"AmountNegative", map[string]any{"name": "x", "default_amount": -5}, "invalid_field", "default_amount"},
		{"AmountExponent", map[string]any{"name": "x", "default_amount": "1e3"}, "invalid_field", "default_amount"},
		{"WebhookNotURL", map[string]any{"name": "x", "webhook_url": "hook"}, "invalid_field", "webhook_url"},
		{"EnabledNull", map[string]any{"name": "x", "enabled": nil}, "invalid_field", "enabled"},
		{"UnknownField", map[string]any{"name": "x", "stamps": 5}, "unknown_field", "stamps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/loyalty-cards"), tc.body), 422, tc.code, tc.field)
		})
	}
	if cs, _ := b.store.Cards(t.Context(), a); len(cs) != 0 {
		t.Fatalf("refused input wrote %d cards", len(cs))
	}
	wantAdminError(t, b.admin(http.MethodPatch, adminPath(a, "/loyalty-cards/lk_missing"), map[string]any{}), 404, "not_found", "")
}

func TestAdminWallets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	r := b.admin(http.MethodPost, adminPath(a, "/wallets"), map[string]any{"name": "Monedero", "cashback_percent": 5.25, "points_ttl_days": 90})
	got := r.JSON(t)
	key, _ := got["wallet_key"].(string)
	secret, _ := got["webhook_secret"].(string)
	if r.Status != 201 || !strings.HasPrefix(key, "wk_") || secret == "" || got["cashback_percent"] != 5.25 ||
		got["wallet_app_client"] != b.cfg.PublicURL+"/c/"+key || got["wallet_app_redeem"] != b.cfg.PublicURL+"/r/"+key {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	if w, _ := b.store.Wallet(t.Context(), a, key); w.CashbackPercent != 525 {
		t.Fatalf("stored cashback %d hundredths, want 525", w.CashbackPercent)
	}
	r = b.admin(http.MethodPatch, adminPath(a, "/wallets/"+key), map[string]any{"cashback_percent": "10", "sale_message": true})
	if got := r.JSON(t); r.Status != 200 || got["cashback_percent"] != float64(10) || got["sale_message"] != true || got["points_ttl_days"] != float64(90) {
		t.Fatalf("patch: got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, adminPath(a, "/wallets/"+key), nil)
	if r.Status != 200 || strings.Contains(string(r.Body), secret) {
		t.Fatalf("get: got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, adminPath(a, "/wallets"), nil)
	if list := r.JSON(t)["wallets"].([]any); len(list) != 1 {
		t.Fatalf("list: %s", r.Body)
	}
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"Over100", map[string]any{"cashback_percent": 100.01}, "cashback_percent"},
		{"NullPercent", map[string]any{"cashback_percent": nil}, "cashback_percent"},
		{"NegativeTTL", map[string]any{"points_ttl_days": -1}, "points_ttl_days"},
		{"FlagNotBool", map[string]any{"ticket_required": 1}, "ticket_required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAdminError(t, b.admin(http.MethodPatch, adminPath(a, "/wallets/"+key), tc.body), 422, "invalid_field", tc.field)
		})
	}
	wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/wallets"), map[string]any{"cashback_percent": 5}), 422, "invalid_field", "name")
	wantAdminError(t, b.admin(http.MethodGet, adminPath(other, "/wallets/"+key), nil), 404, "not_found", "")
	wantAdminError(t, b.admin(http.MethodPatch, adminPath(other, "/wallets/"+key), map[string]any{"enabled": false}), 404, "not_found", "")
	if w, _ := b.store.Wallet(t.Context(), a, key); !w.Enabled || w.CashbackPercent != 1000 {
		t.Fatalf("refused changes wrote: %+v", w)
	}
}

func TestAdminBlacklist(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	r := b.admin(http.MethodPut, adminPath(a, "/blacklist/55-1234-5678"), nil)
	if got := r.JSON(t); r.Status != 200 || got["phone"] != "5512345678" || got["blocked"] != true {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	if r := b.admin(http.MethodPut, adminPath(a, "/blacklist/5512345678"), nil); r.Status != 200 {
		t.Fatalf("blocking again: got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, adminPath(a, "/blacklist"), nil)
	if list := r.JSON(t)["phones"].([]any); len(list) != 1 || list[0] != "5512345678" {
		t.Fatalf("list: %s", r.Body)
	}
	wantAdminError(t, b.admin(http.MethodPut, adminPath(a, "/blacklist/12345"), nil), 422, "invalid_field", "phone")
	wantAdminError(t, b.admin(http.MethodDelete, adminPath(a, "/blacklist/12345"), nil), 422, "invalid_field", "phone")
	wantAdminError(t, b.admin(http.MethodDelete, adminPath(other, "/blacklist/5512345678"), nil), 404, "not_found", "")
	if blocked, _ := b.store.IsBlocked(t.Context(), a, "5512345678"); !blocked {
		t.Fatal("another merchant unblocked the phone")
	}
	if r := b.admin(http.MethodDelete, adminPath(a, "/blacklist/5512345678"), nil); r.Status != 204 {
		t.Fatalf("unblock: got %d %s", r.Status, r.Body)
	}
	wantAdminError(t, b.admin(http.MethodDelete, adminPath(a, "/blacklist/5512345678"), nil), 404, "not_found", "")
}
