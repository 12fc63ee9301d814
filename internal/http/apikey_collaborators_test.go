package http

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func employee(name, number, pin string) url.Values {
	return url.Values{"type": {"cajero"}, "employee_name": {name}, "business_name": {"Centro"}, "number": {number}, "password": {pin}}
}

func TestEmployeeAddErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	for _, tc := range []struct {
		name   string
		header map[string]string
		form   url.Values
		status int
		code   string
	}{
		{"NoAPIKey", map[string]string{}, employee("Luis", "4779876543", "9876"), 401, "auth_01"},
		{"UnknownAPIKey", map[string]string{"apikey": "ak_nope"}, employee("Luis", "4779876543", "9876"), 401, "auth_01"},
		{"BadType", nil, url.Values{"type": {"jefe"}, "employee_name": {"Luis"}, "business_name": {"C"}, "number": {"4779876543"}, "password": {"9876"}}, 400, "err_toolusers_02"},
		{"NoName", nil, employee("", "4779876543", "9876"), 400, "err_toolusers_02"},
		{"NoBranch", nil, url.Values{"type": {"gerente"}, "employee_name": {"Luis"}, "number": {"4779876543"}, "password": {"9876"}}, 400, "err_toolusers_02"},
		{"BadNumber", nil, employee("Luis", "47798", "9876"), 400, "err_toolusers_02"},
		{"ShortPassword", nil, employee("Luis", "4779876543", "987"), 400, "err_toolusers_02"},
		{"SameName", nil, employee("ana", "4779876543", "9876"), 409, "err_toolusers_03"},
		{"SamePassword", nil, employee("Luis", "4779876543", "1234"), 409, "err_toolusers_03"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			h := tc.header
			if h == nil {
				h = map[string]string{"apikey": p.key}
			}
			r := b.doForm("/employee/add", h, tc.form)
			expectCode(t, r, "/employee/add", tc.status, tc.code)
			if after := p.snapshot(); after != before {
				t.Fatalf("a refused request wrote: before %s, after %s", before, after)
			}
		})
	}
}

func TestEmployeeAddListDisable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	r := p.post("/employee/add", employee("Luis", "(477) 987-6543", "9876"))
	body := expectCode(t, r, "/employee/add", 200, "toolusers_01")
	if body["message"] != "Usuario creado con éxito." || body["collaboratorId"] == nil {
		t.Fatalf("got %s", r.Body)
	}
	// The PIN is kept as a bcrypt hash and an HMAC, never in clear.
	var hash string
	var mac []byte
	if err := b.store.Pool().QueryRow(t.Context(), `SELECT pin_hash, pin_hmac FROM collaborators WHERE name = 'Luis'`).Scan(&hash, &mac); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$2") || bytes.Contains(mac, []byte("9876")) || strings.Contains(hash, "9876") {
		t.Fatalf("PIN stored in a recoverable form: %q %x", hash, mac)
	}

	r = p.post("/employee/disable", url.Values{"number": {"4779876543"}, "type": {"cajero"}, "password": {"x"}})
	body = expectCode(t, r, "/employee/disable", 200, "toolusers_01")
	if body["message"] != "Se archivó correctamente el usuario." {
		t.Fatalf("got %s", r.Body)
	}
	expectCode(t, p.post("/employee/disable", url.Values{"number": {"4779876543"}}), "/employee/disable", 404, "err_toolusers_02")
	expectCode(t, p.post("/employee/disable", url.Values{"number": {"12"}}), "/employee/disable", 400, "err_toolusers_02")
	// An archived collaborator's name and PIN are free again.
	expectCode(t, p.post("/employee/add", employee("Luis", "4779876543", "9876")), "/employee/add", 200, "toolusers_01")

	r = p.post("/toolusers/get", nil)
	body = expectCode(t, r, "/toolusers/get", 200, "tool_users_01")
	if _, has := body["status"]; has {
		t.Fatalf("the seed's /toolusers/get has no status key: %s", r.Body)
	}
	users := body["result"].([]any)
	if len(users) != 3 {
		t.Fatalf("got %d collaborators, want 3 (Ana, Luis archived, Luis): %s", len(users), r.Body)
	}
	first, second := users[0].(map[string]any), users[1].(map[string]any)
	if first["usertool_name"] != "Ana" || first["usertool_type"] != "cajero" || first["usertool_branch"] != "Centro" ||
		first["usertool_status"] != "active" || second["usertool_status"] != "archived" || first["usertool_number"] != "4771234567" {
		t.Fatalf("got %s", r.Body)
	}
}

func TestAPIKeyBodies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	// JSON, with numbers where the form has text.
	r := b.do(http.MethodPost, "/employee/add", map[string]string{"apikey": p.key, "Content-Type": "application/json"},
		jsonBody(t, map[string]any{"type": "gerente", "employee_name": "Eva", "business_name": "Norte", "number": 4775550001, "password": 5555}))
	expectCode(t, r, "/employee/add", 200, "toolusers_01")
	// multipart/form-data, as PHP's curl sends an array body.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"type": "cajero", "employee_name": "Leo", "business_name": "Sur", "number": "4775550002", "password": "6666"} {
		_ = mw.WriteField(k, v)
	}
	mw.Close()
	r = b.do(http.MethodPost, "/employee/add", map[string]string{"apikey": p.key, "Content-Type": mw.FormDataContentType()}, buf.Bytes())
	expectCode(t, r, "/employee/add", 200, "toolusers_01")
	// Undecodable JSON on the employee endpoints: err_toolusers_01.
	before := p.snapshot()
	r = b.do(http.MethodPost, "/employee/add", map[string]string{"apikey": p.key, "Content-Type": "application/json"}, []byte(`{"type":`))
	expectCode(t, r, "/employee/add", 400, "err_toolusers_01")
	// Over 64 KiB: 413 request_01 (ext), whatever the endpoint.
	big := url.Values{"loyalty_key": {p.card.Key}, "pad": {strings.Repeat("x", 70<<10)}}
	expectCode(t, p.post("/loyalty/contact/add", big), "/loyalty/contact/add", 413, "request_01")
	if after := p.snapshot(); after != before {
		t.Fatalf("refused requests wrote: before %s, after %s", before, after)
	}
}

func TestProgramsGet(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	other := newPOS(t, b) // another merchant's programs never show
	_ = other
	body := expectCode(t, p.post("/loyalty/get", nil), "/loyalty/get", 200, "loyalty_get_01")
	cards := body["result"].([]any)
	if len(cards) != 1 || cards[0].(map[string]any)["loyalty_key"] != p.card.Key || cards[0].(map[string]any)["loyalty_name"] != "Café gratis" {
		t.Fatalf("got %v", body)
	}
	body = expectCode(t, p.post("/wallet/get", nil), "/wallet/get", 200, "wallets_get_01")
	wallets := body["result"].([]any)
	if len(wallets) != 1 || wallets[0].(map[string]any)["wallet_key"] != p.wallet.Key ||
		!strings.HasPrefix(wallets[0].(map[string]any)["wallet_app_client"].(string), b.cfg.PublicURL) {
		t.Fatalf("got %v", body)
	}
}

func TestEmployeeStorageFailures(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	p.failWrites("collaborators")
	expectCode(t, p.post("/employee/add", employee("Luis", "4779876543", "9876")), "/employee/add", 500, "err_toolusers_04")
	p.exec(`CREATE TRIGGER test_fail_update BEFORE UPDATE ON collaborators FOR EACH ROW EXECUTE FUNCTION test_fail(` + itoa64(p.m.ID) + `)`)
	expectCode(t, p.post("/employee/disable", url.Values{"number": {"4771234567"}}), "/employee/disable", 500, "err_toolusers_04")
}

func TestAPIKeyRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	now := time.Now()
	lim := newLimiter(1, time.Second)
	lim.now = func() time.Time { return now }
	b.server.limiter = lim
	expectCode(t, p.post("/loyalty/get", nil), "/loyalty/get", 200, "loyalty_get_01")
	r := p.post("/loyalty/get", nil)
	expectCode(t, r, "/loyalty/get", 429, "rate_01")
	if got := r.Header.Get("Retry-After"); got != "1" {
		t.Fatalf("got Retry-After %q, want 1", got)
	}
}
