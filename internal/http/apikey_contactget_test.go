package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func TestContactGetErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	other := newPOS(t, b)
	p.enroll(store.ProgramCard, phone)
	p.enroll(store.ProgramWallet, phone)
	for _, tc := range []struct {
		name, path string
		form       url.Values
		status     int
		code       string
	}{
		{"NoKey/card", "/loyalty/contact/get", url.Values{"phone": {phone}}, 400, "loyalty_contact_get_02"},
		{"BadPhone/card", "/loyalty/contact/get", url.Values{"loyalty_key": {p.card.Key}, "phone": {"12"}}, 400, "loyalty_contact_get_03"},
		{"BadLimit/card", "/loyalty/contact/get", url.Values{"loyalty_key": {p.card.Key}, "limit": {"-1"}}, 400, "loyalty_contact_get_06"},
		{"OtherMerchantsCard", "/loyalty/contact/get", url.Values{"loyalty_key": {other.card.Key}}, 404, "loyalty_contact_get_04"},
		{"NotEnrolled/card", "/loyalty/contact/get", url.Values{"loyalty_key": {p.card.Key}, "phone": {"4779999999"}}, 404, "loyalty_contact_get_05"},
		{"NoKey/wallet", "/wallet/contact/get", url.Values{}, 400, "balance_get_02"},
		{"BadPhone/wallet", "/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}, "phone": {"x"}}, 400, "balance_get_03"},
		{"BadOffset/wallet", "/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}, "offset": {"a"}}, 400, "balance_get_06"},
		{"OtherMerchantsWallet", "/wallet/contact/get", url.Values{"wallet_key": {other.wallet.Key}}, 404, "balance_get_05"},
		{"NotEnrolled/wallet", "/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}, "phone": {"4779999999"}}, 404, "balance_get_04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectCode(t, p.post(tc.path, tc.form), tc.path, tc.status, tc.code)
		})
	}
	expectCode(t, b.doForm("/loyalty/contact/get", map[string]string{"apikey": "wrong"}, url.Values{"loyalty_key": {p.card.Key}}), "/loyalty/contact/get", 401, "auth_01")
}

func TestContactGetListAndOne(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	f := p.contactForm(store.ProgramWallet, phone)
	f.Set("customer_birthdate", "1990-05-17")
	expectCode(t, p.post("/wallet/contact/add", f), "/wallet/contact/add", 200, "contact_add_01")
	p.enroll(store.ProgramWallet, "4772223344")
	expectCode(t, p.post("/wallet/balance/update", p.balanceUpdate(phone, "0", "152.5")), "/wallet/balance/update", 200, "balance_update_01")

	r := p.post("/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}})
	body := expectCode(t, r, "/wallet/contact/get", 200, "balance_get_01")
	list := body["result"].([]any)
	if len(list) != 2 || !bytes.Contains(r.Body, []byte(`{"contact_name":"Juan Pérez","contact_phone":"4771112233","contact_birthdate":"1990-05-17","contact_balance":152.5}`)) {
		t.Fatalf("got %s", r.Body)
	}
	r = p.post("/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}, "limit": {"1"}, "offset": {"1"}})
	list = expectCode(t, r, "/wallet/contact/get", 200, "balance_get_01")["result"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["contact_phone"] != "4772223344" || list[0].(map[string]any)["contact_birthdate"] != "" {
		t.Fatalf("page 2 of 1: got %s", r.Body)
	}
	r = p.post("/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}, "phone": {"477 111 2233"}})
	one := expectCode(t, r, "/wallet/contact/get", 200, "balance_get_01")["result"].(map[string]any)
	if one["contact_balance"] != 152.5 {
		t.Fatalf("got %s", r.Body)
	}
	// An empty card answers an empty list.
	r = p.post("/loyalty/contact/get", url.Values{"loyalty_key": {p.card.Key}})
	if got := expectCode(t, r, "/loyalty/contact/get", 200, "loyalty_contact_get_01")["result"].([]any); len(got) != 0 {
		t.Fatalf("got %s", r.Body)
	}
}

// chunkWriter records how a handler writes its body.
type chunkWriter struct {
	header   http.Header
	status   int
	writes   int
	maxWrite int
	body     bytes.Buffer
}

func (c *chunkWriter) Header() http.Header { return c.header }
func (c *chunkWriter) WriteHeader(s int)   { c.status = s }
func (c *chunkWriter) Write(p []byte) (int, error) {
	c.writes++
	c.maxWrite = max(c.maxWrite, len(p))
	return c.body.Write(p)
}

// TestContactGetStreams100kContacts lists a card with 100,000 contacts and
// checks the answer left the handler in bounded chunks while rows were read
// (the streaming design), not as one buffer built in memory.
func TestContactGetStreams100kContacts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	p.exec(`WITH c AS (INSERT INTO contacts (merchant_id, phone, name)
		SELECT $1, (4000000000 + g)::text, 'Cliente ' || g FROM generate_series(1, 100000) g RETURNING merchant_id, id)
		INSERT INTO card_members (merchant_id, card_id, contact_id) SELECT merchant_id, $2, id FROM c ORDER BY id`, p.m.ID, p.card.ID)

	req := httptest.NewRequest(http.MethodPost, "/loyalty/contact/get", strings.NewReader(url.Values{"loyalty_key": {p.card.Key}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("apikey", p.key)
	w := &chunkWriter{header: http.Header{}}
	b.server.ServeHTTP(w, req)

	if w.status != 200 {
		t.Fatalf("got %d: %.300s", w.status, w.body.String())
	}
	size := w.body.Len()
	if w.maxWrite > 64<<10 || w.writes < size/(64<<10) {
		t.Fatalf("%d bytes in %d writes of at most %d: want bounded chunks", size, w.writes, w.maxWrite)
	}
	var out struct {
		Success bool `json:"success"`
		Result  []struct {
			Phone string `json:"contact_phone"`
		} `json:"result"`
		Status int    `json:"status"`
		Code   string `json:"code"`
	}
	if err := json.Unmarshal(w.body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Result) != 100000 || out.Code != "loyalty_contact_get_01" || out.Result[99999].Phone != "4000100000" {
		t.Fatalf("got %d contacts, code %s", len(out.Result), out.Code)
	}
}
