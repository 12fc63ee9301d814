package http

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// frozenLimiter is a limiter of n per period whose clock does not move.
func frozenLimiter(n int, per time.Duration) *limiter {
	l := newLimiter(n, per)
	now := time.Now()
	l.now = func() time.Time { return now }
	return l
}

func TestTokenEndpointLimitedPerIP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.server.tokenLimiter = frozenLimiter(2, time.Minute)
	_, clientID, secret := newMerchantClient(t, b, "America/Mexico_City")
	body := map[string]any{"grant_type": "client_credentials", "client_id": clientID, "client_secret": secret}
	for i := range 2 {
		if r := b.doJSON(http.MethodPost, "/oauth/token", nil, body); r.Status != http.StatusOK {
			t.Fatalf("request %d: got %d %s", i+1, r.Status, r.Body)
		}
	}
	r := b.doJSON(http.MethodPost, "/oauth/token", nil, body)
	if r.Status != http.StatusTooManyRequests || r.JSON(t)["error"] != "too_many_requests" || r.Header.Get("Retry-After") != "30" {
		t.Fatalf("got %d %s Retry-After=%q, want 429 too_many_requests after 30 s", r.Status, r.Body, r.Header.Get("Retry-After"))
	}
}

func TestThirdpartyLimitedPerToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.server.limiter = frozenLimiter(1, time.Second)
	a, other := newTPMerchant(b, "A", ""), newTPMerchant(b, "B", "")
	tpWant(t, a.get("get-shops", url.Values{}), http.StatusOK, "0039")
	r := a.get("get-shops", url.Values{})
	tpWant(t, r, http.StatusTooManyRequests, "2094")
	if r.Header.Get("Retry-After") != "1" {
		t.Fatalf("got Retry-After %q, want 1", r.Header.Get("Retry-After"))
	}
	tpWant(t, other.get("get-shops", url.Values{}), http.StatusOK, "0039") // its own allowance
}
