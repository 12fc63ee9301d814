package http

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/adminview"
	"github.com/puntos/puntos/internal/store"
)

// adminProgramKeys indexes the merchant's card and wallet keys by id.
func (s *Server) adminProgramKeys(r *http.Request) (adminview.ProgramKeys, error) {
	cards, err := s.store.Cards(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		return adminview.ProgramKeys{}, err
	}
	wallets, err := s.store.Wallets(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		return adminview.ProgramKeys{}, err
	}
	return adminview.KeysOf(cards, wallets), nil
}

func (s *Server) adminCreateCollaborator(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, "name", "number", "branch", "type", "pin")
	var in store.CollaboratorInput
	for _, f := range []struct {
		name string
		dst  *string
	}{{"name", &in.Name}, {"number", &in.Number}, {"branch", &in.Branch}, {"type", &in.Type}, {"pin", &in.PIN}} {
		if err == nil {
			*f.dst, err = adminRequired[string](b, f.name, "a string")
		}
	}
	var c store.Collaborator
	if err == nil {
		c, err = s.store.CreateCollaborator(r.Context(), adminMerchantOf(r).ID, in)
	}
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, adminview.CollaboratorOf(c, adminview.ProgramKeys{}, adminMerchantOf(r)))
}

func (s *Server) adminListCollaborators(w http.ResponseWriter, r *http.Request) {
	cs, err := s.store.Collaborators(r.Context(), adminMerchantOf(r).ID)
	var k adminview.ProgramKeys
	if err == nil {
		k, err = s.adminProgramKeys(r)
	}
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]adminview.Collaborator, len(cs))
	for i, c := range cs {
		out[i] = adminview.CollaboratorOf(c, k, adminMerchantOf(r))
	}
	writeJSON(w, http.StatusOK, map[string]any{"collaborators": out})
}

// adminSetPermissions limits a collaborator to the listed programs; an
// absent or null list means every program of that kind.
func (s *Server) adminSetPermissions(w http.ResponseWriter, r *http.Request) {
	id, perr := strconv.ParseInt(chi.URLParam(r, "usertoolID"), 10, 64)
	if perr != nil {
		s.adminFail(w, r, adminNotFoundErr("collaborator"))
		return
	}
	b, err := readAdminBody(r, "loyalty_keys", "wallet_keys")
	var cards, wallets *[]string
	if err == nil && !b.isNull("loyalty_keys") {
		cards, err = adminOptional[[]string](b, "loyalty_keys", "a list of loyalty keys or null")
	}
	if err == nil && !b.isNull("wallet_keys") {
		wallets, err = adminOptional[[]string](b, "wallet_keys", "a list of wallet keys or null")
	}
	var c store.Collaborator
	if err == nil {
		c, err = s.store.SetCollaboratorPermissions(r.Context(), adminMerchantOf(r).ID, id, cards, wallets)
	}
	var k adminview.ProgramKeys
	if err == nil {
		k, err = s.adminProgramKeys(r)
	}
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "collaborator"))
		return
	}
	writeJSON(w, http.StatusOK, adminview.CollaboratorOf(c, k, adminMerchantOf(r)))
}
