package http

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const (
	testOwner    = "dueno@tienda.example"
	testPassword = "una-contraseña-larga"
)

func TestPanelAPIKeys(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	br, csrf := loggedIn(t, b, testOwner, testPassword)

	wantText(t, br.get("/panel/apikeys"), "Aún no hay claves.")
	res := br.post("/panel/apikeys", url.Values{"csrf": {csrf}})
	wantStatus(t, res, http.StatusCreated)
	key := regexp.MustCompile(`id="new-secret">([^<]+)<`).FindSubmatch(res.Body)
	if key == nil {
		t.Fatalf("the new key is not shown: %s", res.text())
	}
	if got, err := b.store.MerchantByAPIKey(context.Background(), string(key[1])); err != nil || got.ID != m {
		t.Fatalf("the key shown does not authenticate merchant %d: got %d, %v", m, got.ID, err)
	}
	list := br.get("/panel/apikeys")
	if strings.Contains(string(list.Body), string(key[1])) {
		t.Error("the list shows the whole key again")
	}
	wantText(t, list, "Activo")

	keys, err := b.store.APIKeys(context.Background(), m)
	if err != nil || len(keys) != 1 {
		t.Fatalf("got %d keys, %v; want 1", len(keys), err)
	}
	id := itoa(int(keys[0].ID))
	wantStatus(t, br.post("/panel/apikeys/"+id+"/revoke", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	wantStatus(t, br.post("/panel/apikeys/"+id+"/revoke", url.Values{"csrf": {csrf}}), http.StatusSeeOther)
	wantText(t, br.get("/panel/apikeys?done=revoked"), "Revocada.")
	if _, err := b.store.MerchantByAPIKey(context.Background(), string(key[1])); err == nil {
		t.Error("a revoked key still authenticates")
	}
	wantStatus(t, br.post("/panel/apikeys/999999/revoke", url.Values{"csrf": {csrf}}), http.StatusNotFound)
}

func TestPanelOAuthClients(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	br, csrf := loggedIn(t, b, testOwner, testPassword)

	wantStatus(t, br.get("/panel/oauth-clients"), http.StatusOK)
	wantStatus(t, br.post("/panel/oauth-clients", url.Values{"csrf": {csrf}, "name": {" "}}), http.StatusUnprocessableEntity)
	res := br.post("/panel/oauth-clients", url.Values{"csrf": {csrf}, "name": {"Caja web"}})
	wantStatus(t, res, http.StatusCreated)
	wantText(t, res, "client_id", "Caja web", "no se volverá a mostrar")
	clients, err := b.store.OAuthClients(context.Background(), m)
	if err != nil || len(clients) != 1 {
		t.Fatalf("got %d clients, %v; want 1", len(clients), err)
	}
	wantStatus(t, br.post("/panel/oauth-clients/"+itoa(int(clients[0].ID))+"/revoke", url.Values{"csrf": {csrf}}), http.StatusSeeOther)
	wantStatus(t, br.post("/panel/oauth-clients/abc/revoke", url.Values{"csrf": {csrf}}), http.StatusNotFound)
}

func TestPanelCards(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	br, csrf := loggedIn(t, b, testOwner, testPassword)

	wantText(t, br.get("/panel/cards"), "Aún no hay tarjetas.")
	bad := br.post("/panel/cards", url.Values{"csrf": {csrf}, "name": {"Café"}, "stamps_required": {"0"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantText(t, bad, "Revise el campo «Sellos para completar la tarjeta».")

	res := br.post("/panel/cards", url.Values{"csrf": {csrf}, "name": {"Café"}, "stamps_required": {"8"},
		"default_amount": {"50.50"}, "ticket_required": {"on"}, "enabled": {"on"}, "custom_js": {"console.log(1)"}})
	wantStatus(t, res, http.StatusCreated)
	wantText(t, res, "Secreto del webhook", "/c/lk_", "/r/lk_")
	cards, err := b.store.Cards(context.Background(), m)
	if err != nil || len(cards) != 1 {
		t.Fatalf("got %d cards, %v; want 1", len(cards), err)
	}
	c := cards[0]
	if c.StampsRequired != 8 || !c.TicketRequired || c.DefaultAmount == nil || *c.DefaultAmount != 5050 || c.CustomJS != "console.log(1)" || !c.Enabled {
		t.Errorf("got card %+v, want the form's settings", c)
	}

	wantBody(t, br.get("/panel/cards/"+c.Key), `value="Café"`, c.Key)
	wantStatus(t, br.get("/panel/cards/lk_nope"), http.StatusNotFound)
	res = br.post("/panel/cards/"+c.Key, url.Values{"csrf": {csrf}, "name": {"Café Dos"}, "stamps_required": {"12"}, "default_amount": {""}})
	wantStatus(t, res, http.StatusSeeOther)
	got, err := b.store.Card(context.Background(), m, c.Key)
	if err != nil || got.Name != "Café Dos" || got.StampsRequired != 12 || got.Enabled || got.TicketRequired || got.DefaultAmount != nil {
		t.Errorf("got card %+v, %v; want renamed, 12 stamps, unchecked boxes off, no default amount", got, err)
	}
	wantStatus(t, br.post("/panel/cards/"+c.Key, url.Values{"csrf": {csrf}, "default_amount": {"abc"}}), http.StatusUnprocessableEntity)
	wantStatus(t, br.post("/panel/cards/lk_nope", url.Values{"csrf": {csrf}, "name": {"x"}}), http.StatusNotFound)
}

func TestPanelWallets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	br, csrf := loggedIn(t, b, testOwner, testPassword)

	wantStatus(t, br.get("/panel/wallets"), http.StatusOK)
	wantStatus(t, br.post("/panel/wallets", url.Values{"csrf": {csrf}, "name": {"M"}, "cashback_percent": {"101"}}), http.StatusUnprocessableEntity)
	res := br.post("/panel/wallets", url.Values{"csrf": {csrf}, "name": {"Monedero"}, "cashback_percent": {"5.5"},
		"points_ttl_days": {"30"}, "enabled": {"on"}, "sale_message": {"on"}})
	wantStatus(t, res, http.StatusCreated)
	wallets, err := b.store.Wallets(context.Background(), m)
	if err != nil || len(wallets) != 1 {
		t.Fatalf("got %d wallets, %v; want 1", len(wallets), err)
	}
	w := wallets[0]
	if w.CashbackPercent != 550 || w.PointsTTLDays != 30 || !w.SaleMessage || !w.Enabled {
		t.Errorf("got wallet %+v, want the form's settings", w)
	}
	wantBody(t, br.get("/panel/wallets/"+w.Key), `value="Monedero"`, `value="5.50"`)
	wantStatus(t, br.get("/panel/wallets/wk_nope"), http.StatusNotFound)
	wantStatus(t, br.post("/panel/wallets/"+w.Key, url.Values{"csrf": {csrf}, "cashback_percent": {"3"}, "enabled": {"on"}}), http.StatusSeeOther)
	if got, _ := b.store.Wallet(context.Background(), m, w.Key); got.CashbackPercent != 300 || got.SaleMessage {
		t.Errorf("got wallet %+v, want 3%% and the sale message off", got)
	}
	wantStatus(t, br.post("/panel/wallets/"+w.Key, url.Values{"csrf": {csrf}, "points_ttl_days": {"x"}}), http.StatusUnprocessableEntity)
	wantStatus(t, br.post("/panel/wallets/wk_nope", url.Values{"csrf": {csrf}}), http.StatusNotFound)
}

func TestPanelCollaborators(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	br, csrf := loggedIn(t, b, testOwner, testPassword)
	ctx := context.Background()

	wantText(t, br.get("/panel/collaborators"), "Aún no hay colaboradores.")
	form := url.Values{"csrf": {csrf}, "name": {"Ana"}, "number": {"5512345678"}, "branch": {"Centro"}, "type": {"cajero"}, "pin": {"4321"}}
	wantStatus(t, br.post("/panel/collaborators", form), http.StatusSeeOther)
	dup := br.post("/panel/collaborators", form)
	wantStatus(t, dup, http.StatusConflict)
	wantText(t, dup, "Ya hay un colaborador activo con ese nombre.")
	if strings.Contains(string(dup.Body), "4321") {
		t.Error("the refused form echoes the PIN")
	}
	form.Set("number", "12")
	form.Set("name", "Luis")
	wantStatus(t, br.post("/panel/collaborators", form), http.StatusUnprocessableEntity)

	list, err := b.store.Collaborators(ctx, m)
	if err != nil || len(list) != 1 {
		t.Fatalf("got %d collaborators, %v; want 1", len(list), err)
	}
	id := itoa(int(list[0].ID))
	wantText(t, br.get("/panel/collaborators/"+id), "Ana", "Centro", "Cajero")
	wantStatus(t, br.get("/panel/collaborators/999999"), http.StatusNotFound)

	card := createTestCard(t, b, m, "Café")
	wantStatus(t, br.post("/panel/collaborators/"+id+"/permissions", url.Values{"csrf": {csrf}, "all_wallets": {"on"}}), http.StatusSeeOther)
	c, _ := b.store.Collaborator(ctx, m, list[0].ID)
	if c.CardScope == nil || len(c.CardScope) != 0 || c.WalletScope != nil {
		t.Errorf("got scopes %v / %v, want no card and every wallet", c.CardScope, c.WalletScope)
	}
	wantStatus(t, br.post("/panel/collaborators/"+id+"/permissions", url.Values{"csrf": {csrf}, "card": {card}, "all_wallets": {"on"}}), http.StatusSeeOther)
	if c, _ = b.store.Collaborator(ctx, m, list[0].ID); len(c.CardScope) != 1 {
		t.Errorf("got card scope %v, want the one card", c.CardScope)
	}
	wantStatus(t, br.post("/panel/collaborators/"+id+"/permissions", url.Values{"csrf": {csrf}, "card": {"lk_nope"}}), http.StatusNotFound)

	wantStatus(t, br.post("/panel/collaborators/"+id+"/archive", url.Values{"csrf": {csrf}}), http.StatusSeeOther)
	if c, _ = b.store.Collaborator(ctx, m, list[0].ID); c.Active() {
		t.Error("the collaborator is still active")
	}
	wantStatus(t, br.post("/panel/collaborators/999999/archive", url.Values{"csrf": {csrf}}), http.StatusNotFound)
}

func TestPanelBlacklist(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	br, csrf := loggedIn(t, b, testOwner, testPassword)

	wantText(t, br.get("/panel/blacklist"), "No hay teléfonos bloqueados.")
	wantStatus(t, br.post("/panel/blacklist", url.Values{"csrf": {csrf}, "phone": {"55-1234"}}), http.StatusUnprocessableEntity)
	wantStatus(t, br.post("/panel/blacklist", url.Values{"csrf": {csrf}, "phone": {"(55) 1234-5678"}}), http.StatusSeeOther)
	wantText(t, br.get("/panel/blacklist?done=blocked"), "5512345678", "Teléfono bloqueado.")
	if ok, _ := b.store.IsBlocked(context.Background(), m, "5512345678"); !ok {
		t.Error("the phone is not blocked")
	}
	wantStatus(t, br.post("/panel/blacklist/5512345678/delete", url.Values{"csrf": {csrf}}), http.StatusSeeOther)
	wantStatus(t, br.post("/panel/blacklist/5512345678/delete", url.Values{"csrf": {csrf}}), http.StatusNotFound)
}

// TestPanelIsolation: a merchant's panel answers another merchant's
// programs and collaborators as not found.
func TestPanelIsolation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	newPanelMerchant(t, b, "A", "a@a.example", testPassword)
	other := newPanelMerchant(t, b, "B", "b@b.example", testPassword)
	card := createTestCard(t, b, other, "De B")
	br, csrf := loggedIn(t, b, "a@a.example", testPassword)
	wantStatus(t, br.get("/panel/cards/"+card), http.StatusNotFound)
	wantStatus(t, br.post("/panel/cards/"+card, url.Values{"csrf": {csrf}, "name": {"robada"}}), http.StatusNotFound)
	if c, _ := b.store.Card(context.Background(), other, card); c.Name != "De B" {
		t.Errorf("got name %q, want B's card unchanged", c.Name)
	}
}
