package http

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/secret"
	"github.com/puntos/puntos/internal/store"
)

// adminAuth lets a request through only with "Authorization: Bearer
// <ADMIN_TOKEN>". While ADMIN_TOKEN is empty every request is refused, so a
// server started without one exposes no provisioning at all.
func (s *Server) adminAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || s.cfg.AdminToken == "" || !secret.Equal(strings.TrimSpace(token), s.cfg.AdminToken) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="admin"`)
			s.adminFail(w, r, &adminError{http.StatusUnauthorized, adminUnauthorized, "missing or wrong admin token", ""})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// adminMerchantKey is its own type so no other context key can collide with it.
type adminMerchantKey struct{}

// adminMerchant loads the merchant named by {id} for every route under
// /merchants/{id}; an id that is not a number is as unknown as a missing one.
func (s *Server) adminMerchant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		if err != nil || id <= 0 {
			s.adminFail(w, r, adminNotFoundErr("merchant"))
			return
		}
		m, err := s.store.Merchant(r.Context(), id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = adminNotFoundErr("merchant")
			}
			s.adminFail(w, r, err)
			return
		}
		noteMerchant(r, m.ID)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), adminMerchantKey{}, m)))
	})
}

// adminMerchantOf is the merchant adminMerchant loaded for this request.
func adminMerchantOf(r *http.Request) store.Merchant {
	m, _ := r.Context().Value(adminMerchantKey{}).(store.Merchant)
	return m
}
