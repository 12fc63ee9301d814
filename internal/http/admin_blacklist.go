package http

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/store"
)

func (s *Server) adminBlockPhone(w http.ResponseWriter, r *http.Request) {
	phone := chi.URLParam(r, "phone")
	if err := s.store.BlockPhone(r.Context(), adminMerchantOf(r).ID, phone); err != nil {
		s.adminFail(w, r, err)
		return
	}
	normal, _ := store.NormalizePhone(phone)
	writeJSON(w, http.StatusOK, map[string]any{"phone": normal, "blocked": true})
}

func (s *Server) adminUnblockPhone(w http.ResponseWriter, r *http.Request) {
	if err := s.store.UnblockPhone(r.Context(), adminMerchantOf(r).ID, chi.URLParam(r, "phone")); err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "blocked phone"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminBlacklist(w http.ResponseWriter, r *http.Request) {
	phones, err := s.store.Blacklist(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"phones": phones})
}
