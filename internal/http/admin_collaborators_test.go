package http

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func adminCollaboratorBody(name, number, pin string) map[string]any {
	return map[string]any{"name": name, "number": number, "branch": "Centro", "type": "cajero", "pin": pin}
}

func TestAdminCollaborators(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	r := b.admin(http.MethodPost, adminPath(a, "/collaborators"), adminCollaboratorBody("Ana", "55 1111 2222", "4321"))
	got := r.JSON(t)
	if r.Status != 201 || got["usertool_id"] == nil || got["number"] != "5511112222" || got["status"] != "active" ||
		got["loyalty_keys"] != nil || strings.Contains(string(r.Body), "4321") {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/collaborators"), adminCollaboratorBody("ana", "5533334444", "9999")), 409, "duplicate_name", "name")
	wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/collaborators"), adminCollaboratorBody("Beto", "5533334444", "4321")), 409, "duplicate_pin", "pin")
	for _, tc := range []struct {
		name, field string
		edit        func(map[string]any)
	}{
		{"BadType", "type", func(m map[string]any) { m["type"] = "jefe" }},
		{"MissingPIN", "pin", func(m map[string]any) { delete(m, "pin") }},
		{"ShortPIN", "pin", func(m map[string]any) { m["pin"] = "12" }},
		{"BadNumber", "number", func(m map[string]any) { m["number"] = "555" }},
		{"NumberNotString", "number", func(m map[string]any) { m["number"] = 5511112222 }},
		{"EmptyBranch", "branch", func(m map[string]any) { m["branch"] = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := adminCollaboratorBody("Carla", "5544445555", "7777")
			tc.edit(body)
			wantAdminError(t, b.admin(http.MethodPost, adminPath(a, "/collaborators"), body), 422, "invalid_field", tc.field)
		})
	}
	r = b.admin(http.MethodGet, adminPath(a, "/collaborators"), nil)
	if list := r.JSON(t)["collaborators"].([]any); r.Status != 200 || len(list) != 1 {
		t.Fatalf("list: got %d %s", r.Status, r.Body)
	}
	if r := b.admin(http.MethodGet, adminPath(other, "/collaborators"), nil); len(r.JSON(t)["collaborators"].([]any)) != 0 {
		t.Fatalf("B sees A's collaborators: %s", r.Body)
	}
}

func TestAdminSetPermissions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, other := b.newMerchant("A"), b.newMerchant("B")
	card := b.admin(http.MethodPost, adminPath(a, "/loyalty-cards"), map[string]any{"name": "C"}).JSON(t)["loyalty_key"].(string)
	otherCard := b.admin(http.MethodPost, adminPath(other, "/loyalty-cards"), map[string]any{"name": "C"}).JSON(t)["loyalty_key"].(string)
	wallet := b.admin(http.MethodPost, adminPath(a, "/wallets"), map[string]any{"name": "W"}).JSON(t)["wallet_key"].(string)
	id := int64(b.admin(http.MethodPost, adminPath(a, "/collaborators"), adminCollaboratorBody("Ana", "5511112222", "1234")).JSON(t)["usertool_id"].(float64))
	path := fmt.Sprintf("/collaborators/%d/permissions", id)

	r := b.admin(http.MethodPut, adminPath(a, path), map[string]any{"loyalty_keys": []string{card}, "wallet_keys": []string{}})
	got := r.JSON(t)
	if r.Status != 200 || fmt.Sprint(got["loyalty_keys"]) != "["+card+"]" || fmt.Sprint(got["wallet_keys"]) != "[]" {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	r = b.admin(http.MethodGet, adminPath(a, "/collaborators"), nil)
	if c := r.JSON(t)["collaborators"].([]any)[0].(map[string]any); fmt.Sprint(c["loyalty_keys"]) != "["+card+"]" {
		t.Fatalf("list: %s", r.Body)
	}
	// Absent means every program again.
	r = b.admin(http.MethodPut, adminPath(a, path), map[string]any{"wallet_keys": []string{wallet}})
	if got := r.JSON(t); got["loyalty_keys"] != nil || fmt.Sprint(got["wallet_keys"]) != "["+wallet+"]" {
		t.Fatalf("got %s", r.Body)
	}
	wantAdminError(t, b.admin(http.MethodPut, adminPath(a, path), map[string]any{"loyalty_keys": []string{otherCard}}), 404, "not_found", "loyalty_keys")
	wantAdminError(t, b.admin(http.MethodPut, adminPath(a, path), map[string]any{"wallet_keys": "all"}), 422, "invalid_field", "wallet_keys")
	wantAdminError(t, b.admin(http.MethodPut, adminPath(other, path), map[string]any{}), 404, "not_found", "")
	wantAdminError(t, b.admin(http.MethodPut, adminPath(a, "/collaborators/x/permissions"), map[string]any{}), 404, "not_found", "")
	if c, _ := b.store.Collaborator(t.Context(), a, id); c.CardScope != nil || len(c.WalletScope) != 1 {
		t.Fatalf("refused changes wrote: %+v", c)
	}
}
