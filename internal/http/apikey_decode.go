package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// maxAPIKeyBody is the largest request body the apikey API reads; the
// biggest legitimate form is a few hundred bytes.
const maxAPIKeyBody = 64 << 10

// errBodyTooLarge and errBodyUndecodable are the two ways reading a body fails.
var (
	errBodyTooLarge    = errors.New("body over 64 KiB")
	errBodyUndecodable = errors.New("body not decodable")
)

// apikeyForm is a request's fields whatever the body's encoding, trimmed of
// surrounding spaces; a field sent empty is the same as one not sent.
type apikeyForm map[string]string

func (f apikeyForm) get(name string) string { return f[name] }

// decodeAPIKeyForm reads the body as x-www-form-urlencoded (what the seeds'
// curl lines send), multipart/form-data (PHP curl with an array body) or a
// JSON object. Unknown fields are kept and ignored by handlers. JSON numbers
// and booleans become their text, so `"transaction_amount": 99.5` and
// `transaction_amount=99.5` read the same.
func decodeAPIKeyForm(w http.ResponseWriter, r *http.Request) (apikeyForm, error) {
	var body []byte
	if b, ok := r.Body.(*bufferedBody); ok {
		body = b.takeUnread() // within maxAPIKeyBody: apikeyBodyLimit checked
	} else {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIKeyBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, errBodyTooLarge
			}
			return nil, errBodyUndecodable
		}
	}
	var mediaType string
	var params map[string]string
	if ct := r.Header.Get("Content-Type"); ct == formMediaType {
		mediaType = ct // what POS clients send; ParseMediaType would return it and no params
	} else {
		mediaType, params, _ = mime.ParseMediaType(ct)
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return apikeyForm{}, nil
	case mediaType == "application/json" || (mediaType == "" && trimmed[0] == '{'):
		return decodeJSONForm(trimmed)
	case mediaType == "multipart/form-data":
		return decodeMultipartForm(body, params["boundary"])
	default:
		return decodeURLEncodedForm(string(body))
	}
}

const formMediaType = "application/x-www-form-urlencoded"

// maxQuickFormFields bounds the bodies decodeURLEncodedForm reads itself;
// url.ParseQuery reads those with more fields (and applies its own limit
// on their number).
const maxQuickFormFields = 100

// decodeURLEncodedForm reads an x-www-form-urlencoded body to the form
// url.ParseQuery and formFromValues make of it (each field's first value)
// without building url.Values on the way. Every error is
// errBodyUndecodable, as every error of theirs was: a semicolon (which
// ParseQuery refuses), a bad escape, text that is not storable.
func decodeURLEncodedForm(body string) (apikeyForm, error) {
	fields := strings.Count(body, "&") + 1
	if fields > maxQuickFormFields {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return nil, errBodyUndecodable
		}
		return formFromValues(vals)
	}
	if strings.Contains(body, ";") {
		return nil, errBodyUndecodable
	}
	f := make(apikeyForm, fields)
	for rest := body; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			return nil, errBodyUndecodable
		}
		if v, err = url.QueryUnescape(v); err != nil {
			return nil, errBodyUndecodable
		}
		if _, seen := f[k]; seen {
			continue // the first value counts; later ones are only checked for escapes
		}
		if err := setFormField(f, k, v); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func decodeJSONForm(body []byte) (apikeyForm, error) {
	if !utf8.Valid(body) {
		// encoding/json would turn the bad bytes into U+FFFD and a key or
		// name would be looked up or stored altered: refuse, as for forms.
		return nil, errBodyUndecodable
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || dec.More() {
		return nil, errBodyUndecodable
	}
	f := apikeyForm{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			if strings.ContainsRune(v, 0) {
				return nil, errBodyUndecodable // Postgres text cannot hold NUL
			}
			f[k] = strings.TrimSpace(v)
		case json.Number:
			f[k] = v.String()
		case bool:
			f[k] = strconv.FormatBool(v)
		case nil:
			// null is the same as absent.
		default:
			// Objects and arrays are never a valid value. Refusing the body
			// (the endpoint's first code) keeps them out of free-text fields
			// such as names, where no parser would have caught them.
			return nil, errBodyUndecodable
		}
	}
	return f, nil
}

func decodeMultipartForm(body []byte, boundary string) (apikeyForm, error) {
	if boundary == "" {
		return nil, errBodyUndecodable
	}
	form, err := multipart.NewReader(bytes.NewReader(body), boundary).ReadForm(maxAPIKeyBody)
	if err != nil {
		return nil, errBodyUndecodable
	}
	defer form.RemoveAll()
	return formFromValues(form.Value)
}

func formFromValues(vals map[string][]string) (apikeyForm, error) {
	f := apikeyForm{}
	for k, vs := range vals {
		if len(vs) == 0 {
			continue
		}
		if err := setFormField(f, k, vs[0]); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// setFormField stores a field of a form body trimmed, refusing text that
// Postgres cannot store (invalid UTF-8 in the name or value, NUL in the value).
func setFormField(f apikeyForm, k, v string) error {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) || !utf8.ValidString(k) || strings.ContainsRune(v, 0) {
		return errBodyUndecodable
	}
	f[k] = v
	return nil
}

// parseBirthdate reads `YYYY-MM-DD`, optionally followed by a time (the seed
// shows "YYYY-MM-DD HH-MM-DD"; the time part is ignored but must look like
// one). Whether the date is in the past is for the store, which knows the
// merchant's time zone.
func parseBirthdate(s string) (time.Time, bool) {
	if len(s) < 10 {
		return time.Time{}, false
	}
	d, err := time.Parse("2006-01-02", s[:10])
	if err != nil {
		return time.Time{}, false
	}
	rest := s[10:]
	if rest == "" {
		return d, true
	}
	if rest[0] != ' ' && rest[0] != 'T' {
		return time.Time{}, false
	}
	t := strings.TrimSpace(rest[1:])
	for _, layout := range []string{"15:04:05", "15:04", "15-04-05"} {
		if _, err := time.Parse(layout, t); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// parseID reads a positive decimal id (usertool_id); anything else is not an
// id of this merchant.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// saleCommon reads the fields every sale endpoint checks first, in this
// order: program key, phone missing, phone malformed (missing holds those
// three codes). usertool_id is read but its "missing" check is the caller's,
// since each endpoint places it differently.
func saleCommon(f apikeyForm, keyField string, missing [3]apikeyError) (store.SaleInput, *apikeyError) {
	in := store.SaleInput{Key: f.get(keyField), Ticket: f.get("ticket")}
	var phoneOK bool
	in.Phone, phoneOK = store.NormalizePhone(f.get("phone"))
	switch {
	case in.Key == "":
		return in, errorRef(missing[0])
	case f.get("phone") == "":
		return in, errorRef(missing[1])
	case !phoneOK:
		return in, errorRef(missing[2])
	}
	in.CollaboratorID, _ = parseID(f.get("usertool_id"))
	return in, nil
}

// errorRef returns a pointer to a copy of e. (Pointing into saleCommon's
// missing array instead moved that array to the heap on every sale,
// refused or not.)
func errorRef(e apikeyError) *apikeyError { return &e }

// parsePositive reads an amount that must be above zero; bad is true for
// anything ledger.ParseAmount refuses and for zero.
func parsePositive(s string) (a ledger.Amount, bad bool) {
	a, err := ledger.ParseAmount(s)
	return a, err != nil || !a.Positive()
}
