package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// adminJSON runs an admin command and decodes its JSON output.
func adminJSON(t *testing.T, env map[string]string, args ...string) map[string]any {
	t.Helper()
	out, err := runWith(t, env, append([]string{"admin"}, args...)...)
	if err != nil {
		t.Fatalf("admin %v: %v", args, err)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("admin %v: output is not JSON: %v\n%s", args, err, out)
	}
	return v
}

func TestAdminCommands(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	env := map[string]string{"DATABASE_URL": url}
	m := adminJSON(t, env, "merchant", "create", "--name", "Café", "--timezone", "Europe/Madrid")
	if m["timezone"] != "Europe/Madrid" || m["id"] != float64(1) {
		t.Fatalf("merchant create: got %v", m)
	}
	key := adminJSON(t, env, "apikey", "create", "--merchant", "1")
	if !strings.HasPrefix(key["apikey"].(string), "pk_") {
		t.Fatalf("apikey create: got %v", key)
	}
	client := adminJSON(t, env, "oauth-client", "create", "--merchant", "1", "--name", "pos")
	if !strings.HasPrefix(client["client_secret"].(string), "cs_") {
		t.Fatalf("oauth-client create: got %v", client)
	}
	tok := adminJSON(t, env, "thirdparty-token", "create", "--merchant", "1")
	if !strings.HasPrefix(tok["token"].(string), "tp_") {
		t.Fatalf("thirdparty-token create: got %v", tok)
	}
	card := adminJSON(t, env, "card", "create", "--merchant", "1", "--name", "Sellos", "--stamps", "8", "--default-amount", "50.50")
	if card["stamps_required"] != float64(8) || card["default_amount"] != 50.5 || card["webhook_secret"] == nil {
		t.Fatalf("card create: got %v", card)
	}
	wallet := adminJSON(t, env, "wallet", "create", "--merchant", "1", "--name", "Monedero", "--cashback", "5.00")
	if wallet["cashback_percent"] != float64(5) || !strings.HasSuffix(wallet["wallet_app_client"].(string), "/c/"+wallet["wallet_key"].(string)) {
		t.Fatalf("wallet create: got %v", wallet)
	}
	staff := adminJSON(t, env, "collaborator", "create", "--merchant", "1", "--name", "Ana", "--number", "5511112222", "--branch", "Centro", "--pin", "1234")
	if staff["usertool_id"] != float64(1) || staff["type"] != "cajero" {
		t.Fatalf("collaborator create: got %v", staff)
	}
	show := adminJSON(t, env, "merchant", "show", "--merchant", "1")
	if len(show["loyalty_cards"].([]any)) != 1 || strings.Contains(mustJSON(show), key["apikey"].(string)) ||
		strings.Contains(mustJSON(show), card["webhook_secret"].(string)) {
		t.Fatalf("merchant show: got %v (it must hold no secret)", show)
	}
	if list := adminJSON(t, env, "merchant", "list"); len(list["merchants"].([]any)) != 1 {
		t.Fatalf("merchant list: got %v", list)
	}
}

func TestAdminCommandErrors(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": testdb.URL(t)}
	adminJSON(t, env, "merchant", "create", "--name", "A")
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"MissingMerchant", []string{"apikey", "create"}, true, "--merchant"},
		{"MissingName", []string{"card", "create", "--merchant", "1"}, true, "--name"},
		{"BadCashback", []string{"wallet", "create", "--merchant", "1", "--name", "W", "--cashback", "5.005"}, true, "-cashback"},
		{"CashbackOver100", []string{"wallet", "create", "--merchant", "1", "--name", "W", "--cashback", "101"}, false, "--cashback"},
		{"BadZone", []string{"merchant", "create", "--name", "B", "--timezone", "Mars/Base"}, false, "--timezone"},
		{"UnknownMerchant", []string{"apikey", "create", "--merchant", "99"}, false, "not found"},
		{"ShortPIN", []string{"collaborator", "create", "--merchant", "1", "--name", "Ana", "--number", "5511112222", "--branch", "X", "--pin", "12"}, false, "--pin"},
		{"ExtraArgument", []string{"merchant", "list", "extra"}, true, "extra"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runWith(t, env, append([]string{"admin"}, tc.args...)...)
			var u usageError
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &u) != tc.usage {
				t.Fatalf("got %v, want an error naming %q (usage error: %v)", err, tc.want, tc.usage)
			}
		})
	}
}

func TestAdminDemo(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	env := map[string]string{"DATABASE_URL": url, "PUBLIC_URL": "https://loyalty.example"}
	d := adminJSON(t, env, "demo", "--if-empty")
	curl := d["curl"].([]any)
	for _, want := range []string{"/loyalty/sale", "/wallet/contact/add", "/wallet/sale", "/oauth/token", "/api/thirdparty/v1/add-customer"} {
		found := false
		for _, c := range curl {
			found = found || strings.Contains(c.(string), "https://loyalty.example"+want+"'")
		}
		if !found {
			t.Errorf("no curl line for %s in %v", want, curl)
		}
	}
	if d["wallet"].(map[string]any)["cashback_percent"] != float64(5) || d["cashier"].(map[string]any)["pin"] == "" {
		t.Fatalf("got %v", d)
	}
	// The printed credentials work.
	pool, err := store.Open(t.Context(), url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool, nil)
	if m, err := st.MerchantByAPIKey(t.Context(), d["apikey"].(string)); err != nil || m.Name != "Demo Café" {
		t.Fatalf("the demo apikey does not authenticate: %v", err)
	}
	if _, err := st.MerchantByThirdpartyToken(t.Context(), d["thirdparty_token"].(string)); err != nil {
		t.Fatalf("the demo token does not authenticate: %v", err)
	}
	again := adminJSON(t, env, "demo", "--if-empty")
	if again["demo"] != "exists" || strings.Contains(mustJSON(again), d["apikey"].(string)) {
		t.Fatalf("second demo --if-empty: got %v (it must not create nor show secrets)", again)
	}
	out, err := runWith(t, env, "admin", "demo", "--if-empty", "--format", "text")
	if err != nil || !strings.Contains(out, "Demo data exists") {
		t.Fatalf("text: got %q, %v", out, err)
	}
	if list := adminJSON(t, env, "merchant", "list"); len(list["merchants"].([]any)) != 1 {
		t.Fatalf("demo --if-empty created another merchant: %v", list)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
