package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestOAuthToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, client, secret := newMerchantClient(t, b, "America/Mexico_City")
	id := strconv.FormatInt(client, 10)
	tests := []struct {
		name       string
		do         func() *response
		wantStatus int
		wantError  string
	}{
		{"JSONNumberClientID", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": client, "client_secret": secret})
		}, 200, ""},
		{"JSONStringClientID", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": id, "client_secret": secret})
		}, 200, ""},
		{"FormBody", func() *response {
			return b.doForm("/oauth/token", nil, url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
		}, 200, ""},
		{"BasicAuth", func() *response {
			req := url.Values{"grant_type": {"client_credentials"}}
			r, _ := http.NewRequest("", "http://x", nil)
			r.SetBasicAuth(id, secret)
			return b.doForm("/oauth/token", map[string]string{"Authorization": r.Header.Get("Authorization")}, req)
		}, 200, ""},
		{"WrongSecret", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": client, "client_secret": secret + "x"})
		}, 401, "invalid_client"},
		{"UnknownClient", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": client + 1000, "client_secret": secret})
		}, 401, "invalid_client"},
		{"NonNumericClient", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": "abc", "client_secret": secret})
		}, 401, "invalid_client"},
		{"UnsupportedGrant", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "password", "client_id": client, "client_secret": secret})
		}, 400, "unsupported_grant_type"},
		{"MissingGrant", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"client_id": client, "client_secret": secret})
		}, 400, "invalid_request"},
		{"MissingSecret", func() *response {
			return b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": client})
		}, 400, "invalid_request"},
		{"MalformedJSON", func() *response {
			return b.do(http.MethodPost, "/oauth/token", map[string]string{"Content-Type": "application/json"}, []byte("{"))
		}, 400, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do()
			body := r.JSON(t)
			if r.Status != tc.wantStatus {
				t.Fatalf("got %d %s, want %d", r.Status, r.Body, tc.wantStatus)
			}
			if tc.wantError != "" {
				if body["error"] != tc.wantError || body["message"] != body["error_description"] {
					t.Fatalf("got %s, want error %q", r.Body, tc.wantError)
				}
				if tc.wantError == "invalid_client" && body["message"] != "Client authentication failed" {
					t.Fatalf("got message %v", body["message"])
				}
				return
			}
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(31536000) || len(body["access_token"].(string)) < 40 {
				t.Fatalf("got %s, want a Bearer token for one year", r.Body)
			}
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("got Cache-Control %q", r.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestOAuthTokenStoredAsHashAndSurvivesServers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	var n int
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM oauth_tokens WHERE token_hash = sha256($1::bytea)`, []byte(c.token)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("got %d rows with the token's hash (err %v), want 1", n, err)
	}
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM oauth_tokens WHERE position($1::bytea in token_hash) > 0`, []byte(c.token)).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the token is stored in clear (%d, %v)", n, err)
	}
	// A second server on the same database (another process) accepts it.
	other := NewServer(b.store, b.cfg, b.server.log)
	req, _ := http.NewRequest(http.MethodGet, "/api/customer/findByExternalId?externalId=x", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	rec := newRecorder()
	other.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("other server: got %d %s", rec.Code, rec.Body)
	}
}

func TestBearerAuthentication(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	expired := newAPIClient(t, b)
	if _, err := b.store.Pool().Exec(t.Context(), `UPDATE oauth_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE merchant_id = $1`, expired.merchantID); err != nil {
		t.Fatal(err)
	}
	revokedClient := newAPIClient(t, b)
	if _, err := b.store.Pool().Exec(t.Context(), `UPDATE oauth_clients SET revoked_at = now() WHERE merchant_id = $1`, revokedClient.merchantID); err != nil {
		t.Fatal(err)
	}
	path := "/api/customer/findByExternalId?externalId=x"
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"OK", c.auth(nil), 200},
		{"NoHeader", nil, 401},
		{"NotBearer", map[string]string{"Authorization": "Basic abc"}, 401},
		{"UnknownToken", map[string]string{"Authorization": "Bearer " + strings.Repeat("A", 43)}, 401},
		{"ExpiredToken", expired.auth(nil), 401},
		{"RevokedClient", revokedClient.auth(nil), 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.doJSON(http.MethodGet, path, tc.header, nil)
			if tc.want == 200 {
				wantOK(t, r, nil)
				return
			}
			wantError(t, r, 401, "Unauthenticated")
		})
	}
}

func TestAPIUnknownRouteAndMethod(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	wantError(t, c.get("/api/nothing/here"), 404, "404 Not Found")
	wantError(t, c.b.doJSON(http.MethodDelete, "/api/group/default", c.auth(nil), nil), 405, "405 Method Not Allowed")
	wantError(t, c.post("/api/customer/findByExternalId", map[string]any{}), 405, "405 Method Not Allowed")
}

func TestAPIRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	lim := newLimiter(2, time.Second)
	frozen := time.Now()
	lim.now = func() time.Time { return frozen }
	b.server.limiter = lim
	c := newAPIClient(t, b)
	other := newAPIClient(t, b)
	path := "/api/customer/findByExternalId?externalId=x"
	var limited bool
	for i := 0; i < 4 && !limited; i++ {
		r := c.get(path)
		if r.Status == http.StatusTooManyRequests {
			wantError(t, r, 429, "Too Many Attempts.")
			if r.Header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
			limited = true
		}
	}
	if !limited {
		t.Fatal("got no 429 after 4 requests with a limit of 2 per second")
	}
	wantOK(t, other.get(path), nil) // another credential has its own allowance
}
