package http

import (
	"bufio"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// pos is a provisioned merchant as a POS terminal sees it: its apikey, a
// stamp card (3 stamps), a 5% wallet and an active cashier.
type pos struct {
	t       *testing.T
	b       *bundle
	m       store.Merchant
	key     string
	card    store.Card
	wallet  store.Wallet
	cashier store.Collaborator
}

// newPOS provisions a merchant through the store's provisioning methods.
func newPOS(t *testing.T, b *bundle) *pos {
	t.Helper()
	ctx := t.Context()
	m, err := b.store.CreateMerchant(ctx, "Café Centro", "")
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := b.store.CreateAPIKey(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	card, err := b.store.CreateCard(ctx, m.ID, store.CardInput{Name: "Café gratis", StampsRequired: ptr(3)})
	if err != nil {
		t.Fatal(err)
	}
	pct := ledger.Amount(500)
	wallet, err := b.store.CreateWallet(ctx, m.ID, store.WalletInput{Name: "Monedero", CashbackPercent: &pct})
	if err != nil {
		t.Fatal(err)
	}
	cashier, err := b.store.CreateCollaborator(ctx, m.ID, store.CollaboratorInput{Name: "Ana", Number: "4771234567",
		Branch: "Centro", Type: store.Cashier, PIN: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	return &pos{t: t, b: b, m: m, key: key, card: card, wallet: wallet, cashier: cashier}
}

// post sends a form with the merchant's apikey.
func (p *pos) post(path string, form url.Values) *response {
	p.t.Helper()
	return p.b.doForm(path, map[string]string{"apikey": p.key}, form)
}

// merchant re-reads the merchant (settings changed by a test).
func (p *pos) merchant() store.Merchant {
	p.t.Helper()
	m, err := p.b.store.Merchant(p.t.Context(), p.m.ID)
	if err != nil {
		p.t.Fatal(err)
	}
	return m
}

// exec runs SQL for a test's set-up.
func (p *pos) exec(sql string, args ...any) {
	p.t.Helper()
	if _, err := p.b.store.Pool().Exec(p.t.Context(), sql, args...); err != nil {
		p.t.Fatalf("%s: %v", sql, err)
	}
}

// snapshot summarises everything an apikey request can write, so a test
// can assert that a refused request wrote nothing.
func (p *pos) snapshot() string {
	p.t.Helper()
	var s string
	err := p.b.store.Pool().QueryRow(p.t.Context(), `SELECT concat_ws(' ',
		'contacts', (SELECT count(*) FROM contacts WHERE merchant_id = $1),
		'card_members', (SELECT count(*) FROM card_members WHERE merchant_id = $1),
		(SELECT coalesce(sum(completions), 0) FROM card_members WHERE merchant_id = $1),
		'wallet_members', (SELECT count(*) FROM wallet_members WHERE merchant_id = $1),
		'collaborators', (SELECT count(*) FROM collaborators WHERE merchant_id = $1),
		(SELECT count(*) FROM collaborators WHERE merchant_id = $1 AND status = 'active'),
		'outbox', (SELECT count(*) FROM outbox WHERE merchant_id = $1),
		'sales', (SELECT count(*) FROM pos_sales WHERE merchant_id = $1),
		'merchant', (SELECT concat_ws('/', message_credit, operations_used) FROM merchants WHERE id = $1)
		`+ledgerSnapshotSQL+`)`, p.m.ID).Scan(&s)
	if err != nil {
		p.t.Fatal(err)
	}
	return s
}

// expectCode checks an apikey answer: HTTP status, code, and that the
// message is the seed's for that code (testdata/apikey_codes.tsv, a copy
// of spec/codes.tsv) when the seed lists the code for this endpoint.
func expectCode(t *testing.T, r *response, path string, status int, code string) map[string]any {
	t.Helper()
	body := r.JSON(t)
	if r.Status != status || body["code"] != code {
		t.Fatalf("%s: got %d %v, want %d %s: %s", path, r.Status, body["code"], status, code, r.Body)
	}
	if body["success"] == true {
		return body
	}
	if body["success"] != false || body["status"] != float64(status) {
		t.Fatalf("%s %s: error shape wrong: %s", path, code, r.Body)
	}
	if want, ok := seedMessages()[path+" "+code]; ok && body["message"] != want {
		t.Fatalf("%s %s: got message %q, want the seed's %q", path, code, body["message"], want)
	}
	return body
}

var seedMessagesOnce = sync.OnceValue(func() map[string]string {
	f, err := os.Open("testdata/apikey_codes.tsv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) == 4 && cols[0] != "seed" {
			out[cols[1]+" "+cols[2]] = cols[3]
		}
	}
	return out
})

func seedMessages() map[string]string { return seedMessagesOnce() }

// jsonBody is a helper for JSON-encoded apikey requests.
func jsonBody(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ledgerSnapshotSQL adds the ledger's tables to snapshot once they exist.
const ledgerSnapshotSQL = `, 'ledger', (SELECT count(*) FROM ledger_transactions WHERE merchant_id = $1), (SELECT count(*) FROM ledger_postings WHERE merchant_id = $1)`

func jsonHas(body []byte, key, want string) bool {
	var m map[string]any
	return json.Unmarshal(body, &m) == nil && m[key] == want
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func jsonRaw(body []byte, key string) json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(body, &m)
	return m[key]
}

func jsonField(body []byte, key string) string {
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	s, _ := m[key].(string)
	return s
}

// memberID is the card or wallet membership of phone.
func (p *pos) memberID(prog store.Program, phone string) int64 {
	p.t.Helper()
	table, fk, key := "card_members", "card_id", p.card.ID
	if prog == store.ProgramWallet {
		table, fk, key = "wallet_members", "wallet_id", p.wallet.ID
	}
	var id int64
	err := p.b.store.Pool().QueryRow(p.t.Context(), `SELECT m.id FROM `+table+` m JOIN contacts c ON c.merchant_id = m.merchant_id AND c.id = m.contact_id
		WHERE m.merchant_id = $1 AND m.`+fk+` = $2 AND c.phone = $3`, p.m.ID, key, phone).Scan(&id)
	if err != nil {
		p.t.Fatal(err)
	}
	return id
}

// checkLedger runs the conservation check for the merchant.
func (p *pos) checkLedger() {
	p.t.Helper()
	rep, err := p.b.store.CheckLedger(p.t.Context(), p.m.ID)
	if err != nil || !rep.OK {
		p.t.Fatalf("ledger check: %+v %v", rep, err)
	}
}
