package http

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/puntos/puntos/internal/secret"
	"github.com/puntos/puntos/internal/store"
)

// Browser sessions last a working day; a new login is cheap, a stolen
// cookie that lives for weeks is not.
const panelSessionTTL = 12 * time.Hour

const (
	sessionCookieName          = "puntos_session"
	cashierCookieName          = "puntos_cashier"
	loginCSRFCookieName        = "puntos_login"
	sessionCtxKey       ctxKey = 20
)

// secureCookies is true when the server is reached over HTTPS: cookies
// then carry Secure and the __Host- prefix, which pins them to this host
// and path /. Over plain http (a developer's localhost) a browser would drop
// Secure cookies, so the flag follows PUBLIC_URL.
func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.PublicURL, "https://") }

func (s *Server) cookieName(base string) string {
	if s.secureCookies() {
		return "__Host-" + base
	}
	return base
}

// setCookie writes an HttpOnly, SameSite cookie for the whole host. maxAge
// < 0 deletes it.
func (s *Server) setCookie(w http.ResponseWriter, base, value string, maxAge int, sameSite http.SameSite) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(base), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: sameSite,
	})
}

func (s *Server) cookieValue(r *http.Request, base string) string {
	c, err := r.Cookie(s.cookieName(base))
	if err != nil {
		return ""
	}
	return c.Value
}

// startSession stores a new session and sets its cookie.
func (s *Server) startSession(ctx context.Context, w http.ResponseWriter, cookie string, sess store.PanelSession) error {
	token, hash := secret.New("")
	sess.CSRFToken, _ = secret.New("")
	sess.ExpiresAt = s.store.Now().Add(panelSessionTTL)
	if err := s.store.CreatePanelSession(ctx, hash, sess); err != nil {
		return err
	}
	s.setCookie(w, cookie, token, int(panelSessionTTL/time.Second), http.SameSiteLaxMode)
	return nil
}

// sessionFrom returns the live session named by the request's cookie.
func (s *Server) sessionFrom(r *http.Request, cookie string) (store.PanelSession, bool) {
	token := s.cookieValue(r, cookie)
	if token == "" {
		return store.PanelSession{}, false
	}
	sess, err := s.store.PanelSessionByToken(r.Context(), secret.Hash(token))
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("panel session lookup", "err", err)
		}
		return store.PanelSession{}, false
	}
	return sess, true
}

// endSession deletes the request's session and its cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request, cookie string) {
	if token := s.cookieValue(r, cookie); token != "" {
		if err := s.store.DeletePanelSession(r.Context(), secret.Hash(token)); err != nil {
			s.log.Error("panel logout", "err", err)
		}
	}
	s.setCookie(w, cookie, "", -1, http.SameSiteLaxMode)
}

// sessionOf is the session the auth middleware put in the context.
func sessionOf(r *http.Request) store.PanelSession {
	sess, _ := r.Context().Value(sessionCtxKey).(store.PanelSession)
	return sess
}

// panelAuth lets through requests with a live panel-user session and a
// valid CSRF token on every unsafe method; others go to the login page.
func (s *Server) panelAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.sessionFrom(r, sessionCookieName)
		if !ok || sess.UserID == 0 {
			http.Redirect(w, r, "/panel/login", http.StatusSeeOther)
			return
		}
		noteMerchant(r, sess.MerchantID)
		r = r.WithContext(context.WithValue(r.Context(), sessionCtxKey, sess))
		if !safeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, maxPanelForm)
		}
		if !safeMethod(r.Method) && !sameToken(r.PostFormValue("csrf"), sess.CSRFToken) {
			s.panelError(w, r, http.StatusForbidden, "error.csrf")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// sameToken compares a submitted token with the expected one in constant time.
func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// crossOrigin refuses unsafe cross-site requests (Sec-Fetch-Site / Origin)
// before any handler runs: a second wall behind the CSRF tokens.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.panelError(w, r, http.StatusForbidden, "error.csrf")
	}))
	return cop.Handler(next)
}

// pageHeaders are the browser-hardening headers of every HTML page. The
// pages load only their own assets; the customer page adds a nonce for its
// one inline script.
func pageHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}
