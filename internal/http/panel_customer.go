package http

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/secret"
	"github.com/puntos/puntos/internal/store"
)

// customerProgram answers /c/{key} without a token: the program's name and
// how to reach one's own page (the link of the welcome message).
func (s *Server) customerProgram(w http.ResponseWriter, r *http.Request) {
	ref, err := s.store.ProgramByKey(r.Context(), chi.URLParam(r, "key"))
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	p := s.newPage(w, r, "customer.title", "")
	p.Layout, p.Heading = "public", ref.Name
	p.Data = map[string]any{"Program": ref}
	s.render(w, r, http.StatusOK, "customer_program", p)
}

// customerPage is a contact's own page of one program, opened from the
// signed link of the welcome message: stamps or balance, batches with their
// expiry, recent history. It reads well without JavaScript; the card's
// custom JavaScript runs here and nowhere else, allowed by a per-response
// nonce.
func (s *Server) customerPage(w http.ResponseWriter, r *http.Request) {
	ctx, key := r.Context(), chi.URLParam(r, "key")
	signKey, err := s.store.ServerKey(ctx, customerLinkKey)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	merchantID, contactID, ok := secret.VerifyContact(signKey, chi.URLParam(r, "token"), key)
	if !ok {
		s.publicError(w, r, store.ErrNotFound)
		return
	}
	noteMerchant(r, merchantID)
	ms, err := s.store.Memberships(ctx, merchantID, contactID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	var mem *store.Membership
	for i := range ms {
		if ms[i].ProgramKey == key {
			mem = &ms[i]
		}
	}
	if mem == nil {
		s.publicError(w, r, store.ErrNotFound)
		return
	}
	c, err := s.store.AgendaContact(ctx, merchantID, contactID)
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	m, err := s.store.Merchant(ctx, merchantID)
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	view, err := s.memberView(ctx, merchantID, contactID, *mem, 10)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p := s.newPage(w, r, "customer.title", "")
	p.Layout, p.Heading, p.Path = "public", mem.ProgramName, r.URL.Path
	data := map[string]any{"Merchant": m.Name, "Name": c.Name, "M": view, "Loc": m.Location()}
	if js := strings.TrimSpace(mem.CustomJS); js != "" {
		p.Nonce = secret.Key("", 16)
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+p.Nonce+"'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		// The merchant wrote this script for this page; only a closing tag
		// inside it could end the script element early.
		data["CustomJS"] = template.JS(strings.ReplaceAll(js, "</", `<\/`))
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "customer", p)
}

// publicError answers the customer and cashier pages' errors: a missing or
// wrong link is a plain 404, with no hint of what exists.
func (s *Server) publicError(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, store.ErrNotFound) {
		s.panelFailed(w, r, err)
		return
	}
	noteCode(r, "not_found")
	p := s.newPage(w, r, "error.title", "")
	p.Layout, p.Data = "public", p.T("customer.not_found")
	s.render(w, r, http.StatusNotFound, "public_error", p)
}
