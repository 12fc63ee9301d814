package http

import (
	"net/url"
	"testing"
)

// Merchant A's token on merchant B's codes answers exactly as an unknown
// code would, on every method, and leaves B's data as it was.
func TestThirdpartyTenantIsolation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	aShop := a.addShop("A shop")
	aCust := a.addCustomer(url.Values{"code_shop": {aShop}, "name": {"A cust"}})["code"].(string)
	bShop := other.addShop("B shop")
	bAgent := other.addAgent(bShop, "B Agent")
	bCust := other.addCustomer(url.Values{"code_shop": {bShop}, "name": {"B cust"}, "code_agent": {bAgent}})["code"].(string)
	other.addOrder(url.Values{"code_shop": {bShop}, "code_customer": {bCust}, "amount": {"5"}})
	before := tpWant(t, other.get("show-shop", url.Values{"code": {bShop}}), 200, "2007")
	beforeCust := tpWant(t, other.get("show-customer", url.Values{"code": {bCust}}), 200, "0062")

	tests := []struct {
		name   string
		call   func() *response
		status int
		code   string
	}{
		{"ShowShop", func() *response { return a.get("show-shop", url.Values{"code": {bShop}}) }, 404, "2010"},
		{"ShowAgent", func() *response { return a.get("show-agent", url.Values{"code": {bAgent}}) }, 404, "1369"},
		{"ShowCustomer", func() *response { return a.get("show-customer", url.Values{"code": {bCust}}) }, 404, "2035"},
		{"GetAgentsOfShop", func() *response { return a.get("get-agents", url.Values{"code_shop": {bShop}}) }, 400, "2024"},
		{"GetCustomersOfShop", func() *response { return a.get("get-customers", url.Values{"code_shop": {bShop}}) }, 400, "2030"},
		{"GetCustomersOfAgent", func() *response { return a.get("get-customers", url.Values{"code_agent": {bAgent}}) }, 400, "2031"},
		{"AddAgentToShop", func() *response {
			return a.post("add-agent", url.Values{"code_shop": {bShop}, "name": {"X"}, "email": {"x@example.com"}, "password": {"12345678"}})
		}, 400, "2019"},
		{"AddCustomerToShop", func() *response {
			return a.post("add-customer", url.Values{"code_shop": {bShop}, "name": {"X"}})
		}, 400, "1286"},
		{"AddCustomerWithAgent", func() *response {
			return a.post("add-customer", url.Values{"code_shop": {aShop}, "name": {"X"}, "code_agent": {bAgent}})
		}, 400, "1287"},
		{"AddOrderAtShop", func() *response {
			return a.post("add-order", url.Values{"code_shop": {bShop}, "code_customer": {bCust}, "amount": {"5"}})
		}, 400, "2042"},
		{"AddOrderForCustomer", func() *response {
			return a.post("add-order", url.Values{"code_shop": {aShop}, "code_customer": {bCust}, "amount": {"5"}})
		}, 400, "2043"},
		{"AddOrderWithAgent", func() *response {
			return a.post("add-order", url.Values{"code_shop": {aShop}, "code_customer": {aCust}, "code_agent": {bAgent}, "amount": {"5"}})
		}, 400, "2045"},
	}
	for _, tt := range tests {
		r := tt.call()
		t.Run(tt.name, func(t *testing.T) { tpWant(t, r, tt.status, tt.code) })
	}
	for method, key := range map[string]string{"get-shops": "shops", "get-agents": "agents", "get-customers": "customers"} {
		d := tpWant(t, a.get(method, nil), 200, tpCodes[method][tpOK].Code)
		for _, x := range d[key].([]any) {
			if code := x.(map[string]any)["code"]; code == bShop || code == bAgent || code == bCust {
				t.Errorf("%s lists merchant B's %v", method, code)
			}
		}
	}
	after := tpWant(t, other.get("show-shop", url.Values{"code": {bShop}}), 200, "2007")
	afterCust := tpWant(t, other.get("show-customer", url.Values{"code": {bCust}}), 200, "0062")
	for _, k := range []string{"total_agents", "total_customers"} {
		if after[k] != before[k] {
			t.Errorf("B's shop %s: got %v, was %v", k, after[k], before[k])
		}
	}
	for _, k := range []string{"total_orders", "total_agent_orders", "total_no_agent_orders"} {
		if afterCust[k] != beforeCust[k] {
			t.Errorf("B's customer %s: got %v, was %v", k, afterCust[k], beforeCust[k])
		}
	}
}
