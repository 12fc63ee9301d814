package http

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

// contactForm is a valid contact add for the program.
func (p *pos) contactForm(prog store.Program, phone string) url.Values {
	f := url.Values{"phone": {phone}, "customer_name": {"Juan Pérez"}, "usertool_id": {itoa64(p.cashier.ID)}}
	if prog == store.ProgramCard {
		f.Set("loyalty_key", p.card.Key)
	} else {
		f.Set("wallet_key", p.wallet.Key)
	}
	return f
}

func contactAddPath(prog store.Program) string {
	if prog == store.ProgramCard {
		return "/loyalty/contact/add"
	}
	return "/wallet/contact/add"
}

func (p *pos) patch(patch store.MerchantPatch) {
	p.t.Helper()
	if _, err := p.b.store.UpdateMerchant(p.t.Context(), p.m.ID, patch); err != nil {
		p.t.Fatal(err)
	}
	p.m = p.merchant()
}

func (p *pos) updateCard(in store.CardInput) {
	p.t.Helper()
	if _, err := p.b.store.UpdateCard(p.t.Context(), p.m.ID, p.card.Key, in); err != nil {
		p.t.Fatal(err)
	}
}

func (p *pos) updateWallet(in store.WalletInput) {
	p.t.Helper()
	if _, err := p.b.store.UpdateWallet(p.t.Context(), p.m.ID, p.wallet.Key, in); err != nil {
		p.t.Fatal(err)
	}
}

// failWrites makes the database refuse inserts into table, to reach the
// "storage failure" codes.
func (p *pos) failWrites(table string) {
	p.exec(`CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.merchant_id = TG_ARGV[0]::bigint THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`)
	p.exec(`CREATE TRIGGER test_fail_` + itoa64(p.m.ID) + ` BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION test_fail(` + itoa64(p.m.ID) + `)`)
}

func TestContactAddErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := newPOS(t, b)
	type tc struct {
		name    string
		prog    store.Program
		arrange func(p *pos, f url.Values)
		status  int
		code    string
	}
	both := func(name string, arrange func(p *pos, f url.Values), status int, cardCode, walletCode string) []tc {
		return []tc{{name + "/card", store.ProgramCard, arrange, status, cardCode}, {name + "/wallet", store.ProgramWallet, arrange, status, walletCode}}
	}
	var cases []tc
	add := func(c ...tc) { cases = append(cases, c...) }
	add(both("NoKey", func(p *pos, f url.Values) { f.Del("loyalty_key"); f.Del("wallet_key") }, 400, "loyalty_contact_add_02", "contact_add_02")...)
	add(both("NoPhone", func(p *pos, f url.Values) { f.Del("phone") }, 400, "loyalty_contact_add_03", "contact_add_03")...)
	add(both("BadPhone", func(p *pos, f url.Values) { f.Set("phone", "477-123-456") }, 400, "loyalty_contact_add_04", "contact_add_04")...)
	add(both("NoName", func(p *pos, f url.Values) { f.Del("customer_name") }, 400, "loyalty_contact_add_05", "contact_add_05")...)
	add(both("NoUser", func(p *pos, f url.Values) { f.Del("usertool_id") }, 400, "loyalty_contact_add_06", "contact_add_06")...)
	add(both("UnknownProgram", func(p *pos, f url.Values) { f.Set("loyalty_key", "lk_nope"); f.Set("wallet_key", "wk_nope") }, 404, "loyalty_02", "contact_add_07")...)
	add(both("OtherMerchantsProgram", func(p *pos, f url.Values) {
		if f.Has("loyalty_key") {
			f.Set("loyalty_key", other.card.Key)
		} else {
			f.Set("wallet_key", other.wallet.Key)
		}
	}, 404, "loyalty_02", "contact_add_07")...)
	add(tc{"DisabledProgram/card", store.ProgramCard, func(p *pos, f url.Values) { p.updateCard(store.CardInput{Enabled: ptr(false)}) }, 403, "loyalty_03"},
		tc{"DisabledProgram/wallet", store.ProgramWallet, func(p *pos, f url.Values) { p.updateWallet(store.WalletInput{Enabled: ptr(false)}) }, 404, "contact_add_07"})
	add(both("OtherMerchantsUser", func(p *pos, f url.Values) { f.Set("usertool_id", itoa64(other.cashier.ID)) }, 403, "err_toolusers_01", "err_toolusers_01")...)
	add(both("UserNotANumber", func(p *pos, f url.Values) { f.Set("usertool_id", "abc") }, 403, "err_toolusers_01", "err_toolusers_01")...)
	add(both("ArchivedUser", func(p *pos, f url.Values) { archived(p) }, 403, "err_toolusers_01", "err_toolusers_01")...)
	add(both("LadaStartsWith1", func(p *pos, f url.Values) { f.Set("phone", "1771234567") }, 400, "loyalty_contact_add_15", "wallet_manager_15")...)
	add(both("LadaNotAllowed", func(p *pos, f url.Values) { p.patch(store.MerchantPatch{AllowedLadas: store.Some([]string{"55"})}) }, 400, "loyalty_contact_add_15", "wallet_manager_15")...)
	add(both("Landline", func(p *pos, f url.Values) {
		p.patch(store.MerchantPatch{LandlinePrefixes: store.Some([]string{"4771"})})
	}, 400, "loyalty_contact_add_09", "wallet_manager_14")...)
	add(tc{"BirthdateRequired/card", store.ProgramCard, func(p *pos, f url.Values) { p.updateCard(store.CardInput{BirthdateRequired: ptr(true)}) }, 400, "loyalty_contact_add_10"},
		tc{"BirthdateRequired/wallet", store.ProgramWallet, func(p *pos, f url.Values) { p.updateWallet(store.WalletInput{BirthdateRequired: ptr(true)}) }, 400, "wallet_manager_09"})
	add(both("BirthdateNotADate", func(p *pos, f url.Values) { f.Set("customer_birthdate", "1990-02-30") }, 400, "loyalty_contact_add_10", "wallet_manager_09")...)
	add(both("BirthdateInFuture", func(p *pos, f url.Values) { f.Set("customer_birthdate", "2999-01-01") }, 400, "loyalty_contact_add_10", "wallet_manager_09")...)
	add(tc{"Blacklisted/card", store.ProgramCard, func(p *pos, f url.Values) {
		if err := p.b.store.BlockPhone(p.t.Context(), p.m.ID, "4771112233"); err != nil {
			p.t.Fatal(err)
		}
	}, 403, "loyalty_contact_add_08"})
	add(tc{"ContactDisabled/card", store.ProgramCard, func(p *pos, f url.Values) {
		p.exec(`INSERT INTO contacts (merchant_id, phone, name, disabled) VALUES ($1, '4771112233', 'X', true)`, p.m.ID)
	}, 403, "loyalty_contact_add_08"})
	add(both("AlreadyEnrolled", func(p *pos, f url.Values) {
		if r := p.post(contactAddPath(progOf(f)), f); r.Status != 200 {
			p.t.Fatalf("first add: %s", r.Body)
		}
	}, 409, "loyalty_contact_add_14", "wallet_manager_08")...)
	add(both("ContactQuota", func(p *pos, f url.Values) {
		p.exec(`INSERT INTO contacts (merchant_id, phone, name) VALUES ($1, '4770000001', 'X')`, p.m.ID)
		p.patch(store.MerchantPatch{ContactQuota: store.Some(ptr(int64(1)))})
	}, 422, "loyalty_contact_add_16", "wallet_manager_18")...)
	add(tc{"NoMessagingChannel/card", store.ProgramCard, func(p *pos, f url.Values) {
		p.updateCard(store.CardInput{WelcomeMessage: ptr(true)})
		p.patch(store.MerchantPatch{MessagingChannel: store.Some("none")})
	}, 422, "marketing_tools_welcome_message_02"},
		tc{"NoMessagingChannel/wallet", store.ProgramWallet, func(p *pos, f url.Values) {
			p.updateWallet(store.WalletInput{WelcomeMessage: ptr(true)})
			p.patch(store.MerchantPatch{MessagingChannel: store.Some("none")})
		}, 422, "marketing_tools_welcome_message_02"})
	add(tc{"MessageCredit/card", store.ProgramCard, func(p *pos, f url.Values) {
		p.updateCard(store.CardInput{WelcomeMessage: ptr(true)})
		p.patch(store.MerchantPatch{MessageCredit: store.Some(ptr(int64(0)))})
	}, 422, "loyalty_contact_add_18"},
		tc{"MessageCredit/wallet", store.ProgramWallet, func(p *pos, f url.Values) {
			p.updateWallet(store.WalletInput{WelcomeMessage: ptr(true)})
			p.patch(store.MerchantPatch{MessageCredit: store.Some(ptr(int64(0)))})
		}, 422, "wallet_manager_11"})
	add(both("StorageFailure", func(p *pos, f url.Values) {
		p.failWrites("outbox")
		p.updateCard(store.CardInput{WebhookURL: ptr("http://127.0.0.1:9/hook")})
		p.updateWallet(store.WalletInput{WebhookURL: ptr("http://127.0.0.1:9/hook")})
	},
		500, "loyalty_contact_add_07", "wallet_manager_10")...)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := newPOS(t, b)
			f := p.contactForm(c.prog, "4771112233")
			c.arrange(p, f)
			before := p.snapshot()
			r := p.post(contactAddPath(c.prog), f)
			expectCode(t, r, contactAddPath(c.prog), c.status, c.code)
			if after := p.snapshot(); after != before {
				t.Fatalf("a refused request wrote: before %s, after %s", before, after)
			}
		})
	}
	// Missing apikey.
	r := b.doForm("/wallet/contact/add", nil, other.contactForm(store.ProgramWallet, "4771112233"))
	expectCode(t, r, "/wallet/contact/add", 401, "auth_01")
}

func progOf(f url.Values) store.Program {
	if f.Has("loyalty_key") {
		return store.ProgramCard
	}
	return store.ProgramWallet
}

func TestContactAddEffects(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	p.updateCard(store.CardInput{WelcomeMessage: ptr(true), WebhookURL: ptr("http://127.0.0.1:9/card")})
	p.updateWallet(store.WalletInput{WebhookURL: ptr("http://127.0.0.1:9/wallet")})
	p.patch(store.MerchantPatch{MessageCredit: store.Some(ptr(int64(5)))})

	f := p.contactForm(store.ProgramCard, "(477) 111-2233")
	f.Set("customer_birthdate", "1990-05-17 00:00:00")
	expectCode(t, p.post("/loyalty/contact/add", f), "/loyalty/contact/add", 200, "loyalty_contact_add_01")
	// The same phone joins the wallet: one agenda contact shared by both programs.
	expectCode(t, p.post("/wallet/contact/add", p.contactForm(store.ProgramWallet, "4771112233")), "/wallet/contact/add", 200, "contact_add_01")

	var contacts, credit int
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT (SELECT count(*) FROM contacts), (SELECT message_credit FROM merchants WHERE id = $1)`, p.m.ID).Scan(&contacts, &credit); err != nil {
		t.Fatal(err)
	}
	if contacts != 1 || credit != 4 {
		t.Fatalf("got %d contacts and credit %d, want 1 contact and one message charged (4)", contacts, credit)
	}
	rows, err := b.store.Pool().Query(t.Context(), `SELECT kind, event, target, body FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type ev struct{ kind, event, target, body string }
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.kind, &e.event, &e.target, &e.body); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	if len(evs) != 3 || evs[0].kind != "message" || evs[0].target != "4771112233" || evs[1].event != "registered_user" ||
		evs[1].target != "http://127.0.0.1:9/card" || evs[2].target != "http://127.0.0.1:9/wallet" {
		t.Fatalf("got outbox %+v, want the welcome message and two registered_user webhooks", evs)
	}
	var hook map[string]any
	if err := json.Unmarshal([]byte(evs[1].body), &hook); err != nil {
		t.Fatal(err)
	}
	if hook["type"] != "registered_user" || hook["agenda"] != "Café gratis" || hook["contact_name"] != "Juan Pérez" ||
		hook["contact_number"] != "4771112233" || hook["contact_birth"] != "1990-05-17" || len(hook) != 13 {
		t.Fatalf("got registered_user %s", evs[1].body)
	}
}
