package http

import (
	"encoding/json"
	"net/http"
)

// writeJSON encodes v with the given status. Encoding errors after the
// header is written can only be logged by the caller's middleware.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
