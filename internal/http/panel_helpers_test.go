package http

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/puntos/puntos/internal/panel"
	"github.com/puntos/puntos/internal/store"
)

func init() {
	// The pages are documented as strings; let the contract check read them.
	for _, ct := range []string{"text/html", "text/css", "text/javascript"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
}

// browser is a cookie-keeping client that does not follow redirects, so
// each response is checked against the contract of its own request.
type browser struct {
	b      *bundle
	client *http.Client
}

func (b *bundle) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return &browser{b: b, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (br *browser) send(method, path string, header map[string]string, body []byte) *response {
	t := br.b.t
	t.Helper()
	req, err := http.NewRequest(method, br.b.http.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := br.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	br.b.checkContract(req, body, res, got)
	return &response{Status: res.StatusCode, Header: res.Header, Body: got}
}

func (br *browser) get(path string) *response {
	br.b.t.Helper()
	return br.send(http.MethodGet, path, nil, nil)
}

// post submits a form as the page's own form would.
func (br *browser) post(path string, form url.Values) *response {
	br.b.t.Helper()
	return br.send(http.MethodPost, path, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, []byte(form.Encode()))
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfIn returns the CSRF token of the first form of a page.
func csrfIn(t *testing.T, res *response) string {
	t.Helper()
	m := csrfField.FindSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no csrf field in the page: %s", truncate(res.Body, 400))
	}
	return html.UnescapeString(string(m[1]))
}

// text is a page's body with tags removed and entities decoded, for
// asserting what a person reads.
func (r *response) text() string {
	s := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(r.Body), " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func wantStatus(t *testing.T, res *response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("got status %d, want %d: %s", res.Status, want, truncate(res.Body, 600))
	}
}

func wantText(t *testing.T, res *response, parts ...string) {
	t.Helper()
	txt := res.text()
	for _, p := range parts {
		if !strings.Contains(txt, p) {
			t.Errorf("page lacks %q; it reads: %s", p, truncate([]byte(txt), 1200))
		}
	}
}

// wantBody checks the raw HTML, for what sits in attributes.
func wantBody(t *testing.T, res *response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(string(res.Body), p) {
			t.Errorf("page lacks %q: %s", p, truncate(res.Body, 1500))
		}
	}
}

// newPanelMerchant makes a merchant with one panel user and returns its id.
func newPanelMerchant(t *testing.T, b *bundle, name, email, password string) int64 {
	t.Helper()
	ctx := context.Background()
	m, err := b.store.CreateMerchant(ctx, name, "")
	if err != nil {
		t.Fatal(err)
	}
	id := m.ID
	hash, err := panel.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.CreatePanelUser(ctx, id, email, hash); err != nil {
		t.Fatal(err)
	}
	return id
}

// loggedIn returns a browser logged into the panel as email, and the CSRF
// token of its session.
func loggedIn(t *testing.T, b *bundle, email, password string) (*browser, string) {
	t.Helper()
	br := b.browser()
	form := br.get("/panel/login")
	wantStatus(t, form, http.StatusOK)
	res := br.post("/panel/login", url.Values{"csrf": {csrfIn(t, form)}, "email": {email}, "password": {password}})
	wantStatus(t, res, http.StatusSeeOther)
	home := br.get("/panel")
	wantStatus(t, home, http.StatusOK)
	return br, csrfIn(t, home)
}

// createTestCard makes a card for merchant m through the admin store and
// returns its key.
func createTestCard(t *testing.T, b *bundle, m int64, name string) string {
	t.Helper()
	c, err := b.store.CreateCard(context.Background(), m, store.CardInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return c.Key
}
