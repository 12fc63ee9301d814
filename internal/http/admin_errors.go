package http

import (
	"errors"
	"net/http"

	"github.com/puntos/puntos/internal/store"
)

// adminError is one answer of the admin API's error table: the body is
// {"error": {"code", "message", "field"?}} with the status beside it.
type adminError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (e *adminError) Error() string { return e.Code + ": " + e.Message }

// The admin API's codes. Each documented in api/openapi.yaml (AdminError).
const (
	adminUnauthorized  = "unauthorized"
	adminInvalidJSON   = "invalid_json"
	adminInvalidField  = "invalid_field"
	adminUnknownField  = "unknown_field"
	adminBodyTooLarge  = "body_too_large"
	adminNotFound      = "not_found"
	adminDuplicate     = "duplicate"
	adminDuplicateName = "duplicate_name"
	adminDuplicatePIN  = "duplicate_pin"
	adminInternal      = "internal"
	adminNoMethod      = "method_not_allowed"
)

// adminErrorFor maps any error a handler met to the admin API's answer.
// This is the admin family's only error table.
func adminErrorFor(err error) *adminError {
	var ae *adminError
	var fe *store.FieldError
	var me *store.MissingError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &fe):
		return &adminError{http.StatusUnprocessableEntity, adminInvalidField, fe.Error(), fe.Field}
	case errors.As(err, &me):
		return &adminError{http.StatusNotFound, adminNotFound, me.Error(), me.What + "s"}
	case errors.Is(err, store.ErrNotFound):
		return &adminError{http.StatusNotFound, adminNotFound, "not found", ""}
	case errors.Is(err, store.ErrDuplicateName):
		return &adminError{http.StatusConflict, adminDuplicateName, "an active collaborator already has this name", "name"}
	case errors.Is(err, store.ErrDuplicatePIN):
		return &adminError{http.StatusConflict, adminDuplicatePIN, "an active collaborator already has this PIN", "pin"}
	case errors.Is(err, store.ErrConflict):
		return &adminError{http.StatusConflict, adminDuplicate, "already exists", ""}
	case errors.Is(err, store.ErrInvalid):
		return &adminError{http.StatusUnprocessableEntity, adminInvalidField, "a value is out of range", ""}
	default:
		return &adminError{http.StatusInternalServerError, adminInternal, "internal error", ""}
	}
}

// adminNotFoundErr is the admin answer for an unknown object, naming what it was.
func adminNotFoundErr(what string) *adminError {
	return &adminError{http.StatusNotFound, adminNotFound, what + " not found", ""}
}

// adminFail answers err in the admin shape and logs unexpected errors
// (never the request body, which may carry secrets or PINs).
func (s *Server) adminFail(w http.ResponseWriter, r *http.Request, err error) {
	ae := adminErrorFor(err)
	if ae.Status == http.StatusInternalServerError {
		s.log.Error("admin request failed", "request_id", infoOf(r).requestID, "err", err)
	}
	noteCode(r, ae.Code)
	writeJSON(w, ae.Status, map[string]any{"error": ae})
}

// adminNotFoundAs names what was not found when err is a bare ErrNotFound.
func adminNotFoundAs(err error, what string) error {
	var me *store.MissingError
	if errors.Is(err, store.ErrNotFound) && !errors.As(err, &me) {
		return adminNotFoundErr(what)
	}
	return err
}

// adminNoRoute and adminNoMethod keep the admin shape for paths and methods
// the admin API does not have.
func (s *Server) adminNoRoute(w http.ResponseWriter, r *http.Request) {
	s.adminFail(w, r, &adminError{http.StatusNotFound, adminNotFound, "no such admin endpoint", ""})
}

func (s *Server) adminNoMethod(w http.ResponseWriter, r *http.Request) {
	s.adminFail(w, r, &adminError{http.StatusMethodNotAllowed, adminNoMethod, "method not allowed on this endpoint", ""})
}
