package store

import (
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Errors the store returns; the HTTP layer maps each to its API family's code.
var (
	// ErrNotFound: the row does not exist or belongs to another merchant.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique rule refused the write (a duplicate).
	ErrConflict = errors.New("already exists")
	// ErrInvalid: the database refused a value a check constraint guards.
	ErrInvalid = errors.New("invalid value")
)

// interpretError turns driver errors into the store's domain errors and
// leaves every other error as it is.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return ErrConflict
		case "23514", "22P02", "22003", "23502":
			return ErrInvalid
		}
	}
	return err
}

// constraintName returns the name of the constraint a driver error names, if any.
func constraintName(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}
