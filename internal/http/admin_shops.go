package http

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/store"
)

// adminShopWallet is a shop's wallet link as the admin API answers it.
type adminShopWallet struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	WalletKey *string `json:"wallet_key"`
}

// adminLinkShopWallet is PUT /admin/v1/merchants/{id}/shops/{code}/wallet
// {"wallet_key": "..." | null}: the third-party API's orders at that shop
// then earn that wallet's cashback (null: no wallet, no cashback).
func (s *Server) adminLinkShopWallet(w http.ResponseWriter, r *http.Request) {
	const want = "a wallet key or null"
	b, err := readAdminBody(r, "wallet_key")
	var key *string
	switch {
	case err != nil:
	case !b.has("wallet_key"):
		err = adminWrongType("wallet_key", want)
	case !b.isNull("wallet_key"):
		key = new(string)
		err = adminField(b, "wallet_key", want, key)
	}
	var sh store.Shop
	if err == nil {
		sh, err = s.store.LinkShopWallet(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "code"), key)
	}
	switch {
	case errors.Is(err, store.ErrShopNotFound):
		s.adminFail(w, r, &adminError{http.StatusNotFound, adminNotFound, "shop not found", "code"})
	case errors.Is(err, store.ErrNotFound):
		s.adminFail(w, r, &adminError{http.StatusNotFound, adminNotFound, "wallet not found", "wallet_key"})
	case err != nil:
		s.adminFail(w, r, err)
	default:
		writeJSON(w, http.StatusOK, adminShopWallet{Code: sh.Code, Name: sh.Name, WalletKey: sh.WalletKey})
	}
}
