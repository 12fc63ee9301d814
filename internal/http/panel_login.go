package http

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/puntos/puntos/internal/panel"
	"github.com/puntos/puntos/internal/secret"
	"github.com/puntos/puntos/internal/store"
)

// panelLoginForm shows the login form. It sets a login CSRF cookie whose
// value the form must echo, so another site cannot log a browser into an
// account of its choosing.
func (s *Server) panelLoginForm(w http.ResponseWriter, r *http.Request) {
	if sess, ok := s.sessionFrom(r, sessionCookieName); ok && sess.UserID != 0 {
		http.Redirect(w, r, "/panel", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, email, errKey string) {
	token, _ := secret.New("")
	s.setCookie(w, loginCSRFCookieName, token, 3600, http.SameSiteStrictMode)
	p := s.newPage(w, r, "login.title", "")
	p.CSRF, p.Data = token, email
	if errKey != "" {
		noteCode(r, errKey)
		p.Error = p.T(errKey)
	}
	s.render(w, r, status, "login", p)
}

// panelLogin checks the e-mail and password and starts a session. Wrong
// e-mail and wrong password answer alike, in the same time.
func (s *Server) panelLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	if !sameToken(r.PostFormValue("csrf"), s.cookieValue(r, loginCSRFCookieName)) {
		s.renderLogin(w, r, http.StatusForbidden, email, "error.csrf")
		return
	}
	scope := "panel:" + strings.ToLower(strings.TrimSpace(email))
	if s.throttled(w, r, scope) {
		s.renderLogin(w, r, http.StatusTooManyRequests, email, "login.throttled")
		return
	}
	user, hash, err := s.store.PanelUserForLogin(r.Context(), email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		panel.BurnPasswordCheck(password)
		s.loginFailed(r, scope)
		s.renderLogin(w, r, http.StatusUnauthorized, email, "login.failed")
		return
	case err != nil:
		s.panelFailed(w, r, err)
		return
	case !panel.CheckPassword(hash, password):
		s.loginFailed(r, scope)
		s.renderLogin(w, r, http.StatusUnauthorized, email, "login.failed")
		return
	}
	noteMerchant(r, user.MerchantID)
	if err := s.startSession(r.Context(), w, sessionCookieName, store.PanelSession{MerchantID: user.MerchantID, UserID: user.ID}); err != nil {
		s.panelFailed(w, r, err)
		return
	}
	s.setCookie(w, loginCSRFCookieName, "", -1, http.SameSiteStrictMode)
	http.Redirect(w, r, "/panel", http.StatusSeeOther)
}

// panelLogout ends the session (the auth middleware checked its CSRF token).
func (s *Server) panelLogout(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r, sessionCookieName)
	http.Redirect(w, r, "/panel/login", http.StatusSeeOther)
}

// Guessing is throttled per account (panel e-mail, cashier page): after
// loginMaxFailures failures within loginWindow, logins wait for the window
// to pass. The count lives in Postgres so every server sees it.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
)

// throttled reports whether scope has failed too often lately. A failure
// to count is logged and lets the login proceed: the password still guards it.
func (s *Server) throttled(w http.ResponseWriter, r *http.Request, scope string) bool {
	n, err := s.store.RecentLoginFailures(r.Context(), scope, s.store.Now().Add(-loginWindow))
	if err != nil {
		s.log.Error("login failures", "err", err)
		return false
	}
	if n >= loginMaxFailures {
		noteCode(r, "throttled")
		w.Header().Set("Retry-After", itoa(int(loginWindow/time.Second)))
		return true
	}
	return false
}

func (s *Server) loginFailed(r *http.Request, scope string) {
	if err := s.store.RecordLoginFailure(r.Context(), scope); err != nil {
		s.log.Error("login failures", "err", err)
	}
}
