package http

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestThirdpartyAddAgent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop := c.addShop("Centro")
	d := tpWant(t, c.post("add-agent", url.Values{"code_shop": {shop}, "name": {"Francisco Perez"}, "email": {"fp@example.com"},
		"phone": {"3312345678"}, "password": {"ocho-car"}}), 200, "2012")
	want := map[string]any{"name": "Francisco Perez", "email": "fp@example.com", "phone": "3312345678", "code_shop": shop,
		"name_shop": "Centro", "total_customers": 0.0, "total_orders": 0.0}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s: got %#v, want %#v", k, d[k], v)
		}
	}
	if _, ok := d["password"]; ok || !strings.HasPrefix(d["code"].(string), "pgbage") {
		t.Errorf("got %v, want a pgbage code and no password", d)
	}
	var hash string
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT password_hash FROM thirdparty_agents`).Scan(&hash); err != nil || !strings.HasPrefix(hash, "$2") || strings.Contains(hash, "ocho-car") {
		t.Fatalf("stored password: got %q (%v), want a bcrypt hash", hash, err)
	}
	good := url.Values{"code_shop": {shop}, "name": {"N"}, "email": {"n@example.com"}, "password": {"12345678"}}
	with := func(k, v string) url.Values { return tpWith(good, k, v) }
	tests := []struct {
		name string
		form url.Values
		code string
	}{
		{"ErrShopRequired", with("code_shop", ""), "2014"},
		{"ErrNameRequired", with("name", ""), "2015"},
		{"ErrEmailRequired", with("email", ""), "2016"},
		{"ErrEmailMalformed", with("email", "n@localhost"), "2017"},
		{"ErrPasswordShort", with("password", "1234567"), "2018"},
		{"ErrPasswordMissing", with("password", ""), "2018"},
		{"ErrPasswordOver72Bytes", with("password", strings.Repeat("ñ", 37)), "2018"},
		{"ErrShopUnknown", with("code_shop", "pgbsho00000000000000000000"), "2019"},
		{"ErrShopOfAnotherMerchant", with("code_shop", other.addShop("B")), "2019"},
	}
	for _, tt := range tests {
		r := c.post("add-agent", tt.form)
		t.Run(tt.name, func(t *testing.T) { tpWant(t, r, 400, tt.code) })
	}
	tpWant(t, b.doForm("/api/thirdparty/v1/add-agent", map[string]string{"Authorization": "Bearer "}, good), 401, "2013")
	if n := tpCount(b, "thirdparty_agents"); n != 1 {
		t.Fatalf("got %d agents, want 1", n)
	}
}

func TestThirdpartyShowAgent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop := c.addShop("Centro")
	agent := c.addAgent(shop, "Ana Agent")
	cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}, "code_agent": {agent}})["code"].(string)
	c.addOrder(url.Values{"code_shop": {shop}, "code_customer": {cust}, "code_agent": {agent}, "amount": {"10"}})
	d := tpWant(t, c.get("show-agent", url.Values{"code": {agent}}), 200, "0061")
	if d["code"] != agent || d["name_shop"] != "Centro" || d["total_customers"] != 1.0 || d["total_orders"] != 1.0 {
		t.Fatalf("got %v, want the agent with 1 customer and 1 order", d)
	}
	tpWant(t, c.get("show-agent", url.Values{}), 400, "1368")
	tpWant(t, c.get("show-agent", url.Values{"code": {"pgbage00000000000000000000"}}), 404, "1369")
	tpWant(t, c.get("show-agent", url.Values{"code": {other.addAgent(other.addShop("B"), "B Agent")}}), 404, "1369")
	tpWant(t, b.do(http.MethodGet, "/api/thirdparty/v1/show-agent?code="+agent, nil, nil), 401, "1367")
	tpWant(t, c.get("show-agent", url.Values{"code": {"\x00"}}), 400, "2090")
}

func TestThirdpartyGetAgents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop, shop2 := c.addShop("Centro"), c.addShop("Norte")
	c.addAgent(shop, "Ana Lopez")
	c.addAgent(shop, "Beto Ruiz")
	c.addAgent(shop2, "Carla Lopez")
	otherShop := other.addShop("B")
	other.addAgent(otherShop, "Ana of B")
	tests := []struct {
		name  string
		q     url.Values
		want  []string
		total float64
	}{
		{"AllOfTheMerchant", url.Values{}, []string{"Ana Lopez", "Beto Ruiz", "Carla Lopez"}, 3},
		{"ByShop", url.Values{"code_shop": {shop}}, []string{"Ana Lopez", "Beto Ruiz"}, 2},
		{"Search", url.Values{"search": {"lopez"}}, []string{"Ana Lopez", "Carla Lopez"}, 2},
		{"SearchEmail", url.Values{"search": {"beto.ruiz@"}}, []string{"Beto Ruiz"}, 1},
		{"Page2", url.Values{"limit": {"1"}, "page": {"2"}}, []string{"Beto Ruiz"}, 3},
	}
	for _, tt := range tests {
		d := tpWant(t, c.get("get-agents", tt.q), 200, "0048")
		t.Run(tt.name, func(t *testing.T) {
			if got := tpNames(d, "agents"); !slices.Equal(got, tt.want) || d["total"] != tt.total {
				t.Errorf("got %v total %v, want %v total %v", got, d["total"], tt.want, tt.total)
			}
		})
	}
	errs := []struct {
		name string
		q    url.Values
		code string
	}{
		{"ErrPage", url.Values{"page": {"1.5"}}, "2022"},
		{"ErrLimitOver100", url.Values{"limit": {"1000"}}, "2023"},
		{"ErrShopOfAnotherMerchant", url.Values{"code_shop": {otherShop}}, "2024"},
	}
	for _, tt := range errs {
		r := c.get("get-agents", tt.q)
		t.Run(tt.name, func(t *testing.T) { tpWant(t, r, 400, tt.code) })
	}
	tpWant(t, b.do(http.MethodGet, "/api/thirdparty/v1/get-agents", map[string]string{"Authorization": "Bearer " + c.token + "x"}, nil), 401, "2021")
}
