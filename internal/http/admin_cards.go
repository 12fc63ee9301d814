package http

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/adminview"
	"github.com/puntos/puntos/internal/store"
)

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
	v := adminview.CardOf(c, adminMerchantOf(r), s.cfg.PublicURL)
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
	writeJSON(w, http.StatusOK, adminview.CardOf(c, adminMerchantOf(r), s.cfg.PublicURL))
}

func (s *Server) adminGetCard(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.Card(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "key"))
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "loyalty card"))
		return
	}
	writeJSON(w, http.StatusOK, adminview.CardOf(c, adminMerchantOf(r), s.cfg.PublicURL))
}

func (s *Server) adminListCards(w http.ResponseWriter, r *http.Request) {
	cs, err := s.store.Cards(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]adminview.Card, len(cs))
	for i, c := range cs {
		out[i] = adminview.CardOf(c, adminMerchantOf(r), s.cfg.PublicURL)
	}
	writeJSON(w, http.StatusOK, map[string]any{"loyalty_cards": out})
}
