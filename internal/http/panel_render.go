package http

import (
	"net/http"

	"github.com/puntos/puntos/internal/panel"
)

// panelPages holds the parsed templates. A template that does not parse
// stops the binary at start (and fails every test), never a request.
var panelPages = func() *panel.Renderer {
	r, err := panel.NewRenderer()
	if err != nil {
		panic(err)
	}
	return r
}()

// newPage starts a page in the request's language, remembering a language
// chosen with ?lang= in a cookie so the choice follows the visitor.
func (s *Server) newPage(w http.ResponseWriter, r *http.Request, title, nav string) *panel.Page {
	lang := panel.RequestLang(r)
	if q := r.URL.Query().Get("lang"); q != "" {
		if _, ok := panel.ParseLang(q); ok {
			s.setCookie(w, panel.LangCookie, q, 365*24*3600, http.SameSiteLaxMode)
		}
	}
	p := &panel.Page{Lang: lang, Title: title, Nav: nav, Path: r.URL.Path}
	if sess := sessionOf(r); sess.MerchantID != 0 {
		p.User, p.CSRF = sess.Email, sess.CSRFToken
	}
	return p
}

// render writes a page; a failure to render is logged and answered 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *panel.Page) {
	if err := panelPages.Render(w, status, name, p); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// panelError answers an error page with the translated message key.
func (s *Server) panelError(w http.ResponseWriter, r *http.Request, status int, msgKey string) {
	noteCode(r, msgKey)
	p := s.newPage(w, r, "error.title", "")
	p.Data = p.T(msgKey)
	s.render(w, r, status, "error", p)
}

// panelFailed answers 500 for an unexpected storage failure, logging it.
func (s *Server) panelFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("panel", "route", r.URL.Path, "err", err)
	s.panelError(w, r, http.StatusInternalServerError, "error.internal")
}

// servePanelAsset serves the embedded CSS and JavaScript.
func servePanelAsset() http.Handler {
	fsrv := http.StripPrefix("/panel/assets/", http.FileServerFS(panel.Assets()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fsrv.ServeHTTP(w, r)
	})
}
