package http

import (
	"net/http"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// tpShopJSON is a shop as every shop method answers it.
type tpShopJSON struct {
	Code            string  `json:"code"`
	Name            string  `json:"name"`
	Description     *string `json:"description"`
	Website         *string `json:"website"`
	Address         *string `json:"address"`
	Phone           *string `json:"phone"`
	Email           *string `json:"email"`
	WalletKey       *string `json:"wallet_key"`
	HasWallet       int     `json:"has_wallet"`
	TotalAgents     int64   `json:"total_agents"`
	TotalCustomers  int64   `json:"total_customers"`
	CreatedAt       string  `json:"created_at"`
	CreatedAtFormat string  `json:"created_at_format"`
}

func tpShop(sh store.Shop, loc *time.Location) tpShopJSON {
	utc, local := tpTimes(sh.CreatedAt, loc)
	return tpShopJSON{
		Code: sh.Code, Name: sh.Name, Description: tpNull(sh.Description), Website: tpNull(sh.Website),
		Address: tpNull(sh.Address), Phone: tpNull(sh.Phone), Email: tpNull(sh.Email),
		WalletKey: sh.WalletKey, HasWallet: tpFlag(sh.WalletKey != nil),
		TotalAgents: sh.Agents, TotalCustomers: sh.Customers, CreatedAt: utc, CreatedAtFormat: local,
	}
}

// tpNull answers an empty optional text as null, as the seed answers "phone".
func tpNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// tpAddShop is POST add-shop: name (required), description, website,
// address, phone, email.
func (s *Server) tpAddShop(w http.ResponseWriter, r *http.Request) {
	c := tpCallOf(r)
	f, err := tpReadBody(w, r)
	switch {
	case err != nil:
		tpFail(w, r, tpInputReason(err))
		return
	case f["name"] == "":
		tpFail(w, r, tpNameRequired)
		return
	case f["email"] != "" && !tpEmailOK(f["email"]):
		tpFail(w, r, tpBadEmail)
		return
	}
	sh, err := s.store.CreateShop(r.Context(), c.merchantID, store.ShopInput{
		Name: f["name"], Description: f["description"], Website: f["website"],
		Address: f["address"], Phone: f["phone"], Email: f["email"],
	})
	if err != nil {
		s.tpStoreFail(w, r, err)
		return
	}
	tpSucceed(w, r, tpShop(sh, c.loc))
}
