package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// The directions of a transaction type, from the customer's side.
const (
	DirCredit   = "CREDIT"
	DirDebit    = "DEBIT"
	DirTransfer = "TRANSFER"
)

// ErrSystemType is a type only the server itself posts (POINTS EXPIRED):
// the JSON API answers it 403.
var ErrSystemType = errors.New("transaction type reserved to the system")

// TxType is one entry of a merchant's transaction type catalogue.
type TxType struct {
	Name      string
	Unit      ledger.Unit
	Direction string // DirCredit, DirDebit or DirTransfer
	// ReportColumn is the stores-report column its points count in:
	// orders, coupons, balance, redeemed, expired or "" (none).
	ReportColumn  string
	Title         string // default title of its transactions
	ReversalTitle string // title of their reversals
	SystemOnly    bool
}

const txTypeColumns = `name, unit, direction, coalesce(report_column, ''), title, reversal_title, system_only`

func scanTxType(row pgx.Row) (TxType, error) {
	var t TxType
	var unit int16
	err := row.Scan(&t.Name, &unit, &t.Direction, &t.ReportColumn, &t.Title, &t.ReversalTitle, &t.SystemOnly)
	t.Unit = ledger.Unit(unit)
	return t, interpretError(err)
}

// txTypeKey names a type in the cache of types.
type txTypeKey struct {
	merchant int64
	name     string
}

// txTypeFor loads a type a client names: unknown is an FieldError on field
// (the API's 422), system-only is ErrSystemType. Every JSON API write names
// one, so a type found is cached like a time zone (cache.go): this server
// adds types but never changes or deletes one, and an unknown name is
// never cached (a type created a moment ago is found at once).
func (s *Store) txTypeFor(ctx context.Context, q querier, merchantID int64, name, field string) (TxType, error) {
	k := txTypeKey{merchantID, name}
	t, ok, gen := s.txTypes.get(k)
	var err error
	if !ok {
		t, err = scanTxType(q.QueryRow(ctx, `SELECT `+txTypeColumns+` FROM transaction_types WHERE merchant_id = $1 AND name = $2`, merchantID, name))
		if err == nil {
			s.txTypes.put(k, t, gen)
		}
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return t, &FieldError{Field: field, Message: "unknown transaction type"}
	case err != nil:
		return t, err
	case t.SystemOnly:
		return t, ErrSystemType
	}
	return t, nil
}

// TxTypes lists a merchant's catalogue by name.
func (s *Store) TxTypes(ctx context.Context, merchantID int64) ([]TxType, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+txTypeColumns+` FROM transaction_types WHERE merchant_id = $1 ORDER BY name`, merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := []TxType{}
	for rows.Next() {
		t, err := scanTxType(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, interpretError(rows.Err())
}

// CreateTxType adds a type to a merchant's catalogue (ErrConflict if the
// name exists, ErrNotFound for an unknown merchant).
func (s *Store) CreateTxType(ctx context.Context, merchantID int64, t TxType) (TxType, error) {
	var out TxType
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := merchantExists(ctx, tx, merchantID); err != nil {
			return err
		}
		var err error
		out, err = scanTxType(tx.QueryRow(ctx, `INSERT INTO transaction_types
			(merchant_id, name, unit, direction, report_column, title, reversal_title, system_only)
			VALUES ($1, $2, $3, $4, nullif($5, ''), $6, $7, false) RETURNING `+txTypeColumns,
			merchantID, t.Name, int16(t.Unit), t.Direction, t.ReportColumn, t.Title, t.ReversalTitle))
		return err
	})
	return out, err
}
