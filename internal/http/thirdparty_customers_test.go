package http

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// The seed's example, replayed: every key of its data, in their types.
func TestThirdpartyAddCustomerAnswersTheSeedExample(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "Velas", "")
	shop := c.addShop("Velas martin")
	agent := c.addAgent(shop, "Francisco Perez")

	d := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}, "lastname": {"Chavez Alvarez"},
		"email": {"mario.alvarez@mail.com"}, "code_agent": {agent}})

	wantKeys := []string{"code", "name", "lastname", "phone", "email", "created_at", "created_at_format", "code_shop",
		"name_shop", "code_agent", "name_agent", "total_orders", "total_agent_orders", "total_no_agent_orders", "isEditable"}
	var gotKeys []string
	for k := range d {
		gotKeys = append(gotKeys, k)
	}
	slices.Sort(gotKeys)
	slices.Sort(wantKeys)
	if !slices.Equal(gotKeys, wantKeys) {
		t.Fatalf("got keys %v, want the seed's %v", gotKeys, wantKeys)
	}
	want := map[string]any{"name": "Mario", "lastname": "Chavez Alvarez", "phone": nil, "email": "mario.alvarez@mail.com",
		"code_shop": shop, "name_shop": "Velas martin", "code_agent": agent, "name_agent": "Francisco Perez",
		"total_orders": 0.0, "total_agent_orders": 0.0, "total_no_agent_orders": 0.0, "isEditable": -1.0}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s: got %#v, want %#v", k, d[k], v)
		}
	}
	if code := d["code"].(string); !tpCodeRe.MatchString(code) || !strings.HasPrefix(code, "pgbcus") {
		t.Errorf("code: got %q, want pgbcus and 20 digits", code)
	}
	created, err := time.Parse(tpTimeUTC, d["created_at"].(string))
	if err != nil || !tpUTCRe.MatchString(d["created_at"].(string)) {
		t.Fatalf("created_at: got %q, want UTC with microseconds (%v)", d["created_at"], err)
	}
	mx, _ := time.LoadLocation("America/Mexico_City")
	if got, want := d["created_at_format"], created.In(mx).Format(tpTimeLocal); got != want {
		t.Errorf("created_at_format: got %q, want %q (America/Mexico_City)", got, want)
	}
	if age := time.Since(created); age < 0 || age > time.Minute {
		t.Errorf("created_at %v is not the creation time", created)
	}
}

func TestThirdpartyAddCustomerFromJSONWithOptionalFields(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "Tokyo shop", "Asia/Tokyo")
	shop := c.addShop("Ginza")
	d := tpWant(t, c.postJSON("add-customer", map[string]any{"code_shop": shop, "name": "  Distribuidora San Felipe ",
		"phone": 3333333333, "lastname": nil}), 200, "0052")
	if d["name"] != "Distribuidora San Felipe" || d["phone"] != "3333333333" || d["lastname"] != nil || d["email"] != nil ||
		d["code_agent"] != nil || d["name_agent"] != nil {
		t.Fatalf("got %v, want trimmed name, the phone's digits and nulls for what was not given", d)
	}
	created, _ := time.Parse(tpTimeUTC, d["created_at"].(string))
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if got, want := d["created_at_format"], created.In(tokyo).Format(tpTimeLocal); got != want {
		t.Errorf("created_at_format: got %q, want %q in the merchant's zone", got, want)
	}
	d = c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Juan"}, "phone": {" (33) 3333333333 "}})
	if d["phone"] != "(33) 3333333333" {
		t.Errorf("phone: got %q, want it kept as given, trimmed", d["phone"])
	}
}

func TestThirdpartyAddCustomerErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop, shop2 := c.addShop("Centro"), c.addShop("Norte")
	agent2 := c.addAgent(shop2, "Norte Agent")
	otherShop := other.addShop("B shop")
	otherAgent := other.addAgent(otherShop, "B Agent")
	ok := url.Values{"code_shop": {shop}, "name": {"Mario"}}
	with := func(k, v string) url.Values { return tpWith(ok, k, v) }
	tests := []struct {
		name   string
		token  string
		form   url.Values
		status int
		code   string
	}{
		{"ErrTokenMissing", "-", ok, 401, "1276"},
		{"ErrTokenUnknown", "tp_not-a-token", ok, 401, "1276"},
		{"ErrShopRequired", "", with("code_shop", " "), 400, "1285"},
		{"ErrNameRequired", "", with("name", ""), 400, "1277"},
		{"ErrShopCheckedBeforeName", "", url.Values{}, 400, "1285"},
		{"ErrEmailMalformed", "", with("email", "mario@"), 400, "1292"},
		{"ErrShopUnknown", "", with("code_shop", "pgbsho0635214789653205"), 400, "1286"},
		{"ErrShopOfAnotherMerchant", "", with("code_shop", otherShop), 400, "1286"},
		{"ErrAgentUnknown", "", with("code_agent", "pgbage9743166351596541"), 400, "1287"},
		{"ErrAgentOfAnotherMerchant", "", with("code_agent", otherAgent), 400, "1287"},
		{"ErrAgentOfAnotherShop", "", with("code_agent", agent2), 400, "1288"},
		{"ErrValueNotUTF8", "", with("lastname", "\xff\xfe"), 400, "2090"},
		{"ErrValueWithNUL", "", with("lastname", "a\x00b"), 400, "2090"},
		{"ErrValueTooLong", "", with("lastname", strings.Repeat("x", 1001)), 400, "2090"},
	}
	for _, tt := range tests {
		h := c.auth()
		switch tt.token {
		case "-":
			h = nil
		case "":
		default:
			h = map[string]string{"Authorization": "Bearer " + tt.token}
		}
		r := b.doForm("/api/thirdparty/v1/add-customer", h, tt.form)
		t.Run(tt.name, func(t *testing.T) { tpWant(t, r, tt.status, tt.code) })
	}
	if n := tpCount(b, "thirdparty_customers"); n != 0 {
		t.Fatalf("got %d customers after only failures, want 0", n)
	}
	r := c.b.do(http.MethodPost, "/api/thirdparty/v1/add-customer",
		map[string]string{"Authorization": "Bearer " + c.token, "Content-Type": "application/json"}, []byte(`["not", "an object"]`))
	tpWant(t, r, 400, "2090")
}

// A storage failure is made real: a trigger in this test's own database
// refuses the insert, and the answer is 1290 with nothing written.
func TestThirdpartyAddCustomerStorageFailure(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	shop := c.addShop("Centro")
	tpBreakWrites(b, "thirdparty_customers")
	tpWant(t, c.post("add-customer", url.Values{"code_shop": {shop}, "name": {"Mario"}}), 500, "1290")
	if n := tpCount(b, "thirdparty_customers"); n != 0 {
		t.Fatalf("got %d customers, want 0", n)
	}
	if !strings.Contains(b.logs.String(), `"code":"1290"`) {
		t.Errorf("the request log lacks the answered code: %s", b.logs.String())
	}
}

func TestThirdpartyShowCustomer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop := c.addShop("Centro")
	code := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}})["code"].(string)
	otherCode := other.addCustomer(url.Values{"code_shop": {other.addShop("B")}, "name": {"Other"}})["code"].(string)

	d := tpWant(t, c.get("show-customer", url.Values{"code": {code}}), 200, "0062")
	if d["code"] != code || d["name"] != "Mario" || d["code_shop"] != shop {
		t.Fatalf("got %v", d)
	}
	tpWant(t, c.get("show-customer", url.Values{}), 400, "2034")
	tpWant(t, c.get("show-customer", url.Values{"code": {"pgbcus00000000000000000000"}}), 404, "2035")
	tpWant(t, c.get("show-customer", url.Values{"code": {otherCode}}), 404, "2035")
	r := b.do(http.MethodGet, "/api/thirdparty/v1/show-customer?code="+code, nil, nil)
	tpWant(t, r, 401, "2033")
	tpWant(t, c.get("show-customer", url.Values{"code": {"\xff"}}), 400, "2090")
}

func TestThirdpartyGetCustomers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	other := newTPMerchant(b, "B", "")
	shop, shop2 := c.addShop("Centro"), c.addShop("Norte")
	agent := c.addAgent(shop, "Ana Agent")
	for _, f := range []url.Values{
		{"code_shop": {shop}, "name": {"Mario"}, "code_agent": {agent}},
		{"code_shop": {shop}, "name": {"Maria"}, "email": {"maria@example.com"}},
		{"code_shop": {shop2}, "name": {"Pedro"}, "lastname": {"100% Gomez"}},
	} {
		c.addCustomer(f)
	}
	otherShop := other.addShop("B")
	other.addCustomer(url.Values{"code_shop": {otherShop}, "name": {"Mario of B"}})
	otherAgent := other.addAgent(otherShop, "B Agent")

	tests := []struct {
		name  string
		q     url.Values
		want  []string
		total float64
	}{
		{"AllOfTheMerchant", url.Values{}, []string{"Mario", "Maria", "Pedro"}, 3},
		{"ByShop", url.Values{"code_shop": {shop2}}, []string{"Pedro"}, 1},
		{"ByAgent", url.Values{"code_agent": {agent}}, []string{"Mario"}, 1},
		{"SearchName", url.Values{"search": {"mari"}}, []string{"Mario", "Maria"}, 2},
		{"SearchEmail", url.Values{"search": {"MARIA@"}}, []string{"Maria"}, 1},
		{"SearchIsLiteral", url.Values{"search": {"100%"}}, []string{"Pedro"}, 1},
		{"SearchUnderscoreIsLiteral", url.Values{"search": {"_"}}, nil, 0},
		{"Page2", url.Values{"page": {"2"}, "limit": {"2"}}, []string{"Pedro"}, 3},
		{"PastTheLastPage", url.Values{"page": {"9"}, "limit": {"2"}}, nil, 3},
	}
	for _, tt := range tests {
		d := tpWant(t, c.get("get-customers", tt.q), 200, "2026")
		t.Run(tt.name, func(t *testing.T) {
			if got := tpNames(d, "customers"); !slices.Equal(got, tt.want) || d["total"] != tt.total {
				t.Errorf("got %v total %v, want %v total %v", got, d["total"], tt.want, tt.total)
			}
		})
	}
	errs := []struct {
		name   string
		q      url.Values
		status int
		code   string
	}{
		{"ErrPageZero", url.Values{"page": {"0"}}, 400, "2028"},
		{"ErrPageNotNumber", url.Values{"page": {"x"}}, 400, "2028"},
		{"ErrLimitZero", url.Values{"limit": {"0"}}, 400, "2029"},
		{"ErrLimitOver100", url.Values{"limit": {"101"}}, 400, "2029"},
		{"ErrShopOfAnotherMerchant", url.Values{"code_shop": {otherShop}}, 400, "2030"},
		{"ErrAgentOfAnotherMerchant", url.Values{"code_agent": {otherAgent}}, 400, "2031"},
	}
	for _, tt := range errs {
		r := c.get("get-customers", tt.q)
		t.Run(tt.name, func(t *testing.T) { tpWant(t, r, tt.status, tt.code) })
	}
	d := tpWant(t, c.get("get-customers", url.Values{"limit": {"100"}}), 200, "2026")
	if d["per_page"] != 100.0 || d["last_page"] != 1.0 {
		t.Errorf("got %v, want per_page 100 on one page", d)
	}
	tpWant(t, b.do(http.MethodGet, "/api/thirdparty/v1/get-customers", map[string]string{"Authorization": "Bearer x"}, nil), 401, "2027")
}
