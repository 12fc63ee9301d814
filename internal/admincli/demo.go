package admincli

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/puntos/puntos/internal/adminview"
	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// The demo's fixed, made-up people: the cashier and a customer to try sales with.
const (
	demoCashierPhone  = "5512345678"
	demoCustomerPhone = "5587654321"
)

// demoResult is everything the demo created, secrets included: it is the
// only time they are shown.
type demoResult struct {
	Merchant        adminview.Merchant `json:"merchant"`
	APIKey          string             `json:"apikey"`
	OAuthClient     map[string]any     `json:"oauth_client"`
	ThirdpartyToken string             `json:"thirdparty_token"`
	LoyaltyCard     adminview.Card     `json:"loyalty_card"`
	Wallet          adminview.Wallet   `json:"wallet"`
	Cashier         map[string]any     `json:"cashier"`
	CodeShop        string             `json:"code_shop"`
	Curl            []string           `json:"curl"`
}

// demoExists is the answer of "demo --if-empty" when merchants exist.
type demoExists struct {
	Demo     string      `json:"demo"`
	Note     string      `json:"note"`
	Merchant description `json:"existing"`
}

// textResult is implemented by results that have a human form (--format text).
type textResult interface{ text(w io.Writer) }

func demo(fs *flag.FlagSet) run {
	ifEmpty := fs.Bool("if-empty", false, "do nothing (but describe the first merchant) when any merchant exists")
	format := fs.String("format", "json", "json, or text for people")
	return func(ctx context.Context, env Env) (any, error) {
		if *format != "json" && *format != "text" {
			return nil, UsageError{"--format must be json or text"}
		}
		var out any
		var err error
		if ms, lerr := env.Store.Merchants(ctx); lerr != nil {
			return nil, lerr
		} else if *ifEmpty && len(ms) > 0 {
			d, derr := describe(ctx, env, ms[0].ID)
			out, err = demoExists{Demo: "exists", Merchant: d, Note: fmt.Sprintf("secrets are shown only when created; "+
				"issue new ones with: server admin apikey create --merchant %d", ms[0].ID)}, derr
		} else {
			out, err = createDemo(ctx, env)
		}
		if err != nil || *format == "json" {
			return out, err
		}
		out.(textResult).text(env.Stdout)
		return nil, errPrinted
	}
}

func createDemo(ctx context.Context, env Env) (demoResult, error) {
	var r demoResult
	m, err := env.Store.CreateMerchant(ctx, "Demo Café", "")
	if err != nil {
		return r, err
	}
	r.Merchant = adminview.MerchantOf(m)
	if _, r.APIKey, err = env.Store.CreateAPIKey(ctx, m.ID); err != nil {
		return r, err
	}
	clientID, secret, err := env.Store.CreateOAuthClient(ctx, m.ID, "demo")
	if err != nil {
		return r, err
	}
	r.OAuthClient = map[string]any{"client_id": clientID, "client_secret": secret}
	if _, r.ThirdpartyToken, err = env.Store.CreateThirdpartyToken(ctx, m.ID); err != nil {
		return r, err
	}
	card, err := env.Store.CreateCard(ctx, m.ID, store.CardInput{Name: "Tarjeta de sellos"})
	if err != nil {
		return r, err
	}
	if r.LoyaltyCard, err = createdCard(ctx, env, card); err != nil {
		return r, err
	}
	five := ledger.Amount(500)
	wallet, err := env.Store.CreateWallet(ctx, m.ID, store.WalletInput{Name: "Monedero", CashbackPercent: &five})
	if err != nil {
		return r, err
	}
	if r.Wallet, err = createdWallet(ctx, env, wallet); err != nil {
		return r, err
	}
	pin := randomPIN()
	cashier, err := env.Store.CreateCollaborator(ctx, m.ID, store.CollaboratorInput{Name: "Cajero Demo",
		Number: demoCashierPhone, Branch: "Centro", Type: store.Cashier, PIN: pin})
	if err != nil {
		return r, err
	}
	r.Cashier = map[string]any{"usertool_id": cashier.ID, "name": cashier.Name, "pin": pin}
	shop, err := env.Store.CreateShop(ctx, m.ID, store.ShopInput{Name: "Tienda Demo"})
	if err != nil {
		return r, err
	}
	r.CodeShop = shop.Code
	r.Curl = demoCurl(env.PublicURL, r, cashier.ID, clientID, secret)
	return r, nil
}

// demoCurl are ready-to-paste calls of each API, in the seeds' shapes, with
// single quotes so they survive both a shell and JSON output unescaped.
func demoCurl(base string, r demoResult, cashierID, clientID int64, secret string) []string {
	form := func(path, auth, body string) string {
		return fmt.Sprintf("curl -X POST '%s%s' -H '%s' -d '%s'", base, path, auth, body)
	}
	apikey := "apikey: " + r.APIKey
	return []string{
		form("/loyalty/contact/add", apikey, fmt.Sprintf("loyalty_key=%s&phone=%s&customer_name=Ana Cliente&usertool_id=%d", r.LoyaltyCard.LoyaltyKey, demoCustomerPhone, cashierID)),
		form("/loyalty/sale", apikey, fmt.Sprintf("loyalty_key=%s&phone=%s&transaction_amount=1000&usertool_id=%d", r.LoyaltyCard.LoyaltyKey, demoCustomerPhone, cashierID)),
		form("/wallet/contact/add", apikey, fmt.Sprintf("wallet_key=%s&phone=%s&customer_name=Ana Cliente&usertool_id=%d", r.Wallet.WalletKey, demoCustomerPhone, cashierID)),
		form("/wallet/sale", apikey, fmt.Sprintf("wallet_key=%s&phone=%s&transaction_type=0&transaction_amount=1000&usertool_id=%d", r.Wallet.WalletKey, demoCustomerPhone, cashierID)),
		fmt.Sprintf(`curl -X POST '%s/oauth/token' -H 'Content-Type: application/json' -d '{"grant_type": "client_credentials", "client_id": %d, "client_secret": "%s"}'`, base, clientID, secret),
		form("/api/thirdparty/v1/add-customer", "Authorization: Bearer "+r.ThirdpartyToken, fmt.Sprintf("code_shop=%s&name=Juan Carlos&phone=%s", r.CodeShop, demoCustomerPhone)),
	}
}

// randomPIN is six random digits.
func randomPIN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%06d", n.Int64())
}

func (r demoResult) text(w io.Writer) {
	fmt.Fprintf(w, "Demo merchant %d %q created. Secrets below are shown only now.\n\n", r.Merchant.ID, r.Merchant.Name)
	fmt.Fprintf(w, "  apikey            %s\n", r.APIKey)
	fmt.Fprintf(w, "  OAuth client      client_id %v, client_secret %v\n", r.OAuthClient["client_id"], r.OAuthClient["client_secret"])
	fmt.Fprintf(w, "  third-party token %s\n", r.ThirdpartyToken)
	fmt.Fprintf(w, "  stamp card        loyalty_key %s (%d stamps), customer page %s\n", r.LoyaltyCard.LoyaltyKey, r.LoyaltyCard.StampsRequired, r.LoyaltyCard.AppClient)
	fmt.Fprintf(w, "  wallet            wallet_key %s (%s%% cashback), customer page %s\n", r.Wallet.WalletKey, r.Wallet.CashbackPercent, r.Wallet.AppClient)
	fmt.Fprintf(w, "  cashier           usertool_id %v, PIN %v\n", r.Cashier["usertool_id"], r.Cashier["pin"])
	fmt.Fprintf(w, "  shop              code_shop %s\n\nTry it:\n\n", r.CodeShop)
	for _, c := range r.Curl {
		fmt.Fprintf(w, "  %s\n\n", c)
	}
}

func (d demoExists) text(w io.Writer) {
	m := d.Merchant
	fmt.Fprintf(w, "Demo data exists: merchant %d %q (%d apikeys, %d OAuth clients, %d third-party tokens).\n",
		m.Merchant.ID, m.Merchant.Name, len(m.APIKeys), len(m.OAuthClients), len(m.ThirdpartyTokens))
	for _, c := range m.LoyaltyCards {
		fmt.Fprintf(w, "  stamp card %-40s %s\n", c.LoyaltyKey, c.AppClient)
	}
	for _, wl := range m.Wallets {
		fmt.Fprintf(w, "  wallet     %-40s %s\n", wl.WalletKey, wl.AppClient)
	}
	for _, c := range m.Collaborators {
		fmt.Fprintf(w, "  %-10s usertool_id %d %s (%s)\n", c.Type, c.UsertoolID, c.Name, c.Status)
	}
	fmt.Fprintf(w, "%s\n", strings.ToUpper(d.Note[:1])+d.Note[1:])
}
