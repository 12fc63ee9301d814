package http

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func TestThirdpartyAddShop(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	d := tpWant(t, c.post("add-shop", url.Values{"name": {"Velas martin"}, "description": {"Velas artesanales"},
		"website": {"https://velas.example"}, "address": {"Av. Juarez 1"}, "phone": {"+523333333333"}, "email": {"velas@example.com"}}), 200, "2002")
	want := map[string]any{"name": "Velas martin", "description": "Velas artesanales", "website": "https://velas.example",
		"address": "Av. Juarez 1", "phone": "+523333333333", "email": "velas@example.com", "wallet_key": nil, "has_wallet": 0.0,
		"total_agents": 0.0, "total_customers": 0.0}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s: got %#v, want %#v", k, d[k], v)
		}
	}
	if !tpCodeRe.MatchString(d["code"].(string)) || !strings.HasPrefix(d["code"].(string), "pgbsho") {
		t.Errorf("code: got %v", d["code"])
	}
	// The shop is a store row: the JSON API reports on the same table.
	var name string
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT name FROM stores WHERE merchant_id = $1 AND code = $2`, c.merchantID, d["code"]).Scan(&name); err != nil || name != "Velas martin" {
		t.Fatalf("stores row: got %q, %v", name, err)
	}
	d = tpWant(t, c.postJSON("add-shop", map[string]any{"name": "Solo nombre"}), 200, "2002")
	if d["description"] != nil || d["email"] != nil {
		t.Errorf("got %v, want nulls for what was not given", d)
	}

	tpWant(t, c.post("add-shop", url.Values{"name": {""}}), 400, "2004")
	tpWant(t, c.post("add-shop", url.Values{"name": {"X"}, "email": {"Velas <velas@example.com>"}}), 400, "2005")
	tpWant(t, c.postJSON("add-shop", map[string]any{"name": true}), 400, "2090")
	tpWant(t, b.doForm("/api/thirdparty/v1/add-shop", nil, url.Values{"name": {"X"}}), 401, "2003")
	if n := tpCount(b, "stores"); n != 2 {
		t.Fatalf("got %d stores, want only the 2 created", n)
	}
}

func TestThirdpartyShowShopCountsAgentsAndCustomers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop := c.addShop("Centro")
	c.addAgent(shop, "Ana Agent")
	c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})
	c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Maria"}})
	d := tpWant(t, c.get("show-shop", url.Values{"code": {shop}}), 200, "2007")
	if d["code"] != shop || d["total_agents"] != 1.0 || d["total_customers"] != 2.0 {
		t.Fatalf("got %v, want 1 agent and 2 customers", d)
	}
	tpWant(t, c.get("show-shop", url.Values{"code": {""}}), 400, "2009")
	tpWant(t, c.get("show-shop", url.Values{"code": {"pgbsho00000000000000000000"}}), 404, "2010")
	tpWant(t, c.get("show-shop", url.Values{"code": {other.addShop("B")}}), 404, "2010")
	tpWant(t, b.do(http.MethodGet, "/api/thirdparty/v1/show-shop?code="+shop, map[string]string{"Authorization": "Basic x"}, nil), 401, "2008")
	tpWant(t, c.get("show-shop", url.Values{"code": {strings.Repeat("9", 1001)}}), 400, "2090")
}

func TestThirdpartyGetShopsPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	for _, n := range []string{"Centro", "Norte", "Sur", "Oriente", "Poniente"} {
		c.addShop(n)
	}
	other.addShop("Centro de B")
	tests := []struct {
		name                  string
		q                     url.Values
		want                  []string
		total, page, lastPage float64
	}{
		{"DefaultsOnlyTheMerchants", url.Values{}, []string{"Centro", "Norte", "Sur", "Oriente", "Poniente"}, 5, 1, 1},
		{"Page1Of3", url.Values{"limit": {"2"}}, []string{"Centro", "Norte"}, 5, 1, 3},
		{"Page3Of3", url.Values{"limit": {"2"}, "page": {"3"}}, []string{"Poniente"}, 5, 3, 3},
		{"PastTheLastPage", url.Values{"limit": {"2"}, "page": {"4"}}, nil, 5, 4, 3},
		{"Search", url.Values{"search": {"ENTE"}}, []string{"Oriente", "Poniente"}, 2, 1, 1},
		{"Limit100", url.Values{"limit": {"100"}}, []string{"Centro", "Norte", "Sur", "Oriente", "Poniente"}, 5, 1, 1},
	}
	for _, tt := range tests {
		d := tpWant(t, c.get("get-shops", tt.q), 200, "0039")
		t.Run(tt.name, func(t *testing.T) {
			if got := tpNames(d, "shops"); !slices.Equal(got, tt.want) || d["total"] != tt.total || d["current_page"] != tt.page || d["last_page"] != tt.lastPage {
				t.Errorf("got %v total %v page %v/%v, want %v total %v page %v/%v", got, d["total"], d["current_page"], d["last_page"],
					tt.want, tt.total, tt.page, tt.lastPage)
			}
		})
	}
	errs := []struct {
		name string
		q    url.Values
		code string
	}{
		{"ErrPageZero", url.Values{"page": {"0"}}, "1571"},
		{"ErrPageNegative", url.Values{"page": {"-1"}}, "1571"},
		{"ErrPageHuge", url.Values{"page": {"99999999999999999999"}}, "1571"},
		{"ErrLimitOver100", url.Values{"limit": {"101"}}, "2000"},
		{"ErrLimitZero", url.Values{"limit": {"0"}}, "2000"},
		{"ErrLimitNotNumber", url.Values{"limit": {"ten"}}, "2000"},
	}
	for _, tt := range errs {
		r := c.get("get-shops", tt.q)
		t.Run(tt.name, func(t *testing.T) { tpWant(t, r, 400, tt.code) })
	}
	tpWant(t, b.do(http.MethodGet, "/api/thirdparty/v1/get-shops", nil, nil), 401, "1192")
	tpWant(t, b.do(http.MethodGet, "/api/thirdparty/v1/get-shops?search=%ZZ", c.auth(), nil), 400, "2090")
}

// A store the JSON API created (a transaction naming a new store) is a shop
// of this API: it has a pgbsho code, is listed and takes customers.
func TestThirdpartyJSONAPIStoreIsAShop(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	_, err := b.store.PostAPITransaction(t.Context(), c.merchantID, store.APITransaction{
		Type: "POINTS ORDER", Code: "T-1", Total: 100_00,
		Customer: store.CustomerRef{ExternalID: "cust-1", Name: "Mario"},
		Store:    &store.StoreRef{ExternalID: "S-1", Name: "Sucursal JSON"},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := tpWant(t, c.get("get-shops", nil), 200, "0039")
	shops := d["shops"].([]any)
	if len(shops) != 1 || shops[0].(map[string]any)["name"] != "Sucursal JSON" || !tpCodeRe.MatchString(shops[0].(map[string]any)["code"].(string)) {
		t.Fatalf("got %v, want the JSON API's store with a pgbsho code", shops)
	}
	c.addCustomer(url.Values{"code_shop": {shops[0].(map[string]any)["code"].(string)}, "name": {"Cliente"}})
}

// A body beyond 64 KiB is refused whole (413, 2095) and writes nothing.
func TestThirdpartyHugeBodyIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	form := url.Values{"name": {"X"}}
	for i := range 80 { // every value under the field limit, the body over 64 KiB
		form.Set("pad"+itoa(i), strings.Repeat("x", 900))
	}
	tpWant(t, c.post("add-shop", form), 413, "2095")
	if n := tpCount(b, "stores"); n != 0 {
		t.Fatalf("got %d stores, want 0", n)
	}
}
