package http

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

// TestWelcomeMessageLinksTheCustomerPage: the welcome message carries the
// contact's signed customer page, which opens that contact's balance.
func TestWelcomeMessageLinksTheCustomerPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	texts := make(chan string, 1)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m store.Message
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &m)
		texts <- m.Text
	}))
	t.Cleanup(gateway.Close)
	ctx := t.Context()
	if _, err := b.store.UpdateMerchant(ctx, p.m.ID, store.MerchantPatch{MessagingChannel: store.Some("http"), MessagingURL: store.Some(gateway.URL)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.UpdateWallet(ctx, p.m.ID, p.wallet.Key, store.WalletInput{WelcomeMessage: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	res := p.post("/wallet/contact/add", url.Values{"wallet_key": {p.wallet.Key}, "phone": {"5544443333"},
		"customer_name": {"Irene"}, "usertool_id": {itoa(int(p.cashier.ID))}})
	wantStatus(t, res, http.StatusOK)
	if _, err := b.server.outbox.deliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	text := <-texts
	prefix := b.cfg.PublicURL + "/c/" + p.wallet.Key + "/"
	i := strings.Index(text, prefix)
	if !strings.HasPrefix(text, "¡Hola Irene!") || i < 0 {
		t.Fatalf("got welcome %q, want a greeting and a link starting %s", text, prefix)
	}
	page := b.browser().get(strings.TrimPrefix(strings.Fields(text[i:])[0], b.cfg.PublicURL))
	wantStatus(t, page, http.StatusOK)
	wantText(t, page, "Hola, Irene.", "Tu saldo")
}
