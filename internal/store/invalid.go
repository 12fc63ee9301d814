package store

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// FieldError is a refused input value; it names the field so that every API
// family and the CLI can tell the caller exactly what to fix. It matches
// ErrInvalid with errors.Is.
type FieldError struct {
	Field   string // the input's name as the admin API spells it, e.g. "timezone"
	Message string // what is wrong, in a sentence fragment
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Is makes errors.Is(err, ErrInvalid) true for field errors.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// MissingError is a lookup by a caller-supplied key that found nothing; it
// names what was missing and matches ErrNotFound with errors.Is.
type MissingError struct {
	What string // e.g. "loyalty_key"
	Key  string
}

func (e *MissingError) Error() string { return fmt.Sprintf("%s %q not found", e.What, e.Key) }

// Is makes errors.Is(err, ErrNotFound) true for missing-key errors.
func (e *MissingError) Is(target error) bool { return target == ErrNotFound }

// checkName refuses blank names and names too long to show anywhere.
func checkName(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalid(field, "must not be empty")
	}
	if len(s) > 200 {
		return invalid(field, "must be at most 200 bytes")
	}
	return nil
}

// checkHTTPURL accepts "" (none) or an absolute http(s) URL.
func checkHTTPURL(field, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > 2000 {
		return invalid(field, "must be an absolute http or https URL")
	}
	return nil
}

// isForeignKeyViolation reports an insert that named a parent row (here,
// always the merchant) that does not exist.
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}
