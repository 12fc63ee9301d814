package http

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestPanelLogin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	newPanelMerchant(t, b, "Café Uno", "dueno@cafe.example", "contraseña-larga")

	t.Run("AnonymousGoesToLogin", func(t *testing.T) {
		res := b.browser().get("/panel")
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != "/panel/login" {
			t.Errorf("got Location %q, want /panel/login", got)
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		br := b.browser()
		form := br.get("/panel/login")
		res := br.post("/panel/login", url.Values{"csrf": {csrfIn(t, form)}, "email": {"dueno@cafe.example"}, "password": {"otra-contraseña"}})
		wantStatus(t, res, http.StatusUnauthorized)
		wantText(t, res, "Correo o contraseña incorrectos.")
	})
	t.Run("UnknownEmail", func(t *testing.T) {
		br := b.browser()
		form := br.get("/panel/login")
		res := br.post("/panel/login", url.Values{"csrf": {csrfIn(t, form)}, "email": {"nadie@cafe.example"}, "password": {"contraseña-larga"}})
		wantStatus(t, res, http.StatusUnauthorized)
		wantText(t, res, "Correo o contraseña incorrectos.")
	})
	t.Run("MissingLoginCSRF", func(t *testing.T) {
		res := b.browser().post("/panel/login", url.Values{"email": {"dueno@cafe.example"}, "password": {"contraseña-larga"}})
		wantStatus(t, res, http.StatusForbidden)
	})
	t.Run("OK", func(t *testing.T) {
		br, csrf := loggedIn(t, b, "DUENO@cafe.example", "contraseña-larga")
		home := br.get("/panel")
		wantText(t, home, "Café Uno", "dueno@cafe.example", "Cerrar sesión")
		if got := home.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'self'") {
			t.Errorf("got CSP %q, want default-src 'self'", got)
		}
		// A logged-in visitor of the login page goes to the panel.
		wantStatus(t, br.get("/panel/login"), http.StatusSeeOther)

		// Logout needs the session's CSRF token.
		wantStatus(t, br.post("/panel/logout", url.Values{"csrf": {"wrong"}}), http.StatusForbidden)
		wantStatus(t, br.post("/panel/logout", url.Values{"csrf": {csrf}}), http.StatusSeeOther)
		wantStatus(t, br.get("/panel"), http.StatusSeeOther)
	})
	t.Run("English", func(t *testing.T) {
		br := b.browser()
		wantText(t, br.get("/panel/login?lang=en"), "E-mail", "Password")
		// The choice is remembered.
		wantText(t, br.get("/panel/login"), "E-mail", "Password")
	})
	t.Run("CrossSiteRefused", func(t *testing.T) {
		br := b.browser()
		res := br.send(http.MethodPost, "/panel/login", map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site",
		}, []byte("email=a&password=b"))
		wantStatus(t, res, http.StatusForbidden)
	})
}

func TestPanelLoginThrottled(t *testing.T) {
	t.Parallel()
	b := setup(t)
	newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	br := b.browser()
	for range loginMaxFailures {
		form := br.get("/panel/login")
		wantStatus(t, br.post("/panel/login", url.Values{"csrf": {csrfIn(t, form)}, "email": {testOwner}, "password": {"adivinanza-mala"}}), http.StatusUnauthorized)
	}
	form := br.get("/panel/login")
	res := br.post("/panel/login", url.Values{"csrf": {csrfIn(t, form)}, "email": {testOwner}, "password": {testPassword}})
	wantStatus(t, res, http.StatusTooManyRequests)
	wantText(t, res, "Demasiados intentos fallidos.")
}

func TestPanelCookieFlags(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser()
	res := br.get("/panel/login")
	c := res.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(c, want) {
			t.Errorf("got Set-Cookie %q, want it to carry %s", c, want)
		}
	}
}

func TestPanelAssets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser()
	for _, path := range []string{"/panel/assets/panel.css", "/panel/assets/panel.js"} {
		wantStatus(t, br.get(path), http.StatusOK)
	}
	wantStatus(t, br.get("/panel/assets/nothing.css"), http.StatusNotFound)
}

func TestPanelCookiesSecureUnderHTTPS(t *testing.T) {
	t.Parallel()
	s := &Server{}
	s.cfg.PublicURL = "https://puntos.example"
	rec := httptest.NewRecorder()
	s.setCookie(rec, sessionCookieName, "v", 60, http.SameSiteLaxMode)
	c := rec.Header().Get("Set-Cookie")
	for _, want := range []string{"__Host-puntos_session=v", "Secure", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(c, want) {
			t.Errorf("got Set-Cookie %q, want it to carry %s", c, want)
		}
	}
}
