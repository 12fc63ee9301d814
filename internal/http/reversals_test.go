package http

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestReverse(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	order := txBody("POINTS ORDER", "BienvenidoDavid", 20, "0100037894")
	order["store"] = map[string]any{"externalId": "1200037894", "name": "La Carolina"}
	c.postTx(t, order)
	c.postTx(t, txBody("POINTS COUPON", "cup", 5, "0100037894"))
	var v apiTx
	wantOK(t, c.post("/api/transaction/reverse", map[string]any{"type": "POINTS ORDER", "code": "BienvenidoDavid"}), &v)
	if v.Title != "Reverso de orden" || v.Description != "La Carolina" || v.Type != "DEBIT" || v.Total != "20.00" ||
		*v.Code != "BienvenidoDavid" || v.Store == nil || v.Customer.balance("POINTS") != "5.00" {
		t.Fatalf("got %+v", v)
	}
	var cup apiTx
	wantOK(t, c.post("/api/transaction/reverse", map[string]any{"type": "POINTS COUPON", "code": "cup"}), &cup)
	if cup.Title != "Reverso de cupón" || cup.Description != "" || cup.Store != nil {
		t.Fatalf("got %+v", cup)
	}
	c.postTx(t, txBody("POINTS ORDER", "spent", 10, "0100037894"))
	c.postTx(t, txBody("POINTS REDEEM", "spend", 10, "0100037894"))
	tests := []struct {
		name       string
		body       map[string]any
		wantStatus int
		field      string
	}{
		{"AlreadyReversed", map[string]any{"type": "POINTS ORDER", "code": "BienvenidoDavid"}, 422, "code"},
		{"PointsAlreadySpent", map[string]any{"type": "POINTS ORDER", "code": "spent"}, 422, "code"},
		{"UnknownCode", map[string]any{"type": "POINTS ORDER", "code": "nope"}, 404, ""},
		{"OtherTypesCode", map[string]any{"type": "POINTS COUPON", "code": "spent"}, 404, ""},
		{"MissingCode", map[string]any{"type": "POINTS ORDER"}, 422, "code"},
		{"UnknownType", map[string]any{"type": "X", "code": "spent"}, 422, "type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.post("/api/transaction/reverse", tc.body)
			if tc.wantStatus == 404 {
				wantError(t, r, 404, "404 Not Found")
				return
			}
			wantField(t, r, tc.field)
		})
	}
	t.Run("OtherMerchant", func(t *testing.T) {
		other := newAPIClient(t, b)
		other.postTx(t, txBody("POINTS ORDER", "theirs", 1, "x"))
		wantError(t, c.post("/api/transaction/reverse", map[string]any{"type": "POINTS ORDER", "code": "theirs"}), 404, "404 Not Found")
		wantError(t, other.get("/api/transaction/transactionByCode?code=spent&type=POINTS%20ORDER"), 404, "404 Not Found")
	})
}

func TestReverseMany(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	for _, code := range []string{"Bienvenido3", "Bienvenido4", "Bienvenido5"} {
		c.postTx(t, txBody("POINTS ORDER", code, 20, "0100037894"))
	}
	t.Run("AllOrNothing", func(t *testing.T) {
		wantField(t, c.post("/api/transaction/reverseMany", map[string]any{"type": "POINTS ORDER", "codes": []string{"Bienvenido3", "nope"}}), "codes.1")
		wantField(t, c.post("/api/transaction/reverseMany", map[string]any{"type": "POINTS ORDER", "codes": []string{"Bienvenido3", "Bienvenido3"}}), "codes.1")
		var byCode []apiTx
		wantOK(t, c.get("/api/transaction/transactionByCode?code=Bienvenido3&type=POINTS%20ORDER"), &byCode)
		if len(byCode) != 1 {
			t.Fatalf("got %d transactions for Bienvenido3, want the original only", len(byCode))
		}
	})
	var vs []apiTx
	wantOK(t, c.post("/api/transaction/reverseMany", map[string]any{"type": "POINTS ORDER", "codes": []string{"Bienvenido3", "Bienvenido4"}}), &vs)
	if len(vs) != 2 || *vs[0].Code != "Bienvenido3" || *vs[1].Code != "Bienvenido4" || vs[1].Type != "DEBIT" || vs[1].Customer.balance("POINTS") != "20.00" {
		t.Fatalf("got %+v", vs)
	}
	t.Run("AlreadyReversed", func(t *testing.T) {
		wantField(t, c.post("/api/transaction/reverseMany", map[string]any{"type": "POINTS ORDER", "codes": []string{"Bienvenido5", "Bienvenido4"}}), "codes.1")
	})
	t.Run("NoCodes", func(t *testing.T) {
		wantField(t, c.post("/api/transaction/reverseMany", map[string]any{"type": "POINTS ORDER", "codes": []string{}}), "codes")
	})
	t.Run("TransactionByCode", func(t *testing.T) {
		var byCode []apiTx
		wantOK(t, c.get("/api/transaction/transactionByCode?code='Bienvenido4'&type='POINTS%20ORDER'"), &byCode)
		if len(byCode) != 2 || byCode[0].Type != "CREDIT" || byCode[1].Type != "DEBIT" || byCode[1].Title != "Reverso de orden" {
			t.Fatalf("got %+v, want the original and its reversal", byCode)
		}
		wantField(t, c.get("/api/transaction/transactionByCode?code=x"), "type")
		wantField(t, c.get("/api/transaction/transactionByCode?type=x"), "code")
	})
}

func TestTransfer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	exp := tomorrow()
	c.postTx(t, map[string]any{"type": "POINTS COUPON", "code": "lote", "description": "d", "total": 5, "expirationDate": exp,
		"customer": customerBody("1716583941", "David")})
	c.postTx(t, txBody("POINTS ORDER", "o", 10, "1716583941"))
	body := map[string]any{"type": "BALANCE TRANSFER DEBIT", "total": 7, "title": "Transferencia",
		"customerFrom": customerBody("1716583941", "David"), "customerTo": customerBody("1716583941001", "Santiago")}
	var got struct{ From, To apiTx }
	wantOK(t, c.post("/api/transaction/transfer", body), &got)
	if got.From.Type != "DEBIT" || got.To.Type != "CREDIT" || got.From.Total != "7.00" || got.To.Total != "7.00" ||
		got.From.Description != "Santiago" || got.To.Description != "David" || got.From.Title != "Transferencia" ||
		got.From.Code != nil || got.From.Customer.balance("POINTS") != "8.00" || got.To.Customer.balance("POINTS") != "7.00" ||
		got.To.Customer.ExternalID != "1716583941001" {
		t.Fatalf("got %+v", got)
	}
	t.Run("ExpiryTravels", func(t *testing.T) {
		var from, to []map[string]any
		r := c.get("/api/batch/expiration?customerId='1716583941001'")
		if r.Status != http.StatusOK {
			t.Fatalf("got %d", r.Status)
		}
		decodeData(t, r, &to)
		decodeData(t, c.get("/api/batch/expiration?customerId=1716583941"), &from)
		if len(to) != 1 || to[0]["total_amount"] != "5.00" || len(from) != 0 {
			t.Fatalf("got receiver batches %v and sender %v, want the 5.00 batch moved", to, from)
		}
		bo := to[0]["batch object"].(map[string]any)
		if bo["expiration_date"] != exp+" 23:59:59" || bo["start_date"] != nil || to[0]["set_name"] != nil {
			t.Fatalf("got %v", bo)
		}
	})
	tests := []struct {
		name       string
		mod        func(map[string]any)
		wantStatus int
		field      string
	}{
		{"UnknownSender", func(m map[string]any) { m["customerFrom"] = customerBody("ghost", "g") }, 404, ""},
		{"SameCustomer", func(m map[string]any) { m["customerTo"] = customerBody("1716583941", "David") }, 422, "customerTo"},
		{"TooFewPoints", func(m map[string]any) { m["total"] = 9 }, 422, "total"},
		{"NotATransferType", func(m map[string]any) { m["type"] = "POINTS ORDER" }, 422, "type"},
		{"MissingReceiver", func(m map[string]any) { delete(m, "customerTo") }, 422, "customerTo"},
		{"ZeroTotal", func(m map[string]any) { m["total"] = 0 }, 422, "total"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := map[string]any{}
			for k, v := range body {
				m[k] = v
			}
			tc.mod(m)
			r := c.post("/api/transaction/transfer", m)
			if tc.wantStatus == 404 {
				wantError(t, r, 404, "404 Not Found")
				return
			}
			wantField(t, r, tc.field)
		})
	}
	t.Run("CodeMakesItIdempotent", func(t *testing.T) {
		m := map[string]any{"type": "BALANCE TRANSFER DEBIT", "total": 1, "code": "t1",
			"customerFrom": customerBody("1716583941", "David"), "customerTo": customerBody("1716583941001", "Santiago")}
		var first, again struct{ From, To apiTx }
		wantOK(t, c.post("/api/transaction/transfer", m), &first)
		wantOK(t, c.post("/api/transaction/transfer", m), &again)
		if first.From.ID != again.From.ID || first.To.ID != again.To.ID || again.From.Customer.balance("POINTS") != "7.00" {
			t.Fatalf("got %+v then %+v", first, again)
		}
	})
}

// decodeData reads the bare {"data": ...} answers.
func decodeData(t *testing.T, r *response, v any) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || len(r.JSON(t)) != 1 {
		t.Fatalf("want only a data key: %s", r.Body)
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		t.Fatal(err)
	}
}
