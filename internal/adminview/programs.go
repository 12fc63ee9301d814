package adminview

import (
	"encoding/json"

	"github.com/puntos/puntos/internal/store"
)

// Card is a stamp card. WebhookSecret is set only by the card's creator.
type Card struct {
	LoyaltyKey        string          `json:"loyalty_key"`
	Name              string          `json:"name"`
	StampsRequired    int             `json:"stamps_required"`
	TicketRequired    bool            `json:"ticket_required"`
	DefaultAmount     json.RawMessage `json:"default_amount"`
	BirthdateRequired bool            `json:"birthdate_required"`
	MaxStampsPerDay   int             `json:"max_stamps_per_day"`
	WebhookURL        *string         `json:"webhook_url"`
	WelcomeMessage    bool            `json:"welcome_message"`
	StampMessage      bool            `json:"stamp_message"`
	CustomJS          string          `json:"custom_js"`
	Enabled           bool            `json:"enabled"`
	AppClient         string          `json:"loyalty_app_client"`
	AppRedeem         string          `json:"loyalty_app_redeem"`
	CreatedAt         string          `json:"created_at"`
	WebhookSecret     string          `json:"webhook_secret,omitempty"`
}

// CardOf renders a card, its page links built on publicURL.
func CardOf(c store.Card, m store.Merchant, publicURL string) Card {
	v := Card{LoyaltyKey: c.Key, Name: c.Name, StampsRequired: c.StampsRequired, TicketRequired: c.TicketRequired,
		DefaultAmount: json.RawMessage("null"), BirthdateRequired: c.BirthdateRequired, MaxStampsPerDay: c.MaxStampsPerDay,
		WelcomeMessage: c.WelcomeMessage, StampMessage: c.StampMessage, CustomJS: c.CustomJS, Enabled: c.Enabled,
		AppClient: ClientURL(publicURL, c.Key), AppRedeem: RedeemURL(publicURL, c.Key), CreatedAt: Time(c.CreatedAt, m)}
	if c.DefaultAmount != nil {
		v.DefaultAmount = amount(*c.DefaultAmount)
	}
	if c.WebhookURL != "" {
		v.WebhookURL = &c.WebhookURL
	}
	return v
}

// Wallet is a cashback wallet. WebhookSecret is set only by its creator.
type Wallet struct {
	WalletKey         string          `json:"wallet_key"`
	Name              string          `json:"name"`
	CashbackPercent   json.RawMessage `json:"cashback_percent"`
	TicketRequired    bool            `json:"ticket_required"`
	BirthdateRequired bool            `json:"birthdate_required"`
	PointsTTLDays     int             `json:"points_ttl_days"`
	WebhookURL        *string         `json:"webhook_url"`
	WelcomeMessage    bool            `json:"welcome_message"`
	SaleMessage       bool            `json:"sale_message"`
	Enabled           bool            `json:"enabled"`
	AppClient         string          `json:"wallet_app_client"`
	AppRedeem         string          `json:"wallet_app_redeem"`
	CreatedAt         string          `json:"created_at"`
	WebhookSecret     string          `json:"webhook_secret,omitempty"`
}

// WalletOf renders a wallet, its page links built on publicURL.
func WalletOf(w store.Wallet, m store.Merchant, publicURL string) Wallet {
	v := Wallet{WalletKey: w.Key, Name: w.Name, CashbackPercent: amount(w.CashbackPercent),
		TicketRequired: w.TicketRequired, BirthdateRequired: w.BirthdateRequired, PointsTTLDays: w.PointsTTLDays,
		WelcomeMessage: w.WelcomeMessage, SaleMessage: w.SaleMessage, Enabled: w.Enabled,
		AppClient: ClientURL(publicURL, w.Key), AppRedeem: RedeemURL(publicURL, w.Key), CreatedAt: Time(w.CreatedAt, m)}
	if w.WebhookURL != "" {
		v.WebhookURL = &w.WebhookURL
	}
	return v
}

// Collaborator is a staff user; its PIN is never shown. The scopes list
// program keys, null meaning every program of that kind.
type Collaborator struct {
	UsertoolID  int64     `json:"usertool_id"`
	Name        string    `json:"name"`
	Number      string    `json:"number"`
	Branch      string    `json:"branch"`
	Type        string    `json:"type"`
	Status      string    `json:"status"`
	LoyaltyKeys *[]string `json:"loyalty_keys"`
	WalletKeys  *[]string `json:"wallet_keys"`
	CreatedAt   string    `json:"created_at"`
}

// ProgramKeys maps a merchant's card and wallet ids to their keys.
type ProgramKeys struct{ Cards, Wallets map[int64]string }

// KeysOf indexes the keys of the given programs.
func KeysOf(cards []store.Card, wallets []store.Wallet) ProgramKeys {
	k := ProgramKeys{map[int64]string{}, map[int64]string{}}
	for _, c := range cards {
		k.Cards[c.ID] = c.Key
	}
	for _, w := range wallets {
		k.Wallets[w.ID] = w.Key
	}
	return k
}

func scope(ids []int64, keys map[int64]string) *[]string {
	if ids == nil {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, keys[id])
	}
	return &out
}

// CollaboratorOf renders a collaborator, naming its scopes by program key.
func CollaboratorOf(c store.Collaborator, k ProgramKeys, m store.Merchant) Collaborator {
	return Collaborator{UsertoolID: c.ID, Name: c.Name, Number: c.Number, Branch: c.Branch, Type: c.Type,
		Status: c.Status, LoyaltyKeys: scope(c.CardScope, k.Cards), WalletKeys: scope(c.WalletScope, k.Wallets),
		CreatedAt: Time(c.CreatedAt, m)}
}
