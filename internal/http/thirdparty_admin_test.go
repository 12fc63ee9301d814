package http

import (
	"net/http"
	"net/url"
	"testing"
)

func TestAdminLinkShopWallet(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop := c.addShop("Centro")
	w := tpWallet(c, shop, 500, 0)
	path := func(m *tpClient, code string) string {
		return "/merchants/" + itoa(int(m.merchantID)) + "/shops/" + code + "/wallet"
	}

	r := b.admin(http.MethodPut, path(c, shop), map[string]any{"wallet_key": nil})
	if got := r.JSON(t); r.Status != 200 || got["code"] != shop || got["name"] != "Centro" || got["wallet_key"] != nil {
		t.Fatalf("unlink: got %d %s", r.Status, r.Body)
	}
	if d := tpWant(t, c.get("show-shop", url.Values{"code": {shop}}), 200, "2007"); d["has_wallet"] != 0.0 {
		t.Fatalf("got %v after unlinking, want has_wallet 0", d)
	}
	r = b.admin(http.MethodPut, path(c, shop), map[string]any{"wallet_key": w.Key})
	if got := r.JSON(t); r.Status != 200 || got["wallet_key"] != w.Key {
		t.Fatalf("link: got %d %s", r.Status, r.Body)
	}

	otherShop := other.addShop("B")
	otherWallet := tpWallet(other, otherShop, 500, 0)
	tests := []struct {
		name   string
		path   string
		body   any
		status int
		field  string
	}{
		{"ErrShopUnknown", path(c, "pgbsho00000000000000000000"), map[string]any{"wallet_key": w.Key}, 404, "code"},
		{"ErrShopOfAnotherMerchant", path(c, otherShop), map[string]any{"wallet_key": w.Key}, 404, "code"},
		{"ErrWalletUnknown", path(c, shop), map[string]any{"wallet_key": "nope"}, 404, "wallet_key"},
		{"ErrWalletOfAnotherMerchant", path(c, shop), map[string]any{"wallet_key": otherWallet.Key}, 404, "wallet_key"},
		{"ErrWalletKeyMissing", path(c, shop), map[string]any{}, 422, "wallet_key"},
		{"ErrWalletKeyNotString", path(c, shop), map[string]any{"wallet_key": 7}, 422, "wallet_key"},
		{"ErrUnknownField", path(c, shop), map[string]any{"wallet": w.Key}, 422, "wallet"},
	}
	for _, tt := range tests {
		r := b.admin(http.MethodPut, tt.path, tt.body)
		got := r.JSON(t)
		t.Run(tt.name, func(t *testing.T) {
			errObj, _ := got["error"].(map[string]any)
			if r.Status != tt.status || errObj == nil || errObj["field"] != tt.field {
				t.Errorf("got %d %s, want %d naming %q", r.Status, r.Body, tt.status, tt.field)
			}
		})
	}
	if d := tpWant(t, c.get("show-shop", url.Values{"code": {shop}}), 200, "2007"); d["wallet_key"] != w.Key {
		t.Fatalf("got %v, want the link unchanged by refused calls", d["wallet_key"])
	}
	r = b.doJSON(http.MethodPut, "/admin/v1"+path(c, shop), nil, map[string]any{"wallet_key": nil})
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("without the operator token: got %d", r.Status)
	}
}

// A token issued by the admin API works until the admin API revokes it;
// only its SHA-256 is stored.
func TestThirdpartyTokenFromTheAdminAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.admin(http.MethodPost, "/merchants", map[string]any{"name": "Velas"})
	if r.Status != http.StatusCreated {
		t.Fatalf("create merchant: got %d %s", r.Status, r.Body)
	}
	id := itoa(int(r.JSON(t)["id"].(float64)))
	r = b.admin(http.MethodPost, "/merchants/"+id+"/thirdparty-tokens", map[string]any{})
	if r.Status != http.StatusCreated {
		t.Fatalf("issue token: got %d %s", r.Status, r.Body)
	}
	issued := r.JSON(t)
	token := issued["token"].(string)
	var stored int
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM thirdparty_tokens WHERE token_hash = sha256($1::bytea)`, []byte(token)).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("got %d rows holding the token's SHA-256 (%v), want 1", stored, err)
	}
	c := &tpClient{t: t, b: b, token: token}
	shop := c.addShop("Centro")
	c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})

	tokenID := itoa(int(issued["id"].(float64)))
	if r := b.admin(http.MethodDelete, "/merchants/"+id+"/thirdparty-tokens/"+tokenID, nil); r.Status >= 300 {
		t.Fatalf("revoke: got %d %s", r.Status, r.Body)
	}
	tpWant(t, c.post("add-customer", url.Values{"code_shop": {shop}, "name": {"Mario"}}), 401, "1276")
	tpWant(t, c.get("get-shops", nil), 401, "1192")
}
