package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/puntos/puntos/internal/store"
)

// Bounds of what a third-party request may carry. A body (code 2095, 413) or
// value (2090) beyond them is refused whole rather than cut, so nothing
// half-read is ever stored.
const (
	tpMaxBody       = 64 << 10
	tpMaxFieldBytes = 1000
	tpDefaultLimit  = 20
)

var (
	errTPInput = errors.New("malformed third-party input")
	// errTPTooLarge is errTPInput too, answered with its own code (413).
	errTPTooLarge = fmt.Errorf("%w: body over 64 KiB", errTPInput)
)

// tpFields is a request's named values, trimmed; absent and empty are alike.
type tpFields map[string]string

// tpReadBody reads a POST body as the seed's clients send it: form-encoded
// (also multipart) or a JSON object whose values are strings, numbers or
// null. A body over tpMaxBody is errTPTooLarge (413); any other shape,
// invalid UTF-8, a NUL or an oversize value is errTPInput.
func tpReadBody(w http.ResponseWriter, r *http.Request) (tpFields, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, tpMaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errTPTooLarge
		}
		return nil, errTPInput
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		return tpReadJSON(raw)
	case "multipart/form-data":
		if params["boundary"] == "" {
			return nil, errTPInput
		}
		form, err := multipart.NewReader(bytes.NewReader(raw), params["boundary"]).ReadForm(tpMaxBody)
		if err != nil {
			return nil, errTPInput
		}
		defer form.RemoveAll()
		return tpFromValues(form.Value)
	default:
		vals, err := url.ParseQuery(string(raw))
		if err != nil {
			return nil, errTPInput
		}
		return tpFromValues(vals)
	}
}

// tpInputReason is the reason a tpReadBody error is answered with.
func tpInputReason(err error) tpReason {
	if errors.Is(err, errTPTooLarge) {
		return tpTooLarge
	}
	return tpBadInput
}

func tpReadJSON(raw []byte) (tpFields, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return tpFields{}, nil // an empty body has no fields; the method says which is missing
	}
	if !utf8.Valid(raw) {
		// encoding/json would store U+FFFD in place of the bad bytes.
		return nil, errTPInput
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
		return nil, errTPInput
	}
	f := tpFields{}
	for k, v := range obj {
		switch v := v.(type) {
		case nil:
		case string:
			f[k] = v
		case json.Number:
			f[k] = v.String() // the literal as sent, so "12.50" keeps its digits
		default:
			return nil, errTPInput
		}
	}
	return f, f.check()
}

// tpReadQuery reads a GET method's query string.
func tpReadQuery(r *http.Request) (tpFields, error) {
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errTPInput
	}
	return tpFromValues(vals)
}

func tpFromValues(vals map[string][]string) (tpFields, error) {
	f := tpFields{}
	for k, v := range vals {
		if len(v) > 0 {
			f[k] = v[0]
		}
	}
	return f, f.check()
}

// check trims every value and refuses text Postgres cannot store or that no
// field of this API needs.
func (f tpFields) check() error {
	for k, v := range f {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(v) > tpMaxFieldBytes {
			return errTPInput
		}
		f[k] = strings.TrimSpace(v)
	}
	return nil
}

// tpEmailOK accepts a bare address with a dotted domain ("juan@ejemplo.com"),
// not a display name or a local-only address.
func tpEmailOK(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(strings.Trim(domain, "."), ".")
}

// tpQuery reads page (from 1) and limit (1..100, default 20) and the filters
// of a list method; page and limit answer their own reasons when malformed.
// A method lists only by the filters its store call reads.
func tpQuery(f tpFields) (store.ThirdpartyQuery, tpReason) {
	q := store.ThirdpartyQuery{Page: 1, Limit: tpDefaultLimit, Search: f["search"], ShopCode: f["code_shop"], AgentCode: f["code_agent"]}
	if v := f["page"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return q, tpBadPage
		}
		q.Page = n
	}
	if v := f["limit"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxThirdpartyLimit {
			return q, tpBadLimit
		}
		q.Limit = n
	}
	return q, tpOK
}

// The two time formats of seed 002: created_at in UTC with microseconds,
// created_at_format in the merchant's zone.
const (
	tpTimeUTC   = "2006-01-02T15:04:05.000000Z"
	tpTimeLocal = "2006-01-02 15:04:05"
)

func tpTimes(t time.Time, loc *time.Location) (utc, local string) {
	if loc == nil {
		loc = time.UTC
	}
	return t.UTC().Format(tpTimeUTC), t.In(loc).Format(tpTimeLocal)
}

// tpFlag renders a boolean as the seed's numbers: -1 true, 0 false.
func tpFlag(b bool) int {
	if b {
		return -1
	}
	return 0
}
