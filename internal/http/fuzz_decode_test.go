package http

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/puntos/puntos/internal/ledger"
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

// FuzzDecodeAdminBody: an admin body is a card, a wallet or a merchant
// patch whose text is storable and whose amounts are in range, or the admin
// error table's answer: 400 invalid_json, 413 body_too_large, 422
// unknown_field or invalid_field naming a field.
func FuzzDecodeAdminBody(f *testing.F) {
	for _, s := range []string{
		`{"name":"Café","stamps_required":5,"default_amount":"10.50","webhook_url":null,"custom_js":"alert(1)"}`,
		`{"name":"Monedero","cashback_percent":5.25,"points_ttl_days":30}`,
		`{"contact_quota":null,"allowed_ladas":["477"],"messaging":{"channel":"http","url":"http://x"}}`,
		`{"default_amount":1e3}`, `{"cashback_percent":"-0"}`, `{"name":"\u0000"}`, "{\"name\":\"\xff\"}",
		`{"nombre":1}`, `[]`, `null`, ``, `{"name":"a"} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		decode := func(fields []string, into func(adminBody) ([]string, []*ledger.Amount, error)) {
			r := httptest.NewRequest(http.MethodPost, "/admin/v1/merchants/1/x", bytes.NewReader(body))
			b, err := readAdminBody(r, fields...)
			var texts []string
			var amounts []*ledger.Amount
			if err == nil {
				texts, amounts, err = into(b)
			}
			if err != nil {
				var ae *adminError
				if !errors.As(err, &ae) {
					t.Fatalf("undocumented error %v for %q", err, body)
				}
				switch {
				case ae.Status == http.StatusBadRequest && ae.Code == adminInvalidJSON:
				case ae.Status == http.StatusRequestEntityTooLarge && ae.Code == adminBodyTooLarge:
				case ae.Status == http.StatusUnprocessableEntity && ae.Code == adminInvalidField && ae.Field != "":
				case ae.Status == http.StatusUnprocessableEntity && ae.Code == adminUnknownField:
					// Names the key as sent, which may be "" ({"": 1}).
				default:
					t.Fatalf("undocumented answer %+v for %q", ae, body)
				}
				return
			}
			for _, s := range texts {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Fatalf("decoded unstorable text %q from %q", s, body)
				}
			}
			for _, a := range amounts {
				if a != nil && (*a < 0 || *a > ledger.MaxAmount) {
					t.Fatalf("decoded amount %d out of range from %q", *a, body)
				}
			}
		}
		decode(adminCardFields, func(b adminBody) ([]string, []*ledger.Amount, error) {
			in, err := adminCardInput(b)
			return []string{in.Name, deref(in.CustomJS), deref(in.WebhookURL)}, []*ledger.Amount{in.DefaultAmount}, err
		})
		decode(adminWalletFields, func(b adminBody) ([]string, []*ledger.Amount, error) {
			in, err := adminWalletInput(b)
			return []string{in.Name, deref(in.WebhookURL)}, []*ledger.Amount{in.CashbackPercent}, err
		})
		decode([]string{"name", "timezone", "contact_quota", "operation_quota", "message_credit", "allowed_ladas",
			"landline_prefixes", "allow_negative_on_reversal", "messaging"}, func(b adminBody) ([]string, []*ledger.Amount, error) {
			p, err := adminMerchantPatch(b)
			texts := append([]string{p.Name.Value, p.Timezone.Value, p.MessagingChannel.Value, p.MessagingURL.Value},
				append(p.AllowedLadas.Value, p.LandlinePrefixes.Value...)...)
			return texts, nil, err
		})
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// FuzzJSONAPIQuery: the JSON API's query parameters (history's customerId,
// page and per_page; the date ranges of pointsByCustomer, reloadsByCustomer
// and the daily reports) are a valid value or a 422 naming the parameter.
func FuzzJSONAPIQuery(f *testing.F) {
	for _, s := range []string{
		"customerId=C1&page=2&per_page=50", "from=2026-01-01&to=2026-01-31", "from='2018-07-01'&to=’2018-07-31’",
		"from=2026-02-30&to=2026-03-01", "from=2026-12-31&to=2026-01-01", "from=2020-01-01&to=2026-01-01",
		"customerId=%ff&page=0", "customerId=a%00&page=1e3&per_page=-0", "from=+2026-01-01", ";;%zz&from", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/transaction/history", RawQuery: query}}
		named := func(err error, names ...string) {
			t.Helper()
			var fe *fieldError
			if !errors.As(err, &fe) || !slices.Contains(names, fe.Field) || fe.Value == "" {
				t.Fatalf("error %v for %q, want a 422 naming one of %v", err, query, names)
			}
		}
		if v, err := requiredParam(r, "customerId"); err != nil {
			named(err, "customerId")
		} else if v == "" || !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(v) > maxText {
			t.Fatalf("requiredParam accepted %q from %q", v, query)
		}
		if n, err := positiveParam(r, "page", 1, store.MaxHistoryDepth); err != nil {
			named(err, "page")
		} else if n < 1 || n > store.MaxHistoryDepth {
			t.Fatalf("page %d from %q", n, query)
		}
		from, to, err := dateRange(r, "from", "to")
		if err != nil {
			named(err, "from", "to")
			return
		}
		if to.Before(from) || to.Sub(from) > 366*24*time.Hour {
			t.Fatalf("range %v..%v from %q", from, to, query)
		}
		if from.Format(time.DateOnly) != queryParam(r, "from") || to.Format(time.DateOnly) != queryParam(r, "to") {
			t.Fatalf("dates %v..%v are not what %q sent", from, to, query)
		}
	})
}
