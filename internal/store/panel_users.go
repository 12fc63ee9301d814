package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// PanelUser is a merchant's login to the panel.
type PanelUser struct {
	ID         int64
	MerchantID int64
	Email      string
	CreatedAt  time.Time
}

// CreatePanelUser adds a panel login to a merchant. passwordHash is the
// bcrypt hash the caller computed; the store never sees the password.
// Errors: ErrNotFound (no such merchant), ErrConflict (e-mail taken, in any
// merchant), ErrInvalid (empty or over-long e-mail).
func (s *Store) CreatePanelUser(ctx context.Context, merchantID int64, email, passwordHash string) (PanelUser, error) {
	u := PanelUser{MerchantID: merchantID, Email: strings.TrimSpace(email)}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := merchantExists(ctx, tx, merchantID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO panel_users (merchant_id, email, password_hash) VALUES ($1, $2, $3)
			RETURNING id, created_at`, merchantID, u.Email, passwordHash).Scan(&u.ID, &u.CreatedAt)
	})
	return u, interpretError(err)
}

// PanelUserForLogin finds a panel user by e-mail (case-insensitive) and
// returns it with its password hash. Errors: ErrNotFound.
func (s *Store) PanelUserForLogin(ctx context.Context, email string) (PanelUser, string, error) {
	var u PanelUser
	var hash string
	err := s.pool.QueryRow(ctx, `
		SELECT merchant_id, id, email, created_at, password_hash FROM panel_users
		WHERE lower(email) = lower($1)`, strings.TrimSpace(email)).
		Scan(&u.MerchantID, &u.ID, &u.Email, &u.CreatedAt, &hash)
	return u, hash, interpretError(err)
}
