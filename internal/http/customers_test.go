package http

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestFindByExternalID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	other := newAPIClient(t, b)
	wantOK(t, c.post("/api/customer", map[string]any{"externalId": "c991ijco5y", "name": "Santiago",
		"data": map[string]any{"vendorId": 1, "giftCardType": "MONETARY"}}), nil)

	t.Run("Exists", func(t *testing.T) {
		r := c.get("/api/customer/findByExternalId?externalId='c991ijco5y'")
		var got struct {
			Exists     bool           `json:"exists"`
			ID         int64          `json:"id"`
			ExternalID string         `json:"external_id"`
			Name       string         `json:"name"`
			Data       map[string]any `json:"data"`
		}
		e := wantOK(t, r, &got)
		if e.Message != "Ok" || !got.Exists || got.ID == 0 || got.ExternalID != "c991ijco5y" || got.Name != "Santiago" || got.Data["giftCardType"] != "MONETARY" {
			t.Fatalf("got %s", r.Body)
		}
		if e.Warning != nil || e.Error != nil {
			t.Fatalf("got warning/error keys, the seed prints none here: %s", r.Body)
		}
	})
	t.Run("Absent", func(t *testing.T) {
		r := c.get("/api/customer/findByExternalId?externalId=nobody")
		var got map[string]any
		wantOK(t, r, &got)
		if len(got) != 1 || got["exists"] != false {
			t.Fatalf("got %s, want exists false only", r.Body)
		}
	})
	t.Run("OtherMerchant", func(t *testing.T) {
		var got map[string]any
		wantOK(t, other.get("/api/customer/findByExternalId?externalId=c991ijco5y"), &got)
		if got["exists"] != false {
			t.Fatalf("merchant B sees A's customer: %v", got)
		}
	})
	t.Run("MissingParam", func(t *testing.T) {
		wantField(t, c.get("/api/customer/findByExternalId"), "externalId")
	})
}

func TestRegisterCustomer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	post := func(platform string, body any) *response {
		h := map[string]string{}
		if platform != "" {
			h["Platform"] = platform
		}
		return b.doJSON(http.MethodPost, "/api/customer", c.auth(h), body)
	}
	type reg struct {
		ID, ExternalID, Name string
		Platform, Referrer   *string
		RegisteredAt         *string `json:"registered_at"`
		Data                 json.RawMessage
	}
	var first reg
	wantOK(t, post("web", map[string]any{"externalId": "ref1", "name": "Ana"}), &first)
	if first.Platform == nil || *first.Platform != "web" || first.RegisteredAt == nil || string(first.Data) != "null" {
		t.Fatalf("got %+v", first)
	}
	var second map[string]any
	wantOK(t, post("ios", map[string]any{"externalId": "c2", "name": "Beto", "referrerExternalId": "ref1", "data": map[string]any{"a": "b"}}), &second)
	if second["referrerExternalId"] != "ref1" || second["platform"] != "ios" {
		t.Fatalf("got %v", second)
	}
	t.Run("RepeatKeepsTheFirstRegistration", func(t *testing.T) {
		var again map[string]any
		wantOK(t, post("android", map[string]any{"externalId": "c2", "name": "Beto"}), &again)
		if again["platform"] != "ios" || again["id"] != second["id"] {
			t.Fatalf("got %v, want the first registration", again)
		}
	})
	tests := []struct {
		name, platform string
		body           any
		field          string
	}{
		{"BadPlatform", "fax", map[string]any{"externalId": "x", "name": "X"}, "Platform"},
		{"MissingExternalID", "web", map[string]any{"name": "X"}, "externalId"},
		{"MissingName", "web", map[string]any{"externalId": "x"}, "name"},
		{"DataNotObject", "web", map[string]any{"externalId": "x", "name": "X", "data": []int{1}}, "data"},
		{"UnknownReferrer", "web", map[string]any{"externalId": "x", "name": "X", "referrerExternalId": "ghost"}, "referrerExternalId"},
		{"WrongType", "web", map[string]any{"externalId": 5, "name": "X"}, "externalId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, post(tc.platform, tc.body), tc.field)
		})
	}
	t.Run("NotJSON", func(t *testing.T) {
		wantField(t, b.do(http.MethodPost, "/api/customer", c.auth(map[string]string{"Content-Type": "application/json"}), []byte("nope")), "body")
	})
	t.Run("TooLarge", func(t *testing.T) {
		big := make([]byte, maxAPIBody+10)
		for i := range big {
			big[i] = ' '
		}
		wantError(t, b.do(http.MethodPost, "/api/customer", c.auth(map[string]string{"Content-Type": "application/json"}), big), 413, "413 Payload Too Large")
	})
	var n int
	_ = b.store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM customers WHERE merchant_id = $1`, c.merchantID).Scan(&n)
	if n != 2 {
		t.Fatalf("got %d customers, want 2 (errors write nothing)", n)
	}
}
