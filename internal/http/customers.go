package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/puntos/puntos/internal/store"
)

// findByExternalID is GET /api/customer/findByExternalId: whether the
// merchant has the customer, 200 either way (seed 003 prints no warning or
// error keys here).
func (s *Server) findByExternalID(w http.ResponseWriter, r *http.Request) {
	ext, err := requiredParam(r, "externalId")
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	c, err := s.store.FindCustomer(r.Context(), merchantOf(r), ext)
	var data any
	switch {
	case errors.Is(err, store.ErrNotFound):
		data = map[string]any{"exists": false}
	case err != nil:
		s.writeOAuthError(w, r, err)
		return
	default:
		data = map[string]any{"exists": true, "id": c.ID, "external_id": c.ExternalID, "name": c.Name, "data": rawOrNull(c.Data)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": "200", "status": "success", "message": "Ok", "data": data})
}

func rawOrNull(d json.RawMessage) json.RawMessage {
	if len(d) == 0 {
		return json.RawMessage("null")
	}
	return d
}

// registerRequest is POST /api/customer (ext).
type registerRequest struct {
	ExternalID         string          `json:"externalId"`
	Name               string          `json:"name"`
	Data               json.RawMessage `json:"data"`
	ReferrerExternalID string          `json:"referrerExternalId"`
}

var platforms = map[string]bool{"": true, "web": true, "mobile": true, "ios": true, "android": true}

// registerCustomer is POST /api/customer (ext): a customer signs up from an
// app or the web (Platform header), possibly referred by another customer.
func (s *Server) registerCustomer(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if err := decodeAPI(r, &req); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	platform := r.Header.Get("Platform")
	switch {
	case !platforms[platform]:
		s.writeOAuthError(w, r, invalid("Platform", "must be web, mobile, ios or android"))
		return
	case req.ExternalID == "" || len(req.ExternalID) > 100:
		s.writeOAuthError(w, r, invalid("externalId", "required, at most 100 characters"))
		return
	case req.Name == "" || len(req.Name) > 200:
		s.writeOAuthError(w, r, invalid("name", "required, at most 200 characters"))
		return
	case !jsonObjectOrNull(req.Data):
		s.writeOAuthError(w, r, invalid("data", "must be an object"))
		return
	}
	c, err := s.store.RegisterCustomer(r.Context(), merchantOf(r), store.Registration{
		ExternalID: req.ExternalID, Name: req.Name, Data: req.Data, Platform: platform, ReferrerExternalID: req.ReferrerExternalID,
	})
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, registeredJSON(c))
}

func registeredJSON(c store.Customer) map[string]any {
	out := map[string]any{"id": strconv.FormatInt(c.ID, 10), "externalId": c.ExternalID, "name": c.Name,
		"data": rawOrNull(c.Data), "platform": nil, "referrerExternalId": nil, "registered_at": nil}
	if c.Platform != "" {
		out["platform"] = c.Platform
	}
	if c.Referrer != "" {
		out["referrerExternalId"] = c.Referrer
	}
	if c.RegisteredAt != "" {
		out["registered_at"] = c.RegisteredAt
	}
	return out
}

// jsonObjectOrNull reports whether d is absent, null or a JSON object.
func jsonObjectOrNull(d json.RawMessage) bool {
	if len(d) == 0 || string(d) == "null" {
		return true
	}
	var m map[string]any
	return json.Unmarshal(d, &m) == nil
}
