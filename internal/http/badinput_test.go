package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/panel"
	"github.com/puntos/puntos/internal/store"
)

// The bad input matrix (issue 7): every endpoint of the apikey, JSON,
// third-party and admin APIs, each field of it given missing, empty, of the
// wrong type, as letters or an absurd number, plus a body over the family's
// limit, invalid UTF-8 and NUL. Each answer must be the family's documented
// code (the harness also checks it against api/openapi.yaml) and leave every
// table of the database exactly as it was.

// absurdNumbers are the values no amount field accepts: exponents, NaN,
// a signed zero, three decimals and a trillion (over the 1,000,000,000 cap).
var absurdNumbers = []string{"abc", "1e3", "NaN", "-0", "0.001", "1000000000000", "-5", "Infinity"}

// metachars is free text full of SQL, HTML and LIKE syntax; it must be
// stored and read back verbatim, and escaped wherever a page shows it.
const metachars = `Robert'); DROP TABLE contacts;-- <script>alert("x")</script> & 100% _ \ ¿ñ?`

// badCase is one request of the matrix and the check of its answer.
type badCase struct {
	name string
	send func(b *bundle) *response
	want func(t *testing.T, r *response)
}

// runBadCases runs each case as a subtest and fails it if the database
// changed in any way.
func runBadCases(t *testing.T, b *bundle, cases []badCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := b.on(t)
			before := dbState(sb)
			r := c.send(sb)
			c.want(t, r)
			if after := dbState(sb); after != before {
				t.Fatalf("a refused request wrote to the database:\n%s", stateDiff(before, after))
			}
		})
	}
}

// on is the bundle reporting to a subtest.
func (b *bundle) on(t *testing.T) *bundle {
	c := *b
	c.t = t
	return &c
}

// dbState is every table of the test's database with its row count and a
// hash of its rows, so that any insert, update or delete shows.
func dbState(b *bundle) string {
	b.t.Helper()
	var s string
	err := b.store.Pool().QueryRow(b.t.Context(), `
		SELECT string_agg(table_name || '=' || (xpath('/row/h/text()', query_to_xml(format(
			'SELECT count(*) || '':'' || md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) AS h FROM %I t',
			table_name), false, true, '')))[1]::text, E'\n' ORDER BY table_name)
		FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`).Scan(&s)
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

func stateDiff(before, after string) string {
	a := strings.Split(after, "\n")
	var out []string
	for i, l := range strings.Split(before, "\n") {
		if i < len(a) && a[i] != l {
			out = append(out, "  "+l+" → "+a[i])
		}
	}
	return strings.Join(out, "\n")
}

// --- the apikey POS API ---

// akField is one field of an apikey endpoint: the code for it missing or
// empty, and for a malformed value (nil: free text, nothing is malformed).
type akField struct {
	name    string
	missing apikeyError
	bad     *apikeyError
	amount  bool // an amount: the absurd numbers are malformed too
}

type akEndpoint struct {
	path   string
	label  string      // names a second variant of the same path
	base   url.Values  // a request that would succeed
	first  apikeyError // the code of an undecodable body
	fields []akField
}

func akEndpoints(p *pos, enrolled string) []akEndpoint {
	user := itoa64(p.cashier.ID)
	card, wallet := p.card.Key, p.wallet.Key
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	bad := func(e apikeyError) *apikeyError { return &e }
	return []akEndpoint{
		{path: "/toolusers/get", first: errToolusers01Request},
		{path: "/loyalty/get", first: errToolusers01Request},
		{path: "/wallet/get", first: errToolusers01Request},
		{path: "/employee/add", first: errToolusers01Request,
			base: v("type", "cajero", "employee_name", "Luis", "business_name", "Norte", "number", "4770000001", "password", "9876"),
			fields: []akField{
				{name: "type", missing: errToolusers02, bad: bad(errToolusers02)},
				{name: "employee_name", missing: errToolusers02},
				{name: "business_name", missing: errToolusers02},
				{name: "number", missing: errToolusers02, bad: bad(errToolusers02)},
				{name: "password", missing: errToolusers02},
			}},
		{path: "/employee/disable", first: errToolusers01Request, base: v("number", "4771234567"),
			fields: []akField{{name: "number", missing: errToolusers02, bad: bad(errToolusers02)}}},
		{path: "/loyalty/contact/add", first: errLoyaltyContactAdd02,
			base: v("loyalty_key", card, "phone", "4779876543", "customer_name", "Eva", "usertool_id", user, "customer_birthdate", "1990-01-31"),
			fields: []akField{
				{name: "loyalty_key", missing: errLoyaltyContactAdd02},
				{name: "phone", missing: errLoyaltyContactAdd03, bad: bad(errLoyaltyContactAdd04)},
				{name: "customer_name", missing: errLoyaltyContactAdd05},
				{name: "usertool_id", missing: errLoyaltyContactAdd06, bad: bad(errToolusers01NotOwner)},
				{name: "customer_birthdate", bad: bad(errLoyaltyContactAdd10)},
			}},
		{path: "/loyalty/contact/get", first: errLoyaltyContactGet02, base: v("loyalty_key", card, "phone", enrolled),
			fields: []akField{
				{name: "loyalty_key", missing: errLoyaltyContactGet02},
				{name: "phone", bad: bad(errLoyaltyContactGet03)},
				{name: "limit", bad: bad(errLoyaltyContactGet06)},
				{name: "offset", bad: bad(errLoyaltyContactGet06)},
			}},
		{path: "/loyalty/sale", first: errLoyaltySale03,
			base: v("loyalty_key", card, "phone", enrolled, "usertool_id", user, "transaction_amount", "120.50"),
			fields: []akField{
				{name: "loyalty_key", missing: errLoyaltySale03},
				{name: "phone", missing: errLoyaltySale04, bad: bad(errLoyaltySale05)},
				{name: "usertool_id", missing: errLoyaltySale06, bad: bad(errLoyaltySale21)},
				{name: "transaction_amount", bad: bad(errLoyaltySale10), amount: true},
			}},
		{path: "/wallet/contact/add", first: errContactAdd02,
			base: v("wallet_key", wallet, "phone", "4779876543", "customer_name", "Eva", "usertool_id", user, "customer_birthdate", "1990-01-31"),
			fields: []akField{
				{name: "wallet_key", missing: errContactAdd02},
				{name: "phone", missing: errContactAdd03, bad: bad(errContactAdd04)},
				{name: "customer_name", missing: errContactAdd05},
				{name: "usertool_id", missing: errContactAdd06, bad: bad(errToolusers01NotOwner)},
				{name: "customer_birthdate", bad: bad(errWalletManager09)},
			}},
		{path: "/wallet/contact/get", first: errBalanceGet02, base: v("wallet_key", wallet, "phone", enrolled),
			fields: []akField{
				{name: "wallet_key", missing: errBalanceGet02},
				{name: "phone", bad: bad(errBalanceGet03)},
				{name: "limit", bad: bad(errBalanceGet06)},
				{name: "offset", bad: bad(errBalanceGet06)},
			}},
		{path: "/wallet/sale", first: errNewSale02,
			base: v("wallet_key", wallet, "phone", enrolled, "usertool_id", user, "transaction_type", "0", "transaction_amount", "100"),
			fields: []akField{
				{name: "wallet_key", missing: errNewSale02},
				{name: "phone", missing: errNewSale03, bad: bad(errNewSale04)},
				{name: "transaction_type", missing: errNewSale05, bad: bad(errNewSale05), amount: true},
				{name: "transaction_amount", missing: errNewSale06, bad: bad(errNewSale07), amount: true},
				{name: "usertool_id", missing: errNewSale09, bad: bad(errNewSale13)},
			}},
		// A spend: points_used is the amount that matters.
		{path: "/wallet/sale", label: "(spend)", first: errNewSale02,
			base: v("wallet_key", wallet, "phone", enrolled, "usertool_id", user, "transaction_type", "1", "points_used", "1"),
			fields: []akField{
				{name: "points_used", missing: errNewSale08, bad: bad(errNewSale08), amount: true},
				{name: "transaction_amount", bad: bad(errNewSale07), amount: true},
			}},
		{path: "/wallet/balance/update", first: errBalanceUpdate02,
			base: v("wallet_key", wallet, "phone", enrolled, "usertool_id", user, "transaction_type", "1", "transaction_amount", "1"),
			fields: []akField{
				{name: "wallet_key", missing: errBalanceUpdate02},
				{name: "phone", missing: errBalanceUpdate03, bad: bad(errBalanceUpdate04)},
				{name: "transaction_type", missing: errBalanceUpdate05, bad: bad(errBalanceUpdate05), amount: true},
				{name: "transaction_amount", missing: errBalanceUpdate06, bad: bad(errBalanceUpdate07), amount: true},
				{name: "usertool_id", missing: errBalanceUpdate08, bad: bad(errBalanceUpdate11)},
			}},
	}
}

// akCases expands the endpoints into the matrix.
func akCases(p *pos, eps []akEndpoint) []badCase {
	var cases []badCase
	for _, ep := range eps {
		ep := ep
		want := func(e apikeyError) func(*testing.T, *response) {
			return func(t *testing.T, r *response) { expectCode(t, r, ep.path, e.Status, e.Code) }
		}
		form := func(f url.Values) func(*bundle) *response {
			return func(b *bundle) *response { return b.doForm(ep.path, map[string]string{"apikey": p.key}, f) }
		}
		raw := func(ct, body string) func(*bundle) *response {
			return func(b *bundle) *response {
				return b.do(http.MethodPost, ep.path, map[string]string{"apikey": p.key, "Content-Type": ct}, []byte(body))
			}
		}
		name := func(s string) string { return strings.TrimPrefix(ep.path, "/") + ep.label + "/" + s }
		big := tpWith(ep.base, "padding", strings.Repeat("x", maxAPIKeyBody))
		cases = append(cases, badCase{name("BodyOver64KiB"), form(big), want(errRequest01)})
		if ep.base == nil {
			continue // the listings read no field
		}
		first := ep.fields[0].name
		cases = append(cases,
			badCase{name("FormInvalidUTF8"), raw("application/x-www-form-urlencoded", first+"=%ff%fe&"+ep.base.Encode()), want(ep.first)},
			badCase{name("FormNUL"), raw("application/x-www-form-urlencoded", first+"=a%00b&"+ep.base.Encode()), want(ep.first)},
			badCase{name("JSONInvalidUTF8"), raw("application/json", akJSON(ep.base, first, "\"\xff\xfe\"")), want(ep.first)},
			badCase{name("JSONNotAnObject"), raw("application/json", `["`+first+`"]`), want(ep.first)},
			badCase{name("JSONTruncated"), raw("application/json", `{"`+first+`": "x`), want(ep.first)},
		)
		for _, f := range ep.fields {
			f := f
			fn := func(s string) string { return name(f.name + "/" + s) }
			if f.missing.Code != "" {
				without := tpWith(ep.base, f.name, "")
				delete(without, f.name)
				cases = append(cases,
					badCase{fn("Missing"), form(without), want(f.missing)},
					badCase{fn("Empty"), form(tpWith(ep.base, f.name, "")), want(f.missing)},
					badCase{fn("Spaces"), form(tpWith(ep.base, f.name, "   ")), want(f.missing)},
					badCase{fn("JSONNull"), raw("application/json", akJSON(ep.base, f.name, "null")), want(f.missing)},
				)
			}
			// Objects and arrays are never a value: the body is refused.
			cases = append(cases,
				badCase{fn("JSONObject"), raw("application/json", akJSON(ep.base, f.name, `{"a":1}`)), want(ep.first)},
				badCase{fn("JSONArray"), raw("application/json", akJSON(ep.base, f.name, `["1"]`)), want(ep.first)},
			)
			if f.bad == nil {
				continue
			}
			values := []string{"abc", "<b>1</b>", "1' OR '1'='1"}
			if f.amount {
				values = absurdNumbers
			}
			for _, val := range values {
				cases = append(cases, badCase{fn("Value=" + val), form(tpWith(ep.base, f.name, val)), want(*f.bad)})
			}
			if f.amount {
				// The same absurd numbers as JSON number literals.
				for _, lit := range []string{"1e3", "-0", "0.001", "1000000000000", "1E+3"} {
					cases = append(cases, badCase{fn("JSONNumber=" + lit), raw("application/json", akJSON(ep.base, f.name, lit)), want(*f.bad)})
				}
			}
		}
	}
	return cases
}

// akJSON is the form as a JSON object with one field's value replaced by a
// raw JSON literal.
func akJSON(form url.Values, field, literal string) string {
	keys := make([]string, 0, len(form)+1)
	for k := range form {
		if k != field {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		v, _ := json.Marshal(form.Get(k))
		parts = append(parts, fmt.Sprintf("%q:%s", k, v))
	}
	parts = append(parts, fmt.Sprintf("%q:%s", field, literal))
	return "{" + strings.Join(parts, ",") + "}"
}

func TestBadInputAPIKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	const enrolled = "4771234567"
	for _, path := range []string{"/loyalty/contact/add", "/wallet/contact/add"} {
		key, field := p.card.Key, "loyalty_key"
		if path == "/wallet/contact/add" {
			key, field = p.wallet.Key, "wallet_key"
		}
		r := p.post(path, url.Values{field: {key}, "phone": {enrolled}, "customer_name": {"Ana"}, "usertool_id": {itoa64(p.cashier.ID)}})
		if r.Status != http.StatusOK {
			t.Fatalf("enrol: %d %s", r.Status, r.Body)
		}
	}
	r := p.post("/wallet/sale", url.Values{"wallet_key": {p.wallet.Key}, "phone": {enrolled}, "usertool_id": {itoa64(p.cashier.ID)},
		"transaction_type": {"0"}, "transaction_amount": {"1000"}})
	expectCode(t, r, "/wallet/sale", http.StatusOK, "new_sale_01")
	runBadCases(t, b, akCases(p, akEndpoints(p, enrolled)))
}

// --- the JSON API (OAuth) ---

// apiField is one field of a JSON API body, by its dotted path; the 422
// names that path.
type apiField struct {
	path     string
	kind     string // "text", "amount", "object", "list", "date", "whole"
	required bool
}

type apiEndpoint struct {
	path   string
	base   string // a body that would succeed
	fields []apiField
}

func apiEndpoints() []apiEndpoint {
	customer := `{"externalId":"C1","name":"Ana"}`
	return []apiEndpoint{
		{path: "/api/transaction",
			base: `{"type":"POINTS ORDER","code":"T2","description":"Compra","total":"100","customer":` + customer +
				`,"store":{"externalId":"S1","name":"Centro"},"expirationDate":"2999-01-01"}`,
			fields: []apiField{
				{"type", "text", true}, {"code", "text", false}, {"description", "text", true}, {"total", "amount", true},
				{"customer", "object", true}, {"customer.externalId", "text", true}, {"customer.name", "text", true},
				{"customer.data", "object", false}, {"store.externalId", "text", true}, {"expirationDate", "date", false},
			}},
		{path: "/api/transaction/checkbook",
			base: `{"type":"POINTS ORDER","code":"K1","customer":` + customer + `,"total":100,"earnedRedeemed":10,` +
				`"detail":{"externalId":"P1","name":"Café","total":100,"earnedRedeemed":10,"quantity":2}}`,
			fields: []apiField{
				{"type", "text", true}, {"customer", "object", true}, {"total", "amount", false}, {"earnedRedeemed", "amount", true},
				{"detail.externalId", "text", true}, {"detail.total", "amount", false}, {"detail.quantity", "whole", false},
			}},
		{path: "/api/transaction/redeemFullBalance",
			base:   `{"type":"POINTS REDEEM","code":"F1","customer":` + customer + `}`,
			fields: []apiField{{"type", "text", true}, {"customer", "object", true}, {"customer.name", "text", true}},
		},
		{path: "/api/transaction/reverse", base: `{"type":"POINTS ORDER","code":"T1"}`,
			fields: []apiField{{"type", "text", true}, {"code", "text", true}}},
		{path: "/api/transaction/reverseMany", base: `{"type":"POINTS ORDER","codes":["T1"]}`,
			fields: []apiField{{"type", "text", true}, {"codes", "list", true}}},
		{path: "/api/transaction/transfer",
			base: `{"type":"BALANCE TRANSFER DEBIT","code":"X1","total":1,"customerFrom":` + customer +
				`,"customerTo":{"externalId":"C2","name":"Beto"}}`,
			fields: []apiField{
				{"type", "text", true}, {"total", "amount", true}, {"customerFrom", "object", true},
				{"customerTo", "object", true}, {"customerTo.externalId", "text", true},
			}},
		{path: "/api/customer", base: `{"externalId":"N1","name":"Nuevo","data":{"a":1}}`,
			fields: []apiField{{"externalId", "text", true}, {"name", "text", true}, {"data", "object", false}}},
	}
}

// withJSON returns body with the field at a dotted path set to a raw JSON
// literal, or removed when literal is "".
func withJSON(t *testing.T, body, path, literal string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	obj := m
	for _, k := range keys[:len(keys)-1] {
		next, ok := obj[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[k] = next
		}
		obj = next
	}
	last := keys[len(keys)-1]
	if literal == "" {
		delete(obj, last)
	} else {
		obj[last] = json.RawMessage(literal)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// apiWrongValues are, per kind of field, literals of the wrong type or
// value; each must be a 422 naming the field.
var apiWrongValues = map[string][]string{
	"text":   {`{"a":1}`, `["a"]`, `5`, `true`},
	"object": {`"x"`, `["x"]`, `5`},
	"list":   {`"T1"`, `{"a":1}`, `[]`, `[5]`},
	"date":   {`"2999-02-30"`, `"01/01/2999"`, `"abc"`, `5`},
	"whole":  {`"abc"`, `0`, `-1`, `1.5`, `1e3`, `"NaN"`, `{"a":1}`},
	// Amounts: exact decimals with at most two places, up to 1,000,000,000.
	"amount": {`"abc"`, `"NaN"`, `"1e3"`, `1e3`, `1E+3`, `-0`, `"-0"`, `0.001`, `"0.001"`, `1000000000000`, `"1000000000000"`,
		`-5`, `"Infinity"`, `{"a":1}`, `[1]`, `true`, `""`},
}

func apiCases(c *apiClient, eps []apiEndpoint) []badCase {
	var cases []badCase
	send := func(path, body string) func(*bundle) *response {
		return func(b *bundle) *response {
			return b.do(http.MethodPost, path, c.auth(map[string]string{"Content-Type": "application/json"}), []byte(body))
		}
	}
	field := func(name string) func(*testing.T, *response) {
		return func(t *testing.T, r *response) { wantField(t, r, name) }
	}
	t := c.b.t
	for _, ep := range eps {
		name := func(s string) string { return strings.TrimPrefix(ep.path, "/") + "/" + s }
		big := withJSON(t, ep.base, "title", `"`+strings.Repeat("x", maxAPIBody)+`"`)
		cases = append(cases,
			badCase{name("BodyOver1MiB"), send(ep.path, big), func(t *testing.T, r *response) {
				wantError(t, r, http.StatusRequestEntityTooLarge, "413 Payload Too Large")
			}},
			badCase{name("InvalidUTF8"), send(ep.path, withJSON(t, ep.base, ep.fields[0].path, `"a"`)[:1]+"\"x\":\"\xff\xfe\","+ep.base[1:]), field("body")},
			badCase{name("NUL"), send(ep.path, withJSON(t, ep.base, ep.fields[0].path, `"a\u0000b"`)), field("body")},
			badCase{name("NotAnObject"), send(ep.path, `[`+ep.base+`]`), field("body")},
			badCase{name("Truncated"), send(ep.path, ep.base[:len(ep.base)-1]), field("body")},
			badCase{name("Empty"), send(ep.path, ``), field("body")},
		)
		for _, f := range ep.fields {
			fn := func(s string) string { return name(f.path + "/" + s) }
			if f.required {
				cases = append(cases,
					badCase{fn("Missing"), send(ep.path, withJSON(t, ep.base, f.path, "")), field(f.path)},
					badCase{fn("Null"), send(ep.path, withJSON(t, ep.base, f.path, "null")), field(f.path)},
				)
				if f.kind == "text" {
					cases = append(cases, badCase{fn("Empty"), send(ep.path, withJSON(t, ep.base, f.path, `""`)), field(f.path)})
				}
			}
			if f.kind == "text" {
				long, _ := json.Marshal(strings.Repeat("ñ", 200)) // 400 bytes: over 255
				cases = append(cases, badCase{fn("TooLong"), send(ep.path, withJSON(t, ep.base, f.path, string(long))), field(f.path)})
			}
			for _, lit := range apiWrongValues[f.kind] {
				want := f.path
				if strings.HasPrefix(f.path, "detail.") && f.kind == "text" {
					// detail is one object or an array of them: a line whose
					// text field has the wrong JSON type names detail.
					want = "detail"
				}
				cases = append(cases, badCase{fn("Value=" + lit), send(ep.path, withJSON(t, ep.base, f.path, lit)), field(want)})
			}
		}
	}
	return cases
}

// apiQueryCases are the GET endpoints with bad query parameters: each a
// 422 naming the parameter.
func apiQueryCases(c *apiClient) []badCase {
	const doc, dates = "document=C1", "&from=2026-01-01&to=2026-01-31"
	tests := []struct{ path, query, field string }{
		{"/api/transaction/history", "", "customerId"},
		{"/api/transaction/history", "customerId=%ff%fe", "customerId"},
		{"/api/transaction/history", "customerId=a%00b", "customerId"},
		{"/api/transaction/history", "customerId=C1&page=abc", "page"},
		{"/api/transaction/history", "customerId=C1&page=0", "page"},
		{"/api/transaction/history", "customerId=C1&page=-0", "page"},
		{"/api/transaction/history", "customerId=C1&page=1e3", "page"},
		{"/api/transaction/history", "customerId=C1&page=1000000000000", "page"},
		{"/api/transaction/history", "customerId=C1&per_page=0.001", "per_page"},
		{"/api/transaction/history", "customerId=C1&per_page=NaN", "per_page"},
		{"/api/transaction/history", "customerId=C1&per_page=101", "per_page"},
		{"/api/transaction/transactionByCode", "type=POINTS+ORDER", "code"},
		{"/api/transaction/transactionByCode", "code=T1", "type"},
		{"/api/transaction/transactionByCode", "code=%ff&type=POINTS+ORDER", "code"},
		{"/api/transaction/transactionByCode", "code=T1&type=a%00", "type"},
		{"/api/batch/expiration", "", "customerId"},
		{"/api/batch/expiration", "customerId=%c3%28", "customerId"},
		{"/api/customer/findByExternalId", "", "externalId"},
		{"/api/customer/findByExternalId", "externalId=%ff", "externalId"},
		{"/api/customer/findByExternalId", "externalId=%00", "externalId"},
	}
	for _, p := range []string{"/api/transaction/reloadsByCustomer", "/api/transaction/pointsByCustomer"} {
		tests = append(tests,
			struct{ path, query, field string }{p, dates[1:], "document"},
			struct{ path, query, field string }{p, "document=%ff" + dates, "document"},
			struct{ path, query, field string }{p, doc + "&to=2026-01-31", "from"},
			struct{ path, query, field string }{p, doc + "&from=2026-02-30&to=2026-03-01", "from"},
			struct{ path, query, field string }{p, doc + "&from=1e3&to=2026-03-01", "from"},
			struct{ path, query, field string }{p, doc + "&from=2026-01-01&to=abc", "to"},
			struct{ path, query, field string }{p, doc + "&from=2026-01-02&to=2026-01-01", "to"},
			struct{ path, query, field string }{p, doc + "&from=2020-01-01&to=2026-01-01", "to"},
		)
	}
	for _, p := range []string{"/api/report/dailySummary/stores", "/api/report/dailySummary/products"} {
		tests = append(tests,
			struct{ path, query, field string }{p, "endDate=2026-01-01", "startDate"},
			struct{ path, query, field string }{p, "startDate=%ff&endDate=2026-01-01", "startDate"},
			struct{ path, query, field string }{p, "startDate=2026-01-01&endDate=2026-1-1", "endDate"},
			struct{ path, query, field string }{p, "startDate=2026-01-01&endDate=NaN", "endDate"},
		)
	}
	var cases []badCase
	for _, tt := range tests {
		cases = append(cases, badCase{strings.TrimPrefix(tt.path, "/") + "?" + tt.query,
			func(b *bundle) *response { return b.doJSON(http.MethodGet, tt.path+"?"+tt.query, c.auth(nil), nil) },
			func(t *testing.T, r *response) { wantField(t, r, tt.field) }})
	}
	return cases
}

func TestBadInputJSONAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	// C1 has points and a transaction T1 to reverse, so every base body
	// would pass its checks.
	wantOK(t, c.post("/api/transaction", map[string]any{"type": "POINTS ORDER", "code": "T1", "description": "Compra",
		"total": "500", "customer": map[string]any{"externalId": "C1", "name": "Ana"}}), nil)
	runBadCases(t, b, append(apiCases(c, apiEndpoints()), apiQueryCases(c)...))
}

// --- the third-party shops API ---

// tpField is one field of a third-party method: the code for it missing or
// empty and for a malformed or unknown value ("" when none applies).
type tpField struct {
	name, missing, bad string
	amount             bool
	values             []string // the malformed values, when not the usual ones
}

type tpEndpoint struct {
	method string
	base   url.Values // a request that would succeed
	fields []tpField
}

// tpStatusOf is the HTTP status a method answers code with, from its table.
func tpStatusOf(method, code string) int {
	for _, c := range tpCodes[method] {
		if c.Code == code {
			return c.Status
		}
	}
	return 0
}

func tpCases(c *tpClient, eps []tpEndpoint) []badCase {
	var cases []badCase
	for _, ep := range eps {
		want := func(code string) func(*testing.T, *response) {
			return func(t *testing.T, r *response) { tpWant(t, r, tpStatusOf(ep.method, code), code) }
		}
		form := func(f url.Values) func(*bundle) *response {
			return func(b *bundle) *response { return b.doForm("/api/thirdparty/v1/"+ep.method, c.auth(), f) }
		}
		raw := func(ct, body string) func(*bundle) *response {
			return func(b *bundle) *response {
				h := c.auth()
				h["Content-Type"] = ct
				return b.do(http.MethodPost, "/api/thirdparty/v1/"+ep.method, h, []byte(body))
			}
		}
		name := func(s string) string { return ep.method + "/" + s }
		first := ep.fields[0].name
		cases = append(cases,
			badCase{name("BodyOver64KiB"), form(tpWith(ep.base, "padding", strings.Repeat("x", tpMaxBody))), want("2095")},
			badCase{name("FormInvalidUTF8"), raw("application/x-www-form-urlencoded", first+"=%ff%fe&"+ep.base.Encode()), want("2090")},
			badCase{name("FormNUL"), raw("application/x-www-form-urlencoded", first+"=a%00b&"+ep.base.Encode()), want("2090")},
			badCase{name("ValueOver1000Bytes"), form(tpWith(ep.base, "description", strings.Repeat("x", tpMaxFieldBytes+1))), want("2090")},
			badCase{name("JSONInvalidUTF8"), raw("application/json", akJSON(ep.base, first, "\"\xff\xfe\"")), want("2090")},
			badCase{name("JSONNotAnObject"), raw("application/json", `["`+first+`"]`), want("2090")},
			badCase{name("JSONTruncated"), raw("application/json", `{"`+first+`": "x`), want("2090")},
		)
		for _, f := range ep.fields {
			fn := func(s string) string { return name(f.name + "/" + s) }
			cases = append(cases,
				badCase{fn("JSONObject"), raw("application/json", akJSON(ep.base, f.name, `{"a":1}`)), want("2090")},
				badCase{fn("JSONArray"), raw("application/json", akJSON(ep.base, f.name, `["1"]`)), want("2090")},
				badCase{fn("JSONBool"), raw("application/json", akJSON(ep.base, f.name, `true`)), want("2090")},
			)
			if f.missing != "" {
				without := tpWith(ep.base, f.name, "")
				delete(without, f.name)
				cases = append(cases,
					badCase{fn("Missing"), form(without), want(f.missing)},
					badCase{fn("Empty"), form(tpWith(ep.base, f.name, "")), want(f.missing)},
					badCase{fn("Spaces"), form(tpWith(ep.base, f.name, " \t ")), want(f.missing)},
					badCase{fn("JSONNull"), raw("application/json", akJSON(ep.base, f.name, "null")), want(f.missing)},
				)
			}
			if f.bad == "" {
				continue
			}
			values := []string{"abc", "<b>x</b>", "x' OR '1'='1"}
			if f.values != nil {
				values = f.values
			}
			if f.amount {
				values = absurdNumbers
				for _, lit := range []string{"1e3", "-0", "0.001", "1000000000000", "0"} {
					cases = append(cases, badCase{fn("JSONNumber=" + lit), raw("application/json", akJSON(ep.base, f.name, lit)), want(f.bad)})
				}
			}
			for _, v := range values {
				cases = append(cases, badCase{fn("Value=" + v), form(tpWith(ep.base, f.name, v)), want(f.bad)})
			}
		}
	}
	return cases
}

// tpQueryCases are the GET methods with bad query strings.
func tpQueryCases(c *tpClient) []badCase {
	tests := []struct{ method, query, code string }{
		{"get-shops", "page=abc", "1571"}, {"get-shops", "page=0", "1571"}, {"get-shops", "page=-0", "1571"},
		{"get-shops", "page=1e3", "1571"}, {"get-shops", "page=1000000000000", "1571"}, {"get-shops", "limit=0.001", "2000"},
		{"get-shops", "limit=NaN", "2000"}, {"get-shops", "limit=101", "2000"}, {"get-shops", "search=%ff", "2090"},
		{"get-shops", "search=%00", "2090"},
		{"show-shop", "", "2009"}, {"show-shop", "code=%ff", "2090"}, {"show-shop", "code=x%27+OR+%271%27%3D%271", "2010"},
		{"get-agents", "page=x", "2022"}, {"get-agents", "limit=1e3", "2023"}, {"get-agents", "code_shop=nope", "2024"},
		{"get-agents", "search=a%00", "2090"},
		{"show-agent", "", "1368"}, {"show-agent", "code=%c3%28", "2090"}, {"show-agent", "code=%3Cscript%3E", "1369"},
		{"get-customers", "page=-1", "2028"}, {"get-customers", "limit=-0", "2029"}, {"get-customers", "code_shop=nope", "2030"},
		{"get-customers", "code_agent=nope", "2031"}, {"get-customers", "search=%fe", "2090"},
		{"show-customer", "", "2034"}, {"show-customer", "code=%00", "2090"}, {"show-customer", "code=nope", "2035"},
	}
	var cases []badCase
	for _, tt := range tests {
		cases = append(cases, badCase{tt.method + "?" + tt.query,
			func(b *bundle) *response {
				return b.do(http.MethodGet, "/api/thirdparty/v1/"+tt.method+"?"+tt.query, c.auth(), nil)
			},
			func(t *testing.T, r *response) { tpWant(t, r, tpStatusOf(tt.method, tt.code), tt.code) }})
	}
	return cases
}

func TestBadInputThirdparty(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "Tiendas", "")
	shop := c.addShop("Centro")
	agent := c.addAgent(shop, "Ana Ruiz")
	customer := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Luis"}})["code"].(string)
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	eps := []tpEndpoint{
		{"add-shop", v("name", "Norte", "email", "norte@example.com"), []tpField{
			{name: "name", missing: "2004"}, {name: "email", bad: "2005"}}},
		{"add-agent", v("code_shop", shop, "name", "Beto", "email", "beto@example.com", "password", "s3cret-pass"), []tpField{
			{name: "code_shop", missing: "2014", bad: "2019"}, {name: "name", missing: "2015"},
			{name: "email", missing: "2016", bad: "2017"}, {name: "password", missing: "2018", bad: "2018", values: []string{"1234567", "ñññññññ", strings.Repeat("x", 73)}}}},
		{"add-customer", v("code_shop", shop, "name", "Eva", "email", "eva@example.com", "code_agent", agent), []tpField{
			{name: "code_shop", missing: "1285", bad: "1286"}, {name: "name", missing: "1277"},
			{name: "email", bad: "1292"}, {name: "code_agent", bad: "1287"}}},
		{"add-order", v("code_shop", shop, "code_customer", customer, "amount", "150.50", "code_agent", agent), []tpField{
			{name: "code_shop", missing: "2039", bad: "2042"}, {name: "code_customer", missing: "2040", bad: "2043"},
			{name: "amount", missing: "2041", bad: "2041", amount: true}, {name: "code_agent", bad: "2045"}}},
	}
	runBadCases(t, b, append(tpCases(c, eps), tpQueryCases(c)...))
}

// --- the admin API ---

// admField is one field of an admin body: its JSON kind and whether the
// body needs it. A refused value is 422 invalid_field naming it.
type admField struct {
	name, kind string
	required   bool
}

type admEndpoint struct {
	method, path string
	base         string // a body that would succeed
	fields       []admField
}

// admWrongValues are, per kind, literals of the wrong type or out of range.
var admWrongValues = map[string][]string{
	"string": {`5`, `{"a":1}`, `["a"]`, `true`},
	// nullable: a string where null clears the setting.
	"nullable": {`5`, `{"a":1}`, `["a"]`, `true`},
	"int":      {`"abc"`, `"5"`, `1e3`, `0.001`, `"NaN"`, `-1`, `1000000000000`, `{"a":1}`, `true`},
	"amount":   {`"abc"`, `1e3`, `"1e3"`, `-0`, `"-0"`, `0.001`, `"0.001"`, `1000000000000`, `"NaN"`, `-5`, `true`, `{"a":1}`, `[1]`},
	"bool":     {`"true"`, `1`, `{"a":1}`, `null`},
	"list":     {`"1"`, `{"a":1}`, `[1]`},
	"object":   {`"x"`, `[1]`, `5`},
}

func admEndpoints(m int64, card, wallet, shop string, collaborator int64) []admEndpoint {
	mp := func(rest string) string { return adminPath(m, rest) }
	return []admEndpoint{
		{"POST", "/merchants", `{"name":"Nuevo","timezone":"America/Mexico_City"}`,
			[]admField{{"name", "string", true}, {"timezone", "string", false}}},
		{"PATCH", mp(""), `{"name":"Otro"}`, []admField{{"name", "string", false}, {"timezone", "string", false},
			{"contact_quota", "quota", false}, {"operation_quota", "quota", false}, {"message_credit", "quota", false},
			{"allowed_ladas", "list", false}, {"landline_prefixes", "list", false},
			{"allow_negative_on_reversal", "bool", false}, {"messaging", "object", false}}},
		{"POST", mp("/apikeys"), `{}`, nil},
		{"POST", mp("/thirdparty-tokens"), `{}`, nil},
		{"POST", mp("/oauth-clients"), `{"name":"pos"}`, []admField{{"name", "string", true}}},
		{"POST", mp("/loyalty-cards"), `{"name":"Tarjeta","stamps_required":5,"default_amount":"10.00"}`, []admField{
			{"name", "string", true}, {"stamps_required", "int", false}, {"default_amount", "amount", false},
			{"max_stamps_per_day", "int", false}, {"custom_js", "string", false}, {"ticket_required", "bool", false},
			{"webhook_url", "string", false}}},
		{"PATCH", mp("/loyalty-cards/" + card), `{"name":"Tarjeta 2"}`, []admField{
			{"name", "string", false}, {"stamps_required", "int", false}, {"default_amount", "amount", false}, {"enabled", "bool", false}}},
		{"POST", mp("/wallets"), `{"name":"Monedero 2","cashback_percent":"5.25","points_ttl_days":30}`, []admField{
			{"name", "string", true}, {"cashback_percent", "amount", false}, {"points_ttl_days", "int", false},
			{"sale_message", "bool", false}, {"webhook_url", "string", false}}},
		{"PATCH", mp("/wallets/" + wallet), `{"cashback_percent":6}`, []admField{
			{"name", "string", false}, {"cashback_percent", "amount", false}, {"points_ttl_days", "int", false}}},
		{"POST", mp("/collaborators"), `{"name":"Beto","number":"4770000002","branch":"Sur","type":"gerente","pin":"5678"}`, []admField{
			{"name", "string", true}, {"number", "string", true}, {"branch", "string", true}, {"type", "string", true}, {"pin", "string", true}}},
		{"PUT", mp("/collaborators/" + itoa64(collaborator) + "/permissions"), `{"loyalty_keys":["` + card + `"],"wallet_keys":[]}`,
			[]admField{{"loyalty_keys", "list", false}, {"wallet_keys", "list", false}}},
		{"POST", mp("/groups"), `{"name":"VIP","description":"d","rules":[{"unit":"POINTS","multiplier":"1.5","threshold":"1000"}]}`,
			[]admField{{"name", "string", true}, {"description", "string", false}, {"rules", "list", false},
				{"next_group_id", "int", false}, {"default", "bool", false}}},
		{"POST", mp("/transaction-types"), `{"name":"POINTS GIFT","unit":"POINTS","direction":"CREDIT"}`,
			[]admField{{"name", "string", true}, {"unit", "string", true}, {"direction", "string", true}}},
		{"POST", mp("/panel-users"), `{"email":"dueno@example.com","password":"una-clave-larga"}`,
			[]admField{{"email", "string", true}, {"password", "string", true}}},
		{"PUT", mp("/shops/" + shop + "/wallet"), `{"wallet_key":"` + wallet + `"}`, []admField{{"wallet_key", "nullable", true}}},
		{"POST", mp("/webhooks/test"), `{"url":"http://127.0.0.1:1/hook"}`, []admField{{"url", "string", true}}},
	}
}

func admCases(t *testing.T, eps []admEndpoint) []badCase {
	var cases []badCase
	for _, ep := range eps {
		send := func(body string) func(*bundle) *response {
			return func(b *bundle) *response {
				return b.do(ep.method, "/admin/v1"+ep.path, map[string]string{"Authorization": "Bearer " + testAdminToken,
					"Content-Type": "application/json"}, []byte(body))
			}
		}
		want := func(status int, code, field string) func(*testing.T, *response) {
			return func(t *testing.T, r *response) { wantAdminError(t, r, status, code, field) }
		}
		name := func(s string) string { return ep.method + ep.path + "/" + s }
		padded := withJSON(t, ep.base, "padding", `"`+strings.Repeat("x", maxAdminBody)+`"`)
		cases = append(cases,
			badCase{name("BodyOver256KiB"), send(padded), want(http.StatusRequestEntityTooLarge, adminBodyTooLarge, "")},
			badCase{name("InvalidUTF8"), send(`{"x\xff":"\xfe"}`), want(http.StatusBadRequest, adminInvalidJSON, "")},
			badCase{name("NotAnObject"), send(`[` + ep.base + `]`), want(http.StatusBadRequest, adminInvalidJSON, "")},
			badCase{name("Truncated"), send(ep.base[:len(ep.base)-1]), want(http.StatusBadRequest, adminInvalidJSON, "")},
			badCase{name("UnknownField"), send(withJSON(t, ep.base, "nombre", `"x"`)), want(http.StatusUnprocessableEntity, adminUnknownField, "nombre")},
		)
		for _, f := range ep.fields {
			fn := func(s string) string { return name(f.name + "/" + s) }
			bad := want(http.StatusUnprocessableEntity, adminInvalidField, f.name)
			if f.kind == "string" || f.kind == "nullable" {
				cases = append(cases, badCase{fn("NUL"), send(withJSON(t, ep.base, f.name, `"a\u0000b"`)),
					want(http.StatusBadRequest, adminInvalidJSON, "")})
			}
			if f.required {
				cases = append(cases, badCase{fn("Missing"), send(withJSON(t, ep.base, f.name, "")), bad})
			}
			if f.required && f.kind != "nullable" {
				cases = append(cases, badCase{fn("Null"), send(withJSON(t, ep.base, f.name, "null")), bad})
			}
			for _, lit := range admWrongValues[f.kind] {
				cases = append(cases, badCase{fn("Value=" + lit), send(withJSON(t, ep.base, f.name, lit)), bad})
			}
		}
	}
	return cases
}

func TestBadInputAdmin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	shop, err := b.store.CreateShop(t.Context(), p.m.ID, store.ShopInput{Name: "Centro"})
	if err != nil {
		t.Fatal(err)
	}
	cases := admCases(t, admEndpoints(p.m.ID, p.card.Key, p.wallet.Key, shop.Code, p.cashier.ID))
	for _, phone := range []string{"abc", "%3Cscript%3E", "1e3", "-0", "0.001", "1000000000000", "%ff", "%00", "477123456"} {
		cases = append(cases, badCase{"PUT/blacklist/" + phone,
			func(b *bundle) *response { return b.admin(http.MethodPut, adminPath(p.m.ID, "/blacklist/"+phone), nil) },
			func(t *testing.T, r *response) {
				wantAdminError(t, r, http.StatusUnprocessableEntity, adminInvalidField, "phone")
			}})
	}
	runBadCases(t, b, cases)
}

// --- SQL and HTML metacharacters ---

// TestBadInputMetacharacters: free text full of SQL and HTML syntax is
// stored verbatim by every family, read back unchanged through the API, and
// escaped where the panel renders it.
func TestBadInputMetacharacters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	user := itoa64(p.cashier.ID)
	same := func(what string, got any) {
		t.Helper()
		if got != metachars {
			t.Errorf("%s: got %q, want %q verbatim", what, got, metachars)
		}
	}

	// apikey: a contact's and a collaborator's names.
	expectCode(t, p.post("/wallet/contact/add", url.Values{"wallet_key": {p.wallet.Key}, "phone": {"4771112222"},
		"customer_name": {metachars}, "usertool_id": {user}}), "/wallet/contact/add", http.StatusOK, "contact_add_01")
	got := expectCode(t, p.post("/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}, "phone": {"4771112222"}}),
		"/wallet/contact/get", http.StatusOK, "balance_get_01")
	same("wallet contact name", got["result"].(map[string]any)["contact_name"])
	expectCode(t, p.b.do(http.MethodPost, "/employee/add", map[string]string{"apikey": p.key, "Content-Type": "application/json"},
		jsonBody(t, map[string]string{"type": "gerente", "employee_name": metachars, "business_name": metachars,
			"number": "4773334444", "password": "4321"})), "/employee/add", http.StatusOK, "toolusers_01")
	found := false
	for _, u := range expectCode(t, p.post("/toolusers/get", nil), "/toolusers/get", http.StatusOK, "tool_users_01")["result"].([]any) {
		if u := u.(map[string]any); u["usertool_number"] == "4773334444" {
			found = true
			same("collaborator name", u["usertool_name"])
			same("collaborator branch", u["usertool_branch"])
		}
	}
	if !found {
		t.Fatal("the collaborator is not listed")
	}

	// JSON API: a customer's external id and name, a transaction's description.
	c := newAPIClient(t, b)
	wantOK(t, c.post("/api/customer", map[string]any{"externalId": metachars, "name": metachars}), nil)
	var cust map[string]any
	wantOK(t, c.get("/api/customer/findByExternalId?externalId="+url.QueryEscape(metachars)), &cust)
	same("customer external id", cust["external_id"])
	same("customer name", cust["name"])
	var tx map[string]any
	wantOK(t, c.post("/api/transaction", map[string]any{"type": "POINTS ORDER", "code": metachars, "description": metachars,
		"total": "1", "customer": map[string]any{"externalId": metachars, "name": metachars}}), &tx)
	var txs []map[string]any
	wantOK(t, c.get("/api/transaction/transactionByCode?type=POINTS+ORDER&code="+url.QueryEscape(metachars)), &txs)
	if len(txs) != 1 {
		t.Fatalf("transactionByCode: got %d transactions, want 1", len(txs))
	}
	same("transaction code", txs[0]["code"])
	same("transaction description", txs[0]["description"])

	// Third-party: a customer's name and last name.
	tp := newTPMerchant(b, "Tiendas", "")
	code := tp.addCustomer(url.Values{"code_shop": {tp.addShop(metachars)}, "name": {metachars}, "lastname": {metachars}})["code"].(string)
	d := tpWant(t, tp.get("show-customer", url.Values{"code": {code}}), http.StatusOK, "0062")
	same("third-party customer name", d["name"])
	same("third-party customer last name", d["lastname"])
	same("third-party shop name", d["name_shop"])

	// Admin: a merchant's and a card's names.
	r := b.admin(http.MethodPost, "/merchants", map[string]any{"name": metachars})
	if r.Status != http.StatusCreated {
		t.Fatalf("create merchant: %d %s", r.Status, r.Body)
	}
	same("merchant name", b.admin(http.MethodGet, adminPath(int64(r.JSON(t)["id"].(float64)), ""), nil).JSON(t)["name"])
	r = b.admin(http.MethodPost, adminPath(p.m.ID, "/loyalty-cards"), map[string]any{"name": metachars})
	if r.Status != http.StatusCreated {
		t.Fatalf("create card: %d %s", r.Status, r.Body)
	}
	same("card name", r.JSON(t)["name"])

	// The panel shows the contact, the collaborator and the card: escaped in
	// the HTML, verbatim to the reader.
	hash, err := panel.HashPassword("una-clave-larga")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.CreatePanelUser(t.Context(), p.m.ID, "dueno@example.com", hash); err != nil {
		t.Fatal(err)
	}
	br, _ := loggedIn(t, b, "dueno@example.com", "una-clave-larga")
	for _, page := range []string{"/panel/contacts", "/panel/collaborators", "/panel/cards"} {
		res := br.get(page)
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(string(res.Body), `<script>alert(`) {
			t.Errorf("%s renders the name's <script> unescaped", page)
		}
		wantBody(t, res, `&lt;script&gt;alert(`)
		wantText(t, res, metachars)
	}
	p.checkLedger()
}
