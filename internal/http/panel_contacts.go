package http

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// contactsPage is how many contacts one page of the agenda shows.
const contactsPage = 50

// panelContacts lists the agenda, newest first, searchable by phone or
// name, paged with ?page=.
func (s *Server) panelContacts(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	q := r.URL.Query().Get("q")
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 || page > 100000 {
		page = 1
	}
	// One row more than a page tells whether a next page exists.
	list, err := s.store.AgendaContacts(r.Context(), sess.MerchantID, q, contactsPage+1, (page-1)*contactsPage)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	more := len(list) > contactsPage
	if more {
		list = list[:contactsPage]
	}
	p := s.newPage(w, r, "contacts.title", "contacts")
	data := map[string]any{"Contacts": list, "Q": q, "Page": page, "Loc": sess.Location}
	if more {
		data["Next"] = page + 1
	}
	if page > 1 {
		data["Prev"] = page - 1
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "contacts", p)
}

// panelContact shows one contact with every enrollment: balance, batches
// with expiry, recent history and the contact's customer-page link.
func (s *Server) panelContact(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	id, ok := pathID(chi.URLParam(r, "id"))
	if !ok {
		s.panelError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	c, err := s.store.AgendaContact(r.Context(), sess.MerchantID, id)
	if err != nil {
		s.panelRefusal(w, r, err)
		return
	}
	members, err := s.memberViews(r.Context(), sess.MerchantID, c.ID, 20)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	p := s.newPage(w, r, "contact.title", "contacts")
	p.Data = map[string]any{"C": c, "Members": members, "Loc": sess.Location}
	s.render(w, r, http.StatusOK, "contact", p)
}
