package http

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The order's code is ours, so a client that lost the answer retries with
// the same Idempotency-Key and gets the same order, counted once.
func TestThirdpartyAddOrderRetriedWithIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	shop := c.addShop("Centro")
	cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})["code"].(string)
	form := url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"10"}}
	h := c.auth()
	h["Idempotency-Key"] = "order-42"

	first := b.doForm("/api/thirdparty/v1/add-order", h, form)
	again := b.doForm("/api/thirdparty/v1/add-order", h, form)
	d1, d2 := tpWant(t, first, 200, "2037"), tpWant(t, again, 200, "2037")
	if d1["code"] != d2["code"] || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("got %v then %v (replayed %q), want the first order replayed", d1["code"], d2["code"], again.Header.Get("Idempotent-Replayed"))
	}
	if n := tpCount(b, "thirdparty_orders"); n != 1 {
		t.Fatalf("got %d orders, want 1", n)
	}
	if got := tpWant(t, c.get("show-customer", url.Values{"code": {cust}}), 200, "0062"); got["total_orders"] != 1.0 {
		t.Fatalf("got %v orders counted, want 1", got["total_orders"])
	}

	other := url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"11"}}
	tpWant(t, b.doForm("/api/thirdparty/v1/add-order", h, other), 422, "2092")
	h["Idempotency-Key"] = strings.Repeat("k", 256)
	tpWant(t, b.doForm("/api/thirdparty/v1/add-order", h, form), 422, "2091")
	if n := tpCount(b, "thirdparty_orders"); n != 1 {
		t.Fatalf("got %d orders after refused retries, want 1", n)
	}
}

// Every POST method takes the key: the first answer is replayed, a key
// whose first request still runs is 2093, and a key that cannot be checked
// is the method's storage failure.
func TestThirdpartyIdempotencyOnEveryPost(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	shop := c.addShop("Centro")
	cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})["code"].(string)
	tests := []struct {
		method   string
		form     url.Values
		internal string
	}{
		{"add-shop", url.Values{"name": {"Norte"}}, "2006"},
		{"add-agent", url.Values{"code_shop": {shop}, "name": {"Ana"}, "email": {"ana@example.com"}, "password": {"12345678"}}, "2020"},
		{"add-customer", url.Values{"code_shop": {shop}, "name": {"Maria"}}, "1290"},
		{"add-order", url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"5"}}, "2047"},
	}
	path := func(m string) string { return "/api/thirdparty/v1/" + m }
	for _, tt := range tests {
		h := c.auth()
		h["Idempotency-Key"] = "replay-" + tt.method
		okCode := tpCodes[tt.method][tpOK].Code
		d1 := tpWant(t, b.doForm(path(tt.method), h, tt.form), 200, okCode)
		d2 := tpWant(t, b.doForm(path(tt.method), h, tt.form), 200, okCode)
		if d1["code"] != d2["code"] {
			t.Errorf("%s: got %v then %v, want the first answer replayed", tt.method, d1["code"], d2["code"])
		}

		// A reservation left by a request still running (same fingerprint).
		body := tt.form.Encode()
		req, _ := http.NewRequest(http.MethodPost, path(tt.method), strings.NewReader(body))
		if _, reserved, err := b.store.ReserveIdemKey(t.Context(), c.merchantID, "busy-"+tt.method, http.MethodPost, path(tt.method), fingerprint(req, []byte(body))); err != nil || !reserved {
			t.Fatalf("reserve: %v %v", reserved, err)
		}
		h["Idempotency-Key"] = "busy-" + tt.method
		tpWant(t, b.doForm(path(tt.method), h, tt.form), 409, "2093")
	}

	tpBreakReads(b, "idempotency_keys")
	for _, tt := range tests {
		h := c.auth()
		h["Idempotency-Key"] = "broken-" + tt.method
		tpWant(t, b.doForm(path(tt.method), h, tt.form), 500, tt.internal)
	}
}
