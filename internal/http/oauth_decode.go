package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// maxAPIBody bounds a JSON API request body (larger → 413).
const maxAPIBody = 1 << 20

// decodeAPI reads a JSON API body into v. A body that is not JSON, or a
// field of the wrong type, is a 422 naming the field.
func decodeAPI(r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxAPIBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return errTooLarge
		}
		return invalid("body", "unreadable body")
	}
	if !utf8.Valid(body) {
		return invalid("body", "the body is not valid UTF-8")
	}
	if hasEscapedNUL(body) {
		// Postgres text cannot hold NUL: refuse it here as the client's
		// error rather than fail the write later as ours.
		return invalid("body", "the body contains a NUL character")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return invalid(te.Field, "must be a "+te.Value+" of type "+te.Type.String())
		}
		return invalid("body", "the body is not a JSON object")
	}
	return nil
}

// queryParam reads a query parameter, dropping the quotes the seed's
// examples put around values ('2018-07-01', ’...’).
func queryParam(r *http.Request, name string) string {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	return strings.Trim(v, "'\"‘’")
}

// requiredParam is queryParam that must be present. Its text goes to
// Postgres as is, so invalid UTF-8 and NUL (%ff, %00) are the client's
// 422 here rather than a failed query (500) later.
func requiredParam(r *http.Request, name string) (string, error) {
	v := queryParam(r, name)
	switch {
	case v == "":
		return "", invalid(name, "required")
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		return "", invalid(name, "must be UTF-8 text without NUL")
	case len(v) > maxText:
		return "", invalid(name, "at most 255 characters")
	}
	return v, nil
}

// dateParam parses a required YYYY-MM-DD query parameter.
func dateParam(r *http.Request, name string) (time.Time, error) {
	v, err := requiredParam(r, name)
	if err != nil {
		return time.Time{}, err
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, invalid(name, "must be a date YYYY-MM-DD")
	}
	return d, nil
}

// dateRange reads two date parameters: from ≤ to, at most 366 days apart.
func dateRange(r *http.Request, fromName, toName string) (time.Time, time.Time, error) {
	from, err := dateParam(r, fromName)
	if err != nil {
		return from, from, err
	}
	to, err := dateParam(r, toName)
	if err != nil {
		return from, to, err
	}
	if to.Before(from) {
		return from, to, invalid(toName, "must not be before "+fromName)
	}
	if to.Sub(from) > 366*24*time.Hour {
		return from, to, invalid(toName, "the range is at most 366 days")
	}
	return from, to, nil
}

// hasEscapedNUL reports a JSON \u0000 escape: one whose backslash is not
// itself escaped (an odd run of backslashes before the u).
func hasEscapedNUL(body []byte) bool {
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(`u0000`))
		if j < 0 {
			return false
		}
		k := i + j
		n := 0
		for k-1-n >= 0 && body[k-1-n] == '\\' {
			n++
		}
		if n%2 == 1 {
			return true
		}
		i = k + 5
	}
}
