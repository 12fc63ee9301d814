package http

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestNoSecretInLogs issues every kind of secret, uses each (and wrong
// ones) on every API family, then reads the whole server log: no secret may
// appear in it, in any form the client sent it.
func TestNoSecretInLogs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.newMerchant("Secretos")
	secret := func(r *response, key string) string {
		t.Helper()
		s, _ := r.JSON(t)[key].(string)
		if s == "" {
			t.Fatalf("no %s in %s", key, r.Body)
		}
		return s
	}
	apikey := secret(b.admin(http.MethodPost, adminPath(m, "/apikeys"), map[string]any{}), "apikey")
	client := b.admin(http.MethodPost, adminPath(m, "/oauth-clients"), map[string]any{"name": "pos"})
	clientSecret := secret(client, "client_secret")
	clientID := client.JSON(t)["client_id"]
	tpToken := secret(b.admin(http.MethodPost, adminPath(m, "/thirdparty-tokens"), map[string]any{}), "token")
	hookSecret := secret(b.admin(http.MethodPost, adminPath(m, "/wallets"), map[string]any{"name": "W", "cashback_percent": "5.00"}), "webhook_secret")

	tok := b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": clientID, "client_secret": clientSecret})
	accessToken := secret(tok, "access_token")
	b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": clientID, "client_secret": clientSecret + "x"})

	b.do(http.MethodPost, "/toolusers/get", map[string]string{"apikey": apikey}, nil)
	b.do(http.MethodPost, "/toolusers/get", map[string]string{"apikey": apikey + "x"}, nil)
	b.doJSON(http.MethodGet, "/api/customer/findByExternalId?externalId=c1", map[string]string{"Authorization": "Bearer " + accessToken}, nil)
	b.doJSON(http.MethodGet, "/api/customer/findByExternalId?externalId=c1", map[string]string{"Authorization": "Bearer " + accessToken + "x"}, nil)
	b.doJSON(http.MethodGet, "/api/thirdparty/v1/get-shops", map[string]string{"Authorization": "Bearer " + tpToken}, nil)
	b.doJSON(http.MethodGet, "/api/thirdparty/v1/get-shops", map[string]string{"Authorization": "Bearer " + tpToken + "x"}, nil)
	b.adminAs("Bearer "+testAdminToken+"x", http.MethodGet, adminPath(m, ""), nil)

	logs := b.logs.String()
	if !strings.Contains(logs, fmt.Sprintf(`"merchant_id":%d`, m)) {
		t.Fatalf("the log does not look like a full run: %s", logs)
	}
	for name, s := range map[string]string{"apikey": apikey, "client secret": clientSecret, "access token": accessToken,
		"third-party token": tpToken, "webhook secret": hookSecret, "admin token": testAdminToken} {
		if strings.Contains(logs, s) || (len(s) > 12 && strings.Contains(logs, s[len(s)-12:])) {
			t.Errorf("the %s appears in the server log", name)
		}
	}
}
