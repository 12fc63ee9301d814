package http

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestAdminGroupsDriveGroupDefault(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	m := "/merchants/" + itoa64(c.merchantID)
	r := b.admin(http.MethodPost, m+"/groups", map[string]any{"name": "BUEN AMIGO", "description": "BUEN AMIGO",
		"rules": []any{map[string]any{"unit": "POINTS", "multiplier": 2, "threshold": "100.00"}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	next := r.JSON(t)
	r = b.admin(http.MethodPost, m+"/groups", map[string]any{"name": "AMIGO", "description": "AMIGO", "default": true,
		"next_group_id": next["id"], "rules": []any{map[string]any{"unit": "POINTS", "multiplier": 1}}})
	if r.Status != http.StatusCreated || r.JSON(t)["default"] != true {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	var g struct {
		Name string
		Next map[string]string `json:"next_group"`
	}
	wantOK(t, c.get("/api/group/default"), &g)
	if g.Name != "AMIGO" || g.Next["name"] != "BUEN AMIGO" {
		t.Fatalf("got %+v", g)
	}
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"UnknownNext", map[string]any{"name": "X", "next_group_id": 999999}, "next_group_id"},
		{"BadUnit", map[string]any{"name": "X", "rules": []any{map[string]any{"unit": "STAMPS"}}}, "rules.0.unit"},
		{"BadMultiplier", map[string]any{"name": "X", "rules": []any{map[string]any{"unit": "POINTS", "multiplier": -1}}}, "rules.0.multiplier"},
		{"TwoRulesOneUnit", map[string]any{"name": "X", "rules": []any{map[string]any{"unit": "POINTS"}, map[string]any{"unit": "POINTS"}}}, "rules"},
		{"MissingName", map[string]any{"description": "x"}, "name"},
		{"BadWindow", map[string]any{"name": "X", "window_days": 0}, "window_days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.admin(http.MethodPost, m+"/groups", tc.body)
			e, _ := r.JSON(t)["error"].(map[string]any)
			if r.Status != http.StatusUnprocessableEntity || e["field"] != tc.field {
				t.Fatalf("got %d %s, want 422 on %s", r.Status, r.Body, tc.field)
			}
		})
	}
	if r := b.admin(http.MethodPost, "/merchants/999999/groups", map[string]any{"name": "X"}); r.Status != http.StatusNotFound {
		t.Fatalf("unknown merchant: got %d", r.Status)
	}
	if r := b.admin(http.MethodPost, m+"/groups", "[]"); r.Status != http.StatusBadRequest {
		t.Fatalf("not an object: got %d", r.Status)
	}
}

func TestAdminTransactionTypes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	m := "/merchants/" + itoa64(c.merchantID)
	var list struct {
		Types []map[string]any `json:"transaction_types"`
	}
	r := b.admin(http.MethodGet, m+"/transaction-types", nil)
	if r.Status != 200 {
		t.Fatalf("got %d", r.Status)
	}
	decodeJSONBody(t, r, &list)
	if len(list.Types) != 8 {
		t.Fatalf("got %d types, want the 8 of the catalogue", len(list.Types))
	}
	r = b.admin(http.MethodPost, m+"/transaction-types", map[string]any{"name": "POINTS BIRTHDAY", "unit": "POINTS",
		"direction": "CREDIT", "report_column": "coupons", "title": "Cumpleaños"})
	if r.Status != http.StatusCreated || r.JSON(t)["system_only"] != false {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	v := c.postTx(t, txBody("POINTS BIRTHDAY", "bd", 12, "cu"))
	if v.Title != "Cumpleaños" || v.Type != "CREDIT" || v.Total != "12.00" {
		t.Fatalf("got %+v", v)
	}
	if r := b.admin(http.MethodPost, m+"/transaction-types", map[string]any{"name": "POINTS BIRTHDAY", "unit": "POINTS", "direction": "CREDIT"}); r.Status != http.StatusConflict {
		t.Fatalf("duplicate: got %d %s", r.Status, r.Body)
	}
	for _, body := range []map[string]any{
		{"name": "X", "unit": "STAMPS", "direction": "CREDIT"},
		{"name": "X", "unit": "POINTS", "direction": "SIDEWAYS"},
		{"name": "X", "unit": "POINTS", "direction": "CREDIT", "report_column": "expired"},
	} {
		if r := b.admin(http.MethodPost, m+"/transaction-types", body); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%v: got %d %s", body, r.Status, r.Body)
		}
	}
}

func TestAdminRevokeTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	path := "/merchants/" + itoa64(c.merchantID) + "/oauth-clients/" + itoa64(c.clientID) + "/revoke-tokens"
	// The tokens are used first, so that the server has them cached: a
	// revocation must take effect at once all the same.
	if r := c.get("/api/customer/findByExternalId?externalId=x"); r.Status == 401 {
		t.Fatalf("a live token was refused: %d %s", r.Status, r.Body)
	}
	r := b.admin(http.MethodPost, path, nil)
	if r.Status != 200 || r.JSON(t)["revoked"] != float64(1) {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	wantError(t, c.get("/api/customer/findByExternalId?externalId=x"), 401, "Unauthenticated")
	fresh := b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": c.clientID, "client_secret": c.secret})
	if fresh.Status != 200 {
		t.Fatalf("the client could not get a new token: %d", fresh.Status)
	}
	other := newAPIClient(t, b)
	if r := b.admin(http.MethodPost, "/merchants/"+itoa64(other.merchantID)+"/oauth-clients/"+itoa64(c.clientID)+"/revoke-tokens", nil); r.Status != 404 {
		t.Fatalf("another merchant's client: got %d", r.Status)
	}
	if r := b.admin(http.MethodPost, "/merchants/"+itoa64(c.merchantID)+"/oauth-clients/abc/revoke-tokens", nil); r.Status != 404 {
		t.Fatalf("bad id: got %d", r.Status)
	}
	// Revoking the client itself (admin engineer's DELETE) ends its tokens too.
	if r := other.get("/api/customer/findByExternalId?externalId=x"); r.Status == 401 {
		t.Fatalf("a live token was refused: %d %s", r.Status, r.Body)
	}
	if r := b.admin(http.MethodDelete, "/merchants/"+itoa64(other.merchantID)+"/oauth-clients/"+itoa64(other.clientID), nil); r.Status != 204 {
		t.Fatalf("revoke client: got %d", r.Status)
	}
	wantError(t, other.get("/api/customer/findByExternalId?externalId=x"), 401, "Unauthenticated")
}

func decodeJSONBody(t *testing.T, r *response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
}
