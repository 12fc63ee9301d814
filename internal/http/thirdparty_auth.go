package http

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/puntos/puntos/internal/store"
)

const tpCallKey ctxKey = 20

// tpCall is what the third-party middleware learned about a request: the
// method (which picks every code) and the authenticated merchant.
type tpCall struct {
	method     string
	merchantID int64
	loc        *time.Location // the merchant's zone, for created_at_format
}

func tpCallOf(r *http.Request) *tpCall {
	if c, ok := r.Context().Value(tpCallKey).(*tpCall); ok {
		return c
	}
	return &tpCall{}
}

func tpMethodOf(r *http.Request) string { return tpCallOf(r).method }

// tpAuth authenticates a third-party method's bearer token and answers the
// method's own bad-token code (HTTP 401) when it is missing, unknown or
// revoked. The merchant is noted for the request log and for the
// Idempotency-Key middleware, which keys stored responses by merchant.
func (s *Server) tpAuth(method string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			call := &tpCall{method: method}
			r = r.WithContext(context.WithValue(r.Context(), tpCallKey, call))
			token, ok := tpBearer(r)
			if !ok {
				tpFail(w, r, tpBadToken)
				return
			}
			m, err := s.store.MerchantByThirdpartyToken(r.Context(), token)
			if errors.Is(err, store.ErrNotFound) {
				tpFail(w, r, tpBadToken)
				return
			} else if err != nil {
				s.tpStoreFail(w, r, err)
				return
			}
			call.merchantID, call.loc = m.ID, m.Location()
			noteMerchant(r, m.ID)
			if !s.limiter.allowCredential(w, "thirdparty", token) {
				tpFail(w, r, tpRateLimited)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// tpBearer reads "Authorization: Bearer <token>" (scheme case-insensitive).
func tpBearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
