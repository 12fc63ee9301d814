package http

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// enrolTestContact puts a contact in the agenda and enrols it in a card or
// wallet, as the apikey API's contact/add does, and returns the member id.
func enrolTestContact(t *testing.T, b *bundle, m int64, phone, name, program string, programID int64) (contactID, memberID int64) {
	t.Helper()
	ctx := context.Background()
	pool := b.store.Pool()
	if err := pool.QueryRow(ctx, `INSERT INTO contacts (merchant_id, phone, name) VALUES ($1, $2, $3)
		ON CONFLICT (merchant_id, phone) DO UPDATE SET name = excluded.name RETURNING id`, m, phone, name).Scan(&contactID); err != nil {
		t.Fatal(err)
	}
	table, fk := "card_members", "card_id"
	if program == "wallet" {
		table, fk = "wallet_members", "wallet_id"
	}
	if err := pool.QueryRow(ctx, `INSERT INTO `+table+` (merchant_id, `+fk+`, contact_id) VALUES ($1, $2, $3) RETURNING id`,
		m, programID, contactID).Scan(&memberID); err != nil {
		t.Fatal(err)
	}
	return contactID, memberID
}

var customerLink = regexp.MustCompile(`href="http://localhost:8080(/c/[^"]+)"`)

func TestPanelContactsAndCustomerPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	w, err := b.store.CreateWallet(ctx, m, store.WalletInput{Name: "Monedero Verde"})
	if err != nil {
		t.Fatal(err)
	}
	card, err := b.store.CreateCard(ctx, m, store.CardInput{Name: "Café", CustomJS: ptr(`document.getElementById("custom").textContent = "JS de la tarjeta"`)})
	if err != nil {
		t.Fatal(err)
	}
	contact, member := enrolTestContact(t, b, m, "5512345678", "Lucía", "wallet", w.ID)
	_, cardMember := enrolTestContact(t, b, m, "5512345678", "Lucía", "card", card.ID)
	owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: member}
	if _, err := b.store.Earn(ctx, m, store.TxInfo{Type: "WALLET SALE", Title: "Venta"}, owner, ledger.Points, 1550, nil); err != nil {
		t.Fatal(err)
	}
	expires := b.store.Now().Add(48 * time.Hour)
	if _, err := b.store.Earn(ctx, m, store.TxInfo{Type: "WALLET SALE"}, owner, ledger.Points, 300, &store.BatchSpec{ExpiresAt: expires}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := b.store.Earn(ctx, m, store.TxInfo{Type: "LOYALTY SALE"}, ledger.Owner{Kind: ledger.OwnerCardMember, ID: cardMember}, ledger.Stamps, ledger.OneStamp, nil); err != nil {
			t.Fatal(err)
		}
	}
	br, _ := loggedIn(t, b, testOwner, testPassword)

	wantText(t, br.get("/panel/contacts"), "5512345678", "Lucía")
	wantText(t, br.get("/panel/contacts?q=luc"), "5512345678")
	wantText(t, br.get("/panel/contacts?q=99999&page=2"), "No hay contactos.")
	page := br.get("/panel/contacts/" + itoa(int(contact)))
	wantText(t, page, "Monedero Verde", "18.50", "3.00", "Venta", "Café", "3 de 10 sellos")
	wantStatus(t, br.get("/panel/contacts/999999"), http.StatusNotFound)
	wantStatus(t, br.get("/panel/contacts/x"), http.StatusNotFound)

	links := customerLink.FindAllSubmatch(page.Body, -1)
	if len(links) != 2 {
		t.Fatalf("got %d customer links, want 2 (card and wallet)", len(links))
	}
	visitor := b.browser()
	for _, l := range links {
		path := string(l[1])
		res := visitor.get(path)
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(path, w.Key) {
			wantText(t, res, "Hola, Lucía.", "Tu saldo", "18.50", expires.In(mustLoc(t)).Format("2006-01-02"))
			if strings.Contains(string(res.Body), "<script") {
				t.Error("the wallet page runs a script; only a card's custom JavaScript may run, on its own page")
			}
		} else {
			wantText(t, res, "Tus sellos", "3 de 10 sellos")
			csp := res.Header.Get("Content-Security-Policy")
			nonce := regexp.MustCompile(`<script nonce="([0-9a-f]+)">`).FindSubmatch(res.Body)
			if nonce == nil || !strings.Contains(csp, "'nonce-"+string(nonce[1])+"'") {
				t.Errorf("the card's custom script is not allowed by its nonce: CSP %q", csp)
			}
		}
		if res.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Error("the customer page may leak its token in the Referer header")
		}
		// The token opens only its own program's page.
		other := card.Key
		if strings.Contains(path, card.Key) {
			other = w.Key
		}
		wantStatus(t, visitor.get(strings.Replace(path, "/c/"+keyOf(path)+"/", "/c/"+other+"/", 1)), http.StatusNotFound)
	}
	wantStatus(t, visitor.get("/c/"+w.Key+"/forged-token"), http.StatusNotFound)
	wantText(t, visitor.get("/c/"+w.Key), "Monedero Verde", "enlace")
	wantStatus(t, visitor.get("/c/wk_unknown"), http.StatusNotFound)
}

func keyOf(path string) string { return strings.Split(path, "/")[2] }

func ptr[T any](v T) *T { return &v }

func mustLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(store.DefaultTimezone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
