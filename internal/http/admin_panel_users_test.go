package http

import (
	"net/http"
	"testing"
)

func TestAdminCreatePanelUser(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.admin(http.MethodPost, "/merchants", map[string]any{"name": "Tienda"}).JSON(t)["id"].(float64)
	path := adminPath(int64(m), "/panel-users")
	tests := []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"OK", map[string]any{"email": "dueno@tienda.example", "password": testPassword}, http.StatusCreated, ""},
		{"ErrDuplicateEmail", map[string]any{"email": "DUENO@tienda.example", "password": testPassword}, http.StatusConflict, ""},
		{"ErrShortPassword", map[string]any{"email": "otro@tienda.example", "password": "corta"}, http.StatusUnprocessableEntity, "password"},
		{"ErrBadEmail", map[string]any{"email": "no es correo", "password": testPassword}, http.StatusUnprocessableEntity, "email"},
		{"ErrMissingEmail", map[string]any{"password": testPassword}, http.StatusUnprocessableEntity, "email"},
		{"ErrUnknownField", map[string]any{"email": "x@y.example", "password": testPassword, "role": "admin"}, http.StatusUnprocessableEntity, "role"},
	}
	for _, tt := range tests {
		res := b.admin(http.MethodPost, path, tt.body)
		if res.Status != tt.status {
			t.Fatalf("%s: got %d, want %d: %s", tt.name, res.Status, tt.status, res.Body)
		}
		if tt.field != "" {
			if got := res.JSON(t)["error"].(map[string]any)["field"]; got != tt.field {
				t.Errorf("%s: got field %v, want %s", tt.name, got, tt.field)
			}
		}
	}
	// The new user logs in to the panel.
	loggedIn(t, b, "dueno@tienda.example", testPassword)
	if res := b.admin(http.MethodPost, adminPath(int64(m)+999, "/panel-users"), map[string]any{"email": "a@b.example", "password": testPassword}); res.Status != http.StatusNotFound {
		t.Errorf("unknown merchant: got %d, want 404", res.Status)
	}
}
