package http

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/adminview"
	"github.com/puntos/puntos/internal/store"
)

// adminCredentialKind is what differs between the three credential resources.
type adminCredentialKind struct {
	what   string // for "... not found"
	list   func(*store.Store, context.Context, int64) ([]store.Credential, error)
	revoke func(*store.Store, context.Context, int64, int64) error
}

var (
	adminAPIKeys          = adminCredentialKind{"apikey", (*store.Store).APIKeys, (*store.Store).RevokeAPIKey}
	adminOAuthClients     = adminCredentialKind{"oauth client", (*store.Store).OAuthClients, (*store.Store).RevokeOAuthClient}
	adminThirdpartyTokens = adminCredentialKind{"third-party token", (*store.Store).ThirdpartyTokens, (*store.Store).RevokeThirdpartyToken}
)

// adminListCredentials answers {"<key>": [...]} for one kind.
func (s *Server) adminListCredentials(k adminCredentialKind, key string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m := adminMerchantOf(r)
		cs, err := k.list(s.store, r.Context(), m.ID)
		if err != nil {
			s.adminFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{key: adminview.CredentialsOf(cs, m)})
	}
}

// adminRevokeCredential answers 204 once the credential no longer authenticates;
// another merchant's id is answered as unknown.
func (s *Server) adminRevokeCredential(k adminCredentialKind, param string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
		if err == nil {
			err = k.revoke(s.store, r.Context(), adminMerchantOf(r).ID, id)
		}
		if err != nil {
			if errors.Is(err, store.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange) {
				err = adminNotFoundErr(k.what)
			}
			s.adminFail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) adminCreateAPIKey(w http.ResponseWriter, r *http.Request) {
	if _, err := readAdminBody(r); err != nil {
		s.adminFail(w, r, err)
		return
	}
	id, key, err := s.store.CreateAPIKey(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "apikey": key})
}

func (s *Server) adminCreateThirdpartyToken(w http.ResponseWriter, r *http.Request) {
	if _, err := readAdminBody(r); err != nil {
		s.adminFail(w, r, err)
		return
	}
	id, tok, err := s.store.CreateThirdpartyToken(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "token": tok})
}

func (s *Server) adminCreateOAuthClient(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, "name")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	name, err := adminRequired[string](b, "name", "a non-empty string")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	id, sec, err := s.store.CreateOAuthClient(r.Context(), adminMerchantOf(r).ID, name)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"client_id": id, "client_secret": sec, "name": name})
}
