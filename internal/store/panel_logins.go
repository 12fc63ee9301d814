package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"
)

// RecentLoginFailures counts the failed logins of scope since since.
func (s *Store) RecentLoginFailures(ctx context.Context, scope string, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE scope = $1 AND at > $2`, scope, since).Scan(&n)
	return n, interpretError(err)
}

// RecordLoginFailure notes a failed login of scope, and forgets failures
// older than a day so the table stays small.
func (s *Store) RecordLoginFailure(ctx context.Context, scope string) error {
	now := s.clock.Now()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE scope = $1 AND at < $2`, scope, now.Add(-24*time.Hour)); err != nil {
			return interpretError(err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO login_failures (scope, at) VALUES ($1, $2)`, scope, now)
		return interpretError(err)
	})
}

// CollaboratorByPIN finds the merchant's active collaborator whose till PIN
// is pin: the keyed HMAC finds the one candidate, bcrypt confirms it.
// Errors: ErrNotFound (no active collaborator has that PIN).
func (s *Store) CollaboratorByPIN(ctx context.Context, merchantID int64, pin string) (Collaborator, error) {
	var key []byte
	if err := s.pool.QueryRow(ctx, `SELECT pin_key FROM merchants WHERE id = $1`, merchantID).Scan(&key); err != nil {
		return Collaborator{}, interpretError(err)
	}
	if key == nil {
		return Collaborator{}, ErrNotFound // no collaborator was ever created
	}
	var hash string
	row := s.pool.QueryRow(ctx, `SELECT pin_hash, `+collaboratorColumns+` FROM collaborators
		WHERE merchant_id = $1 AND pin_hmac = $2 AND status = 'active'`, merchantID, pinMAC(key, pin))
	var c Collaborator
	err := row.Scan(&hash, &c.MerchantID, &c.ID, &c.Name, &c.Number, &c.Branch, &c.Type, &c.Status, &c.CardScope,
		&c.WalletScope, &c.CreatedAt, &c.ArchivedAt)
	if err != nil {
		return Collaborator{}, interpretError(err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(pin)) != nil {
		return Collaborator{}, ErrNotFound
	}
	return c, nil
}
