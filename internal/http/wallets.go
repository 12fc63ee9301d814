package http

import (
	"net/http"

	"github.com/puntos/puntos/internal/store"
)

// walletGet serves /wallet/get: the merchant's wallets.
func (s *Server) walletGet(w http.ResponseWriter, r *http.Request) {
	wallets, err := s.store.Wallets(r.Context(), apikeyMerchant(r).ID)
	if err != nil {
		s.apikeyStoreError(w, r, err, nil, errInternal01)
		return
	}
	result := make([]map[string]string, 0, len(wallets))
	for _, wl := range wallets {
		result = append(result, map[string]string{"wallet_name": wl.Name, "wallet_key": wl.Key,
			"wallet_app_client": s.clientURL(wl.Key), "wallet_app_redeem": s.redeemURL(wl.Key)})
	}
	apikeyOK(w, r, "wallets_get_01", map[string]any{"result": result, "status": http.StatusOK})
}

var walletSaleErrors = map[error]apikeyError{
	store.ErrProgramNotFound:        errNewSale10,
	store.ErrTicketRequired:         errNewSale11,
	store.ErrNotEnrolled:            errNewSale12,
	store.ErrCollaboratorNotFound:   errNewSale13,
	store.ErrCollaboratorNotAllowed: errNewSale14,
	store.ErrTicketOtherContact:     errNewSale15,
	store.ErrBlacklisted:            errWalletRedeem14,
	store.ErrInsufficientPoints:     errWalletRedeem10,
	store.ErrOperationQuota:         errWalletRedeem18,
	store.ErrNoMessagingChannel:     errWelcomeMessage02,
	store.ErrMessageCredit:          errWalletRedeem13,
}

// walletSale serves /wallet/sale: transaction_type 0 earns the wallet's
// cashback on transaction_amount, 1 spends points_used.
func (s *Server) walletSale(w http.ResponseWriter, r *http.Request) {
	f, ok := apikeyRequest(w, r, errNewSale02)
	if !ok {
		return
	}
	in, e := saleCommon(f, "wallet_key", [3]apikeyError{errNewSale02, errNewSale03, errNewSale04})
	if e == nil {
		e = walletSaleFields(f, &in)
	}
	if e != nil {
		writeAPIKeyError(w, r, *e)
		return
	}
	res, err := s.store.WalletSale(r.Context(), apikeyMerchant(r), in)
	if err != nil {
		s.apikeyStoreError(w, r, err, walletSaleErrors, errNewSale16)
		return
	}
	apikeySuccess(w, r, apikeyAnswer{code: "new_sale_01", message: "Venta creada correctamente.", newBalance: res.NewBalance, hasBalance: true})
}

// walletSaleFields checks the type, amount, points and user of a wallet
// sale in the seed table's order.
func walletSaleFields(f apikeyForm, in *store.SaleInput) *apikeyError {
	typ, amount, points := f.get("transaction_type"), f.get("transaction_amount"), f.get("points_used")
	if typ != "0" && typ != "1" {
		return &errNewSale05
	}
	in.Spend = typ == "1"
	if !in.Spend && amount == "" {
		return &errNewSale06
	}
	if amount != "" {
		var bad bool
		if in.Amount, bad = parsePositive(amount); bad {
			return &errNewSale07
		}
		in.AmountGiven = true
	}
	if in.Spend {
		var bad bool
		if in.Points, bad = parsePositive(points); bad {
			return &errNewSale08
		}
	}
	if f.get("usertool_id") == "" {
		return &errNewSale09
	}
	return nil
}

var balanceUpdateErrors = map[error]apikeyError{
	store.ErrProgramNotFound:        errBalanceUpdate09,
	store.ErrNotEnrolled:            errBalanceUpdate10,
	store.ErrCollaboratorNotFound:   errBalanceUpdate11,
	store.ErrCollaboratorNotAllowed: errBalanceUpdate12,
	store.ErrBlacklisted:            errWalletBalance10,
	store.ErrInsufficientPoints:     errWalletBalance07,
	store.ErrNoMessagingChannel:     errWelcomeMessage02,
	store.ErrMessageCredit:          errWalletBalance09,
}

// balanceUpdate serves /wallet/balance/update: adds (type 0) or removes
// (type 1) exactly transaction_amount points, no percentage.
func (s *Server) balanceUpdate(w http.ResponseWriter, r *http.Request) {
	f, ok := apikeyRequest(w, r, errBalanceUpdate02)
	if !ok {
		return
	}
	in, e := saleCommon(f, "wallet_key", [3]apikeyError{errBalanceUpdate02, errBalanceUpdate03, errBalanceUpdate04})
	if e == nil {
		typ, amount := f.get("transaction_type"), f.get("transaction_amount")
		var bad bool
		switch {
		case typ != "0" && typ != "1":
			e = &errBalanceUpdate05
		case amount == "":
			e = &errBalanceUpdate06
		default:
			if in.Points, bad = parsePositive(amount); bad {
				e = &errBalanceUpdate07
			} else if f.get("usertool_id") == "" {
				e = &errBalanceUpdate08
			}
		}
		in.Spend = typ == "1"
	}
	if e != nil {
		writeAPIKeyError(w, r, *e)
		return
	}
	res, err := s.store.BalanceUpdate(r.Context(), apikeyMerchant(r), in)
	if err != nil {
		s.apikeyStoreError(w, r, err, balanceUpdateErrors, errBalanceUpdate13)
		return
	}
	apikeySuccess(w, r, apikeyAnswer{code: "balance_update_01", message: "Saldo actualizado correctamente", newBalance: res.NewBalance, hasBalance: true})
}
