package http

import (
	"net/http"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func TestAPIKeyIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	p.enroll(store.ProgramWallet, phone)
	const path = "/wallet/sale"
	h := map[string]string{"apikey": p.key, "Idempotency-Key": "till-7-sale-42", "Content-Type": "application/x-www-form-urlencoded"}
	body := []byte(p.walletSale(phone, "0").Encode())
	first := b.do(http.MethodPost, path, h, body)
	expectCode(t, first, path, 200, "new_sale_01")
	before := p.snapshot()
	again := b.do(http.MethodPost, path, h, body)
	expectCode(t, again, path, 200, "new_sale_01")
	if string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" || p.snapshot() != before {
		t.Fatalf("replay: got %s (%v), want the first answer and nothing written", again.Body, again.Header)
	}
	other := b.do(http.MethodPost, path, h, []byte(p.walletSale(phone, "0", "transaction_amount", "7").Encode()))
	expectCode(t, other, path, 422, "idempotency_02")
	h["Idempotency-Key"] = strings.Repeat("k", 256)
	expectCode(t, b.do(http.MethodPost, path, h, body), path, 422, "idempotency_01")
	if p.snapshot() != before {
		t.Fatal("refused Idempotency-Key requests wrote")
	}
}
