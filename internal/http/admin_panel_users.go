package http

import (
	"errors"
	"net/http"
	"net/mail"

	"github.com/puntos/puntos/internal/panel"
)

// adminCreatePanelUser gives a merchant a panel login: {"email", "password"}
// → {"id", "email"}. The password is hashed here (bcrypt) and never stored
// or logged in clear.
func (s *Server) adminCreatePanelUser(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, "email", "password")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	email, err := adminRequired[string](b, "email", "an e-mail address")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	if a, perr := mail.ParseAddress(email); perr != nil || a.Address != email || len(email) > 254 {
		s.adminFail(w, r, adminWrongType("email", "an e-mail address such as owner@example.com"))
		return
	}
	password, err := adminRequired[string](b, "password", "a string")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	hash, err := panel.HashPassword(password)
	if errors.Is(err, panel.ErrPasswordTooShort) || (err != nil && len(password) > 72) {
		s.adminFail(w, r, adminWrongType("password", "10 to 72 bytes"))
		return
	}
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	u, err := s.store.CreatePanelUser(r.Context(), adminMerchantOf(r).ID, email, hash)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": u.ID, "email": u.Email})
}
