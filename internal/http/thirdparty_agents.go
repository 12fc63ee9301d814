package http

import (
	"net/http"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// tpAgentJSON is a sales agent as every agent method answers it.
type tpAgentJSON struct {
	Code            string  `json:"code"`
	Name            string  `json:"name"`
	Email           string  `json:"email"`
	Phone           *string `json:"phone"`
	CodeShop        string  `json:"code_shop"`
	NameShop        string  `json:"name_shop"`
	TotalCustomers  int64   `json:"total_customers"`
	TotalOrders     int64   `json:"total_orders"`
	CreatedAt       string  `json:"created_at"`
	CreatedAtFormat string  `json:"created_at_format"`
}

func tpAgent(a store.Agent, loc *time.Location) tpAgentJSON {
	utc, local := tpTimes(a.CreatedAt, loc)
	return tpAgentJSON{
		Code: a.Code, Name: a.Name, Email: a.Email, Phone: a.Phone, CodeShop: a.ShopCode, NameShop: a.ShopName,
		TotalCustomers: a.Customers, TotalOrders: a.Orders, CreatedAt: utc, CreatedAtFormat: local,
	}
}

// Agent passwords: at least 8 characters, and at most the 72 bytes bcrypt reads.
const (
	tpMinPassword = 8
	tpMaxPassword = 72
)

// tpAddAgent is POST add-agent: code_shop, name, email, password (required),
// phone.
func (s *Server) tpAddAgent(w http.ResponseWriter, r *http.Request) {
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
	case f["email"] == "":
		tpFail(w, r, tpEmailRequired)
		return
	case !tpEmailOK(f["email"]):
		tpFail(w, r, tpBadEmail)
		return
	case len([]rune(f["password"])) < tpMinPassword || len(f["password"]) > tpMaxPassword:
		tpFail(w, r, tpBadPassword)
		return
	}
	a, err := s.store.CreateAgent(r.Context(), c.merchantID, store.AgentInput{
		ShopCode: f["code_shop"], Name: f["name"], Email: f["email"], Phone: f["phone"], Password: f["password"],
	})
	if err != nil {
		s.tpStoreFail(w, r, err)
		return
	}
	tpSucceed(w, r, tpAgent(a, c.loc))
}
