package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/puntos/puntos/internal/panel"
)

// webhookPage is how many delivery attempts one page of the log shows.
const webhookPage = 50

// showWebhooks renders the delivery log (newest first, paged with
// ?before=) with the "Probar" form, whose URL list offers the webhook URLs
// of the merchant's cards and wallets.
func (s *Server) showWebhooks(w http.ResponseWriter, r *http.Request, status int, p *panel.Page, target string, result map[string]any) {
	ctx, sess := r.Context(), sessionOf(r)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	log, err := s.store.Deliveries(ctx, sess.MerchantID, webhookPage, max(before, 0))
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	cards, err := s.store.Cards(ctx, sess.MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	wallets, err := s.store.Wallets(ctx, sess.MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	var urls []string
	for _, c := range cards {
		if c.WebhookURL != "" {
			urls = append(urls, c.WebhookURL)
		}
	}
	for _, wl := range wallets {
		if wl.WebhookURL != "" {
			urls = append(urls, wl.WebhookURL)
		}
	}
	data := map[string]any{"Log": log, "URLs": urls, "URL": target, "Result": result, "Loc": sess.Location}
	if len(log) == webhookPage {
		data["Older"] = log[len(log)-1].ID
	}
	p.Data = data
	s.render(w, r, status, "webhooks", p)
}

func (s *Server) panelWebhooks(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "webhooks.title", "webhooks")
	s.showWebhooks(w, r, http.StatusOK, p, "", nil)
}

// panelWebhookTest is the seed's "Probar": a sample event is sent now and
// the receiver's status shown (and logged).
func (s *Server) panelWebhookTest(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "webhooks.title", "webhooks")
	target := strings.TrimSpace(r.PostFormValue("url"))
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		noteCode(r, "invalid_url")
		p.Error = p.T("form.invalid", p.T("field.url"))
		s.showWebhooks(w, r, http.StatusUnprocessableEntity, p, target, nil)
		return
	}
	m, err := s.store.Merchant(r.Context(), sessionOf(r).MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	status, errText, err := s.testWebhook(r.Context(), m, target)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	s.showWebhooks(w, r, http.StatusOK, p, target, map[string]any{"Status": status, "Error": errText, "OK": errText == "" && status/100 == 2})
}
