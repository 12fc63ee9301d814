package http

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/puntos/puntos/internal/store"
)

// The fuzz targets of the request decoders: whatever the bytes, the only
// outcomes are a decoded request whose text is storable (valid UTF-8, no
// NUL) or the family's documented error. `make test` runs the seed corpora
// in testdata/fuzz; `go test -fuzz=FuzzX ./internal/http` explores.

func FuzzDecodeJSONAPI(f *testing.F) {
	for _, s := range []string{
		`{"externalId":"c1","name":"Ana","data":{"a":1},"referrerExternalId":null}`,
		`{"name": 5}`, `[]`, `null`, `{"name":"\u0000"}`, `{"name":"a"} trailing`, "{\"name\":\"\xff\"}", ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/api/customer", bytes.NewReader(body))
		var v registerRequest
		err := decodeAPI(r, &v)
		var fe *fieldError
		switch {
		case err == nil:
			for _, s := range []string{v.ExternalID, v.Name, v.ReferrerExternalID} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Fatalf("decoded unstorable text %q from %q", s, body)
				}
			}
		case errors.As(err, &fe), errors.Is(err, errTooLarge):
		default:
			t.Fatalf("undocumented error %v for %q", err, body)
		}
	})
}

func FuzzDecodeThirdparty(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", []byte("code_shop=pgbsho123&name=Ana&phone=%2B52+33"))
	f.Add("application/json", []byte(`{"code_shop":"pgbsho1","name":"Ana","amount":12.5,"x":null}`))
	f.Add("application/json", []byte(`{"name":["a"]}`))
	f.Add("application/json", []byte("{\"name\":\"\xff\"}"))
	f.Add("application/x-www-form-urlencoded", []byte("name=%00&x=%ff"))
	f.Add("multipart/form-data", []byte("name=Ana"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		if contentType == "multipart/form-data" {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("name", string(body))
			mw.Close()
			body, contentType = buf.Bytes(), mw.FormDataContentType()
		}
		r := httptest.NewRequest(http.MethodPost, "/api/thirdparty/v1/add-customer", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		fields, err := tpReadBody(httptest.NewRecorder(), r)
		if err == nil && contentType == "application/json" && !utf8.Valid(body) {
			t.Fatalf("accepted a JSON body that is not UTF-8: %q", body)
		}
		if err != nil {
			if !errors.Is(err, errTPInput) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		for k, v := range fields {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(v) > tpMaxFieldBytes || v != strings.TrimSpace(v) {
				t.Fatalf("field %q decoded to unstorable %q", k, v)
			}
		}
	})
}

func TestHasEscapedNUL(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]bool{
		`{"a":"\u0000"}`: true, `{"a":"x\\\u0000"}`: true, `{"a":"\\u0000"}`: false, `{"u0000":1}`: false, `{}`: false,
	} {
		if got := hasEscapedNUL([]byte(body)); got != want {
			t.Errorf("hasEscapedNUL(%s) = %v, want %v", body, got, want)
		}
	}
}

func FuzzDecodeAPIKeyForm(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", []byte("wallet_key=wk_1&phone=477+123+4567&transaction_type=0&transaction_amount=99.50"))
	f.Add("application/json", []byte(`{"wallet_key":"wk_1","transaction_amount":99.5,"x":true,"y":null}`))
	f.Add("application/json", []byte(`{"customer_name":"\u0000","phone":["4771234567"]}`))
	f.Add("", []byte(`{"phone":"4771234567"}`))
	f.Add("application/json", []byte("{\"customer_name\":\"\xff\"}"))
	f.Add("application/x-www-form-urlencoded", []byte("customer_name=%00&phone=%ff"))
	f.Add("multipart/form-data", []byte("Ana"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		if contentType == "multipart/form-data" {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("customer_name", string(body))
			mw.Close()
			body, contentType = buf.Bytes(), mw.FormDataContentType()
		}
		r := httptest.NewRequest(http.MethodPost, "/wallet/contact/add", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		form, err := decodeAPIKeyForm(httptest.NewRecorder(), r)
		if err == nil && contentType == "application/json" && !utf8.Valid(body) {
			t.Fatalf("accepted a JSON body that is not UTF-8: %q", body)
		}
		if err != nil {
			if !errors.Is(err, errBodyUndecodable) && !errors.Is(err, errBodyTooLarge) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		for k, v := range form {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || v != strings.TrimSpace(v) {
				t.Fatalf("field %q decoded to unstorable %q", k, v)
			}
		}
	})
}

// FuzzPhoneAndBirthdate: a phone is exactly 10 ASCII digits or refused; a
// birthdate is a real calendar date or refused.
func FuzzPhoneAndBirthdate(f *testing.F) {
	for _, s := range []string{"477 123 4567", "(477) 123-4567", "477.123.4567", "+524771234567", "٤٧٧١٢٣٤٥٦٧", "1990-02-28", "1990-02-30", "1990-02-28 10:00:00", "1990-02-28T10-00-00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, ok := store.NormalizePhone(s); ok {
			if len(p) != 10 || strings.Trim(p, "0123456789") != "" {
				t.Fatalf("NormalizePhone(%q) = %q", s, p)
			}
		}
		if d, ok := parseBirthdate(s); ok {
			if d.Format("2006-01-02") != s[:10] {
				t.Fatalf("parseBirthdate(%q) = %v", s, d)
			}
		}
	})
}
