package http

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/store"
)

// adminWalletView is a wallet as the admin API shows it. WebhookSecret is set
// only in the answer to the wallet's creation.
type adminWalletView struct {
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

func (s *Server) adminViewWallet(wl store.Wallet, m store.Merchant) adminWalletView {
	v := adminWalletView{WalletKey: wl.Key, Name: wl.Name, CashbackPercent: adminAmountJSON(wl.CashbackPercent),
		TicketRequired: wl.TicketRequired, BirthdateRequired: wl.BirthdateRequired, PointsTTLDays: wl.PointsTTLDays,
		WelcomeMessage: wl.WelcomeMessage, SaleMessage: wl.SaleMessage, Enabled: wl.Enabled,
		AppClient: s.clientURL(wl.Key), AppRedeem: s.redeemURL(wl.Key), CreatedAt: adminTime(wl.CreatedAt, m)}
	if wl.WebhookURL != "" {
		v.WebhookURL = &wl.WebhookURL
	}
	return v
}

var adminWalletFields = []string{"name", "cashback_percent", "ticket_required", "birthdate_required", "points_ttl_days",
	"webhook_url", "welcome_message", "sale_message", "enabled"}

// adminWalletInput reads a wallet body; webhook_url takes null to clear.
func adminWalletInput(b adminBody) (store.WalletInput, error) {
	var in store.WalletInput
	var err error
	if b.has("name") {
		if in.Name, err = adminRequired[string](b, "name", "a non-empty string"); err != nil {
			return in, err
		}
		if in.Name == "" {
			return in, adminWrongType("name", "a non-empty string")
		}
	}
	if b.has("cashback_percent") {
		if b.isNull("cashback_percent") {
			return in, adminWrongType("cashback_percent", "a percentage such as 5 or 5.25")
		}
		a, err := adminAmount(b, "cashback_percent")
		if err != nil {
			return in, err
		}
		in.CashbackPercent = &a
	}
	if in.PointsTTLDays, err = adminOptional[int](b, "points_ttl_days", "a whole number of days"); err != nil {
		return in, err
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"ticket_required", &in.TicketRequired}, {"birthdate_required", &in.BirthdateRequired},
		{"welcome_message", &in.WelcomeMessage}, {"sale_message", &in.SaleMessage}, {"enabled", &in.Enabled}} {
		if *f.dst, err = adminOptional[bool](b, f.name, "true or false"); err != nil {
			return in, err
		}
	}
	in.WebhookURL, err = adminNullableString(b, "webhook_url")
	return in, err
}

func (s *Server) adminCreateWallet(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, adminWalletFields...)
	if err == nil && !b.has("name") {
		err = adminWrongType("name", "a non-empty string")
	}
	var in store.WalletInput
	if err == nil {
		in, err = adminWalletInput(b)
	}
	var wl store.Wallet
	if err == nil {
		wl, err = s.store.CreateWallet(r.Context(), adminMerchantOf(r).ID, in)
	}
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	v := s.adminViewWallet(wl, adminMerchantOf(r))
	v.WebhookSecret = wl.WebhookSecret // shown this once
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) adminPatchWallet(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, adminWalletFields...)
	var in store.WalletInput
	if err == nil {
		in, err = adminWalletInput(b)
	}
	var wl store.Wallet
	if err == nil {
		wl, err = s.store.UpdateWallet(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "key"), in)
	}
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "wallet"))
		return
	}
	writeJSON(w, http.StatusOK, s.adminViewWallet(wl, adminMerchantOf(r)))
}

func (s *Server) adminGetWallet(w http.ResponseWriter, r *http.Request) {
	wl, err := s.store.Wallet(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "key"))
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "wallet"))
		return
	}
	writeJSON(w, http.StatusOK, s.adminViewWallet(wl, adminMerchantOf(r)))
}

func (s *Server) adminListWallets(w http.ResponseWriter, r *http.Request) {
	ws, err := s.store.Wallets(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]adminWalletView, len(ws))
	for i, wl := range ws {
		out[i] = s.adminViewWallet(wl, adminMerchantOf(r))
	}
	writeJSON(w, http.StatusOK, map[string]any{"wallets": out})
}
