package http

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// tpClient calls the third-party API as one merchant.
type tpClient struct {
	t          *testing.T
	b          *bundle
	merchantID int64
	token      string
}

// newTPMerchant provisions a merchant in timezone tz ("" = the default) and
// issues it a third-party token.
func newTPMerchant(b *bundle, name, tz string) *tpClient {
	b.t.Helper()
	m, err := b.store.CreateMerchant(b.t.Context(), name, tz)
	if err != nil {
		b.t.Fatal(err)
	}
	_, token, err := b.store.CreateThirdpartyToken(b.t.Context(), m.ID)
	if err != nil {
		b.t.Fatal(err)
	}
	return &tpClient{t: b.t, b: b, merchantID: m.ID, token: token}
}

func (c *tpClient) auth() map[string]string {
	return map[string]string{"Authorization": "Bearer " + c.token}
}

// post sends a form-encoded POST, as the seed's clients do.
func (c *tpClient) post(method string, form url.Values) *response {
	c.t.Helper()
	return c.b.doForm("/api/thirdparty/v1/"+method, c.auth(), form)
}

// postJSON sends a JSON POST.
func (c *tpClient) postJSON(method string, v any) *response {
	c.t.Helper()
	return c.b.doJSON(http.MethodPost, "/api/thirdparty/v1/"+method, c.auth(), v)
}

// get calls a GET method with a query string.
func (c *tpClient) get(method string, q url.Values) *response {
	c.t.Helper()
	return c.b.do(http.MethodGet, "/api/thirdparty/v1/"+method+"?"+q.Encode(), c.auth(), nil)
}

// tpWant checks a third-party answer's status, shape and code, and returns
// its data (nil on failures).
func tpWant(t *testing.T, r *response, status int, code string) map[string]any {
	t.Helper()
	body := r.JSON(t)
	if r.Status != status {
		t.Fatalf("got HTTP %d %s, want %d with code %s", r.Status, r.Body, status, code)
	}
	if status == http.StatusOK {
		if body["status"] != true || body["success"].(map[string]any)["code"] != code {
			t.Fatalf("got %s, want success code %s", r.Body, code)
		}
		return body["data"].(map[string]any)
	}
	errObj, _ := body["error"].(map[string]any)
	if body["status"] != false || errObj == nil || errObj["code"] != code {
		t.Fatalf("got %s, want error code %s", r.Body, code)
	}
	return nil
}

func (c *tpClient) addShop(name string) string {
	c.t.Helper()
	return tpWant(c.t, c.post("add-shop", url.Values{"name": {name}}), 200, "2002")["code"].(string)
}

func (c *tpClient) addAgent(shop, name string) string {
	c.t.Helper()
	return tpWant(c.t, c.post("add-agent", url.Values{"code_shop": {shop}, "name": {name},
		"email": {strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"}, "password": {"s3cret-pass"}}), 200, "2012")["code"].(string)
}

func (c *tpClient) addCustomer(form url.Values) map[string]any {
	c.t.Helper()
	return tpWant(c.t, c.post("add-customer", form), 200, "0052")
}

func (c *tpClient) addOrder(form url.Values) map[string]any {
	c.t.Helper()
	return tpWant(c.t, c.post("add-order", form), 200, "2037")
}

// tpBreakWrites makes every insert or update of table fail in this test's
// own database, as a full disk or a lost connection would.
func tpBreakWrites(b *bundle, table string) {
	b.t.Helper()
	tpExec(b, `CREATE FUNCTION tp_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'test: storage failure'; END $$`)
	tpExec(b, `CREATE TRIGGER tp_test_fail BEFORE INSERT OR UPDATE ON `+table+` FOR EACH ROW EXECUTE FUNCTION tp_test_fail()`)
}

// tpBreakReads makes every query of table fail in this test's own database.
func tpBreakReads(b *bundle, table string) {
	b.t.Helper()
	tpExec(b, `ALTER TABLE `+table+` RENAME TO `+table+`_gone`)
}

func tpExec(b *bundle, sql string, args ...any) {
	b.t.Helper()
	if _, err := b.store.Pool().Exec(b.t.Context(), sql, args...); err != nil {
		b.t.Fatal(err)
	}
}

func tpCount(b *bundle, table string) int64 {
	b.t.Helper()
	var n int64
	if err := b.store.Pool().QueryRow(b.t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		b.t.Fatal(err)
	}
	return n
}

var (
	tpCodeRe = regexp.MustCompile(`^pgb(sho|age|cus|ord)[0-9]{20}$`)
	tpUTCRe  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$`)
)

// tpWith copies a form with one field set, for tables of one fault each.
func tpWith(form url.Values, k, v string) url.Values {
	f := url.Values{}
	for key, vals := range form {
		f[key] = vals
	}
	f.Set(k, v)
	return f
}

// tpNames lists the names of a list answer's rows under key.
func tpNames(d map[string]any, key string) []string {
	var out []string
	for _, x := range d[key].([]any) {
		out = append(out, x.(map[string]any)["name"].(string))
	}
	return out
}
