package http

import (
	"net/url"
	"testing"
)

// Every method's storage-failure code, made real in the test's own
// database: a trigger refuses writes, a renamed table fails reads.
func TestThirdpartyStorageFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		breaks func(b *bundle)
		call   func(c *tpClient, shop, agent, cust string) *response
		code   string
		table  string // nothing may have been written to it
	}{
		{"AddShop", func(b *bundle) { tpBreakWrites(b, "stores") },
			func(c *tpClient, _, _, _ string) *response { return c.post("add-shop", url.Values{"name": {"X"}}) }, "2006", "stores"},
		{"GetShops", func(b *bundle) { tpBreakReads(b, "thirdparty_agents") },
			func(c *tpClient, _, _, _ string) *response { return c.get("get-shops", nil) }, "2001", ""},
		{"ShowShop", func(b *bundle) { tpBreakReads(b, "thirdparty_customers") },
			func(c *tpClient, shop, _, _ string) *response { return c.get("show-shop", url.Values{"code": {shop}}) }, "2011", ""},
		{"AddAgent", func(b *bundle) { tpBreakWrites(b, "thirdparty_agents") },
			func(c *tpClient, shop, _, _ string) *response {
				return c.post("add-agent", url.Values{"code_shop": {shop}, "name": {"N"}, "email": {"n@example.com"}, "password": {"12345678"}})
			}, "2020", "thirdparty_agents"},
		{"GetAgents", func(b *bundle) { tpBreakReads(b, "thirdparty_orders") },
			func(c *tpClient, _, _, _ string) *response { return c.get("get-agents", nil) }, "2025", ""},
		{"ShowAgent", func(b *bundle) { tpBreakReads(b, "thirdparty_orders") },
			func(c *tpClient, _, agent, _ string) *response {
				return c.get("show-agent", url.Values{"code": {agent}})
			}, "1371", ""},
		{"AddCustomer", func(b *bundle) { tpBreakWrites(b, "thirdparty_customers") },
			func(c *tpClient, shop, _, _ string) *response {
				return c.post("add-customer", url.Values{"code_shop": {shop}, "name": {"Mario"}})
			}, "1290", "thirdparty_customers"},
		{"GetCustomers", func(b *bundle) { tpBreakReads(b, "thirdparty_customers") },
			func(c *tpClient, _, _, _ string) *response { return c.get("get-customers", nil) }, "2032", ""},
		{"ShowCustomer", func(b *bundle) { tpBreakReads(b, "thirdparty_customers") },
			func(c *tpClient, _, _, cust string) *response {
				return c.get("show-customer", url.Values{"code": {cust}})
			}, "2036", ""},
		{"AddOrderCounter", func(b *bundle) { tpBreakWrites(b, "thirdparty_customers") },
			func(c *tpClient, shop, _, cust string) *response {
				return c.post("add-order", url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"10"}})
			}, "2047", "thirdparty_orders"},
		{"AddOrderInsert", func(b *bundle) { tpBreakWrites(b, "thirdparty_orders") },
			func(c *tpClient, shop, _, cust string) *response {
				return c.post("add-order", url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"10"}})
			}, "2047", "thirdparty_orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			c := newTPMerchant(b, "A", "")
			shop := c.addShop("Centro")
			agent := c.addAgent(shop, "Ana Agent")
			cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})["code"].(string)
			var before int64
			if tt.table != "" {
				before = tpCount(b, tt.table)
			}
			tt.breaks(b)
			tpWant(t, tt.call(c, shop, agent, cust), 500, tt.code)
			if tt.table != "" {
				if after := tpCount(b, tt.table); after != before {
					t.Fatalf("%s: got %d rows, want %d: a failed call wrote", tt.table, after, before)
				}
			}
		})
	}
}
