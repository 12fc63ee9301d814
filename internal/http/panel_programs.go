package http

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/panel"
	"github.com/puntos/puntos/internal/store"
)

// cardInput reads the card form. Checkboxes absent from the form are off,
// so the same reading serves creation and editing.
func cardInput(r *http.Request) (store.CardInput, error) {
	in := store.CardInput{
		Name: r.PostFormValue("name"), TicketRequired: formBool(r, "ticket_required"),
		BirthdateRequired: formBool(r, "birthdate_required"), WelcomeMessage: formBool(r, "welcome_message"),
		StampMessage: formBool(r, "stamp_message"), Enabled: formBool(r, "enabled"),
		WebhookURL: formString(r, "webhook_url"), CustomJS: formString(r, "custom_js"),
	}
	var err error
	if in.StampsRequired, err = formInt(r, "stamps_required"); err != nil {
		return in, err
	}
	if in.MaxStampsPerDay, err = formInt(r, "max_stamps_per_day"); err != nil {
		return in, err
	}
	in.DefaultAmount, err = formAmount(r, "default_amount")
	return in, err
}

func (s *Server) showCards(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, form store.Card) {
	cards, err := s.store.Cards(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p.Data = map[string]any{"Cards": cards, "Form": form, "Client": s.clientURL(""), "Redeem": s.redeemURL("")}
	s.render(w, r, status, "cards", p)
}

func (s *Server) panelCards(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "cards.title", "cards")
	flashFrom(r, p)
	s.showCards(w, r, http.StatusOK, p, store.Card{StampsRequired: 10, Enabled: true})
}

// panelCreateCard creates a card and answers its page with the webhook
// secret, shown this once.
func (s *Server) panelCreateCard(w http.ResponseWriter, r *http.Request) {
	parseForm(w, r)
	p := s.newPage(w, r, "cards.title", "cards")
	in, err := cardInput(r)
	var c store.Card
	if err == nil {
		c, err = s.store.CreateCard(r.Context(), sessionOf(r).MerchantID, in)
	}
	if err != nil {
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		form := store.Card{Name: in.Name, Enabled: true, StampsRequired: 10}
		s.showCards(w, r, ref.status, p, form)
		return
	}
	p.Title, p.Flash = "cards.edit", p.T("done.card_created")
	s.showCard(w, r, http.StatusCreated, p, c, c.WebhookSecret)
}

func (s *Server) showCard(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, c store.Card, newSecret string) {
	p.Data = map[string]any{"Card": c, "NewSecret": newSecret, "Client": s.clientURL(c.Key), "Redeem": s.redeemURL(c.Key)}
	s.render(w, r, status, "card", p)
}

func (s *Server) panelCard(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.Card(r.Context(), sessionOf(r).MerchantID, chi.URLParam(r, "key"))
	if err != nil {
		s.panelRefusal(w, r, err)
		return
	}
	p := s.newPage(w, r, "cards.edit", "cards")
	flashFrom(r, p)
	s.showCard(w, r, http.StatusOK, p, c, "")
}

func (s *Server) panelUpdateCard(w http.ResponseWriter, r *http.Request) {
	parseForm(w, r)
	key := chi.URLParam(r, "key")
	p := s.newPage(w, r, "cards.edit", "cards")
	in, err := cardInput(r)
	if err == nil {
		_, err = s.store.UpdateCard(r.Context(), sessionOf(r).MerchantID, key, in)
	}
	if err != nil {
		ref := s.refuse(r, p, err)
		c, lerr := s.store.Card(r.Context(), sessionOf(r).MerchantID, key)
		if lerr != nil {
			s.panelRefusal(w, r, lerr)
			return
		}
		p.Error = ref.msg
		s.showCard(w, r, ref.status, p, c, "")
		return
	}
	http.Redirect(w, r, "/panel/cards/"+key+"?done=saved", http.StatusSeeOther)
}

// walletInput reads the wallet form, with cardInput's checkbox rule.
func walletInput(r *http.Request) (store.WalletInput, error) {
	in := store.WalletInput{
		Name: r.PostFormValue("name"), TicketRequired: formBool(r, "ticket_required"),
		BirthdateRequired: formBool(r, "birthdate_required"), WelcomeMessage: formBool(r, "welcome_message"),
		SaleMessage: formBool(r, "sale_message"), Enabled: formBool(r, "enabled"),
		WebhookURL: formString(r, "webhook_url"),
	}
	var err error
	if in.PointsTTLDays, err = formInt(r, "points_ttl_days"); err != nil {
		return in, err
	}
	in.CashbackPercent, err = formAmount(r, "cashback_percent")
	return in, err
}

func (s *Server) showWallets(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, form store.Wallet) {
	wallets, err := s.store.Wallets(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p.Data = map[string]any{"Wallets": wallets, "Form": form, "Client": s.clientURL(""), "Redeem": s.redeemURL("")}
	s.render(w, r, status, "wallets", p)
}

func (s *Server) panelWallets(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "wallets.title", "wallets")
	flashFrom(r, p)
	s.showWallets(w, r, http.StatusOK, p, store.Wallet{Enabled: true})
}

func (s *Server) panelCreateWallet(w http.ResponseWriter, r *http.Request) {
	parseForm(w, r)
	p := s.newPage(w, r, "wallets.title", "wallets")
	in, err := walletInput(r)
	var wl store.Wallet
	if err == nil {
		wl, err = s.store.CreateWallet(r.Context(), sessionOf(r).MerchantID, in)
	}
	if err != nil {
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showWallets(w, r, ref.status, p, store.Wallet{Name: in.Name, Enabled: true})
		return
	}
	p.Title, p.Flash = "wallets.edit", p.T("done.wallet_created")
	s.showWallet(w, r, http.StatusCreated, p, wl, wl.WebhookSecret)
}

func (s *Server) showWallet(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, wl store.Wallet, newSecret string) {
	p.Data = map[string]any{"Wallet": wl, "NewSecret": newSecret, "Client": s.clientURL(wl.Key), "Redeem": s.redeemURL(wl.Key)}
	s.render(w, r, status, "wallet", p)
}

func (s *Server) panelWallet(w http.ResponseWriter, r *http.Request) {
	wl, err := s.store.Wallet(r.Context(), sessionOf(r).MerchantID, chi.URLParam(r, "key"))
	if err != nil {
		s.panelRefusal(w, r, err)
		return
	}
	p := s.newPage(w, r, "wallets.edit", "wallets")
	flashFrom(r, p)
	s.showWallet(w, r, http.StatusOK, p, wl, "")
}

func (s *Server) panelUpdateWallet(w http.ResponseWriter, r *http.Request) {
	parseForm(w, r)
	key := chi.URLParam(r, "key")
	p := s.newPage(w, r, "wallets.edit", "wallets")
	in, err := walletInput(r)
	if err == nil {
		_, err = s.store.UpdateWallet(r.Context(), sessionOf(r).MerchantID, key, in)
	}
	if err != nil {
		ref := s.refuse(r, p, err)
		wl, lerr := s.store.Wallet(r.Context(), sessionOf(r).MerchantID, key)
		if lerr != nil {
			s.panelRefusal(w, r, lerr)
			return
		}
		p.Error = ref.msg
		s.showWallet(w, r, ref.status, p, wl, "")
		return
	}
	http.Redirect(w, r, "/panel/wallets/"+key+"?done=saved", http.StatusSeeOther)
}
