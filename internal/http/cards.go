package http

import (
	"net/http"

	"github.com/puntos/puntos/internal/store"
)

// loyaltyGet serves /loyalty/get: the merchant's stamp cards.
func (s *Server) loyaltyGet(w http.ResponseWriter, r *http.Request) {
	cards, err := s.store.Cards(r.Context(), apikeyMerchant(r).ID)
	if err != nil {
		s.apikeyStoreError(w, r, err, nil, errInternal01)
		return
	}
	result := make([]map[string]string, 0, len(cards))
	for _, c := range cards {
		result = append(result, map[string]string{"loyalty_name": c.Name, "loyalty_key": c.Key,
			"loyalty_app_client": s.clientURL(c.Key), "loyalty_app_redeem": s.redeemURL(c.Key)})
	}
	apikeyOK(w, r, "loyalty_get_01", map[string]any{"result": result, "status": http.StatusOK})
}

var cardSaleErrors = map[error]apikeyError{
	store.ErrProgramNotFound:        errLoyalty02,
	store.ErrProgramDisabled:        errLoyalty03,
	store.ErrCollaboratorNotFound:   errLoyaltySale21,
	store.ErrCollaboratorNotAllowed: errLoyaltySale22,
	store.ErrContactNotFound:        errLoyaltySale07,
	store.ErrNotEnrolled:            errLoyaltySale08,
	store.ErrTicketOtherContact:     errLoyaltySale12Ticket,
	store.ErrBlacklisted:            errLoyaltySale11,
	store.ErrTicketRequired:         errLoyaltySale09,
	store.ErrAmountRequired:         errLoyaltySale10,
	store.ErrDailyLimit:             errLoyaltySale13,
	store.ErrOperationQuota:         errLoyaltySale23,
	store.ErrNoMessagingChannel:     errLoyaltySale17,
	store.ErrMessageCredit:          errLoyaltySale15,
}

// loyaltySale serves /loyalty/sale: one stamp; the sale that fills the card
// answers loyalty_sale_02. A ticket seen before on this card answers its
// first result again.
func (s *Server) loyaltySale(w http.ResponseWriter, r *http.Request) {
	f, ok := apikeyRequest(w, r, errLoyaltySale03)
	if !ok {
		return
	}
	in, e := saleCommon(f, "loyalty_key", [3]apikeyError{errLoyaltySale03, errLoyaltySale04, errLoyaltySale05})
	if e == nil && f.get("usertool_id") == "" {
		e = &errLoyaltySale06
	}
	if e != nil {
		writeAPIKeyError(w, r, *e)
		return
	}
	if raw := f.get("transaction_amount"); raw != "" {
		in.AmountGiven = true
		in.Amount, in.AmountBad = parsePositive(raw)
	}
	res, err := s.store.CardSale(r.Context(), apikeyMerchant(r), in)
	if err != nil {
		s.apikeyStoreError(w, r, err, cardSaleErrors, errLoyaltySale12)
		return
	}
	if res.Completed {
		apikeySuccess(w, r, apikeyAnswer{code: "loyalty_sale_02", message: "El usuario ya ha completado la tarjeta."})
		return
	}
	apikeySuccess(w, r, apikeyAnswer{code: "loyalty_sale_01", message: "Venta creada correctamente."})
}
