package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/puntos/puntos/internal/ledger"
)

// maxAdminBody bounds admin request bodies; custom_js is the largest field.
const maxAdminBody = 256 << 10

// adminBody is a decoded JSON object whose fields are read one by one, so that
// "absent", "null" and a value stay three different things (PATCH needs
// all three) and every refusal names its field.
type adminBody map[string]json.RawMessage

// readAdminBody decodes the request's JSON object and refuses fields outside
// allowed: a typo in an operator's script should fail loudly, not be ignored.
func readAdminBody(r *http.Request, allowed ...string) (adminBody, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxAdminBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &adminError{http.StatusRequestEntityTooLarge, adminBodyTooLarge,
				fmt.Sprintf("the body exceeds %d bytes", maxAdminBody), ""}
		}
		return nil, &adminError{http.StatusBadRequest, adminInvalidJSON, "the body could not be read", ""}
	}
	b := adminBody{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return b, nil // an empty body is an empty object: POST .../apikeys needs none
	}
	// encoding/json would turn invalid UTF-8 into U+FFFD, and Postgres text
	// cannot hold NUL: both are the operator's error, not a 500 later.
	if !utf8.Valid(raw) {
		return nil, &adminError{http.StatusBadRequest, adminInvalidJSON, "the body is not valid UTF-8", ""}
	}
	if hasEscapedNUL(raw) {
		return nil, &adminError{http.StatusBadRequest, adminInvalidJSON, "the body contains a NUL character (\\u0000)", ""}
	}
	if err := json.Unmarshal(raw, &b); err != nil || b == nil {
		return nil, &adminError{http.StatusBadRequest, adminInvalidJSON, "the body must be a JSON object", ""}
	}
	for k := range b {
		if !slices.Contains(allowed, k) {
			return nil, &adminError{http.StatusUnprocessableEntity, adminUnknownField,
				fmt.Sprintf("unknown field %q (known: %s)", k, strings.Join(allowed, ", ")), k}
		}
	}
	return b, nil
}

// has reports whether the field was given at all (null included).
func (b adminBody) has(name string) bool { _, ok := b[name]; return ok }

// isNull reports whether the field was given as null.
func (b adminBody) isNull(name string) bool { return b.has(name) && string(b[name]) == "null" }

func adminWrongType(field, want string) error {
	return &adminError{http.StatusUnprocessableEntity, adminInvalidField, field + ": must be " + want, field}
}

// field decodes one given, non-null field into dst; want describes the
// expected type for the error message.
func adminField[T any](b adminBody, name, want string, dst *T) error {
	if err := json.Unmarshal(b[name], dst); err != nil {
		return adminWrongType(name, want)
	}
	return nil
}

// adminOptional returns a pointer to the field's value, nil when it is absent;
// null is refused because these fields have no "unset" state.
func adminOptional[T any](b adminBody, name, want string) (*T, error) {
	if !b.has(name) {
		return nil, nil
	}
	if b.isNull(name) {
		return nil, adminWrongType(name, want)
	}
	var v T
	if err := adminField(b, name, want, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// adminAmount reads an exact decimal with at most two places, given as a
// JSON number (5, 5.5, 5.25) or a string ("5.00"); never through float64.
func adminAmount(b adminBody, name string) (ledger.Amount, error) {
	raw := strings.TrimSpace(string(b[name]))
	var s string
	if strings.HasPrefix(raw, `"`) {
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return 0, adminWrongType(name, "a decimal number with at most two places")
		}
	} else {
		s = raw
	}
	a, err := ledger.ParseAmount(s)
	if err != nil {
		return 0, adminWrongType(name, "a decimal number from 0 with at most two places")
	}
	return a, nil
}

// adminRequired decodes a field that must be present and not null.
func adminRequired[T any](b adminBody, name, want string) (T, error) {
	var v T
	if !b.has(name) || b.isNull(name) {
		return v, adminWrongType(name, want)
	}
	err := adminField(b, name, want, &v)
	return v, err
}

// adminNullableAmount reads an amount where null clears the setting (as 0, which
// the store takes to mean "none"); absent is nil.
func adminNullableAmount(b adminBody, name string) (*ledger.Amount, error) {
	if !b.has(name) {
		return nil, nil
	}
	var a ledger.Amount
	if !b.isNull(name) {
		var err error
		if a, err = adminAmount(b, name); err != nil {
			return nil, err
		}
	}
	return &a, nil
}

// adminNullableString reads a string where null clears it (as ""); absent is nil.
func adminNullableString(b adminBody, name string) (*string, error) {
	if !b.has(name) {
		return nil, nil
	}
	var v string
	if !b.isNull(name) {
		if err := adminField(b, name, "a string or null", &v); err != nil {
			return nil, err
		}
	}
	return &v, nil
}
