package http

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/store"
)

// adminCardView is a stamp card as the admin API shows it. WebhookSecret is set
// only in the answer to the card's creation.
type adminCardView struct {
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

func (s *Server) adminViewCard(c store.Card, m store.Merchant) adminCardView {
	v := adminCardView{LoyaltyKey: c.Key, Name: c.Name, StampsRequired: c.StampsRequired, TicketRequired: c.TicketRequired,
		DefaultAmount: json.RawMessage("null"), BirthdateRequired: c.BirthdateRequired, MaxStampsPerDay: c.MaxStampsPerDay,
		WelcomeMessage: c.WelcomeMessage, StampMessage: c.StampMessage, CustomJS: c.CustomJS, Enabled: c.Enabled,
		AppClient: s.clientURL(c.Key), AppRedeem: s.redeemURL(c.Key), CreatedAt: adminTime(c.CreatedAt, m)}
	if c.DefaultAmount != nil {
		v.DefaultAmount = adminAmountJSON(*c.DefaultAmount)
	}
	if c.WebhookURL != "" {
		v.WebhookURL = &c.WebhookURL
	}
	return v
}

var adminCardFields = []string{"name", "stamps_required", "ticket_required", "default_amount", "birthdate_required",
	"max_stamps_per_day", "webhook_url", "welcome_message", "stamp_message", "custom_js", "enabled"}

// adminCardInput reads a card body; default_amount and webhook_url take null to clear.
func adminCardInput(b adminBody) (store.CardInput, error) {
	var in store.CardInput
	var err error
	if b.has("name") {
		if in.Name, err = adminRequired[string](b, "name", "a non-empty string"); err != nil {
			return in, err
		}
		if in.Name == "" {
			return in, adminWrongType("name", "a non-empty string")
		}
	}
	if in.StampsRequired, err = adminOptional[int](b, "stamps_required", "a whole number"); err != nil {
		return in, err
	}
	if in.MaxStampsPerDay, err = adminOptional[int](b, "max_stamps_per_day", "a whole number"); err != nil {
		return in, err
	}
	if in.CustomJS, err = adminOptional[string](b, "custom_js", "a string"); err != nil {
		return in, err
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"ticket_required", &in.TicketRequired}, {"birthdate_required", &in.BirthdateRequired},
		{"welcome_message", &in.WelcomeMessage}, {"stamp_message", &in.StampMessage}, {"enabled", &in.Enabled}} {
		if *f.dst, err = adminOptional[bool](b, f.name, "true or false"); err != nil {
			return in, err
		}
	}
	if in.DefaultAmount, err = adminNullableAmount(b, "default_amount"); err != nil {
		return in, err
	}
	in.WebhookURL, err = adminNullableString(b, "webhook_url")
	return in, err
}

func (s *Server) adminCreateCard(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, adminCardFields...)
	if err == nil && !b.has("name") {
		err = adminWrongType("name", "a non-empty string")
	}
	var in store.CardInput
	if err == nil {
		in, err = adminCardInput(b)
	}
	var c store.Card
	if err == nil {
		c, err = s.store.CreateCard(r.Context(), adminMerchantOf(r).ID, in)
	}
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	v := s.adminViewCard(c, adminMerchantOf(r))
	v.WebhookSecret = c.WebhookSecret // shown this once
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) adminPatchCard(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, adminCardFields...)
	var in store.CardInput
	if err == nil {
		in, err = adminCardInput(b)
	}
	var c store.Card
	if err == nil {
		c, err = s.store.UpdateCard(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "key"), in)
	}
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "loyalty card"))
		return
	}
	writeJSON(w, http.StatusOK, s.adminViewCard(c, adminMerchantOf(r)))
}

func (s *Server) adminGetCard(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.Card(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "key"))
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "loyalty card"))
		return
	}
	writeJSON(w, http.StatusOK, s.adminViewCard(c, adminMerchantOf(r)))
}

func (s *Server) adminListCards(w http.ResponseWriter, r *http.Request) {
	cs, err := s.store.Cards(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]adminCardView, len(cs))
	for i, c := range cs {
		out[i] = s.adminViewCard(c, adminMerchantOf(r))
	}
	writeJSON(w, http.StatusOK, map[string]any{"loyalty_cards": out})
}
