package http

import (
	"net/http"
	"strings"
	"testing"
)

func TestAdminCreateMerchant(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.admin(http.MethodPost, "/merchants", map[string]any{"name": "Café Uno"})
	got := r.JSON(t)
	if r.Status != http.StatusCreated || got["name"] != "Café Uno" || got["timezone"] != "America/Mexico_City" || got["contact_quota"] != nil {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodPost, "/merchants", map[string]any{"name": "Dos", "timezone": "Europe/Madrid"})
	if r.Status != http.StatusCreated || r.JSON(t)["timezone"] != "Europe/Madrid" {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, "/merchants", nil)
	if list := r.JSON(t)["merchants"].([]any); r.Status != 200 || len(list) != 2 {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
}

func TestAdminCreateMerchantRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tc := range []struct {
		name   string
		body   string
		status int
		code   string
		field  string
	}{
		{"NotJSON", `{"name":`, 400, "invalid_json", ""},
		{"NotAnObject", `["x"]`, 400, "invalid_json", ""},
		{"MissingName", `{}`, 422, "invalid_field", "name"},
		{"NameNotString", `{"name": 5}`, 422, "invalid_field", "name"},
		{"BlankName", `{"name": "  "}`, 422, "invalid_field", "name"},
		{"UnknownZone", `{"name": "A", "timezone": "Mars/Base"}`, 422, "invalid_field", "timezone"},
		{"UnknownField", `{"name": "A", "tz": "UTC"}`, 422, "unknown_field", "tz"},
		{"TooLarge", `{"name": "` + strings.Repeat("a", 300<<10) + `"}`, 413, "body_too_large", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do(http.MethodPost, "/admin/v1/merchants", map[string]string{"Authorization": "Bearer " + testAdminToken,
				"Content-Type": "application/json"}, []byte(tc.body))
			wantAdminError(t, r, tc.status, tc.code, tc.field)
		})
	}
	if ms, _ := b.store.Merchants(t.Context()); len(ms) != 0 {
		t.Fatalf("refused input wrote %d merchants", len(ms))
	}
}

func TestAdminGetAndPatchMerchant(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.newMerchant("A")
	r := b.admin(http.MethodPatch, adminPath(m, ""), map[string]any{
		"contact_quota": 100, "operation_quota": nil, "message_credit": 0,
		"allowed_ladas": []string{"55", "33"}, "landline_prefixes": []string{"5555"},
		"allow_negative_on_reversal": true, "messaging": map[string]any{"channel": "http", "url": "https://sms.example/send"},
	})
	got := r.JSON(t)
	if r.Status != 200 || got["contact_quota"] != float64(100) || got["operation_quota"] != nil || got["message_credit"] != float64(0) ||
		got["allow_negative_on_reversal"] != true || got["messaging"].(map[string]any)["url"] != "https://sms.example/send" {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	// Null sets a quota back to unlimited and leaves the rest alone.
	r = b.admin(http.MethodPatch, adminPath(m, ""), map[string]any{"contact_quota": nil, "name": "A2"})
	if got := r.JSON(t); got["contact_quota"] != nil || got["name"] != "A2" || len(got["allowed_ladas"].([]any)) != 2 {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, adminPath(m, ""), nil)
	if got := r.JSON(t); r.Status != 200 || got["name"] != "A2" || got["messaging"].(map[string]any)["channel"] != "http" {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	// Switching to the log channel drops the URL it no longer needs.
	r = b.admin(http.MethodPatch, adminPath(m, ""), map[string]any{"messaging": map[string]any{"channel": "log"}})
	if got := r.JSON(t)["messaging"].(map[string]any); got["channel"] != "log" || got["url"] != nil {
		t.Fatalf("got %s", r.Body)
	}
}

func TestAdminPatchMerchantRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.newMerchant("A")
	for _, tc := range []struct {
		name  string
		body  map[string]any
		code  string
		field string
	}{
		{"NegativeQuota", map[string]any{"contact_quota": -1}, "invalid_field", "contact_quota"},
		{"FractionalQuota", map[string]any{"operation_quota": 1.5}, "invalid_field", "operation_quota"},
		{"LadaNotAList", map[string]any{"allowed_ladas": "55"}, "invalid_field", "allowed_ladas"},
		{"BadLada", map[string]any{"allowed_ladas": []string{"05"}}, "invalid_field", "allowed_ladas"},
		{"BadPrefix", map[string]any{"landline_prefixes": []string{"x"}}, "invalid_field", "landline_prefixes"},
		{"FlagNotBool", map[string]any{"allow_negative_on_reversal": "yes"}, "invalid_field", "allow_negative_on_reversal"},
		{"UnknownChannel", map[string]any{"messaging": map[string]any{"channel": "sms"}}, "invalid_field", "messaging.channel"},
		{"HTTPWithoutURL", map[string]any{"messaging": map[string]any{"channel": "http"}}, "invalid_field", "messaging.url"},
		{"MessagingNotObject", map[string]any{"messaging": "log"}, "invalid_field", "messaging"},
		{"BadZone", map[string]any{"timezone": "Nowhere/Town"}, "invalid_field", "timezone"},
		{"NullName", map[string]any{"name": nil}, "invalid_field", "name"},
		{"UnknownField", map[string]any{"quota": 1}, "unknown_field", "quota"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAdminError(t, b.admin(http.MethodPatch, adminPath(m, ""), tc.body), 422, tc.code, tc.field)
		})
	}
	r := b.admin(http.MethodGet, adminPath(m, ""), nil)
	if got := r.JSON(t); got["contact_quota"] != nil || got["timezone"] != "America/Mexico_City" || len(got["allowed_ladas"].([]any)) != 0 {
		t.Fatalf("a refused patch wrote: %s", r.Body)
	}
}
