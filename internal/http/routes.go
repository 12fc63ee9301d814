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

	return r
}
