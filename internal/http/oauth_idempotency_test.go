package http

import (
	"net/http"
	"strings"
	"testing"
)

func TestAPIIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	post := func(key string, body any) *response {
		return b.doJSON(http.MethodPost, "/api/transaction", c.auth(map[string]string{"Idempotency-Key": key}), body)
	}
	body := txBody("POINTS ORDER", "", 10, "cu") // no code: only the header protects it
	var first, again apiTx
	wantOK(t, post("k-1", body), &first)
	r := post("k-1", body)
	wantOK(t, r, &again)
	if again.ID != first.ID || r.Header.Get("Idempotent-Replayed") != "true" || again.Customer.balance("POINTS") != "10.00" {
		t.Fatalf("got %+v (replayed %q), want the first answer replayed", again, r.Header.Get("Idempotent-Replayed"))
	}
	wantField(t, post("k-1", txBody("POINTS ORDER", "", 11, "cu")), "Idempotency-Key")
	wantField(t, post(strings.Repeat("k", 300), body), "Idempotency-Key")
	var n int
	_ = b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM ledger_transactions WHERE merchant_id = $1`, c.merchantID).Scan(&n)
	if n != 1 {
		t.Fatalf("got %d transactions, want 1", n)
	}
}
