package http

import (
	"context"
	"errors"
	"net/http"
	"strings"

	oauth2errors "github.com/go-oauth2/oauth2/v4/errors"

	"github.com/puntos/puntos/internal/store"
)

const merchantKey ctxKey = 20

// merchantOf is the merchant whose token authenticated the request.
func merchantOf(r *http.Request) int64 {
	id, _ := r.Context().Value(merchantKey).(int64)
	return id
}

// bearer authenticates /api/... requests with an access token issued by
// POST /oauth/token; the token's client's merchant scopes everything after.
func (s *Server) bearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		access, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			access, ok = strings.CutPrefix(h, "bearer ")
		}
		access = strings.TrimSpace(access)
		if !ok || access == "" {
			s.writeOAuthError(w, r, errUnauthenticated)
			return
		}
		ti, err := s.oauth.LoadAccessToken(r.Context(), access)
		if err != nil && !errors.Is(err, oauth2errors.ErrInvalidAccessToken) && !errors.Is(err, oauth2errors.ErrExpiredAccessToken) {
			s.writeOAuthError(w, r, err) // the database failed, not the caller
			return
		}
		tok, isOurs := ti.(*store.OAuthToken)
		if err != nil || !isOurs {
			s.writeOAuthError(w, r, errUnauthenticated)
			return
		}
		noteMerchant(r, tok.MerchantID)
		if !s.limiter.allow(w, "oauth:"+tok.ClientID) {
			s.writeOAuthError(w, r, errTooMany)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), merchantKey, tok.MerchantID)))
	})
}

// apiNotFound and apiMethodNotAllowed answer unknown /api routes in the envelope.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	s.writeOAuthError(w, r, errRouteNotFound)
}

func (s *Server) apiMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.writeOAuthError(w, r, errMethod)
}
