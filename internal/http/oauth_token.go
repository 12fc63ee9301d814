package http

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/go-oauth2/oauth2/v4"
	oauth2errors "github.com/go-oauth2/oauth2/v4/errors"
	"github.com/go-oauth2/oauth2/v4/manage"

	"github.com/puntos/puntos/internal/store"
)

// newOAuthManager wires go-oauth2 to our Postgres stores: it checks the
// client's secret, generates the token and records it. Tokens live as long
// as TOKEN_TTL and no refresh tokens are issued (client credentials).
func newOAuthManager(st *store.Store, ttl time.Duration) *manage.Manager {
	m := manage.NewManager()
	m.SetClientTokenCfg(&manage.Config{AccessTokenExp: ttl})
	m.MapAccessGenerate(randomAccess{})
	m.MapClientStorage(st.OAuthClientStore())
	m.MapTokenStorage(st.OAuthTokenStore())
	return m
}

// randomAccess makes access tokens of 32 random bytes, as every secret here.
type randomAccess struct{}

func (randomAccess) Token(ctx context.Context, data *oauth2.GenerateBasic, isGenRefresh bool) (string, string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), "", nil
}

var (
	errTokenInvalidRequest = tokenError{http.StatusBadRequest, "invalid_request", "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."}
	errTokenGrant          = tokenError{http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server."}
	errTokenClient         = tokenError{http.StatusUnauthorized, "invalid_client", "Client authentication failed"}
	errTokenTooMany        = tokenError{http.StatusTooManyRequests, "too_many_requests", "Too Many Attempts."}
)

// tokenRequest is the seed's JSON body; client_id is a number there, and a
// numeric string is accepted too.
type tokenRequest struct {
	GrantType    string          `json:"grant_type"`
	ClientID     json.RawMessage `json:"client_id"`
	ClientSecret string          `json:"client_secret"`
}

// token is POST /oauth/token: the seed's JSON body or RFC 6749's form body
// (client credentials also accepted through HTTP Basic).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if !s.tokenLimiter.allow(w, "ip:"+clientIP(r)) {
		s.writeTokenError(w, r, errTokenTooMany)
		return
	}
	grant, id, secret, ok := readTokenRequest(r)
	switch {
	case !ok || grant == "":
		s.writeTokenError(w, r, errTokenInvalidRequest)
		return
	case grant != string(oauth2.ClientCredentials):
		s.writeTokenError(w, r, errTokenGrant)
		return
	case id == "" || secret == "":
		s.writeTokenError(w, r, errTokenInvalidRequest)
		return
	}
	ti, err := s.oauth.GenerateAccessToken(r.Context(), oauth2.ClientCredentials, &oauth2.TokenGenerateRequest{
		ClientID: id, ClientSecret: secret, Request: r,
	})
	if err != nil {
		if errors.Is(err, oauth2errors.ErrInvalidClient) {
			s.writeTokenError(w, r, errTokenClient)
			return
		}
		s.log.Error("oauth token", "request_id", infoOf(r).requestID, "err", err)
		s.writeTokenError(w, r, tokenError{http.StatusInternalServerError, "server_error", "Internal Server Error"})
		return
	}
	if tok, ok := ti.(*store.OAuthToken); ok {
		noteMerchant(r, tok.MerchantID)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":   "Bearer",
		"expires_in":   int64(ti.GetAccessExpiresIn() / time.Second),
		"access_token": ti.GetAccess(),
	})
}

// readTokenRequest decodes either body; ok is false for a malformed one.
func readTokenRequest(r *http.Request) (grant, id, secret string, ok bool) {
	r.Body = http.MaxBytesReader(nil, r.Body, 64<<10)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			return "", "", "", false
		}
		grant, id, secret = r.PostForm.Get("grant_type"), r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	} else {
		var body tokenRequest
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return "", "", "", false
		}
		grant, secret = body.GrantType, body.ClientSecret
		if len(body.ClientID) > 0 {
			var n json.Number
			if err := json.Unmarshal(body.ClientID, &n); err == nil {
				id = n.String()
			} else if err := json.Unmarshal(body.ClientID, &id); err != nil {
				return "", "", "", false
			}
		}
	}
	if u, p, basic := r.BasicAuth(); basic && id == "" && secret == "" {
		id, secret = u, p
	}
	return grant, strings.TrimSpace(id), secret, true
}
