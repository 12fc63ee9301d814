package admincli

import (
	"context"
	"flag"

	"github.com/puntos/puntos/internal/adminview"
	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// run is what a command does once its flags are parsed.
type run = func(ctx context.Context, env Env) (any, error)

func merchantCreate(fs *flag.FlagSet) run {
	name := fs.String("name", "", "the merchant's name (required)")
	tz := fs.String("timezone", store.DefaultTimezone, "IANA time zone of its reports and time stamps")
	return func(ctx context.Context, env Env) (any, error) {
		if err := requireString("name", *name); err != nil {
			return nil, err
		}
		m, err := env.Store.CreateMerchant(ctx, *name, *tz)
		return adminview.MerchantOf(m), err
	}
}

func merchantList(fs *flag.FlagSet) run {
	return func(ctx context.Context, env Env) (any, error) {
		ms, err := env.Store.Merchants(ctx)
		out := make([]adminview.Merchant, len(ms))
		for i, m := range ms {
			out[i] = adminview.MerchantOf(m)
		}
		return map[string]any{"merchants": out}, err
	}
}

func merchantShow(fs *flag.FlagSet) run {
	id := requireMerchant(fs)
	return func(ctx context.Context, env Env) (any, error) {
		if err := checkMerchant(*id); err != nil {
			return nil, err
		}
		return describe(ctx, env, *id)
	}
}

// description is a merchant with everything provisioned under it, secrets excluded.
type description struct {
	Merchant         adminview.Merchant       `json:"merchant"`
	APIKeys          []adminview.Credential   `json:"apikeys"`
	OAuthClients     []adminview.Credential   `json:"oauth_clients"`
	ThirdpartyTokens []adminview.Credential   `json:"thirdparty_tokens"`
	LoyaltyCards     []adminview.Card         `json:"loyalty_cards"`
	Wallets          []adminview.Wallet       `json:"wallets"`
	Collaborators    []adminview.Collaborator `json:"collaborators"`
}

func describe(ctx context.Context, env Env, id int64) (description, error) {
	var d description
	m, err := env.Store.Merchant(ctx, id)
	if err != nil {
		return d, err
	}
	d.Merchant = adminview.MerchantOf(m)
	keys, err := env.Store.APIKeys(ctx, id)
	if err != nil {
		return d, err
	}
	clients, err := env.Store.OAuthClients(ctx, id)
	if err != nil {
		return d, err
	}
	tokens, err := env.Store.ThirdpartyTokens(ctx, id)
	if err != nil {
		return d, err
	}
	cards, err := env.Store.Cards(ctx, id)
	if err != nil {
		return d, err
	}
	wallets, err := env.Store.Wallets(ctx, id)
	if err != nil {
		return d, err
	}
	staff, err := env.Store.Collaborators(ctx, id)
	if err != nil {
		return d, err
	}
	d.APIKeys, d.OAuthClients, d.ThirdpartyTokens = adminview.CredentialsOf(keys, m), adminview.CredentialsOf(clients, m), adminview.CredentialsOf(tokens, m)
	for _, c := range cards {
		d.LoyaltyCards = append(d.LoyaltyCards, adminview.CardOf(c, m, env.PublicURL))
	}
	for _, w := range wallets {
		d.Wallets = append(d.Wallets, adminview.WalletOf(w, m, env.PublicURL))
	}
	pk := adminview.KeysOf(cards, wallets)
	for _, c := range staff {
		d.Collaborators = append(d.Collaborators, adminview.CollaboratorOf(c, pk, m))
	}
	return d, nil
}

func apikeyCreate(fs *flag.FlagSet) run {
	merchant := requireMerchant(fs)
	return func(ctx context.Context, env Env) (any, error) {
		if err := checkMerchant(*merchant); err != nil {
			return nil, err
		}
		id, key, err := env.Store.CreateAPIKey(ctx, *merchant)
		return map[string]any{"id": id, "apikey": key}, err
	}
}

func oauthClientCreate(fs *flag.FlagSet) run {
	merchant := requireMerchant(fs)
	name := fs.String("name", "", "a name to recognise the client by (required)")
	return func(ctx context.Context, env Env) (any, error) {
		if err := checkMerchant(*merchant); err != nil {
			return nil, err
		}
		if err := requireString("name", *name); err != nil {
			return nil, err
		}
		id, secret, err := env.Store.CreateOAuthClient(ctx, *merchant, *name)
		return map[string]any{"client_id": id, "client_secret": secret, "name": *name}, err
	}
}

func thirdpartyTokenCreate(fs *flag.FlagSet) run {
	merchant := requireMerchant(fs)
	return func(ctx context.Context, env Env) (any, error) {
		if err := checkMerchant(*merchant); err != nil {
			return nil, err
		}
		id, tok, err := env.Store.CreateThirdpartyToken(ctx, *merchant)
		return map[string]any{"id": id, "token": tok}, err
	}
}

// amountFlag is a decimal flag with at most two places, kept exact.
type amountFlag struct {
	v   ledger.Amount
	set bool
}

func (a *amountFlag) String() string {
	if !a.set {
		return ""
	}
	return a.v.String()
}

func (a *amountFlag) Set(s string) error {
	v, err := ledger.ParseAmount(s)
	if err != nil {
		return err
	}
	a.v, a.set = v, true
	return nil
}

func (a *amountFlag) ptr() *ledger.Amount {
	if !a.set {
		return nil
	}
	return &a.v
}

// programFlags are the flags of every program kind's create command.
type programFlags struct {
	merchant               *int64
	name, webhook          *string
	ticket, birth, disable *bool
}

func newProgramFlags(fs *flag.FlagSet, noun string) programFlags {
	return programFlags{
		merchant: requireMerchant(fs),
		name:     fs.String("name", "", "the "+noun+"'s name (required)"),
		ticket:   fs.Bool("ticket-required", false, "sales must carry a ticket number"),
		birth:    fs.Bool("birthdate-required", false, "enrolment must carry a birth date"),
		webhook:  fs.String("webhook-url", "", "http(s) URL that receives the "+noun+"'s events"),
		disable:  fs.Bool("disabled", false, "create it disabled"),
	}
}

// run checks the merchant and the name, then runs create with whether the
// program starts enabled.
func (p programFlags) run(create func(ctx context.Context, env Env, enabled *bool) (any, error)) run {
	return func(ctx context.Context, env Env) (any, error) {
		if err := checkMerchant(*p.merchant); err != nil {
			return nil, err
		}
		if err := requireString("name", *p.name); err != nil {
			return nil, err
		}
		enabled := !*p.disable
		return create(ctx, env, &enabled)
	}
}

func cardCreate(fs *flag.FlagSet) run {
	p := newProgramFlags(fs, "card")
	stamps := fs.Int("stamps", 10, "stamps that complete the card")
	var amount amountFlag
	fs.Var(&amount, "default-amount", "sale amount used when a sale carries none, e.g. 50.00 (default none)")
	perDay := fs.Int("max-stamps-per-day", 0, "stamps a contact may get per day (0 = no limit)")
	return p.run(func(ctx context.Context, env Env, enabled *bool) (any, error) {
		c, err := env.Store.CreateCard(ctx, *p.merchant, store.CardInput{Name: *p.name, StampsRequired: stamps,
			DefaultAmount: amount.ptr(), MaxStampsPerDay: perDay, TicketRequired: p.ticket, BirthdateRequired: p.birth,
			WebhookURL: p.webhook, Enabled: enabled})
		if err != nil {
			return nil, err
		}
		return createdCard(ctx, env, c)
	})
}

func createdCard(ctx context.Context, env Env, c store.Card) (adminview.Card, error) {
	m, err := env.Store.Merchant(ctx, c.MerchantID)
	v := adminview.CardOf(c, m, env.PublicURL)
	v.WebhookSecret = c.WebhookSecret // shown this once
	return v, err
}

func walletCreate(fs *flag.FlagSet) run {
	p := newProgramFlags(fs, "wallet")
	var cashback amountFlag
	fs.Var(&cashback, "cashback", "percentage of each sale credited as points, e.g. 5.00 (default 0)")
	ttl := fs.Int("ttl-days", 0, "days until earned points expire (0 = never)")
	return p.run(func(ctx context.Context, env Env, enabled *bool) (any, error) {
		w, err := env.Store.CreateWallet(ctx, *p.merchant, store.WalletInput{Name: *p.name, CashbackPercent: cashback.ptr(),
			PointsTTLDays: ttl, TicketRequired: p.ticket, BirthdateRequired: p.birth, WebhookURL: p.webhook, Enabled: enabled})
		if err != nil {
			return nil, err
		}
		return createdWallet(ctx, env, w)
	})
}

func createdWallet(ctx context.Context, env Env, w store.Wallet) (adminview.Wallet, error) {
	m, err := env.Store.Merchant(ctx, w.MerchantID)
	v := adminview.WalletOf(w, m, env.PublicURL)
	v.WebhookSecret = w.WebhookSecret // shown this once
	return v, err
}

func collaboratorCreate(fs *flag.FlagSet) run {
	merchant := requireMerchant(fs)
	var in store.CollaboratorInput
	fs.StringVar(&in.Name, "name", "", "the collaborator's name, unique among active ones (required)")
	fs.StringVar(&in.Number, "number", "", "10-digit phone (required)")
	fs.StringVar(&in.Branch, "branch", "", "the branch or business name (required)")
	fs.StringVar(&in.Type, "type", store.Cashier, "cajero (cashier) or gerente (manager)")
	fs.StringVar(&in.PIN, "pin", "", "till PIN of 4 or more characters, unique among active collaborators (required)")
	return func(ctx context.Context, env Env) (any, error) {
		if err := checkMerchant(*merchant); err != nil {
			return nil, err
		}
		for _, f := range []struct{ flag, v string }{{"name", in.Name}, {"number", in.Number}, {"branch", in.Branch}, {"pin", in.PIN}} {
			if err := requireString(f.flag, f.v); err != nil {
				return nil, err
			}
		}
		c, err := env.Store.CreateCollaborator(ctx, *merchant, in)
		if err != nil {
			return nil, err
		}
		m, err := env.Store.Merchant(ctx, *merchant)
		return adminview.CollaboratorOf(c, adminview.ProgramKeys{}, m), err
	}
}
