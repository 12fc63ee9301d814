package http

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/store"
)

// adminCollaboratorView is a staff user; its PIN is never shown. The scopes list
// program keys, null meaning every program of that kind.
type adminCollaboratorView struct {
	UsertoolID  int64     `json:"usertool_id"`
	Name        string    `json:"name"`
	Number      string    `json:"number"`
	Branch      string    `json:"branch"`
	Type        string    `json:"type"`
	Status      string    `json:"status"`
	LoyaltyKeys *[]string `json:"loyalty_keys"`
	WalletKeys  *[]string `json:"wallet_keys"`
	CreatedAt   string    `json:"created_at"`
}

// adminProgramKeys maps the merchant's card and wallet ids to their keys.
type adminProgramKeys struct{ cards, wallets map[int64]string }

func (s *Server) adminProgramKeys(r *http.Request) (adminProgramKeys, error) {
	k := adminProgramKeys{map[int64]string{}, map[int64]string{}}
	cards, err := s.store.Cards(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		return k, err
	}
	for _, c := range cards {
		k.cards[c.ID] = c.Key
	}
	wallets, err := s.store.Wallets(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		return k, err
	}
	for _, w := range wallets {
		k.wallets[w.ID] = w.Key
	}
	return k, nil
}

func adminScopeKeys(ids []int64, keys map[int64]string) *[]string {
	if ids == nil {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, keys[id])
	}
	return &out
}

func adminViewCollaborator(c store.Collaborator, k adminProgramKeys, m store.Merchant) adminCollaboratorView {
	return adminCollaboratorView{UsertoolID: c.ID, Name: c.Name, Number: c.Number, Branch: c.Branch, Type: c.Type,
		Status: c.Status, LoyaltyKeys: adminScopeKeys(c.CardScope, k.cards), WalletKeys: adminScopeKeys(c.WalletScope, k.wallets),
		CreatedAt: adminTime(c.CreatedAt, m)}
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
	writeJSON(w, http.StatusCreated, adminViewCollaborator(c, adminProgramKeys{}, adminMerchantOf(r)))
}

func (s *Server) adminListCollaborators(w http.ResponseWriter, r *http.Request) {
	cs, err := s.store.Collaborators(r.Context(), adminMerchantOf(r).ID)
	var k adminProgramKeys
	if err == nil {
		k, err = s.adminProgramKeys(r)
	}
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]adminCollaboratorView, len(cs))
	for i, c := range cs {
		out[i] = adminViewCollaborator(c, k, adminMerchantOf(r))
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
	var k adminProgramKeys
	if err == nil {
		k, err = s.adminProgramKeys(r)
	}
	if err != nil {
		s.adminFail(w, r, adminNotFoundAs(err, "collaborator"))
		return
	}
	writeJSON(w, http.StatusOK, adminViewCollaborator(c, k, adminMerchantOf(r)))
}
