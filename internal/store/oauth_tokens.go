package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/go-oauth2/oauth2/v4"
	oauth2errors "github.com/go-oauth2/oauth2/v4/errors"
	"github.com/go-oauth2/oauth2/v4/models"
	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/secret"
)

// OAuthTokens is go-oauth2's TokenStore over the oauth_tokens table. Only
// access tokens of the client-credentials grant exist here; codes and
// refresh tokens are never issued, so their lookups find nothing.
type OAuthTokens struct{ s *Store }

// OAuthTokenStore returns the TokenStore for go-oauth2's manager.
func (s *Store) OAuthTokenStore() *OAuthTokens { return &OAuthTokens{s: s} }

var _ oauth2.TokenStore = (*OAuthTokens)(nil)

// OAuthToken is a stored access token with the merchant its client belongs to.
type OAuthToken struct {
	*models.Token
	MerchantID int64
}

// Create stores the hash of a new access token for its client's merchant.
// A client revoked between the secret check and now gets no token.
func (t *OAuthTokens) Create(ctx context.Context, info oauth2.TokenInfo) error {
	clientID, err := strconv.ParseInt(info.GetClientID(), 10, 64)
	if err != nil {
		return oauth2errors.ErrInvalidClient
	}
	created := info.GetAccessCreateAt()
	tag, err := t.s.pool.Exec(ctx, `
		INSERT INTO oauth_tokens (merchant_id, client_id, token_hash, created_at, expires_at)
		SELECT merchant_id, id, $2, $3, $4 FROM oauth_clients WHERE id = $1 AND revoked_at IS NULL`,
		clientID, secret.Hash(info.GetAccess()), created, created.Add(info.GetAccessExpiresIn()))
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() == 0 {
		return oauth2errors.ErrInvalidClient
	}
	return nil
}

// tokenRow is what GetByAccess reads of a token.
type tokenRow struct {
	merchantID, clientID int64
	created, expires     time.Time
}

// GetByAccess finds an unrevoked token of an unrevoked client by the
// token's hash. Expiry is the manager's check (LoadAccessToken). Every JSON
// API request starts here, so a token found is trusted for cacheTTL without
// asking again; revocations through this server clear the cache.
func (t *OAuthTokens) GetByAccess(ctx context.Context, access string) (oauth2.TokenInfo, error) {
	h := secret.Hash(access)
	row, ok, gen := t.s.tokens.get(string(h))
	if !ok {
		err := t.s.pool.QueryRow(ctx, `
			SELECT t.merchant_id, t.client_id, t.created_at, t.expires_at
			FROM oauth_tokens t JOIN oauth_clients c ON c.merchant_id = t.merchant_id AND c.id = t.client_id
			WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND c.revoked_at IS NULL`,
			h).Scan(&row.merchantID, &row.clientID, &row.created, &row.expires)
		if err != nil {
			if errors.Is(interpretError(err), ErrNotFound) {
				return nil, oauth2errors.ErrInvalidAccessToken
			}
			return nil, err
		}
		t.s.tokens.put(string(h), row, gen)
	}
	tok := &OAuthToken{Token: models.NewToken(), MerchantID: row.merchantID}
	tok.ClientID = strconv.FormatInt(row.clientID, 10)
	tok.UserID = strconv.FormatInt(row.merchantID, 10)
	tok.Access = access
	tok.AccessCreateAt = row.created
	tok.AccessExpiresIn = row.expires.Sub(row.created)
	return tok, nil
}

// RemoveByAccess revokes one access token.
func (t *OAuthTokens) RemoveByAccess(ctx context.Context, access string) error {
	defer t.s.tokens.clear() // after the UPDATE: no request may cache the token again
	_, err := t.s.pool.Exec(ctx,
		`UPDATE oauth_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, secret.Hash(access))
	return interpretError(err)
}

// RemoveByCode has nothing to remove: no authorization codes are issued.
func (t *OAuthTokens) RemoveByCode(ctx context.Context, code string) error { return nil }

// RemoveByRefresh has nothing to remove: no refresh tokens are issued.
func (t *OAuthTokens) RemoveByRefresh(ctx context.Context, refresh string) error { return nil }

// GetByCode finds nothing: no authorization codes are issued.
func (t *OAuthTokens) GetByCode(ctx context.Context, code string) (oauth2.TokenInfo, error) {
	return nil, oauth2errors.ErrInvalidAuthorizeCode
}

// GetByRefresh finds nothing: no refresh tokens are issued.
func (t *OAuthTokens) GetByRefresh(ctx context.Context, refresh string) (oauth2.TokenInfo, error) {
	return nil, oauth2errors.ErrInvalidRefreshToken
}

// RevokeOAuthTokens revokes every live token of one of a merchant's clients
// and returns how many it revoked; ErrNotFound when the merchant has no such
// client.
func (s *Store) RevokeOAuthTokens(ctx context.Context, merchantID, clientID int64) (int64, error) {
	defer s.tokens.clear() // after the commit: no request may cache a token again
	var n int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM oauth_clients WHERE merchant_id = $1 AND id = $2`,
			merchantID, clientID).Scan(&one); err != nil {
			return interpretError(err)
		}
		tag, err := tx.Exec(ctx, `UPDATE oauth_tokens SET revoked_at = now()
			WHERE merchant_id = $1 AND client_id = $2 AND revoked_at IS NULL`, merchantID, clientID)
		n = tag.RowsAffected()
		return interpretError(err)
	})
	return n, err
}
