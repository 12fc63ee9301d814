// Package http serves the four API families over one chi router: the
// form-encoded apikey API, the JSON OAuth2 API, the third-party shops API and
// the admin API. Each family answers errors in its own shape through its own
// error table; handlers are short: decode, call the store, encode.
package http

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-oauth2/oauth2/v4/manage"

	"github.com/puntos/puntos/internal/config"
	"github.com/puntos/puntos/internal/store"
)

// Server is the HTTP face of the loyalty server.
type Server struct {
	store        *store.Store
	cfg          config.Config
	log          *slog.Logger
	metrics      *Metrics
	router       chi.Router
	oauth        *manage.Manager // go-oauth2: the JSON API's client-credentials grant
	limiter      *limiter        // RATE_LIMIT per credential
	tokenLimiter *limiter        // TOKEN_RATE_LIMIT per client IP on /oauth/token
	outbox       *outbox
}

// NewServer wires the router. The metrics registry is the server's own, so
// that tests can build several servers in one process.
func NewServer(st *store.Store, cfg config.Config, log *slog.Logger) *Server {
	s := &Server{store: st, cfg: cfg, log: log, metrics: NewMetrics(st),
		oauth: newOAuthManager(st, cfg.TokenTTL), limiter: newLimiter(cfg.RateLimit, time.Second),
		tokenLimiter: newLimiter(cfg.TokenRateLimit, time.Minute)}
	s.outbox = newOutbox(s)
	s.router = s.routes()
	return s
}

// ServeHTTP lets the server stand behind http.Server or httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// Metrics exposes the registry for background workers that count things.
func (s *Server) Metrics() *Metrics { return s.metrics }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

// readyz answers 200 only when the database answers and its schema is the
// one this binary carries, so a load balancer never routes to a server that
// would fail every request.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2e9)
	defer cancel()
	current, err := s.store.SchemaCurrent(ctx)
	switch {
	case err != nil:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reason": "database unreachable"})
	case !current:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reason": "migrations pending"})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"status": "ready"})
	}
}
