package store

import (
	"context"
	"crypto/subtle"
	"errors"
	"strconv"

	"github.com/go-oauth2/oauth2/v4"
	oauth2errors "github.com/go-oauth2/oauth2/v4/errors"

	"github.com/puntos/puntos/internal/secret"
)

// OAuthClients is go-oauth2's ClientStore over the oauth_clients table.
// Secrets are kept as SHA-256, so the client it returns verifies a presented
// secret itself (oauth2.ClientPasswordVerifier) instead of exposing one.
type OAuthClients struct{ s *Store }

// OAuthClientStore returns the ClientStore for go-oauth2's manager.
func (s *Store) OAuthClientStore() *OAuthClients { return &OAuthClients{s: s} }

var _ oauth2.ClientStore = (*OAuthClients)(nil)

// oauthClient is one active client; UserID carries its merchant id.
type oauthClient struct {
	id         string
	merchantID int64
	secretHash []byte
}

func (c *oauthClient) GetID() string     { return c.id }
func (c *oauthClient) GetSecret() string { return "" }
func (c *oauthClient) GetDomain() string { return "" }
func (c *oauthClient) IsPublic() bool    { return false }
func (c *oauthClient) GetUserID() string { return strconv.FormatInt(c.merchantID, 10) }

// VerifyPassword compares the presented secret's hash in constant time.
func (c *oauthClient) VerifyPassword(plain string) bool {
	return subtle.ConstantTimeCompare(secret.Hash(plain), c.secretHash) == 1
}

// GetByID loads an active client by its numeric id; an unknown, malformed
// or revoked id is oauth2's ErrInvalidClient, as a wrong secret is.
func (c *OAuthClients) GetByID(ctx context.Context, id string) (oauth2.ClientInfo, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, oauth2errors.ErrInvalidClient
	}
	cl := &oauthClient{id: id}
	err = c.s.pool.QueryRow(ctx,
		`SELECT merchant_id, secret_hash FROM oauth_clients WHERE id = $1 AND revoked_at IS NULL`, n).
		Scan(&cl.merchantID, &cl.secretHash)
	if err != nil {
		if errors.Is(interpretError(err), ErrNotFound) {
			return nil, oauth2errors.ErrInvalidClient
		}
		return nil, err
	}
	return cl, nil
}
