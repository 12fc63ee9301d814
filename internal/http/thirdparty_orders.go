package http

import (
	"net/http"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// tpOrderJSON is a sales order as add-order answers it. Money is a string
// with two decimals, exact as stored.
type tpOrderJSON struct {
	Code            string  `json:"code"`
	CodeShop        string  `json:"code_shop"`
	NameShop        string  `json:"name_shop"`
	CodeCustomer    string  `json:"code_customer"`
	NameCustomer    string  `json:"name_customer"`
	CodeAgent       *string `json:"code_agent"`
	NameAgent       *string `json:"name_agent"`
	Amount          string  `json:"amount"`
	Description     *string `json:"description"`
	WalletKey       *string `json:"wallet_key"`
	Cashback        string  `json:"cashback"`
	HasCashback     int     `json:"has_cashback"`
	CreatedAt       string  `json:"created_at"`
	CreatedAtFormat string  `json:"created_at_format"`
}

func tpOrder(o store.ShopOrder, loc *time.Location) tpOrderJSON {
	utc, local := tpTimes(o.CreatedAt, loc)
	return tpOrderJSON{
		Code: o.Code, CodeShop: o.ShopCode, NameShop: o.ShopName, CodeCustomer: o.CustomerCode, NameCustomer: o.CustomerName,
		CodeAgent: o.AgentCode, NameAgent: o.AgentName, Amount: o.Amount.String(), Description: tpNull(o.Description),
		WalletKey: o.WalletKey, Cashback: o.Cashback.String(), HasCashback: tpFlag(o.WalletKey != nil),
		CreatedAt: utc, CreatedAtFormat: local,
	}
}

// tpAddOrder is POST add-order: code_shop, code_customer, amount (required,
// positive, at most two decimals), code_agent, description. The order's code
// is ours, so a client retries safely with the Idempotency-Key header.
func (s *Server) tpAddOrder(w http.ResponseWriter, r *http.Request) {
	c := tpCallOf(r)
	f, err := tpReadBody(w, r)
	if err != nil {
		tpFail(w, r, tpInputReason(err))
		return
	}
	amount, amountErr := ledger.ParseAmount(f["amount"])
	switch {
	case f["code_shop"] == "":
		tpFail(w, r, tpShopRequired)
		return
	case f["code_customer"] == "":
		tpFail(w, r, tpCustomerRequired)
		return
	case amountErr != nil || !amount.Positive():
		tpFail(w, r, tpBadAmount)
		return
	}
	o, err := s.store.CreateShopOrder(r.Context(), c.merchantID, store.ShopOrderInput{
		ShopCode: f["code_shop"], CustomerCode: f["code_customer"], AgentCode: f["code_agent"],
		Amount: amount, Description: f["description"],
	})
	if err != nil {
		s.tpStoreFail(w, r, err)
		return
	}
	tpSucceed(w, r, tpOrder(o, c.loc))
}
