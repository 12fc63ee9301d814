package http

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestThirdpartyTimeFormats(t *testing.T) {
	t.Parallel()
	mx, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		at         time.Time
		loc        *time.Location
		utc, local string
	}{
		// The seed's instant. Its example shows 18:57:37, the offset Mexico
		// City had before it dropped daylight saving time in 2022; the
		// current zone database says UTC-6 all year.
		{"SeedInstant", time.Date(2024, 8, 8, 23, 57, 37, 0, time.UTC), mx, "2024-08-08T23:57:37.000000Z", "2024-08-08 17:57:37"},
		{"MicrosecondsKept", time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC), mx, "2024-01-02T03:04:05.123456Z", "2024-01-01 21:04:05"},
		{"OtherZoneInstant", time.Date(2024, 1, 2, 3, 4, 5, 0, mx), time.UTC, "2024-01-02T09:04:05.000000Z", "2024-01-02 09:04:05"},
		{"NilZoneIsUTC", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), nil, "2024-01-02T03:04:05.000000Z", "2024-01-02 03:04:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			utc, local := tpTimes(tt.at, tt.loc)
			if utc != tt.utc || local != tt.local {
				t.Errorf("got %q %q, want %q %q", utc, local, tt.utc, tt.local)
			}
		})
	}
}

func TestThirdpartyEmailCheck(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"juan@ejemplo.com": true, "negocio@outlook.mx": true, "a.b+c@sub.example.org": true,
		"juan@": false, "juan": false, "juan@localhost": false, "Juan <juan@ejemplo.com>": false, "juan@ejemplo.com.": false,
	} {
		if got := tpEmailOK(s); got != want {
			t.Errorf("tpEmailOK(%q): got %v, want %v", s, got, want)
		}
	}
}

// The error table and api/openapi.yaml must say the same: each method's
// codes are documented under their HTTP status, and nothing else is.
func TestThirdpartyCodesMatchTheContract(t *testing.T) {
	t.Parallel()
	contract.once.Do(loadContract)
	if contract.err != nil {
		t.Fatal(contract.err)
	}
	for method, codes := range tpCodes {
		item := contract.doc.Paths.Value("/api/thirdparty/v1/" + method)
		if item == nil {
			t.Errorf("%s: not in api/openapi.yaml", method)
			continue
		}
		var op *openapi3.Operation
		for _, o := range item.Operations() {
			op = o
		}
		documented := map[string][]string{}
		for status, ref := range op.Responses.Map() {
			schema := ref.Value.Content.Get("application/json").Schema.Value
			if status == "200" {
				documented[status] = []string{schema.Properties["success"].Value.Properties["code"].Value.Const.(string)}
				continue
			}
			for _, e := range schema.AllOf[1].Value.Properties["error"].Value.Properties["code"].Value.Enum {
				documented[status] = append(documented[status], e.(string))
			}
		}
		used := map[string][]string{}
		for _, c := range codes {
			status := itoa(c.Status)
			used[status] = append(used[status], c.Code)
		}
		for status := range mergeKeys(documented, used) {
			d, u := slices.Sorted(slices.Values(documented[status])), slices.Sorted(slices.Values(used[status]))
			if !slices.Equal(d, u) {
				t.Errorf("%s HTTP %s: api/openapi.yaml documents %v, the error table answers %v", method, status, d, u)
			}
		}
	}
}

func mergeKeys(a, b map[string][]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// FuzzThirdpartyBody feeds arbitrary bodies to the form and JSON readers:
// they never panic, and what they accept is clean text a column can hold.
func FuzzThirdpartyBody(f *testing.F) {
	for _, seed := range []string{
		`{"code_shop": "pgbsho1", "name": "Mario", "amount": 150.50}`, `{"name": null}`, `[]`, `{"a": {"b": 1}}`,
		`{"name": "\u0000"}`, "code_shop=pgbsho1&name=Mario", "name=%ff%fe", "a=1&a=2&=3", "%zz", "",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, ct := range []string{"application/json", "application/x-www-form-urlencoded"} {
			r := httptest.NewRequest(http.MethodPost, "/api/thirdparty/v1/add-customer", bytes.NewReader(body))
			r.Header.Set("Content-Type", ct)
			fields, err := tpReadBody(httptest.NewRecorder(), r)
			if err != nil {
				continue
			}
			for k, v := range fields {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(v) > tpMaxFieldBytes || v != strings.TrimSpace(v) {
					t.Fatalf("%s accepted %q = %q", ct, k, v)
				}
			}
		}
	})
}
