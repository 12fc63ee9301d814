package http

import (
	"net/http"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// tpCustomerJSON is a shop customer with exactly the keys of seed 002's
// add-customer example.
type tpCustomerJSON struct {
	Code               string  `json:"code"`
	Name               string  `json:"name"`
	Lastname           *string `json:"lastname"`
	Phone              *string `json:"phone"`
	Email              *string `json:"email"`
	CreatedAt          string  `json:"created_at"`
	CreatedAtFormat    string  `json:"created_at_format"`
	CodeShop           string  `json:"code_shop"`
	NameShop           string  `json:"name_shop"`
	CodeAgent          *string `json:"code_agent"`
	NameAgent          *string `json:"name_agent"`
	TotalOrders        int64   `json:"total_orders"`
	TotalAgentOrders   int64   `json:"total_agent_orders"`
	TotalNoAgentOrders int64   `json:"total_no_agent_orders"`
	IsEditable         int     `json:"isEditable"`
}

func tpCustomer(c store.ShopCustomer, loc *time.Location) tpCustomerJSON {
	utc, local := tpTimes(c.CreatedAt, loc)
	return tpCustomerJSON{
		Code: c.Code, Name: c.Name, Lastname: c.Lastname, Phone: c.Phone, Email: c.Email,
		CreatedAt: utc, CreatedAtFormat: local, CodeShop: c.ShopCode, NameShop: c.ShopName,
		CodeAgent: c.AgentCode, NameAgent: c.AgentName,
		TotalOrders: c.TotalOrders(), TotalAgentOrders: c.AgentOrders, TotalNoAgentOrders: c.NoAgentOrders,
		// Every customer of this API stays editable by its merchant: nothing
		// here locks one, so the seed's flag is always -1 (true).
		IsEditable: tpFlag(true),
	}
}

// tpAddCustomer is POST add-customer exactly as seed 002: code_shop and name
// required; lastname, phone, email, code_agent optional. Checks run in the
// seed's table order, so a request with several faults gets the first code.
func (s *Server) tpAddCustomer(w http.ResponseWriter, r *http.Request) {
	c := tpCallOf(r)
	f, err := tpReadBody(w, r)
	switch {
	case err != nil:
		tpFail(w, r, tpInputReason(err))
		return
	case f["code_shop"] == "":
		tpFail(w, r, tpShopRequired)
		return
	case f["name"] == "":
		tpFail(w, r, tpNameRequired)
		return
	case f["email"] != "" && !tpEmailOK(f["email"]):
		tpFail(w, r, tpBadEmail)
		return
	}
	cust, err := s.store.CreateShopCustomer(r.Context(), c.merchantID, store.ShopCustomerInput{
		ShopCode: f["code_shop"], AgentCode: f["code_agent"],
		Name: f["name"], Lastname: f["lastname"], Phone: f["phone"], Email: f["email"],
	})
	if err != nil {
		s.tpStoreFail(w, r, err)
		return
	}
	tpSucceed(w, r, tpCustomer(cust, c.loc))
}
