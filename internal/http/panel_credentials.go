package http

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/panel"
)

// newSecret is a credential just issued, shown once on the page that
// answers its creation.
type newSecret struct {
	ID     string
	Secret string
}

func (s *Server) showAPIKeys(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, created *newSecret) {
	keys, err := s.store.APIKeys(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p.Data = map[string]any{"Keys": keys, "New": created, "Loc": sessionOf(r).Location}
	s.render(w, r, status, "apikeys", p)
}

func (s *Server) panelAPIKeys(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "apikeys.title", "apikeys")
	flashFrom(r, p)
	s.showAPIKeys(w, r, http.StatusOK, p, nil)
}

// panelCreateAPIKey issues a key and shows it once; the page is the answer
// to the POST (not a redirect) so the secret never travels in a URL.
func (s *Server) panelCreateAPIKey(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "apikeys.title", "apikeys")
	id, plain, err := s.store.CreateAPIKey(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p.Flash = p.T("done.apikey_created")
	s.showAPIKeys(w, r, http.StatusCreated, p, &newSecret{ID: strconv.FormatInt(id, 10), Secret: plain})
}

func (s *Server) panelRevokeAPIKey(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(chi.URLParam(r, "id"))
	if !ok {
		s.panelError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.store.RevokeAPIKey(r.Context(), sessionOf(r).MerchantID, id); err != nil {
		p := s.newPage(w, r, "apikeys.title", "apikeys")
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showAPIKeys(w, r, ref.status, p, nil)
		return
	}
	http.Redirect(w, r, "/panel/apikeys?done=revoked", http.StatusSeeOther)
}

func (s *Server) showOAuthClients(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, created *newSecret) {
	clients, err := s.store.OAuthClients(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p.Data = map[string]any{"Clients": clients, "New": created, "Loc": sessionOf(r).Location}
	s.render(w, r, status, "oauth", p)
}

func (s *Server) panelOAuthClients(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "oauth.title", "oauth")
	flashFrom(r, p)
	s.showOAuthClients(w, r, http.StatusOK, p, nil)
}

func (s *Server) panelCreateOAuthClient(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "oauth.title", "oauth")
	parseForm(w, r)
	id, plain, err := s.store.CreateOAuthClient(r.Context(), sessionOf(r).MerchantID, r.PostFormValue("name"))
	if err != nil {
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showOAuthClients(w, r, ref.status, p, nil)
		return
	}
	p.Flash = p.T("done.oauth_created")
	s.showOAuthClients(w, r, http.StatusCreated, p, &newSecret{ID: strconv.FormatInt(id, 10), Secret: plain})
}

func (s *Server) panelRevokeOAuthClient(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(chi.URLParam(r, "id"))
	if !ok {
		s.panelError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.store.RevokeOAuthClient(r.Context(), sessionOf(r).MerchantID, id); err != nil {
		p := s.newPage(w, r, "oauth.title", "oauth")
		ref := s.refuse(r, p, err)
		p.Error = ref.msg
		s.showOAuthClients(w, r, ref.status, p, nil)
		return
	}
	http.Redirect(w, r, "/panel/oauth-clients?done=revoked", http.StatusSeeOther)
}
