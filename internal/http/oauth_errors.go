package http

import (
	"errors"
	"net/http"

	"github.com/puntos/puntos/internal/store"
)

// The JSON API's envelope (seed 003): success bodies carry the code as a
// string, error bodies as a number; "warning" is [] or, for a validation
// error, the one offending field.

// okEnvelope is the success shape; message differs by endpoint in the seed.
type okEnvelope struct {
	Code    string `json:"code"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Data    any    `json:"data"`
	Warning []any  `json:"warning"`
	Error   []any  `json:"error"`
}

// The success messages the seed prints.
const (
	msgOK      = "OK"
	msgProcess = "Proceso exitoso"
)

func writeOAuthOK(w http.ResponseWriter, message string, data any) {
	writeJSON(w, http.StatusOK, okEnvelope{Code: "200", Status: "success", Message: message, Data: data, Warning: []any{}, Error: []any{}})
}

// writeOAuthData answers the bare {"data": ...} shape of history and batch/expiration.
func writeOAuthData(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

// fieldError is a 422: the request's field and what is wrong with it.
type fieldError struct {
	Field, Value string
}

func (e *fieldError) Error() string { return e.Field + ": " + e.Value }

func invalid(field, value string) error { return &fieldError{Field: field, Value: value} }

// Errors of the JSON API that are not store errors.
var (
	errUnauthenticated = errors.New("unauthenticated")
	errRouteNotFound   = errors.New("route not found")
	errMethod          = errors.New("method not allowed")
	errTooMany         = errors.New("too many attempts")
	errTooLarge        = errors.New("request body too large")
	errInFlight        = errors.New("a request with this Idempotency-Key is still running")
)

// oauthErrorTable maps an error to its status and message: the one place
// where the JSON API's error codes are decided.
func oauthErrorTable(err error) (int, string) {
	var fe *fieldError
	switch {
	case errors.As(err, &fe):
		return http.StatusUnprocessableEntity, "Error de Validacion"
	case errors.Is(err, errUnauthenticated):
		return http.StatusUnauthorized, "Unauthenticated"
	case errors.Is(err, store.ErrSystemType):
		return http.StatusForbidden, "Forbidden"
	case errors.Is(err, errRouteNotFound), errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "404 Not Found"
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed, "405 Method Not Allowed"
	case errors.Is(err, errInFlight):
		return http.StatusConflict, "409 Conflict"
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge, "413 Payload Too Large"
	case errors.Is(err, errTooMany):
		return http.StatusTooManyRequests, "Too Many Attempts."
	default:
		return http.StatusInternalServerError, "Internal Server Error"
	}
}

type oauthWarning struct {
	Code  *string `json:"code"`
	Field string  `json:"field"`
	Value string  `json:"value"`
}

// writeOAuthError answers err in the JSON API's error envelope and logs the
// unexpected ones (never the request body: it may carry secrets).
func (s *Server) writeOAuthError(w http.ResponseWriter, r *http.Request, err error) {
	var ie *store.FieldError
	if errors.As(err, &ie) {
		err = invalid(ie.Field, ie.Message)
	}
	status, msg := oauthErrorTable(err)
	var warning any = []any{}
	var fe *fieldError
	if errors.As(err, &fe) {
		warning = oauthWarning{Field: fe.Field, Value: fe.Value}
	}
	if status == http.StatusInternalServerError {
		s.log.Error("oauth api", "request_id", infoOf(r).requestID, "err", err)
	}
	noteCode(r, itoa(status))
	writeJSON(w, status, map[string]any{"code": status, "status": "error", "message": msg, "warning": warning, "error": []any{}})
}

// tokenError is an RFC 6749 section 5.2 error of POST /oauth/token.
type tokenError struct {
	status      int
	code, descr string
}

func (s *Server) writeTokenError(w http.ResponseWriter, r *http.Request, e tokenError) {
	noteCode(r, e.code)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.descr, "message": e.descr})
}

// oauthIdemFail answers the Idempotency-Key middleware's refusals in the
// JSON API's envelope.
func (s *Server) oauthIdemFail(w http.ResponseWriter, r *http.Request, p idemProblem) {
	switch p {
	case idemKeyInvalid:
		s.writeOAuthError(w, r, invalid("Idempotency-Key", "1 to 255 printable ASCII characters"))
	case idemKeyReused:
		s.writeOAuthError(w, r, invalid("Idempotency-Key", "already used for another request"))
	case idemKeyInFlight:
		s.writeOAuthError(w, r, errInFlight)
	default:
		s.writeOAuthError(w, r, errors.New("idempotency key store unavailable"))
	}
}
