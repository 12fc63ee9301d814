package http

import (
	"encoding/json"
	"testing"
	"time"
)

// apiTx is the seed's transaction object, decoded.
type apiTx struct {
	ID               string  `json:"id"`
	Title            string  `json:"title"`
	Description      string  `json:"description"`
	Code             *string `json:"code"`
	ExternalEntityID *string `json:"external_entity_id"`
	Type             string  `json:"type"`
	Total            string  `json:"total"`
	CreatedAt        string  `json:"created_at"`
	Unit             struct{ ID, Name, Sign string }
	Customer         apiCustomer        `json:"customer"`
	Store            *map[string]string `json:"store"`
}

type apiCustomer struct {
	ID         string `json:"id"`
	ExternalID string `json:"externalId"`
	Name       string `json:"name"`
	Totals     []struct {
		ID          string `json:"id"`
		TotalAmount string `json:"total_amount"`
		Unit        struct{ ID, Name, Sign string }
		Batch       *string `json:"batch"`
		SetName     *string `json:"set_name"`
	} `json:"totals"`
}

// balance sums the customer's totals in a unit, as a client would.
func (c apiCustomer) balance(unit string) string {
	var sum int64
	for _, t := range c.Totals {
		if t.Unit.Name == unit {
			var whole, cents int64
			neg := len(t.TotalAmount) > 0 && t.TotalAmount[0] == '-'
			s := t.TotalAmount
			if neg {
				s = s[1:]
			}
			for i, part := 0, 0; i < len(s); i++ {
				if s[i] == '.' {
					part = 1
					continue
				}
				if part == 0 {
					whole = whole*10 + int64(s[i]-'0')
				} else {
					cents = cents*10 + int64(s[i]-'0')
				}
			}
			v := whole*100 + cents
			if neg {
				v = -v
			}
			sum += v
		}
	}
	return formatCents(sum)
}

func formatCents(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + itoa64(v/100) + "." + string(rune('0'+v%100/10)) + string(rune('0'+v%10))
}

func customerBody(ext, name string) map[string]any {
	return map[string]any{"externalId": ext, "name": name}
}

// txBody is a POST /api/transaction body.
func txBody(typ, code string, total any, customer string) map[string]any {
	return map[string]any{"type": typ, "code": code, "description": "d", "total": total, "customer": customerBody(customer, "N "+customer)}
}

func (c *apiClient) postTx(t *testing.T, body map[string]any) apiTx {
	t.Helper()
	var v apiTx
	wantOK(t, c.post("/api/transaction", body), &v)
	return v
}

func tomorrow() string { return time.Now().AddDate(0, 0, 2).Format(time.DateOnly) }

func TestPostTransactionSeedExample(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	exp := tomorrow()
	body := map[string]any{
		"type": "POINTS COUPON", "code": "Bienvenido", "externalId": "123", "expirationDate": exp, "title": "Titulo",
		"description": "Beneficio de puntos por Bienvenida", "total": 100,
		"customer": map[string]any{"externalId": "0100037894", "name": "Santiago",
			"data": map[string]any{"vendorId": "1", "businessOwner": "2", "giftCardAmount": "4", "giftCardType": "MONETARY"}},
		"store":       map[string]any{"externalId": "1200037894", "name": "Centro"},
		"vendor":      map[string]any{"externalId": "1200015849", "name": "Vendor"},
		"checkbookId": "12240", "transferTransactionId": "5446",
	}
	v := c.postTx(t, body)
	if v.Type != "CREDIT" || v.Total != "100.00" || v.Title != "Titulo" || v.Description != "Beneficio de puntos por Bienvenida" ||
		*v.Code != "Bienvenido" || *v.ExternalEntityID != "Bienvenido" || v.Unit.Name != "POINTS" || v.Unit.Sign != "PTS" || v.Unit.ID != "1" {
		t.Fatalf("got %+v", v)
	}
	if v.Customer.ExternalID != "0100037894" || v.Customer.Name != "Santiago" || len(v.Customer.Totals) != 1 ||
		v.Customer.Totals[0].TotalAmount != "100.00" || v.Customer.Totals[0].Batch == nil || v.Customer.Totals[0].SetName != nil {
		t.Fatalf("got customer %+v, want one batch account of 100.00", v.Customer)
	}
	if v.Store == nil || (*v.Store)["externalId"] != "1200037894" || (*v.Store)["name"] != "Centro" {
		t.Fatalf("got store %v", v.Store)
	}
	if _, err := time.Parse(time.DateTime, v.CreatedAt); err != nil {
		t.Fatalf("created_at %q: %v", v.CreatedAt, err)
	}

	t.Run("RepeatAnswersTheOriginal", func(t *testing.T) {
		again := c.postTx(t, body)
		if again.ID != v.ID || again.Customer.balance("POINTS") != "100.00" {
			t.Fatalf("got %+v, want the original %s and no second credit", again, v.ID)
		}
	})
	t.Run("SameCodeOtherContent", func(t *testing.T) {
		other := map[string]any{}
		for k, val := range body {
			other[k] = val
		}
		other["total"] = 5
		wantField(t, c.post("/api/transaction", other), "code")
	})
	t.Run("NoStoreIsNull", func(t *testing.T) {
		r := c.post("/api/transaction", txBody("POINTS BALANCE", "", 1.5, "0100037894"))
		var raw map[string]json.RawMessage
		wantOK(t, r, &raw)
		if string(raw["store"]) != "null" || string(raw["code"]) != "null" || string(raw["total"]) != `"1.50"` {
			t.Fatalf("got store %s code %s total %s", raw["store"], raw["code"], raw["total"])
		}
	})
}

func TestPostTransactionKinds(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	c.postTx(t, txBody("POINTS ORDER", "o1", 50, "cu1"))
	redeem := c.postTx(t, txBody("POINTS REDEEM", "r1", 20.25, "cu1"))
	if redeem.Type != "DEBIT" || redeem.Total != "20.25" || redeem.Customer.balance("POINTS") != "29.75" {
		t.Fatalf("got %+v", redeem)
	}
	reload := c.postTx(t, txBody("BALANCE RELOAD", "c1", 300, "cu1"))
	if reload.Unit.Name != "COINS" || reload.Unit.Sign != "$" || reload.Unit.ID != "2" || reload.Customer.balance("COINS") != "300.00" {
		t.Fatalf("got %+v", reload)
	}
	pay := c.postTx(t, txBody("BALANCE PAYMENT", "p1", 100, "cu1"))
	if pay.Type != "DEBIT" || pay.Customer.balance("COINS") != "200.00" {
		t.Fatalf("got %+v", pay)
	}
}

func TestPostTransactionErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	c.postTx(t, txBody("POINTS ORDER", "seed", 10, "cu1"))
	with := func(k string, v any) map[string]any {
		body := txBody("POINTS ORDER", "x", 10, "cu1")
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
		return body
	}
	tests := []struct {
		name  string
		body  any
		field string
	}{
		{"UnknownType", with("type", "POINTS GIFT"), "type"},
		{"MissingType", with("type", nil), "type"},
		{"MissingDescription", with("description", nil), "description"},
		{"MissingTotal", with("total", nil), "total"},
		{"ZeroTotal", with("total", 0), "total"},
		{"NegativeTotal", with("total", -5), "total"},
		{"ThreeDecimals", with("total", 1.234), "total"},
		{"TotalNotANumber", with("total", "abc"), "total"},
		{"MissingCustomer", with("customer", nil), "customer"},
		{"MissingCustomerID", with("customer", map[string]any{"name": "x"}), "customer.externalId"},
		{"MissingCustomerName", with("customer", map[string]any{"externalId": "x"}), "customer.name"},
		{"CustomerDataNotObject", with("customer", map[string]any{"externalId": "x", "name": "x", "data": "s"}), "customer.data"},
		{"StoreWithoutID", with("store", map[string]any{"name": "x"}), "store.externalId"},
		{"PastExpiration", with("expirationDate", "2018-06-03"), "expirationDate"},
		{"BadExpiration", with("expirationDate", "06/03/2018"), "expirationDate"},
		{"TransferType", with("type", "BALANCE TRANSFER DEBIT"), "type"},
		{"TooFewPoints", txBody("POINTS REDEEM", "r", 11, "cu1"), "total"},
		{"CodeNotString", with("code", 5), "code"},
		{"NotAnObject", []int{1}, "body"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, c.post("/api/transaction", tc.body), tc.field)
		})
	}
	t.Run("SystemTypeForbidden", func(t *testing.T) {
		wantError(t, c.post("/api/transaction", txBody("POINTS EXPIRED", "e", 1, "cu1")), 403, "Forbidden")
	})
	var n int
	_ = b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM ledger_transactions WHERE merchant_id = $1`, c.merchantID).Scan(&n)
	var customers int
	_ = b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM customers WHERE merchant_id = $1`, c.merchantID).Scan(&customers)
	if n != 1 || customers != 1 {
		t.Fatalf("got %d transactions and %d customers, want 1 and 1: errors write nothing", n, customers)
	}
}

func TestCheckbook(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	seed := map[string]any{
		"type": "POINTS ORDER", "customer": customerBody("0100037894", "Santiago"), "code": "Bienvenido", "externalId": "123",
		"total": 100, "earnedRedeemed": 20, "store": map[string]any{"externalId": "1200037894", "name": "Centro"}, "title": "Titulo",
		"detail": map[string]any{"name": "Twister", "externalId": "39535", "total": 10, "earnedRedeemed": 20},
	}
	var v apiTx
	wantOK(t, c.post("/api/transaction/checkbook", seed), &v)
	if v.Type != "CREDIT" || v.Total != "20.00" || v.Title != "Titulo" || v.Description != "Centro" || v.Customer.balance("POINTS") != "20.00" {
		t.Fatalf("got %+v", v)
	}
	redeem := map[string]any{
		"type": "POINTS REDEEM", "customer": customerBody("0100037894", "Santiago"), "code": "R1", "total": 50, "earnedRedeemed": 15,
		"detail": []any{map[string]any{"name": "A", "externalId": "1", "earnedRedeemed": 10, "quantity": 2},
			map[string]any{"name": "B", "externalId": "2", "earnedRedeemed": 5}},
	}
	wantOK(t, c.post("/api/transaction/checkbook", redeem), &v)
	if v.Type != "DEBIT" || v.Customer.balance("POINTS") != "5.00" {
		t.Fatalf("got %+v", v)
	}
	var lines int
	_ = b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM checkbook_lines WHERE merchant_id = $1`, c.merchantID).Scan(&lines)
	if lines != 3 {
		t.Fatalf("got %d lines, want 3", lines)
	}
	t.Run("Repeat", func(t *testing.T) {
		var again apiTx
		wantOK(t, c.post("/api/transaction/checkbook", redeem), &again)
		_ = b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM checkbook_lines WHERE merchant_id = $1`, c.merchantID).Scan(&lines)
		if again.ID != v.ID || lines != 3 {
			t.Fatalf("got %s and %d lines, want the original %s and 3", again.ID, lines, v.ID)
		}
	})
	tests := []struct {
		name  string
		mod   func(map[string]any)
		field string
	}{
		{"MissingEarned", func(m map[string]any) { delete(m, "earnedRedeemed") }, "earnedRedeemed"},
		{"LineWithoutProduct", func(m map[string]any) { m["detail"] = []any{map[string]any{"name": "x"}} }, "detail.0.externalId"},
		{"BadQuantity", func(m map[string]any) { m["detail"] = map[string]any{"externalId": "1", "quantity": 0} }, "detail.quantity"},
		{"DetailNotObject", func(m map[string]any) { m["detail"] = "x" }, "detail"},
		{"TooFewPoints", func(m map[string]any) { m["type"] = "POINTS REDEEM"; m["code"] = "R9"; m["earnedRedeemed"] = 500 }, "earnedRedeemed"},
		{"UnknownType", func(m map[string]any) { m["type"] = "NOPE" }, "type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := map[string]any{}
			for k, val := range seed {
				m[k] = val
			}
			m["code"] = "new-" + tc.name
			tc.mod(m)
			wantField(t, c.post("/api/transaction/checkbook", m), tc.field)
		})
	}
}

func TestRedeemFullBalance(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	c.postTx(t, map[string]any{"type": "POINTS COUPON", "code": "a", "description": "d", "total": 40, "expirationDate": tomorrow(),
		"customer": customerBody("0100037894", "Santiago")})
	c.postTx(t, txBody("POINTS ORDER", "b", 60.5, "0100037894"))
	body := map[string]any{"type": "POINTS ORDER", "customer": customerBody("0100037894", "0100037894"), "code": "Bienvenido",
		"externalId": "123", "total": 100, "earnedRedeemed": 20, "store": map[string]any{"externalId": "1200037894", "name": "Centro"},
		"title": "Titulo", "detail": map[string]any{"name": "Twister", "externalId": "39535", "total": 10, "earnedRedeemed": 20}}
	var cust apiCustomer
	wantOK(t, c.post("/api/transaction/redeemFullBalance", body), &cust)
	if cust.ExternalID != "0100037894" || cust.balance("POINTS") != "0.00" {
		t.Fatalf("got %+v, want every batch spent", cust)
	}
	var byCode []apiTx
	wantOK(t, c.get("/api/transaction/transactionByCode?code=Bienvenido&type=POINTS%20REDEEM"), &byCode)
	if len(byCode) != 1 || byCode[0].Total != "100.50" || byCode[0].Type != "DEBIT" {
		t.Fatalf("got %+v, want one POINTS REDEEM of 100.50", byCode)
	}
	t.Run("RepeatAnswersTheCustomer", func(t *testing.T) {
		wantOK(t, c.post("/api/transaction/redeemFullBalance", body), &cust)
	})
	t.Run("ZeroBalance", func(t *testing.T) {
		body["code"] = "other"
		wantField(t, c.post("/api/transaction/redeemFullBalance", body), "customer")
	})
	t.Run("UnknownCustomer", func(t *testing.T) {
		body["customer"] = customerBody("ghost", "g")
		wantField(t, c.post("/api/transaction/redeemFullBalance", body), "customer")
	})
}
