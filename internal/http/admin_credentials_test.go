package http

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAdminAPIKeys(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	r := b.admin(http.MethodPost, adminPath(a, "/apikeys"), map[string]any{})
	got := r.JSON(t)
	key, _ := got["apikey"].(string)
	if r.Status != http.StatusCreated || !strings.HasPrefix(key, "pk_") {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	id := int64(got["id"].(float64))
	// An empty body is as good as {}.
	if r := b.do(http.MethodPost, "/admin/v1"+adminPath(a, "/apikeys"), map[string]string{"Authorization": "Bearer " + testAdminToken}, nil); r.Status != 201 {
		t.Fatalf("no body: got %d %s", r.Status, r.Body)
	}
	if m, err := b.store.MerchantByAPIKey(t.Context(), key); err != nil || m.ID != a {
		t.Fatalf("the key does not authenticate: %v", err)
	}
	r = b.admin(http.MethodGet, adminPath(a, "/apikeys"), nil)
	if list := r.JSON(t)["apikeys"].([]any); r.Status != 200 || len(list) != 2 || strings.Contains(string(r.Body), key) {
		t.Fatalf("list: got %d %s (the secret must not appear)", r.Status, r.Body)
	}
	wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/apikeys"), map[string]any{"name": "x"}), 422, "unknown_field", "name")
	// Another merchant's key is unknown to it, and stays valid.
	wantAdminError(t, b.admin(http.MethodDelete, adminPath(other, fmt.Sprintf("/apikeys/%d", id)), nil), 404, "not_found", "")
	wantAdminError(t, b.admin(http.MethodDelete, adminPath(a, "/apikeys/abc"), nil), 404, "not_found", "")
	if _, err := b.store.MerchantByAPIKey(t.Context(), key); err != nil {
		t.Fatalf("a refused revoke revoked the key: %v", err)
	}
	if r := b.admin(http.MethodDelete, adminPath(a, fmt.Sprintf("/apikeys/%d", id)), nil); r.Status != http.StatusNoContent {
		t.Fatalf("revoke: got %d %s", r.Status, r.Body)
	}
	if _, err := b.store.MerchantByAPIKey(t.Context(), key); err == nil {
		t.Fatal("the revoked key still authenticates")
	}
	r = b.admin(http.MethodGet, adminPath(a, "/apikeys"), nil)
	if first := r.JSON(t)["apikeys"].([]any)[0].(map[string]any); first["revoked_at"] == nil {
		t.Fatalf("list after revoke: %s", r.Body)
	}
}

func TestAdminOAuthClients(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	r := b.admin(http.MethodPost, adminPath(a, "/oauth-clients"), map[string]any{"name": "POS"})
	got := r.JSON(t)
	secret, _ := got["client_secret"].(string)
	clientID, _ := got["client_id"].(float64)
	if r.Status != 201 || !strings.HasPrefix(secret, "cs_") || clientID == 0 {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	if m, err := b.store.MerchantByOAuthClient(t.Context(), int64(clientID), secret); err != nil || m.ID != a {
		t.Fatalf("the client does not authenticate: %v", err)
	}
	wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/oauth-clients"), map[string]any{}), 422, "invalid_field", "name")
	wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/oauth-clients"), map[string]any{"name": ""}), 422, "invalid_field", "name")
	r = b.admin(http.MethodGet, adminPath(a, "/oauth-clients"), nil)
	if list := r.JSON(t)["oauth_clients"].([]any); len(list) != 1 || strings.Contains(string(r.Body), secret) {
		t.Fatalf("list: %s", r.Body)
	}
	path := fmt.Sprintf("/oauth-clients/%d", int64(clientID))
	wantAdminError(t, b.admin(http.MethodDelete, adminPath(other, path), nil), 404, "not_found", "")
	if r := b.admin(http.MethodDelete, adminPath(a, path), nil); r.Status != 204 {
		t.Fatalf("revoke: got %d %s", r.Status, r.Body)
	}
	if _, err := b.store.MerchantByOAuthClient(t.Context(), int64(clientID), secret); err == nil {
		t.Fatal("the revoked client still authenticates")
	}
}

func TestAdminThirdpartyTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	r := b.admin(http.MethodPost, adminPath(a, "/thirdparty-tokens"), map[string]any{})
	got := r.JSON(t)
	tok, _ := got["token"].(string)
	if r.Status != 201 || !strings.HasPrefix(tok, "tp_") {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	path := fmt.Sprintf("/thirdparty-tokens/%d", int64(got["id"].(float64)))
	r = b.admin(http.MethodGet, adminPath(a, "/thirdparty-tokens"), nil)
	if list := r.JSON(t)["thirdparty_tokens"].([]any); len(list) != 1 || strings.Contains(string(r.Body), tok) {
		t.Fatalf("list: %s", r.Body)
	}
	wantAdminError(t, b.admin(http.MethodDelete, adminPath(other, path), nil), 404, "not_found", "")
	if r := b.admin(http.MethodDelete, adminPath(a, path), nil); r.Status != 204 {
		t.Fatalf("revoke: got %d %s", r.Status, r.Body)
	}
	if _, err := b.store.MerchantByThirdpartyToken(t.Context(), tok); err == nil {
		t.Fatal("the revoked token still authenticates")
	}
}
