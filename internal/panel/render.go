// Package panel holds what the browser pages are made of: the embedded
// templates and assets, the Spanish and English message catalog, the inline
// SVG chart, and the secrets helpers (passwords, session tokens, signed
// customer links). The handlers live in internal/http (panel_*.go).
package panel

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Assets are the static files served under /panel/assets/.
func Assets() fs.FS {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err)
	}
	return sub
}

// Page is what every template receives: the request's language and the
// layout's pieces, plus the page's own Data.
type Page struct {
	Lang  Lang
	Title string // catalog key of the page title
	// Heading, when set, is the title itself (a program's name) instead of Title.
	Heading string
	Nav     string // which menu entry is current
	// User is who is logged in (e-mail or collaborator name); empty on public pages.
	User string
	CSRF string
	// Flash is an already translated notice shown above the content.
	Flash string
	// Error is an already translated error shown above the content.
	Error string
	// Path is the current path, for the language switch links.
	Path string
	// Nonce allows the one inline script of the customer page.
	Nonce string
	// Layout picks the chrome: "panel" (menu), "public" (customer and cashier pages).
	Layout string
	Data   any
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.Lang.T(key, args...) }

// Renderer executes the embedded templates.
type Renderer struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"amount": func(a ledger.Amount) string { return a.String() },
	"stamps": ledger.WholeStamps,
	"datetime": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return ""
		}
		if loc != nil {
			t = t.In(loc)
		}
		return t.Format("2006-01-02 15:04")
	},
	"date": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return ""
		}
		if loc != nil {
			t = t.In(loc)
		}
		return t.Format("2006-01-02")
	},
	"percent": func(hundredths int64) string { return ledger.Amount(hundredths).String() },
	"join":    strings.Join,
	// dict builds the argument of a partial template from key/value pairs.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"deref": func(t *time.Time) time.Time { return *t },
	"inList": func(list []string, v string) bool {
		for _, s := range list {
			if s == v {
				return true
			}
		}
		return false
	},
}

// NewRenderer parses every page with the layout once, at start, so a
// template error stops the server instead of failing a request.
func NewRenderer() (*Renderer, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Render writes page with status. The page is rendered into a buffer first
// so a template failure answers a clean 500 instead of half a page.
func (r *Renderer) Render(w http.ResponseWriter, status int, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	if p.Layout == "" {
		p.Layout = "panel"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
