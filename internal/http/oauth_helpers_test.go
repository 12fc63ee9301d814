package http

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// apiClient is a merchant with an OAuth client and a token, calling /api.
type apiClient struct {
	b          *bundle
	merchantID int64
	clientID   int64
	secret     string
	token      string
}

// newMerchantClient inserts a merchant and an OAuth client the way the
// admin API stores them (SHA-256 of a random secret) and returns both ids.
func newMerchantClient(t *testing.T, b *bundle, tz string) (merchantID, clientID int64, secret string) {
	t.Helper()
	m, err := b.store.CreateMerchant(t.Context(), "m", tz)
	if err != nil {
		t.Fatal(err)
	}
	clientID, secret, err = b.store.CreateOAuthClient(t.Context(), m.ID, "pos")
	if err != nil {
		t.Fatal(err)
	}
	return m.ID, clientID, secret
}

// newAPIClient gives a fresh merchant (America/Mexico_City) a token.
func newAPIClient(t *testing.T, b *bundle) *apiClient {
	t.Helper()
	m, c, secret := newMerchantClient(t, b, "America/Mexico_City")
	r := b.doJSON(http.MethodPost, "/oauth/token", nil, map[string]any{"grant_type": "client_credentials", "client_id": c, "client_secret": secret})
	if r.Status != http.StatusOK {
		t.Fatalf("token: got %d %s", r.Status, r.Body)
	}
	tok, _ := r.JSON(t)["access_token"].(string)
	return &apiClient{b: b, merchantID: m, clientID: c, secret: secret, token: tok}
}

func (c *apiClient) auth(extra map[string]string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + c.token}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

func (c *apiClient) get(path string) *response {
	c.b.t.Helper()
	return c.b.doJSON(http.MethodGet, path, c.auth(nil), nil)
}

func (c *apiClient) post(path string, body any) *response {
	c.b.t.Helper()
	return c.b.doJSON(http.MethodPost, path, c.auth(nil), body)
}

// envelope decodes a JSON API answer.
type envelope struct {
	Code    any             `json:"code"`
	Status  string          `json:"status"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
	Warning json.RawMessage `json:"warning"`
	Error   json.RawMessage `json:"error"`
}

func decodeEnvelope(t *testing.T, r *response) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("not an envelope: %v: %s", err, r.Body)
	}
	return e
}

// wantOK checks a success envelope and decodes its data into v.
func wantOK(t *testing.T, r *response, v any) envelope {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("got %d %s, want 200", r.Status, r.Body)
	}
	e := decodeEnvelope(t, r)
	if e.Code != "200" || e.Status != "success" {
		t.Fatalf("got code %v status %q, want \"200\" success: %s", e.Code, e.Status, r.Body)
	}
	if v != nil {
		if err := json.Unmarshal(e.Data, v); err != nil {
			t.Fatalf("data: %v: %s", err, e.Data)
		}
	}
	return e
}

// wantError checks an error envelope: HTTP status = numeric code, message.
func wantError(t *testing.T, r *response, status int, message string) envelope {
	t.Helper()
	e := decodeEnvelope(t, r)
	if r.Status != status || e.Code != float64(status) || e.Status != "error" || e.Message != message {
		t.Fatalf("got %d %s, want %d %q", r.Status, r.Body, status, message)
	}
	if string(e.Error) != "[]" {
		t.Fatalf("got error %s, want []", e.Error)
	}
	return e
}

// wantField checks a 422 whose warning names field.
func wantField(t *testing.T, r *response, field string) {
	t.Helper()
	e := wantError(t, r, http.StatusUnprocessableEntity, "Error de Validacion")
	var w struct {
		Code  *string `json:"code"`
		Field string  `json:"field"`
		Value string  `json:"value"`
	}
	if err := json.Unmarshal(e.Warning, &w); err != nil || w.Field != field || w.Code != nil || w.Value == "" {
		t.Fatalf("got warning %s, want field %q with code null and a value", e.Warning, field)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
