package http

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// TestTenantIsolationPOS calls every apikey endpoint that names an object
// with merchant A's key on merchant B's card, wallet and collaborator: each
// answers as if the object did not exist, and B's data is unchanged.
func TestTenantIsolationPOS(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, victim := newPOS(t, b), newPOS(t, b)
	phone := "4775550000"
	bUser := strconv.FormatInt(victim.cashier.ID, 10)
	expectCode(t, victim.post("/wallet/contact/add", url.Values{"wallet_key": {victim.wallet.Key}, "phone": {phone},
		"customer_name": {"Beto"}, "usertool_id": {bUser}}), "/wallet/contact/add", 200, "contact_add_01")
	expectCode(t, victim.post("/loyalty/contact/add", url.Values{"loyalty_key": {victim.card.Key}, "phone": {phone},
		"customer_name": {"Beto"}, "usertool_id": {bUser}}), "/loyalty/contact/add", 200, "loyalty_contact_add_01")
	expectCode(t, victim.post("/wallet/sale", url.Values{"wallet_key": {victim.wallet.Key}, "phone": {phone},
		"transaction_type": {"0"}, "transaction_amount": {"100"}, "usertool_id": {bUser}, "ticket": {"T-1"}}), "/wallet/sale", 200, "new_sale_01")
	before := victim.snapshot()

	aUser := strconv.FormatInt(a.cashier.ID, 10)
	for _, c := range []struct {
		path   string
		form   url.Values
		status int
		code   string
	}{
		{"/wallet/contact/get", url.Values{"wallet_key": {victim.wallet.Key}, "phone": {phone}}, 404, "balance_get_05"},
		{"/wallet/contact/get", url.Values{"wallet_key": {victim.wallet.Key}}, 404, "balance_get_05"},
		{"/wallet/contact/add", url.Values{"wallet_key": {victim.wallet.Key}, "phone": {"4775550001"}, "customer_name": {"X"}, "usertool_id": {aUser}}, 404, "contact_add_07"},
		{"/wallet/sale", url.Values{"wallet_key": {victim.wallet.Key}, "phone": {phone}, "transaction_type": {"1"}, "points_used": {"1"}, "usertool_id": {aUser}}, 404, "new_sale_10"},
		{"/wallet/sale", url.Values{"wallet_key": {victim.wallet.Key}, "phone": {phone}, "transaction_type": {"0"}, "transaction_amount": {"100"}, "usertool_id": {aUser}, "ticket": {"T-1"}}, 404, "new_sale_10"},
		{"/wallet/balance/update", url.Values{"wallet_key": {victim.wallet.Key}, "phone": {phone}, "transaction_type": {"1"}, "transaction_amount": {"1"}, "usertool_id": {aUser}}, 404, "balance_update_09"},
		{"/loyalty/contact/get", url.Values{"loyalty_key": {victim.card.Key}, "phone": {phone}}, 404, "loyalty_contact_get_04"},
		{"/loyalty/contact/add", url.Values{"loyalty_key": {victim.card.Key}, "phone": {"4775550001"}, "customer_name": {"X"}, "usertool_id": {aUser}}, 404, "loyalty_02"},
		{"/loyalty/sale", url.Values{"loyalty_key": {victim.card.Key}, "phone": {phone}, "usertool_id": {aUser}, "amount": {"10"}}, 404, "loyalty_02"},
		// A's own program with B's collaborator: not A's.
		{"/wallet/contact/add", url.Values{"wallet_key": {a.wallet.Key}, "phone": {"4775550001"}, "customer_name": {"X"}, "usertool_id": {bUser}}, 403, "err_toolusers_01"},
	} {
		expectCode(t, a.post(c.path, c.form), c.path, c.status, c.code)
	}
	if after := victim.snapshot(); after != before {
		t.Fatalf("merchant B changed: before %s, after %s", before, after)
	}
}

// TestTenantIsolationJSONAPI: merchant A's token on merchant B's customer
// and transaction codes answers as if they did not exist.
func TestTenantIsolationJSONAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, victim := newAPIClient(t, b), newAPIClient(t, b)
	tx := map[string]any{"type": "POINTS ORDER", "code": "B-1", "title": "Compra", "description": "Tienda",
		"total": 100, "customer": map[string]any{"externalId": "cust-b", "name": "Beto"}}
	wantOK(t, victim.post("/api/transaction", tx), nil)
	history := victim.get("/api/transaction/history?customerId=cust-b")

	wantError(t, a.get("/api/transaction/history?customerId=cust-b"), http.StatusNotFound, "404 Not Found")
	wantError(t, a.get("/api/transaction/transactionByCode?code=B-1&type=POINTS+ORDER"), http.StatusNotFound, "404 Not Found")
	wantError(t, a.post("/api/transaction/reverse", map[string]any{"type": "POINTS ORDER", "code": "B-1"}), http.StatusNotFound, "404 Not Found")
	wantError(t, a.get("/api/batch/expiration?customerId=cust-b"), http.StatusNotFound, "404 Not Found")
	if r := a.get("/api/customer/findByExternalId?externalId=cust-b"); r.Status != 200 || r.JSON(t)["data"] == nil {
		t.Fatalf("findByExternalId: got %d %s", r.Status, r.Body)
	} else if data, _ := r.JSON(t)["data"].(map[string]any); data["exists"] != false {
		t.Fatalf("A sees B's customer: %s", r.Body)
	}
	if again := victim.get("/api/transaction/history?customerId=cust-b"); string(again.Body) != string(history.Body) {
		t.Fatalf("merchant B's history changed:\n%s\n%s", history.Body, again.Body)
	}
}
