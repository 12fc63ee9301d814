package http

import "net/http"

// panelHome is the panel's first page: what the merchant has, with links.
func (s *Server) panelHome(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	o, err := s.store.PanelOverview(r.Context(), sess.MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p := s.newPage(w, r, "home.title", "home")
	p.Data = map[string]any{"Merchant": sess.MerchantName, "Overview": o}
	s.render(w, r, http.StatusOK, "home", p)
}
