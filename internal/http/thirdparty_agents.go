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
		tpFail(w, r, tpBadInput)
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

// tpShowAgent is GET show-agent?code=pgbage....
func (s *Server) tpShowAgent(w http.ResponseWriter, r *http.Request) {
	c := tpCallOf(r)
	code, ok := tpCodeParam(w, r)
	if !ok {
		return
	}
	a, err := s.store.AgentByCode(r.Context(), c.merchantID, code)
	if err != nil {
		s.tpShowFail(w, r, err)
		return
	}
	tpSucceed(w, r, tpAgent(a, c.loc))
}

// tpGetAgents is GET get-agents?page&limit&code_shop&search.
func (s *Server) tpGetAgents(w http.ResponseWriter, r *http.Request) {
	c := tpCallOf(r)
	q, ok := tpListParams(w, r)
	if !ok {
		return
	}
	q.AgentCode = "" // not a filter of this method
	agents, total, err := s.store.ListAgents(r.Context(), c.merchantID, q)
	if err != nil {
		s.tpStoreFail(w, r, err)
		return
	}
	out := make([]tpAgentJSON, len(agents))
	for i, a := range agents {
		out[i] = tpAgent(a, c.loc)
	}
	tpSucceed(w, r, struct {
		tpPage
		Agents []tpAgentJSON `json:"agents"`
	}{newTPPage(q, total), out})
}
