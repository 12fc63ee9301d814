package http

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes is the whole route tree of the server, every API family in one place.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.observe)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", s.metrics.Handler())
	r.Get("/openapi.yaml", serveOpenAPI)

	// The merchant panel: HTML pages, one session cookie, CSRF tokens.
	r.Handle("/panel/assets/*", servePanelAsset())
	r.Group(func(r chi.Router) {
		r.Use(pageHeaders, s.crossOrigin)
		r.Get("/panel/login", s.panelLoginForm)
		r.Post("/panel/login", s.panelLogin)
		r.Group(func(r chi.Router) {
			r.Use(s.panelAuth)
			r.Get("/panel", s.panelHome)
			r.Post("/panel/logout", s.panelLogout)
		})
	})

	// The JSON API (seed 003): a token, then bearer-authenticated /api routes
	// that answer unknown paths and methods in the API's envelope.
	r.Post("/oauth/token", s.token)
	r.Route("/api", func(r chi.Router) {
		r.Use(s.bearer)
		r.NotFound(s.apiNotFound)
		r.MethodNotAllowed(s.apiMethodNotAllowed)
		r.Get("/customer/findByExternalId", s.findByExternalID)
		r.Post("/customer", s.registerCustomer)
		r.Get("/group/default", s.defaultGroup)
		r.Get("/report/dailySummary/stores", s.storesReport)
		r.Get("/report/dailySummary/products", s.productsReport)
	})

	return r
}
