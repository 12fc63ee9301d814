package http

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestThirdpartyAddOrderCountsOnTheCustomer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	shop := c.addShop("Centro")
	agent := c.addAgent(shop, "Ana Agent")
	cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})["code"].(string)

	d := c.addOrder(url.Values{"code_shop": {shop}, "code_customer": {cust}, "code_agent": {agent}, "amount": {"150.5"}, "description": {"2 velas"}})
	want := map[string]any{"code_shop": shop, "name_shop": "Centro", "code_customer": cust, "name_customer": "Mario",
		"code_agent": agent, "name_agent": "Ana Agent", "amount": "150.50", "description": "2 velas",
		"wallet_key": nil, "cashback": "0.00", "has_cashback": 0.0}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s: got %#v, want %#v", k, d[k], v)
		}
	}
	if !tpCodeRe.MatchString(d["code"].(string)) || !strings.HasPrefix(d["code"].(string), "pgbord") {
		t.Errorf("code: got %v", d["code"])
	}
	d = tpWant(t, c.postJSON("add-order", map[string]any{"code_shop": shop, "code_customer": cust, "amount": 99}), 200, "2037")
	if d["amount"] != "99.00" || d["code_agent"] != nil || d["description"] != nil {
		t.Errorf("got %v, want 99.00 without agent", d)
	}
	c.addOrder(url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"0.01"}})

	got := tpWant(t, c.get("show-customer", url.Values{"code": {cust}}), 200, "0062")
	if got["total_orders"] != 3.0 || got["total_agent_orders"] != 1.0 || got["total_no_agent_orders"] != 2.0 {
		t.Fatalf("got totals %v/%v/%v, want 3 = 1 with agent + 2 without", got["total_orders"], got["total_agent_orders"], got["total_no_agent_orders"])
	}
}

func TestThirdpartyAddOrderErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop, shop2 := c.addShop("Centro"), c.addShop("Norte")
	cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})["code"].(string)
	cust2 := c.addCustomer(url.Values{"code_shop": {shop2}, "name": {"Pedro"}})["code"].(string)
	agent2 := c.addAgent(shop2, "Norte Agent")
	otherShop := other.addShop("B")
	otherCust := other.addCustomer(url.Values{"code_shop": {otherShop}, "name": {"B cust"}})["code"].(string)
	otherAgent := other.addAgent(otherShop, "B Agent")
	good := url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"10"}}
	with := func(k, v string) url.Values { return tpWith(good, k, v) }
	tests := []struct {
		name string
		form url.Values
		code string
	}{
		{"ErrShopRequired", with("code_shop", ""), "2039"},
		{"ErrCustomerRequired", with("code_customer", ""), "2040"},
		{"ErrAmountMissing", with("amount", ""), "2041"},
		{"ErrAmountZero", with("amount", "0.00"), "2041"},
		{"ErrAmountNegative", with("amount", "-5"), "2041"},
		{"ErrAmountThreeDecimals", with("amount", "1.234"), "2041"},
		{"ErrAmountNotNumber", with("amount", "diez"), "2041"},
		{"ErrAmountAbsurd", with("amount", "1e300"), "2041"},
		{"ErrShopUnknown", with("code_shop", "pgbsho00000000000000000000"), "2042"},
		{"ErrShopOfAnotherMerchant", with("code_shop", otherShop), "2042"},
		{"ErrCustomerUnknown", with("code_customer", "pgbcus00000000000000000000"), "2043"},
		{"ErrCustomerOfAnotherMerchant", with("code_customer", otherCust), "2043"},
		{"ErrCustomerOfAnotherShop", with("code_customer", cust2), "2044"},
		{"ErrAgentUnknown", with("code_agent", "pgbage00000000000000000000"), "2045"},
		{"ErrAgentOfAnotherMerchant", with("code_agent", otherAgent), "2045"},
		{"ErrAgentOfAnotherShop", with("code_agent", agent2), "2046"},
	}
	for _, tt := range tests {
		r := c.post("add-order", tt.form)
		t.Run(tt.name, func(t *testing.T) { tpWant(t, r, 400, tt.code) })
	}
	tpWant(t, b.doForm("/api/thirdparty/v1/add-order", nil, good), 401, "2038")
	tpWant(t, b.do(http.MethodPost, "/api/thirdparty/v1/add-order", map[string]string{"Authorization": "Bearer " + c.token,
		"Content-Type": "application/json"}, []byte(`{"amount": {"value": 10}}`)), 400, "2090")
	if n := tpCount(b, "thirdparty_orders"); n != 0 {
		t.Fatalf("got %d orders after only failures, want 0", n)
	}
	got := tpWant(t, c.get("show-customer", url.Values{"code": {cust}}), 200, "0062")
	if got["total_orders"] != 0.0 {
		t.Fatalf("got %v orders counted, want 0", got["total_orders"])
	}
}
