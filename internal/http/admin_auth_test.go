package http

import (
	"net/http"
	"testing"
)

// adminOperations lists one call per admin operation, for the tests that
// must hold on every one of them.
func adminOperations(m int64) []struct{ method, path string } {
	return []struct{ method, path string }{
		{http.MethodGet, "/merchants"},
		{http.MethodPost, "/merchants"},
		{http.MethodGet, adminPath(m, "")},
		{http.MethodPatch, adminPath(m, "")},
		{http.MethodGet, adminPath(m, "/apikeys")},
		{http.MethodPost, adminPath(m, "/apikeys")},
		{http.MethodDelete, adminPath(m, "/apikeys/1")},
		{http.MethodGet, adminPath(m, "/oauth-clients")},
		{http.MethodPost, adminPath(m, "/oauth-clients")},
		{http.MethodDelete, adminPath(m, "/oauth-clients/1")},
		{http.MethodGet, adminPath(m, "/thirdparty-tokens")},
		{http.MethodPost, adminPath(m, "/thirdparty-tokens")},
		{http.MethodDelete, adminPath(m, "/thirdparty-tokens/1")},
		{http.MethodGet, adminPath(m, "/loyalty-cards")},
		{http.MethodPost, adminPath(m, "/loyalty-cards")},
		{http.MethodGet, adminPath(m, "/loyalty-cards/lk_x")},
		{http.MethodPatch, adminPath(m, "/loyalty-cards/lk_x")},
		{http.MethodGet, adminPath(m, "/wallets")},
		{http.MethodPost, adminPath(m, "/wallets")},
		{http.MethodGet, adminPath(m, "/wallets/wk_x")},
		{http.MethodPatch, adminPath(m, "/wallets/wk_x")},
		{http.MethodGet, adminPath(m, "/blacklist")},
		{http.MethodPut, adminPath(m, "/blacklist/5512345678")},
		{http.MethodDelete, adminPath(m, "/blacklist/5512345678")},
		{http.MethodGet, adminPath(m, "/collaborators")},
		{http.MethodPost, adminPath(m, "/collaborators")},
		{http.MethodPut, adminPath(m, "/collaborators/1/permissions")},
		{http.MethodPost, adminPath(m, "/panel-users")},
	}
}

func TestAdminRefusesWithoutTheToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.newMerchant("A")
	for _, auth := range []string{"", "Bearer wrong-token", "Basic " + testAdminToken, testAdminToken, "Bearer " + testAdminToken + "x"} {
		for _, op := range adminOperations(m) {
			r := b.adminAs(auth, op.method, op.path, map[string]any{"name": "X"})
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("%s %s with %q: got %d %s, want 401", op.method, op.path, auth, r.Status, r.Body)
			}
			wantAdminError(t, r, http.StatusUnauthorized, "unauthorized", "")
		}
	}
	// Nothing was written by the refused calls.
	if ms, _ := b.store.Merchants(t.Context()); len(ms) != 1 {
		t.Fatalf("got %d merchants after refused calls, want 1", len(ms))
	}
}

func TestAdminRefusesEverythingWithoutAdminToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.server.cfg.AdminToken = ""
	for _, auth := range []string{"", "Bearer ", "Bearer " + testAdminToken} {
		r := b.adminAs(auth, http.MethodGet, "/merchants", nil)
		wantAdminError(t, r, http.StatusUnauthorized, "unauthorized", "")
	}
}

func TestAdminUnknownMerchant(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.newMerchant("A")
	for _, op := range adminOperations(m + 1000)[2:] {
		r := b.admin(op.method, op.path, map[string]any{})
		wantAdminError(t, r, http.StatusNotFound, "not_found", "")
	}
	r := b.admin(http.MethodGet, "/merchants/abc", nil)
	wantAdminError(t, r, http.StatusNotFound, "not_found", "")
}

func TestAdminUnknownRouteAndMethodKeepTheShape(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.admin(http.MethodGet, "/nothing-here", nil)
	wantAdminError(t, r, http.StatusNotFound, "not_found", "")
	r = b.admin(http.MethodDelete, "/merchants", nil)
	wantAdminError(t, r, http.StatusMethodNotAllowed, "method_not_allowed", "")
}
