package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// adminMerchant creates a merchant through the API and returns its id.
func (b *bundle) newMerchant(name string) int64 {
	b.t.Helper()
	r := b.admin(http.MethodPost, "/merchants", map[string]any{"name": name})
	if r.Status != http.StatusCreated {
		b.t.Fatalf("create merchant: got %d %s", r.Status, r.Body)
	}
	return int64(r.JSON(b.t)["id"].(float64))
}

// wantAdminError fails unless r is the admin error shape with that status,
// code and (when given) field.
func wantAdminError(t *testing.T, r *response, status int, code, field string) {
	t.Helper()
	var body struct {
		Error struct{ Code, Message, Field string }
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("got %d %s, want an admin error", r.Status, r.Body)
	}
	if r.Status != status || body.Error.Code != code || body.Error.Field != field || body.Error.Message == "" {
		t.Fatalf("got %d %s, want %d code %q field %q", r.Status, r.Body, status, code, field)
	}
}

// adminAs calls the admin API with a chosen Authorization header ("" = none).
func (b *bundle) adminAs(auth, method, path string, v any) *response {
	b.t.Helper()
	h := map[string]string{}
	if auth != "" {
		h["Authorization"] = auth
	}
	return b.doJSON(method, "/admin/v1"+path, h, v)
}

func adminPath(id int64, rest string) string { return fmt.Sprintf("/merchants/%d%s", id, rest) }
