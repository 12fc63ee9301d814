package http

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/adminview"
	"github.com/puntos/puntos/internal/store"
)

// adminProgram serves one program kind's part of the admin API — stamp
// cards or wallets: list, create, get and patch, over the store's methods
// for that kind. In is the kind's store input, P its store row and V its
// admin view.
type adminProgram[In, P, V any] struct {
	noun, listKey string   // the not-found message's noun; the list's JSON key
	fields        []string // the body fields it takes
	input         func(adminBody) (In, error)
	create        func(context.Context, int64, In) (P, error)
	update        func(context.Context, int64, string, In) (P, error)
	get           func(context.Context, int64, string) (P, error)
	list          func(context.Context, int64) ([]P, error)
	view          func(P, store.Merchant, string) V
	// created is the view its creator gets: with the webhook secret,
	// shown this once.
	created func(P, V) V
}

func (s *Server) adminCards() adminProgram[store.CardInput, store.Card, adminview.Card] {
	return adminProgram[store.CardInput, store.Card, adminview.Card]{
		noun: "loyalty card", listKey: "loyalty_cards", fields: adminCardFields, input: adminCardInput,
		create: s.store.CreateCard, update: s.store.UpdateCard, get: s.store.Card, list: s.store.Cards,
		view: adminview.CardOf,
		created: func(c store.Card, v adminview.Card) adminview.Card {
			v.WebhookSecret = c.WebhookSecret
			return v
		},
	}
}

func (s *Server) adminWallets() adminProgram[store.WalletInput, store.Wallet, adminview.Wallet] {
	return adminProgram[store.WalletInput, store.Wallet, adminview.Wallet]{
		noun: "wallet", listKey: "wallets", fields: adminWalletFields, input: adminWalletInput,
		create: s.store.CreateWallet, update: s.store.UpdateWallet, get: s.store.Wallet, list: s.store.Wallets,
		view: adminview.WalletOf,
		created: func(w store.Wallet, v adminview.Wallet) adminview.Wallet {
			v.WebhookSecret = w.WebhookSecret
			return v
		},
	}
}

// routes mounts the kind's four operations under path.
func (a adminProgram[In, P, V]) routes(s *Server, r chi.Router, path string) {
	r.Get(path, a.listAll(s))
	r.Post(path, a.createOne(s))
	r.Get(path+"/{key}", a.getOne(s))
	r.Patch(path+"/{key}", a.patchOne(s))
}

func (a adminProgram[In, P, V]) createOne(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := readAdminBody(r, a.fields...)
		if err == nil && !b.has("name") {
			err = adminWrongType("name", "a non-empty string")
		}
		var in In
		if err == nil {
			in, err = a.input(b)
		}
		var p P
		if err == nil {
			p, err = a.create(r.Context(), adminMerchantOf(r).ID, in)
		}
		if err != nil {
			s.adminFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, a.created(p, a.view(p, adminMerchantOf(r), s.cfg.PublicURL)))
	}
}

func (a adminProgram[In, P, V]) patchOne(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := readAdminBody(r, a.fields...)
		var in In
		if err == nil {
			in, err = a.input(b)
		}
		var p P
		if err == nil {
			p, err = a.update(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "key"), in)
		}
		a.answer(s, w, r, p, err)
	}
}

func (a adminProgram[In, P, V]) getOne(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := a.get(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "key"))
		a.answer(s, w, r, p, err)
	}
}

// answer writes p's view, or err with a not-found named after the kind.
func (a adminProgram[In, P, V]) answer(s *Server, w http.ResponseWriter, r *http.Request, p P, err error) {
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, a.noun))
		return
	}
	writeJSON(w, http.StatusOK, a.view(p, adminMerchantOf(r), s.cfg.PublicURL))
}

func (a adminProgram[In, P, V]) listAll(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ps, err := a.list(r.Context(), adminMerchantOf(r).ID)
		if err != nil {
			s.adminFail(w, r, err)
			return
		}
		out := make([]V, len(ps))
		for i, p := range ps {
			out[i] = a.view(p, adminMerchantOf(r), s.cfg.PublicURL)
		}
		writeJSON(w, http.StatusOK, map[string]any{a.listKey: out})
	}
}
