package http

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/panel"
	"github.com/puntos/puntos/internal/store"
)

// maxPanelForm bounds a panel form body; the largest field is a card's
// custom JavaScript (64 KiB).
const maxPanelForm = 256 << 10

// refusal is a form the store refused: the status to answer and the
// translated message to show above the form again.
type refusal struct {
	status int
	msg    string
}

// refuse maps a store error to what the page says. Unexpected errors are
// logged and become a 500 with a generic message.
func (s *Server) refuse(r *http.Request, p *panel.Page, err error) refusal {
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		noteCode(r, "invalid_"+fe.Field)
		return refusal{http.StatusUnprocessableEntity, p.T("form.invalid", p.T("field."+fe.Field))}
	case errors.Is(err, store.ErrDuplicateName):
		noteCode(r, "duplicate_name")
		return refusal{http.StatusConflict, p.T("collaborators.dup_name")}
	case errors.Is(err, store.ErrDuplicatePIN):
		noteCode(r, "duplicate_pin")
		return refusal{http.StatusConflict, p.T("collaborators.dup_pin")}
	case errors.Is(err, store.ErrConflict):
		noteCode(r, "conflict")
		return refusal{http.StatusConflict, p.T("form.conflict")}
	case errors.Is(err, store.ErrNotFound):
		noteCode(r, "not_found")
		return refusal{http.StatusNotFound, p.T("error.not_found")}
	}
	s.log.Error("panel", "route", r.URL.Path, "err", err)
	noteCode(r, "internal")
	return refusal{http.StatusInternalServerError, p.T("error.internal")}
}

// panelRefusal answers an error page for a store error.
func (s *Server) panelRefusal(w http.ResponseWriter, r *http.Request, err error) {
	p := s.newPage(w, r, "error.title", "")
	ref := s.refuse(r, p, err)
	p.Data = ref.msg
	s.render(w, r, ref.status, "error", p)
}

// flashFrom turns the ?done= of a redirect after a form into its notice;
// only values the catalog knows are shown.
func flashFrom(r *http.Request, p *panel.Page) {
	if v := r.URL.Query().Get("done"); v != "" && p.Lang.Has("done."+v) {
		p.Flash = p.T("done." + v)
	}
}

// parseForm reads a panel form with the size limit.
func parseForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPanelForm)
	_ = r.ParseForm() // an oversize or broken body leaves fields empty, which the store refuses
}

// formBool reads a checkbox: present means true.
func formBool(r *http.Request, name string) *bool {
	v := r.PostForm.Has(name)
	return &v
}

// formInt reads a whole number; a malformed one is a field error.
func formInt(r *http.Request, name string) (*int, error) {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, &store.FieldError{Field: name, Message: "must be a whole number"}
	}
	return &n, nil
}

// formAmount reads an amount with at most two decimals; empty means zero
// (which clears an optional amount).
func formAmount(r *http.Request, name string) (*ledger.Amount, error) {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" || s == "0" {
		var zero ledger.Amount
		return &zero, nil
	}
	a, err := ledger.ParseAmount(s)
	if err != nil {
		return nil, &store.FieldError{Field: name, Message: "must be a number with at most two decimals"}
	}
	return &a, nil
}

func formString(r *http.Request, name string) *string {
	v := strings.TrimSpace(r.PostFormValue(name))
	return &v
}

// pathID reads a numeric URL parameter.
func pathID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// clientURL and redeemURL are the customer and cashier pages of a program,
// the *_app_client / *_app_redeem links of the apikey API.
func (s *Server) clientURL(key string) string { return s.cfg.PublicURL + "/c/" + key }
func (s *Server) redeemURL(key string) string { return s.cfg.PublicURL + "/r/" + key }
