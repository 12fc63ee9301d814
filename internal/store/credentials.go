package store

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/secret"
)

// Credential prefixes make a leaked secret recognisable at a glance.
const (
	APIKeyPrefix           = "pk_"
	ClientSecretPrefix     = "cs_"
	ThirdpartyTokenPrefix  = "tp_"
	WebhookSecretPrefix    = "whsec_"
	credentialPrefixLength = 8 // characters kept in clear to tell keys apart in listings
)

// Credential describes an issued apikey, OAuth client or third-party token
// without its secret, which is never stored.
type Credential struct {
	ID        int64
	Name      string // OAuth clients only
	Prefix    string // the first characters of the secret, to recognise it
	CreatedAt time.Time
	RevokedAt *time.Time
}

// credentialKind holds what differs between the three credential tables.
type credentialKind struct {
	table, hashColumn, prefix string
}

var (
	apiKeys          = credentialKind{"api_keys", "key_hash", APIKeyPrefix}
	thirdpartyTokens = credentialKind{"thirdparty_tokens", "token_hash", ThirdpartyTokenPrefix}
)

// issue stores the hash of a fresh secret under the merchant.
func (s *Store) issue(ctx context.Context, k credentialKind, merchantID int64) (int64, string, error) {
	plain, hash := secret.New(k.prefix)
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := merchantExists(ctx, tx, merchantID); err != nil {
			return err
		}
		return interpretError(tx.QueryRow(ctx, `INSERT INTO `+k.table+` (merchant_id, `+k.hashColumn+`, prefix)
			VALUES ($1, $2, $3) RETURNING id`, merchantID, hash, plain[:credentialPrefixLength]).Scan(&id))
	})
	if err != nil {
		return 0, "", err
	}
	return id, plain, nil
}

// revoke marks a credential revoked; an unknown id, or another merchant's,
// is ErrNotFound. Revoking twice keeps the first revocation time.
func (s *Store) revoke(ctx context.Context, table string, merchantID, id int64) error {
	// After the commit: no request may cache the key again. Revoking an
	// OAuth client revokes its tokens.
	defer s.apikeys.clear()
	defer s.tokens.clear()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE `+table+` SET revoked_at = coalesce(revoked_at, $3)
			WHERE merchant_id = $1 AND id = $2`, merchantID, id, s.clock.Now())
		if err != nil {
			return interpretError(err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// list returns a merchant's credentials of one kind, oldest first.
func (s *Store) list(ctx context.Context, table, nameColumn, prefixColumn string, merchantID int64) ([]Credential, error) {
	if _, err := s.Merchant(ctx, merchantID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT id, `+nameColumn+`, `+prefixColumn+`, created_at, revoked_at FROM `+table+`
		WHERE merchant_id = $1 ORDER BY id`, merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Credential, error) {
		var c Credential
		err := r.Scan(&c.ID, &c.Name, &c.Prefix, &c.CreatedAt, &c.RevokedAt)
		return c, err
	})
	return out, interpretError(err)
}

// merchantBy returns the merchant owning an active credential of one kind.
func (s *Store) merchantBy(ctx context.Context, k credentialKind, plain string) (Merchant, error) {
	if plain == "" {
		return Merchant{}, ErrNotFound
	}
	// The lookup is by hash, so timing reveals nothing about stored secrets.
	return scanMerchant(s.pool.QueryRow(ctx, `SELECT `+merchantColumns+` FROM merchants WHERE id =
		(SELECT merchant_id FROM `+k.table+` WHERE `+k.hashColumn+` = $1 AND revoked_at IS NULL)`, secret.Hash(plain)))
}

// CreateAPIKey issues an apikey for the POS API; the plain key is returned
// only here. An unknown merchant is ErrNotFound.
func (s *Store) CreateAPIKey(ctx context.Context, merchantID int64) (id int64, plain string, err error) {
	return s.issue(ctx, apiKeys, merchantID)
}

// RevokeAPIKey stops an apikey from authenticating.
func (s *Store) RevokeAPIKey(ctx context.Context, merchantID, id int64) error {
	return s.revoke(ctx, apiKeys.table, merchantID, id)
}

// APIKeys lists a merchant's apikeys (without secrets), oldest first.
func (s *Store) APIKeys(ctx context.Context, merchantID int64) ([]Credential, error) {
	return s.list(ctx, apiKeys.table, "''", "prefix", merchantID)
}

// MerchantByAPIKey authenticates an apikey: ErrNotFound when unknown or
// revoked. Every till request starts here, so a key found in the database
// is trusted for cacheTTL without asking again (see ttlCache).
func (s *Store) MerchantByAPIKey(ctx context.Context, plain string) (Merchant, error) {
	if plain == "" {
		return Merchant{}, ErrNotFound
	}
	h := string(secret.Hash(plain))
	m, ok, gen := s.apikeys.get(h)
	if ok {
		return m, nil
	}
	m, err := s.merchantBy(ctx, apiKeys, plain)
	if err == nil {
		s.apikeys.put(h, m, gen)
	}
	return m, err
}

// CreateThirdpartyToken issues a token for the third-party shops API.
func (s *Store) CreateThirdpartyToken(ctx context.Context, merchantID int64) (id int64, plain string, err error) {
	return s.issue(ctx, thirdpartyTokens, merchantID)
}

// RevokeThirdpartyToken stops a third-party token from authenticating.
func (s *Store) RevokeThirdpartyToken(ctx context.Context, merchantID, id int64) error {
	return s.revoke(ctx, thirdpartyTokens.table, merchantID, id)
}

// ThirdpartyTokens lists a merchant's third-party tokens (without secrets).
func (s *Store) ThirdpartyTokens(ctx context.Context, merchantID int64) ([]Credential, error) {
	return s.list(ctx, thirdpartyTokens.table, "''", "prefix", merchantID)
}

// MerchantByThirdpartyToken authenticates a third-party token: ErrNotFound
// when unknown or revoked.
func (s *Store) MerchantByThirdpartyToken(ctx context.Context, plain string) (Merchant, error) {
	return s.merchantBy(ctx, thirdpartyTokens, plain)
}

// CreateOAuthClient registers an OAuth2 client-credentials client; its
// numeric id is the client_id and the secret is returned only here.
func (s *Store) CreateOAuthClient(ctx context.Context, merchantID int64, name string) (clientID int64, plain string, err error) {
	if err := checkName("name", name); err != nil {
		return 0, "", err
	}
	plain, hash := secret.New(ClientSecretPrefix)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := merchantExists(ctx, tx, merchantID); err != nil {
			return err
		}
		return interpretError(tx.QueryRow(ctx, `INSERT INTO oauth_clients (merchant_id, name, secret_hash)
			VALUES ($1, $2, $3) RETURNING id`, merchantID, name, hash).Scan(&clientID))
	})
	if err != nil {
		return 0, "", err
	}
	return clientID, plain, nil
}

// RevokeOAuthClient stops a client from obtaining tokens.
func (s *Store) RevokeOAuthClient(ctx context.Context, merchantID, clientID int64) error {
	return s.revoke(ctx, "oauth_clients", merchantID, clientID)
}

// OAuthClients lists a merchant's OAuth clients (without secrets); Prefix is empty.
func (s *Store) OAuthClients(ctx context.Context, merchantID int64) ([]Credential, error) {
	return s.list(ctx, "oauth_clients", "name", "''", merchantID)
}

// MerchantByOAuthClient authenticates a client id and secret: ErrNotFound
// when the client is unknown, revoked or the secret is wrong, so a caller
// cannot tell which.
func (s *Store) MerchantByOAuthClient(ctx context.Context, clientID int64, plain string) (Merchant, error) {
	var stored []byte
	var merchantID int64
	err := s.pool.QueryRow(ctx, `SELECT merchant_id, secret_hash FROM oauth_clients WHERE id = $1 AND revoked_at IS NULL`,
		clientID).Scan(&merchantID, &stored)
	if err != nil {
		return Merchant{}, interpretError(err)
	}
	if subtle.ConstantTimeCompare(stored, secret.Hash(plain)) != 1 {
		return Merchant{}, ErrNotFound
	}
	return s.Merchant(ctx, merchantID)
}
