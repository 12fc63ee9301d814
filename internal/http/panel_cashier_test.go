package http

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// cashierLogin opens the PIN page and logs in; it returns the sale page.
func cashierLogin(t *testing.T, br *browser, key, pin string, want int) *response {
	t.Helper()
	form := br.get("/r/" + key)
	wantStatus(t, form, http.StatusOK)
	res := br.post("/r/"+key+"/login", url.Values{"csrf": {csrfIn(t, form)}, "pin": {pin}})
	wantStatus(t, res, want)
	if want != http.StatusSeeOther {
		return res
	}
	page := br.get("/r/" + key)
	wantStatus(t, page, http.StatusOK)
	return page
}

func TestCashierPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	cashier := itoa(int(p.cashier.ID))
	for _, path := range []string{"/wallet/contact/add", "/loyalty/contact/add"} {
		res := p.post(path, url.Values{"wallet_key": {p.wallet.Key}, "loyalty_key": {p.card.Key}, "phone": {"5511112222"},
			"customer_name": {"Rosa"}, "usertool_id": {cashier}})
		wantStatus(t, res, http.StatusOK)
	}

	br := b.browser()
	wantText(t, br.get("/r/"+p.wallet.Key), "PIN de colaborador")
	wantStatus(t, br.post("/r/"+p.wallet.Key+"/login", url.Values{"pin": {"1234"}}), http.StatusForbidden)
	wantText(t, cashierLogin(t, br, p.wallet.Key, "9999", http.StatusUnauthorized), "PIN incorrecto.")
	page := cashierLogin(t, br, p.wallet.Key, "1234", http.StatusSeeOther)
	wantText(t, page, "Ana", "Monto de la venta")
	csrf := csrfIn(t, page)

	sale := func(form url.Values, want int) *response {
		t.Helper()
		form.Set("csrf", csrf)
		res := br.post("/r/"+p.wallet.Key+"/sale", form)
		wantStatus(t, res, want)
		return res
	}
	sale(url.Values{"phone": {"55 1111"}, "amount": {"10"}}, http.StatusUnprocessableEntity)
	sale(url.Values{"phone": {"5599998888"}, "amount": {"10"}}, http.StatusNotFound)
	sale(url.Values{"phone": {"5511112222"}, "amount": {"abc"}}, http.StatusUnprocessableEntity)
	wantText(t, sale(url.Values{"phone": {"(55) 1111-2222"}, "amount": {"200"}}, http.StatusCreated), "Venta registrada.", "Saldo nuevo 10.00")
	wantText(t, sale(url.Values{"phone": {"5511112222"}, "mode": {"spend"}, "points": {"4.50"}}, http.StatusCreated), "Saldo nuevo 5.50")
	wantText(t, sale(url.Values{"phone": {"5511112222"}, "mode": {"spend"}, "points": {"100"}}, http.StatusUnprocessableEntity), "exceden el saldo")
	sale(url.Values{"phone": {"5511112222"}, "mode": {"spend"}, "points": {"x"}}, http.StatusUnprocessableEntity)
	wantStatus(t, br.post("/r/"+p.wallet.Key+"/sale", url.Values{"csrf": {"forged"}, "phone": {"5511112222"}, "amount": {"1"}}), http.StatusForbidden)

	// The session is bound to its program: the card's page asks for the PIN again.
	wantText(t, br.get("/r/"+p.card.Key), "PIN de colaborador")
	wantStatus(t, br.post("/r/"+p.card.Key+"/sale", url.Values{"csrf": {csrf}, "phone": {"5511112222"}}), http.StatusSeeOther)
	cardPage := cashierLogin(t, br, p.card.Key, "1234", http.StatusSeeOther)
	res := br.post("/r/"+p.card.Key+"/sale", url.Values{"csrf": {csrfIn(t, cardPage)}, "phone": {"5511112222"}, "amount": {"50"}})
	wantStatus(t, res, http.StatusCreated)
	wantText(t, res, "Sellos en la tarjeta 1")

	wantStatus(t, br.post("/r/"+p.card.Key+"/logout", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	wantStatus(t, br.post("/r/"+p.card.Key+"/logout", url.Values{"csrf": {csrfIn(t, cardPage)}}), http.StatusSeeOther)
	wantText(t, br.get("/r/"+p.card.Key), "PIN de colaborador")

	wantStatus(t, br.get("/r/lk_unknown"), http.StatusNotFound)
	wantStatus(t, br.post("/r/lk_unknown/login", url.Values{"pin": {"1234"}}), http.StatusNotFound)
	wantStatus(t, br.post("/r/lk_unknown/sale", url.Values{}), http.StatusNotFound)
	wantStatus(t, br.post("/r/lk_unknown/logout", url.Values{}), http.StatusNotFound)
}

func TestCashierNotPermitted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	none := []string{}
	if _, err := b.store.SetCollaboratorPermissions(t.Context(), p.m.ID, p.cashier.ID, &none, nil); err != nil {
		t.Fatal(err)
	}
	br := b.browser()
	wantText(t, cashierLogin(t, br, p.card.Key, "1234", http.StatusForbidden), "no tiene permisos")
	cashierLogin(t, br, p.wallet.Key, "1234", http.StatusSeeOther)
}

func TestCashierPINThrottled(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	br := b.browser()
	for range loginMaxFailures {
		cashierLogin(t, br, p.wallet.Key, "0000", http.StatusUnauthorized)
	}
	cashierLogin(t, br, p.wallet.Key, "1234", http.StatusTooManyRequests)
}

func TestPanelWebhooks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	got := make(chan http.Header, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(receiver.Close)
	createTestCard(t, b, m, "Café")
	br, csrf := loggedIn(t, b, testOwner, testPassword)

	wantText(t, br.get("/panel/webhooks"), "Aún no hay entregas.")
	wantStatus(t, br.post("/panel/webhooks/test", url.Values{"csrf": {csrf}, "url": {"ftp://x"}}), http.StatusUnprocessableEntity)
	res := br.post("/panel/webhooks/test", url.Values{"csrf": {csrf}, "url": {receiver.URL + "/hook"}})
	wantStatus(t, res, http.StatusOK)
	wantText(t, res, "El receptor respondió HTTP 202.")
	if h := <-got; h.Get("X-Webhook-Event") != "Purchase" {
		t.Errorf("got event %q, want Purchase", h.Get("X-Webhook-Event"))
	}
	wantText(t, br.get("/panel/webhooks?before=0"), "Prueba", receiver.URL+"/hook", "202")
}
