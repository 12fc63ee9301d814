package http

import (
	"errors"
	"net/http"

	"github.com/puntos/puntos/internal/store"
)

// toolUser is a collaborator as /toolusers/get shows it, keys in the seed's order.
type toolUser struct {
	ID     int64  `json:"usertool_id"`
	Name   string `json:"usertool_name"`
	Number string `json:"usertool_number"`
	Branch string `json:"usertool_branch"`
	Type   string `json:"usertool_type"`
	Status string `json:"usertool_status"`
}

// toolUsersGet serves /toolusers/get: every collaborator, active and
// archived, oldest first. The seed's answer has no status key.
func (s *Server) toolUsersGet(w http.ResponseWriter, r *http.Request) {
	cs, err := s.store.Collaborators(r.Context(), apikeyMerchant(r).ID)
	if err != nil {
		s.apikeyStoreError(w, r, err, nil, errInternal01)
		return
	}
	result := make([]toolUser, 0, len(cs))
	for _, c := range cs {
		result = append(result, toolUser{ID: c.ID, Name: c.Name, Number: c.Number, Branch: c.Branch, Type: c.Type, Status: c.Status})
	}
	apikeyOK(w, r, "tool_users_01", map[string]any{"result": result})
}

// employeeAdd serves /employee/add. The password is the till PIN: the
// store keeps a bcrypt hash to verify it and a per-merchant HMAC to keep it
// unique, never the clear text.
func (s *Server) employeeAdd(w http.ResponseWriter, r *http.Request) {
	f, ok := apikeyRequest(w, r, errToolusers01Request)
	if !ok {
		return
	}
	in := store.CollaboratorInput{Type: f.get("type"), Name: f.get("employee_name"), Branch: f.get("business_name"),
		Number: f.get("number"), PIN: f.get("password")}
	_, phoneOK := store.NormalizePhone(in.Number)
	if (in.Type != store.Cashier && in.Type != store.Manager) || in.Name == "" || in.Branch == "" || !phoneOK ||
		len(in.PIN) < 4 || len(in.PIN) > 72 {
		writeAPIKeyError(w, r, errToolusers02)
		return
	}
	c, err := s.store.CreateCollaborator(r.Context(), apikeyMerchant(r).ID, in)
	if err != nil {
		s.apikeyStoreError(w, r, err, map[error]apikeyError{
			store.ErrConflict: errToolusers03,
			store.ErrInvalid:  errToolusers02,
		}, errToolusers04Create)
		return
	}
	apikeyOK(w, r, "toolusers_01", map[string]any{"message": "Usuario creado con éxito.", "collaboratorId": c.ID, "status": http.StatusOK})
}

// employeeDisable serves /employee/disable: archives the active
// collaborators with that number (the seed's curl sends more fields; they
// are ignored). Archived collaborators stay listed and can no longer operate.
func (s *Server) employeeDisable(w http.ResponseWriter, r *http.Request) {
	f, ok := apikeyRequest(w, r, errToolusers01Request)
	if !ok {
		return
	}
	number, phoneOK := store.NormalizePhone(f.get("number"))
	if !phoneOK {
		writeAPIKeyError(w, r, errToolusers02)
		return
	}
	_, err := s.store.ArchiveCollaboratorByNumber(r.Context(), apikeyMerchant(r).ID, number)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeAPIKeyError(w, r, errToolusers02NotFound)
		return
	case err != nil:
		s.apikeyStoreError(w, r, err, map[error]apikeyError{store.ErrInvalid: errToolusers02}, errToolusers04Archive)
		return
	}
	apikeyOK(w, r, "toolusers_01", map[string]any{"message": "Se archivó correctamente el usuario.", "status": http.StatusOK})
}
