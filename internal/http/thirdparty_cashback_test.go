package http

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// tpWallet creates a wallet with percent (hundredths) and ttl days and links
// shop to it through the admin API.
func tpWallet(c *tpClient, shop string, percent ledger.Amount, ttlDays int) store.Wallet {
	c.t.Helper()
	w, err := c.b.store.CreateWallet(c.t.Context(), c.merchantID, store.WalletInput{Name: "Monedero", CashbackPercent: &percent, PointsTTLDays: &ttlDays})
	if err != nil {
		c.t.Fatal(err)
	}
	r := c.b.admin(http.MethodPut, "/merchants/"+itoa(int(c.merchantID))+"/shops/"+shop+"/wallet", map[string]any{"wallet_key": w.Key})
	if r.Status != http.StatusOK {
		c.t.Fatalf("link the shop to the wallet: got %d %s", r.Status, r.Body)
	}
	return w
}

// tpMember is the wallet member of phone, or 0.
func tpMember(c *tpClient, w store.Wallet, phone string) int64 {
	c.t.Helper()
	var id int64
	_ = c.b.store.Pool().QueryRow(c.t.Context(), `SELECT m.id FROM wallet_members m JOIN contacts k ON k.merchant_id = m.merchant_id AND k.id = m.contact_id
		WHERE m.merchant_id = $1 AND m.wallet_id = $2 AND k.phone = $3`, c.merchantID, w.ID, phone).Scan(&id)
	return id
}

func TestThirdpartyOrderEarnsTheShopWalletsCashback(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	shop := c.addShop("Centro")
	w := tpWallet(c, shop, 500, 30) // 5.00 %, points live 30 days
	d := tpWant(t, c.get("show-shop", url.Values{"code": {shop}}), 200, "2007")
	if d["wallet_key"] != w.Key || d["has_wallet"] != -1.0 {
		t.Fatalf("got %v, want the shop linked to %s", d, w.Key)
	}
	cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}, "lastname": {"Chavez"}, "phone": {"+52 (33) 1234 5678"}})["code"].(string)

	o := c.addOrder(url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"150.55"}})
	// 150.55 × 5 % = 7.5275, rounded down to the hundredth.
	if o["cashback"] != "7.52" || o["wallet_key"] != w.Key || o["has_cashback"] != -1.0 {
		t.Fatalf("got %v, want 7.52 earned in %s", o, w.Key)
	}
	member := tpMember(c, w, "3312345678")
	if member == 0 {
		t.Fatal("the customer's phone was not enrolled in the wallet as 3312345678")
	}
	var name string
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT name FROM contacts WHERE merchant_id = $1 AND phone = '3312345678'`, c.merchantID).Scan(&name); err != nil || name != "Mario Chavez" {
		t.Fatalf("contact: got %q, %v", name, err)
	}
	owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: member}
	tx, err := b.store.TxByIdem(t.Context(), c.merchantID, "thirdparty:order", o["code"].(string))
	if err != nil || tx.Type != "THIRDPARTY ORDER" || tx.Code != o["code"] || tx.Purchase != 150_55 {
		t.Fatalf("ledger transaction: got %+v, %v", tx, err)
	}
	batches, err := b.store.Batches(t.Context(), c.merchantID, owner, ledger.Points)
	if err != nil || len(batches) != 1 || batches[0].Balance != 7_52 {
		t.Fatalf("batches: got %+v, %v, want one of 7.52", batches, err)
	}
	mx, _ := time.LoadLocation("America/Mexico_City")
	ordered, _ := time.Parse(tpTimeUTC, o["created_at"].(string))
	y, m, day := ordered.In(mx).Date()
	if want := time.Date(y, m, day+31, 0, 0, 0, 0, mx); !batches[0].ExpiresAt.Equal(want) {
		t.Errorf("batch expires %v, want %v (start of the merchant's day 31 days on)", batches[0].ExpiresAt, want)
	}

	c.addOrder(url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"100"}})
	if bal, err := b.store.Balance(t.Context(), c.merchantID, owner, ledger.Points); err != nil || bal != 12_52 {
		t.Fatalf("balance: got %v, %v, want 12.52", bal, err)
	}
	if n := tpCount(b, "contacts"); n != 1 {
		t.Errorf("got %d contacts, want the one reused", n)
	}
	if rep, err := b.store.CheckLedger(t.Context(), c.merchantID); err != nil || !rep.OK {
		t.Fatalf("ledger check: %+v, %v", rep, err)
	}
	got := tpWant(t, c.get("show-customer", url.Values{"code": {cust}}), 200, "0062")
	if got["total_orders"] != 2.0 {
		t.Errorf("got %v orders, want 2", got["total_orders"])
	}
}

// The order is recorded in every case; only the cashback is skipped.
func TestThirdpartyOrderWithoutCashback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		phone   string
		amount  string
		prepare func(c *tpClient, w store.Wallet)
	}{
		{"NoPhone", "", "100", nil},
		{"PhoneNotTenDigits", "33 1234", "100", nil},
		{"PhoneWithLetters", "33-CALL-ME-NOW", "100", nil},
		{"CashbackRoundsToZero", "3312345678", "0.19", nil},
		{"WalletDisabled", "3312345678", "100", func(c *tpClient, w store.Wallet) {
			off := false
			if _, err := c.b.store.UpdateWallet(c.t.Context(), c.merchantID, w.Key, store.WalletInput{Enabled: &off}); err != nil {
				c.t.Fatal(err)
			}
		}},
		{"PhoneBlacklisted", "3312345678", "100", func(c *tpClient, _ store.Wallet) {
			if err := c.b.store.BlockPhone(c.t.Context(), c.merchantID, "3312345678"); err != nil {
				c.t.Fatal(err)
			}
		}},
		{"ContactDisabled", "3312345678", "100", func(c *tpClient, _ store.Wallet) {
			tpExec(c.b, `INSERT INTO contacts (merchant_id, phone, name, disabled) VALUES ($1, '3312345678', 'X', true)`, c.merchantID)
		}},
		{"ContactQuotaFull", "3312345678", "100", func(c *tpClient, _ store.Wallet) {
			tpExec(c.b, `UPDATE merchants SET contact_quota = 0 WHERE id = $1`, c.merchantID)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			c := newTPMerchant(b, "A", "")
			shop := c.addShop("Centro")
			w := tpWallet(c, shop, 500, 0)
			if tt.prepare != nil {
				tt.prepare(c, w)
			}
			cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}, "phone": {tt.phone}})["code"].(string)
			o := c.addOrder(url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {tt.amount}})
			if o["cashback"] != "0.00" || o["wallet_key"] != nil || o["has_cashback"] != 0.0 {
				t.Fatalf("got %v, want the order without cashback", o)
			}
			if n := tpCount(b, "wallet_members"); n != 0 {
				t.Errorf("got %d wallet members, want none", n)
			}
			if _, err := b.store.TxByIdem(t.Context(), c.merchantID, "thirdparty:order", o["code"].(string)); err == nil {
				t.Errorf("a ledger transaction was posted for an order without cashback")
			}
			got := tpWant(t, c.get("show-customer", url.Values{"code": {cust}}), 200, "0062")
			if got["total_orders"] != 1.0 {
				t.Errorf("got %v orders, want 1", got["total_orders"])
			}
		})
	}
}

// A failure while earning undoes the whole order: no order, no count, no points.
func TestThirdpartyOrderCashbackFailureWritesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	shop := c.addShop("Centro")
	tpWallet(c, shop, 1000, 0)
	cust := c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}, "phone": {"3312345678"}})["code"].(string)
	tpBreakWrites(b, "wallet_members")
	tpWant(t, c.post("add-order", url.Values{"code_shop": {shop}, "code_customer": {cust}, "amount": {"100"}}), 500, "2047")
	for _, table := range []string{"thirdparty_orders", "contacts", "wallet_members"} {
		if n := tpCount(b, table); n != 0 {
			t.Errorf("%s: got %d rows, want 0", table, n)
		}
	}
	got := tpWant(t, c.get("show-customer", url.Values{"code": {cust}}), 200, "0062")
	if got["total_orders"] != 0.0 {
		t.Errorf("got %v orders counted, want 0", got["total_orders"])
	}
}

// Orders of two customers sharing one phone, all at once: every order is
// counted once, the phone gets one contact and one membership, and the
// wallet holds exactly the sum of the cashbacks.
func TestThirdpartyConcurrentOrdersShareOneWalletMember(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newTPMerchant(b, "A", "")
	shop := c.addShop("Centro")
	w := tpWallet(c, shop, 1000, 0) // 10.00 %
	custs := []string{
		c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario"}, "phone": {"3312345678"}})["code"].(string),
		c.addCustomer(url.Values{"code_shop": {shop}, "name": {"Mario (office)"}, "phone": {"+52 33 1234 5678"}})["code"].(string),
	}
	const perCustomer = 8
	var wg sync.WaitGroup
	for i := range 2 * perCustomer {
		wg.Go(func() {
			r := b.doForm("/api/thirdparty/v1/add-order", c.auth(), url.Values{"code_shop": {shop}, "code_customer": {custs[i%2]}, "amount": {"10"}})
			if r.Status != 200 {
				t.Errorf("order %d: got %d %s", i, r.Status, r.Body)
			}
		})
	}
	wg.Wait()
	for _, cust := range custs {
		if got := tpWant(t, c.get("show-customer", url.Values{"code": {cust}}), 200, "0062"); got["total_orders"] != float64(perCustomer) {
			t.Errorf("%s: got %v orders, want %d", cust, got["total_orders"], perCustomer)
		}
	}
	if n, m := tpCount(b, "contacts"), tpCount(b, "wallet_members"); n != 1 || m != 1 {
		t.Fatalf("got %d contacts and %d members, want one each", n, m)
	}
	owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: tpMember(c, w, "3312345678")}
	if bal, err := b.store.Balance(t.Context(), c.merchantID, owner, ledger.Points); err != nil || bal != 2*perCustomer*1_00 {
		t.Fatalf("balance: got %v, %v, want %d.00", bal, err, 2*perCustomer)
	}
	if rep, err := b.store.CheckLedger(t.Context(), c.merchantID); err != nil || !rep.OK {
		t.Fatalf("ledger check: %+v, %v", rep, err)
	}
}
