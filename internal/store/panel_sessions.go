package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// PanelSession is a browser session: a panel user's (UserID set) or a
// collaborator's on one program's cashier page (CollaboratorID and
// ProgramKey set).
type PanelSession struct {
	MerchantID     int64
	UserID         int64
	CollaboratorID int64
	ProgramKey     string
	CSRFToken      string
	ExpiresAt      time.Time
	// Email is the panel user's e-mail, or the collaborator's name.
	Email string
	// MerchantName and Location are the merchant's, for the pages' header
	// and for showing times in the merchant's zone.
	MerchantName string
	Location     *time.Location
}

// CreatePanelSession stores a session under the SHA-256 of its cookie
// token, and drops the merchant's expired sessions on the way so the table
// does not grow with abandoned logins.
func (s *Store) CreatePanelSession(ctx context.Context, tokenHash []byte, sess PanelSession) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM panel_sessions WHERE merchant_id = $1 AND expires_at < $2`,
			sess.MerchantID, s.clock.Now()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO panel_sessions (merchant_id, token_hash, user_id, collaborator_id, program_key, csrf_token, expires_at)
			VALUES ($1, $2, NULLIF($3, 0), NULLIF($4, 0), NULLIF($5, ''), $6, $7)`,
			sess.MerchantID, tokenHash, sess.UserID, sess.CollaboratorID, sess.ProgramKey, sess.CSRFToken, sess.ExpiresAt)
		return err
	})
	return interpretError(err)
}

// PanelSessionByToken returns the live session stored under tokenHash.
// A collaborator session dies with the collaborator's archiving.
// Errors: ErrNotFound (unknown or expired).
func (s *Store) PanelSessionByToken(ctx context.Context, tokenHash []byte) (PanelSession, error) {
	var sess PanelSession
	var tz string
	err := s.pool.QueryRow(ctx, `
		SELECT s.merchant_id, coalesce(s.user_id, 0), coalesce(s.collaborator_id, 0), coalesce(s.program_key, ''),
		       s.csrf_token, s.expires_at, coalesce(u.email, c.name), m.name, m.timezone
		FROM panel_sessions s
		JOIN merchants m ON m.id = s.merchant_id
		LEFT JOIN panel_users u ON u.merchant_id = s.merchant_id AND u.id = s.user_id
		LEFT JOIN collaborators c ON c.merchant_id = s.merchant_id AND c.id = s.collaborator_id
		WHERE s.token_hash = $1 AND s.expires_at > $2
		  AND (s.collaborator_id IS NULL OR c.status = 'active')`, tokenHash, s.clock.Now()).
		Scan(&sess.MerchantID, &sess.UserID, &sess.CollaboratorID, &sess.ProgramKey, &sess.CSRFToken, &sess.ExpiresAt, &sess.Email,
			&sess.MerchantName, &tz)
	if err != nil {
		return sess, interpretError(err)
	}
	sess.Location = loadLocation(tz)
	return sess, nil
}

// DeletePanelSession ends a session (logout); an unknown token is no error,
// so logging out twice is harmless.
func (s *Store) DeletePanelSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM panel_sessions WHERE token_hash = $1`, tokenHash)
	return interpretError(err)
}

// ServerKey returns the secret the server signs with under name (created
// by the migrations). Errors: ErrNotFound.
func (s *Store) ServerKey(ctx context.Context, name string) ([]byte, error) {
	var secret []byte
	err := s.pool.QueryRow(ctx, `SELECT secret FROM server_keys WHERE name = $1`, name).Scan(&secret)
	return secret, interpretError(err)
}

// loadLocation returns the named zone, or UTC when the name is unknown to
// this machine's zone database, so a page still shows times.
func loadLocation(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}
