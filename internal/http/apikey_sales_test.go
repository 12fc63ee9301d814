package http

import (
	"net/url"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// enroll adds phone to the program through the API.
func (p *pos) enroll(prog store.Program, phone string) {
	p.t.Helper()
	if r := p.post(contactAddPath(prog), p.contactForm(prog, phone)); r.Status != 200 {
		p.t.Fatalf("enroll %s in %s: %s", phone, prog, r.Body)
	}
}

func (p *pos) cardSale(phone string, extra ...string) url.Values {
	f := url.Values{"loyalty_key": {p.card.Key}, "phone": {phone}, "usertool_id": {itoa64(p.cashier.ID)}, "transaction_amount": {"100"}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

func (p *pos) walletSale(phone, typ string, extra ...string) url.Values {
	f := url.Values{"wallet_key": {p.wallet.Key}, "phone": {phone}, "usertool_id": {itoa64(p.cashier.ID)}, "transaction_type": {typ}}
	if typ == "0" {
		f.Set("transaction_amount", "100")
	} else {
		f.Set("points_used", "1")
	}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

func (p *pos) balanceUpdate(phone, typ, amount string) url.Values {
	return url.Values{"wallet_key": {p.wallet.Key}, "phone": {phone}, "usertool_id": {itoa64(p.cashier.ID)},
		"transaction_type": {typ}, "transaction_amount": {amount}}
}

// saleCase is one refused sale: arrange the merchant, then post the form.
type saleCase struct {
	name    string
	path    string
	arrange func(p *pos) url.Values
	status  int
	code    string
}

// runSaleCases runs each case on a fresh merchant whose contact 4771112233
// is enrolled in the card and the wallet with 10 points, and checks that
// the refusal wrote nothing.
func runSaleCases(t *testing.T, b *bundle, cases []saleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := newPOS(t, b)
			p.enroll(store.ProgramCard, "4771112233")
			p.enroll(store.ProgramWallet, "4771112233")
			expectCode(t, p.post("/wallet/balance/update", p.balanceUpdate("4771112233", "0", "10")), "/wallet/balance/update", 200, "balance_update_01")
			f := c.arrange(p)
			before := p.snapshot()
			expectCode(t, p.post(c.path, f), c.path, c.status, c.code)
			if after := p.snapshot(); after != before {
				t.Fatalf("a refused request wrote: before %s, after %s", before, after)
			}
		})
	}
}

const phone = "4771112233"

func archived(p *pos) {
	p.exec(`UPDATE collaborators SET status = 'archived' WHERE merchant_id = $1`, p.m.ID)
}

func TestLoyaltySaleErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := newPOS(t, b)
	const path = "/loyalty/sale"
	sale := func(mod func(p *pos, f url.Values)) func(p *pos) url.Values {
		return func(p *pos) url.Values {
			f := p.cardSale(phone)
			mod(p, f)
			return f
		}
	}
	runSaleCases(t, b, []saleCase{
		{"NoKey", path, sale(func(p *pos, f url.Values) { f.Del("loyalty_key") }), 400, "loyalty_sale_03"},
		{"NoPhone", path, sale(func(p *pos, f url.Values) { f.Del("phone") }), 400, "loyalty_sale_04"},
		{"BadPhone", path, sale(func(p *pos, f url.Values) { f.Set("phone", "47711122334") }), 400, "loyalty_sale_05"},
		{"NoUser", path, sale(func(p *pos, f url.Values) { f.Del("usertool_id") }), 400, "loyalty_sale_06"},
		{"UnknownCard", path, sale(func(p *pos, f url.Values) { f.Set("loyalty_key", other.card.Key) }), 404, "loyalty_02"},
		{"DisabledCard", path, sale(func(p *pos, f url.Values) { p.updateCard(store.CardInput{Enabled: ptr(false)}) }), 403, "loyalty_03"},
		{"OtherMerchantsUser", path, sale(func(p *pos, f url.Values) { f.Set("usertool_id", itoa64(other.cashier.ID)) }), 403, "loyalty_sale_21"},
		{"ArchivedUser", path, sale(func(p *pos, f url.Values) { archived(p) }), 403, "loyalty_sale_22"},
		{"UserNotPermitted", path, sale(func(p *pos, f url.Values) {
			if _, err := p.b.store.SetCollaboratorPermissions(p.t.Context(), p.m.ID, p.cashier.ID, &[]string{}, nil); err != nil {
				p.t.Fatal(err)
			}
		}), 403, "loyalty_sale_22"},
		{"NotInAgenda", path, sale(func(p *pos, f url.Values) { f.Set("phone", "4779999999") }), 404, "loyalty_sale_07"},
		{"NotEnrolled", path, sale(func(p *pos, f url.Values) { p.enroll(store.ProgramWallet, "4778888888"); f.Set("phone", "4778888888") }), 404, "loyalty_sale_08"},
		{"Blacklisted", path, sale(func(p *pos, f url.Values) {
			if err := p.b.store.BlockPhone(p.t.Context(), p.m.ID, phone); err != nil {
				p.t.Fatal(err)
			}
		}), 403, "loyalty_sale_11"},
		{"ContactDisabled", path, sale(func(p *pos, f url.Values) {
			p.exec(`UPDATE contacts SET disabled = true WHERE merchant_id = $1`, p.m.ID)
		}), 403, "loyalty_sale_11"},
		{"TicketRequired", path, sale(func(p *pos, f url.Values) { p.updateCard(store.CardInput{TicketRequired: ptr(true)}) }), 400, "loyalty_sale_09"},
		{"AmountMalformed", path, sale(func(p *pos, f url.Values) { f.Set("transaction_amount", "1e3") }), 400, "loyalty_sale_10"},
		{"AmountZero", path, sale(func(p *pos, f url.Values) { f.Set("transaction_amount", "0") }), 400, "loyalty_sale_10"},
		{"NoAmountNoDefault", path, sale(func(p *pos, f url.Values) { f.Del("transaction_amount") }), 400, "loyalty_sale_10"},
		{"StampsPerDay", path, sale(func(p *pos, f url.Values) {
			p.updateCard(store.CardInput{MaxStampsPerDay: ptr(1)})
			expectCode(p.t, p.post(path, p.cardSale(phone)), path, 200, "loyalty_sale_01")
		}), 422, "loyalty_sale_13"},
		{"OperationQuota", path, sale(func(p *pos, f url.Values) { p.patch(store.MerchantPatch{OperationQuota: store.Some(ptr(int64(0)))}) }), 422, "loyalty_sale_23"},
		{"NoMessagingChannel", path, sale(func(p *pos, f url.Values) {
			p.updateCard(store.CardInput{StampMessage: ptr(true)})
			p.patch(store.MerchantPatch{MessagingChannel: store.Some("none")})
		}), 422, "loyalty_sale_17"},
		{"MessageCredit", path, sale(func(p *pos, f url.Values) {
			p.updateCard(store.CardInput{StampMessage: ptr(true)})
			p.patch(store.MerchantPatch{MessageCredit: store.Some(ptr(int64(0)))})
		}), 422, "loyalty_sale_15"},
		{"TicketOfAnotherContact", path, sale(func(p *pos, f url.Values) {
			p.enroll(store.ProgramCard, "4778888888")
			expectCode(p.t, p.post(path, p.cardSale("4778888888", "ticket", "T-1")), path, 200, "loyalty_sale_01")
			f.Set("ticket", "T-1")
		}), 409, "loyalty_sale_12"},
		{"StorageFailure", path, sale(func(p *pos, f url.Values) { p.failWrites("pos_sales") }), 500, "loyalty_sale_12"},
	})
}

func TestWalletSaleErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := newPOS(t, b)
	const path = "/wallet/sale"
	sale := func(typ string, mod func(p *pos, f url.Values)) func(p *pos) url.Values {
		return func(p *pos) url.Values {
			f := p.walletSale(phone, typ)
			mod(p, f)
			return f
		}
	}
	runSaleCases(t, b, []saleCase{
		{"NoKey", path, sale("0", func(p *pos, f url.Values) { f.Del("wallet_key") }), 400, "new_sale_02"},
		{"NoPhone", path, sale("0", func(p *pos, f url.Values) { f.Del("phone") }), 400, "new_sale_03"},
		{"BadPhone", path, sale("0", func(p *pos, f url.Values) { f.Set("phone", "abc") }), 400, "new_sale_04"},
		{"NoType", path, sale("0", func(p *pos, f url.Values) { f.Del("transaction_type") }), 400, "new_sale_05"},
		{"BadType", path, sale("0", func(p *pos, f url.Values) { f.Set("transaction_type", "2") }), 400, "new_sale_05"},
		{"EarnWithoutAmount", path, sale("0", func(p *pos, f url.Values) { f.Del("transaction_amount") }), 400, "new_sale_06"},
		{"AmountMalformed", path, sale("0", func(p *pos, f url.Values) { f.Set("transaction_amount", "99.999") }), 400, "new_sale_07"},
		{"AmountNegative", path, sale("1", func(p *pos, f url.Values) { f.Set("transaction_amount", "-5") }), 400, "new_sale_07"},
		{"SpendWithoutPoints", path, sale("1", func(p *pos, f url.Values) { f.Del("points_used") }), 400, "new_sale_08"},
		{"PointsMalformed", path, sale("1", func(p *pos, f url.Values) { f.Set("points_used", "NaN") }), 400, "new_sale_08"},
		{"NoUser", path, sale("0", func(p *pos, f url.Values) { f.Del("usertool_id") }), 400, "new_sale_09"},
		{"UnknownWallet", path, sale("0", func(p *pos, f url.Values) { f.Set("wallet_key", other.wallet.Key) }), 404, "new_sale_10"},
		{"DisabledWallet", path, sale("0", func(p *pos, f url.Values) { p.updateWallet(store.WalletInput{Enabled: ptr(false)}) }), 404, "new_sale_10"},
		{"TicketRequired", path, sale("0", func(p *pos, f url.Values) { p.updateWallet(store.WalletInput{TicketRequired: ptr(true)}) }), 400, "new_sale_11"},
		{"NotEnrolled", path, sale("0", func(p *pos, f url.Values) { f.Set("phone", "4779999999") }), 404, "new_sale_12"},
		{"OtherMerchantsUser", path, sale("0", func(p *pos, f url.Values) { f.Set("usertool_id", itoa64(other.cashier.ID)) }), 403, "new_sale_13"},
		{"ArchivedUser", path, sale("0", func(p *pos, f url.Values) { archived(p) }), 403, "new_sale_14"},
		{"UserNotPermitted", path, sale("0", func(p *pos, f url.Values) {
			if _, err := p.b.store.SetCollaboratorPermissions(p.t.Context(), p.m.ID, p.cashier.ID, nil, &[]string{}); err != nil {
				p.t.Fatal(err)
			}
		}), 403, "new_sale_14"},
		{"Blacklisted", path, sale("0", func(p *pos, f url.Values) {
			if err := p.b.store.BlockPhone(p.t.Context(), p.m.ID, phone); err != nil {
				p.t.Fatal(err)
			}
		}), 403, "wallet_redeem_14"},
		{"PointsOverBalance", path, sale("1", func(p *pos, f url.Values) { f.Set("points_used", "10.01") }), 422, "wallet_redeem_10"},
		{"OperationQuota", path, sale("1", func(p *pos, f url.Values) { p.patch(store.MerchantPatch{OperationQuota: store.Some(ptr(int64(0)))}) }), 422, "wallet_redeem_18"},
		{"NoMessagingChannel", path, sale("0", func(p *pos, f url.Values) {
			p.updateWallet(store.WalletInput{SaleMessage: ptr(true)})
			p.patch(store.MerchantPatch{MessagingChannel: store.Some("none")})
		}), 422, "marketing_tools_welcome_message_02"},
		{"MessageCredit", path, sale("0", func(p *pos, f url.Values) {
			p.updateWallet(store.WalletInput{SaleMessage: ptr(true)})
			p.patch(store.MerchantPatch{MessageCredit: store.Some(ptr(int64(0)))})
		}), 422, "wallet_redeem_13"},
		{"TicketOfAnotherContact", path, sale("0", func(p *pos, f url.Values) {
			p.enroll(store.ProgramWallet, "4778888888")
			expectCode(p.t, p.post(path, p.walletSale("4778888888", "0", "ticket", "T-1")), path, 200, "new_sale_01")
			f.Set("ticket", "T-1")
		}), 409, "new_sale_15"},
		{"StorageFailure", path, sale("0", func(p *pos, f url.Values) { p.failWrites("pos_sales") }), 500, "new_sale_16"},
	})
}

func TestBalanceUpdateErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := newPOS(t, b)
	const path = "/wallet/balance/update"
	upd := func(typ, amount string, mod func(p *pos, f url.Values)) func(p *pos) url.Values {
		return func(p *pos) url.Values {
			f := p.balanceUpdate(phone, typ, amount)
			mod(p, f)
			return f
		}
	}
	none := func(p *pos, f url.Values) {}
	runSaleCases(t, b, []saleCase{
		{"NoKey", path, upd("0", "5", func(p *pos, f url.Values) { f.Del("wallet_key") }), 400, "balance_update_02"},
		{"NoPhone", path, upd("0", "5", func(p *pos, f url.Values) { f.Del("phone") }), 400, "balance_update_03"},
		{"BadPhone", path, upd("0", "5", func(p *pos, f url.Values) { f.Set("phone", "47711") }), 400, "balance_update_04"},
		{"BadType", path, upd("x", "5", none), 400, "balance_update_05"},
		{"NoAmount", path, upd("0", "", none), 400, "balance_update_06"},
		{"AmountMalformed", path, upd("0", "5,5", none), 400, "balance_update_07"},
		{"NoUser", path, upd("0", "5", func(p *pos, f url.Values) { f.Del("usertool_id") }), 400, "balance_update_08"},
		{"UnknownWallet", path, upd("0", "5", func(p *pos, f url.Values) { f.Set("wallet_key", "wk_nope") }), 404, "balance_update_09"},
		{"NotEnrolled", path, upd("0", "5", func(p *pos, f url.Values) { f.Set("phone", "4779999999") }), 404, "balance_update_10"},
		{"OtherMerchantsUser", path, upd("0", "5", func(p *pos, f url.Values) { f.Set("usertool_id", itoa64(other.cashier.ID)) }), 403, "balance_update_11"},
		{"ArchivedUser", path, upd("0", "5", func(p *pos, f url.Values) { archived(p) }), 403, "balance_update_12"},
		{"Blacklisted", path, upd("0", "5", func(p *pos, f url.Values) {
			if err := p.b.store.BlockPhone(p.t.Context(), p.m.ID, phone); err != nil {
				p.t.Fatal(err)
			}
		}), 403, "wallet_balance_update_10"},
		{"RemoveOverBalance", path, upd("1", "10.01", none), 422, "wallet_balance_update_07"},
		{"MessageCredit", path, upd("0", "5", func(p *pos, f url.Values) {
			p.updateWallet(store.WalletInput{SaleMessage: ptr(true)})
			p.patch(store.MerchantPatch{MessageCredit: store.Some(ptr(int64(0)))})
		}), 422, "wallet_balance_update_09"},
		{"StorageFailure", path, upd("0", "5", func(p *pos, f url.Values) { p.failWrites("pos_sales") }), 500, "balance_update_13"},
	})
}

func TestLoyaltySaleStampsAndCompletion(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	rc := newReceiver(t)
	p.updateCard(store.CardInput{DefaultAmount: ptr(ledger.Amount(25050)), WebhookURL: ptr(rc.srv.URL)})
	p.enroll(store.ProgramCard, phone)
	const path = "/loyalty/sale"
	noAmount := p.cardSale(phone)
	noAmount.Del("transaction_amount")
	for i, want := range []string{"loyalty_sale_01", "loyalty_sale_01", "loyalty_sale_02", "loyalty_sale_01"} {
		body := expectCode(t, p.post(path, noAmount), path, 200, want)
		if want == "loyalty_sale_02" && body["message"] != "El usuario ya ha completado la tarjeta." {
			t.Fatalf("sale %d: got %v", i+1, body)
		}
	}
	got := expectCode(t, p.post("/loyalty/contact/get", url.Values{"loyalty_key": {p.card.Key}, "phone": {phone}}), "/loyalty/contact/get", 200, "loyalty_contact_get_01")
	res := got["result"].(map[string]any)
	if res["contact_total_loyalty_completes"] != float64(1) || res["contact_current_redeem"] != float64(1) {
		t.Fatalf("got %v, want one completion and one stamp on the new card", res)
	}
	// Ticket replay: the same ticket answers its first result and adds nothing.
	first := expectCode(t, p.post(path, p.cardSale(phone, "ticket", "A-1")), path, 200, "loyalty_sale_01")
	before := p.snapshot()
	again := expectCode(t, p.post(path, p.cardSale(phone, "ticket", "A-1")), path, 200, "loyalty_sale_01")
	if after := p.snapshot(); after != before || first["code"] != again["code"] {
		t.Fatalf("a replayed ticket wrote: before %s after %s", before, after)
	}
	// The ledger agrees: 2 stamps now, conservation holds.
	bal, err := b.store.Balance(t.Context(), p.m.ID, ledger.Owner{Kind: ledger.OwnerCardMember, ID: p.memberID(store.ProgramCard, phone)}, ledger.Stamps)
	if err != nil || bal != 2*ledger.OneStamp {
		t.Fatalf("stamps balance %v %v, want 2 stamps", bal, err)
	}
	p.checkLedger()
	// The Purchase webhook carries the default amount.
	p.deliverNow()
	values := map[string]int{}
	for _, h := range rc.received() {
		if h.header.Get("X-Webhook-Event") != "Purchase" {
			continue
		}
		v := string(jsonRaw(jsonRaw(h.body, "data"), "value"))
		values[v]++
		want := `{"event_name":"Purchase","data":{"loyaltyCard":"Loyalty card 'Café gratis'","currency":"MXN","value":` + v + `},"date":"` + jsonField(h.body, "date") + `"}`
		if string(h.body) != want {
			t.Fatalf("Purchase webhook %s, want %s", h.body, want)
		}
	}
	if values["250.5"] != 4 || values["100"] != 1 {
		t.Fatalf("Purchase values %v, want the default 250.5 four times and 100 once", values)
	}
}

func TestLoyaltySaleStampsPerDayInMerchantTimeZone(t *testing.T) {
	t.Parallel()
	clock := ledger.NewFixedClock(time.Date(2026, 11, 23, 5, 30, 0, 0, time.UTC)) // 23:30 on the 22nd in Mexico City
	b := setupClock(t, clock)
	p := newPOS(t, b)
	p.updateCard(store.CardInput{MaxStampsPerDay: ptr(1)})
	p.enroll(store.ProgramCard, phone)
	const path = "/loyalty/sale"
	expectCode(t, p.post(path, p.cardSale(phone)), path, 200, "loyalty_sale_01")
	clock.Set(time.Date(2026, 11, 23, 5, 50, 0, 0, time.UTC))
	expectCode(t, p.post(path, p.cardSale(phone)), path, 422, "loyalty_sale_13")
	clock.Set(time.Date(2026, 11, 23, 6, 10, 0, 0, time.UTC)) // 00:10 on the 23rd there, same UTC day
	expectCode(t, p.post(path, p.cardSale(phone)), path, 200, "loyalty_sale_01")
}

func TestWalletSaleCashbackSpendAndExpiry(t *testing.T) {
	t.Parallel()
	clock := ledger.NewFixedClock(time.Date(2026, 1, 10, 18, 0, 0, 0, time.UTC))
	b := setupClock(t, clock)
	p := newPOS(t, b)
	p.updateWallet(store.WalletInput{PointsTTLDays: ptr(30)})
	p.enroll(store.ProgramWallet, phone)
	const path = "/wallet/sale"
	newBalance := func(r *response, code string) string {
		t.Helper()
		expectCode(t, r, path, 200, code)
		return string(jsonRaw(r.Body, "newBalance"))
	}
	// 5% of 99.99 is 4.9995: rounded down to 4.99.
	if got := newBalance(p.post(path, p.walletSale(phone, "0", "transaction_amount", "99.99")), "new_sale_01"); got != "4.99" {
		t.Fatalf("newBalance %s, want 4.99", got)
	}
	clock.Advance(20 * 24 * time.Hour)
	if got := newBalance(p.post(path, p.walletSale(phone, "0", "transaction_amount", "200")), "new_sale_01"); got != "14.99" {
		t.Fatalf("newBalance %s, want 14.99", got)
	}
	// Spending takes the batch that expires first (FIFO): 3 of the 4.99.
	if got := newBalance(p.post(path, p.walletSale(phone, "1", "points_used", "3", "transaction_amount", "50")), "new_sale_01"); got != "11.99" {
		t.Fatalf("newBalance %s, want 11.99", got)
	}
	// Past the first batch's life its 1.99 left no longer count.
	clock.Advance(15 * 24 * time.Hour)
	got := expectCode(t, p.post("/wallet/contact/get", url.Values{"wallet_key": {p.wallet.Key}, "phone": {phone}}), "/wallet/contact/get", 200, "balance_get_01")
	if bal := got["result"].(map[string]any)["contact_balance"]; bal != float64(10) {
		t.Fatalf("balance %v after the first batch expired, want 10", bal)
	}
	expectCode(t, p.post(path, p.walletSale(phone, "1", "points_used", "10.01")), path, 422, "wallet_redeem_10")
	// Manual adjustments: exactly the amount, no percentage.
	if r := p.post("/wallet/balance/update", p.balanceUpdate(phone, "0", "100")); string(jsonRaw(r.Body, "newBalance")) != "110" {
		t.Fatalf("got %s, want newBalance 110", r.Body)
	}
	if r := p.post("/wallet/balance/update", p.balanceUpdate(phone, "1", "0.5")); string(jsonRaw(r.Body, "newBalance")) != "109.5" {
		t.Fatalf("got %s, want newBalance 109.5", r.Body)
	}
	// A replayed ticket answers the first newBalance and posts nothing.
	first := newBalance(p.post(path, p.walletSale(phone, "0", "ticket", "W-1")), "new_sale_01")
	before := p.snapshot()
	if again := newBalance(p.post(path, p.walletSale(phone, "0", "ticket", "W-1")), "new_sale_01"); again != first || p.snapshot() != before {
		t.Fatalf("replay answered %s (first %s) or wrote", again, first)
	}
	p.checkLedger()
}
