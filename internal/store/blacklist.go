package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// NormalizePhone strips the separators people type (spaces, "-", "(", ")"
// and ".") and returns the 10-digit number, or ok=false when what is left is
// not exactly 10 ASCII digits.
func NormalizePhone(s string) (phone string, ok bool) {
	phone = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')', '.':
			return -1
		}
		return r
	}, s)
	if len(phone) != 10 || strings.Trim(phone, "0123456789") != "" {
		return "", false
	}
	return phone, true
}

func checkPhone(field, s string) (string, error) {
	phone, ok := NormalizePhone(s)
	if !ok {
		return "", invalid(field, "must be a 10-digit phone number")
	}
	return phone, nil
}

// BlockPhone adds a phone to the merchant's blacklist; blocking a blocked
// phone changes nothing. An unknown merchant is ErrNotFound.
func (s *Store) BlockPhone(ctx context.Context, merchantID int64, phone string) error {
	phone, err := checkPhone("phone", phone)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := merchantExists(ctx, tx, merchantID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO blacklist (merchant_id, phone) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			merchantID, phone)
		return interpretError(err)
	})
}

// UnblockPhone removes a phone from the blacklist; a phone that was not
// blocked is ErrNotFound.
func (s *Store) UnblockPhone(ctx context.Context, merchantID int64, phone string) error {
	phone, err := checkPhone("phone", phone)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM blacklist WHERE merchant_id = $1 AND phone = $2`, merchantID, phone)
		if err != nil {
			return interpretError(err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// IsBlocked reports whether the merchant blocked the phone (normalized as
// NormalizePhone does; a malformed phone is simply not blocked).
func (s *Store) IsBlocked(ctx context.Context, merchantID int64, phone string) (bool, error) {
	if p, ok := NormalizePhone(phone); ok {
		phone = p
	}
	var blocked bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blacklist WHERE merchant_id = $1 AND phone = $2)`,
		merchantID, phone).Scan(&blocked)
	return blocked, interpretError(err)
}

// Blacklist lists the merchant's blocked phones in order.
func (s *Store) Blacklist(ctx context.Context, merchantID int64) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT phone FROM blacklist WHERE merchant_id = $1 ORDER BY phone`, merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, interpretError(err)
}
