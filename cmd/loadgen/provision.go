package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// fixture is everything the terminals need: one merchant with a wallet, a
// stamp card, a cashier and an OAuth client, and its enrolled contacts.
type fixture struct {
	MerchantID   string
	APIKey       string
	WalletKey    string
	LoyaltyKey   string
	UsertoolID   string
	ClientID     json.RawMessage
	ClientSecret string
	Token        string
	Contacts     int
}

// phone is contact i's 10-digit number: lada 55 never starts with 0 or 1.
func phone(i int) string { return fmt.Sprintf("55%08d", i) }

// customerID is contact i's externalId in the OAuth API.
func customerID(i int) string { return "c" + phone(i) }

// provision creates the merchant and its programs through the admin API and
// the collaborator through the apikey API, as an operator's script would.
func provision(ctx context.Context, c *client, webhookURL string) (*fixture, error) {
	f := &fixture{}
	var m map[string]any
	name := fmt.Sprintf("bench %s", time.Now().UTC().Format("2006-01-02 15:04:05.000"))
	if err := c.adminJSON(ctx, "POST", "/admin/v1/merchants", map[string]any{"name": name}, &m); err != nil {
		return nil, err
	}
	f.MerchantID = str(m["id"])
	base := "/admin/v1/merchants/" + f.MerchantID

	if err := c.adminJSON(ctx, "POST", base+"/apikeys", map[string]any{}, &m); err != nil {
		return nil, err
	}
	f.APIKey = str(m["apikey"])

	program := func(path string, body map[string]any, key string) (string, error) {
		var out map[string]any
		if err := c.adminJSON(ctx, "POST", base+path, body, &out); err != nil {
			return "", err
		}
		return str(out[key]), nil
	}
	card := map[string]any{"name": "Bench card", "stamps_required": 10, "ticket_required": false,
		"max_stamps_per_day": 0, "welcome_message": false, "stamp_message": false, "enabled": true}
	wallet := map[string]any{"name": "Bench wallet", "cashback_percent": 5, "ticket_required": false,
		"points_ttl_days": 0, "welcome_message": false, "sale_message": false, "enabled": true}
	if webhookURL != "" {
		card["webhook_url"], wallet["webhook_url"] = webhookURL, webhookURL
	}
	var err error
	if f.LoyaltyKey, err = program("/loyalty-cards", card, "loyalty_key"); err != nil {
		return nil, err
	}
	if f.WalletKey, err = program("/wallets", wallet, "wallet_key"); err != nil {
		// Amounts may be decimal strings in the admin API: try the other spelling.
		wallet["cashback_percent"] = "5.00"
		if f.WalletKey, err = program("/wallets", wallet, "wallet_key"); err != nil {
			return nil, err
		}
	}

	form := url.Values{"type": {"cajero"}, "employee_name": {"Caja bench"}, "business_name": {"Sucursal bench"},
		"number": {"5599999999"}, "password": {"bench-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)}}
	var buf bytes.Buffer
	status, body, err := c.do(ctx, "POST", "/employee/add", formHeader(f.APIKey), []byte(form.Encode()), &buf)
	if err != nil || status != 200 {
		return nil, fmt.Errorf("POST /employee/add: HTTP %d %v: %s", status, err, clip(body))
	}
	var emp map[string]any
	if err := json.Unmarshal(body, &emp); err != nil {
		return nil, fmt.Errorf("POST /employee/add: %w", err)
	}
	f.UsertoolID = str(emp["collaboratorId"])

	var cl map[string]json.RawMessage
	if err := c.adminJSON(ctx, "POST", base+"/oauth-clients", map[string]any{"name": "bench"}, &cl); err != nil {
		return nil, err
	}
	f.ClientID = cl["client_id"]
	_ = json.Unmarshal(cl["client_secret"], &f.ClientSecret)
	var tok map[string]any
	in := map[string]any{"grant_type": "client_credentials", "client_id": f.ClientID, "client_secret": f.ClientSecret}
	if err := c.jsonCall(ctx, "POST", "/oauth/token", "", in, &tok); err != nil {
		return nil, err
	}
	f.Token = str(tok["access_token"])
	return f, nil
}

// enrol adds contacts 0..n-1 to the wallet and the card, gives each a first
// wallet earn (so that spends have points to take) and creates each as an
// OAuth customer with one transaction (so that history reads find it).
func enrol(ctx context.Context, c *client, f *fixture, n, workers int) error {
	var next atomic.Int64
	var firstErr error
	var failed atomic.Bool
	var once sync.Once
	var wg sync.WaitGroup
	fail := func(err error) {
		once.Do(func() { firstErr = err })
		failed.Store(true)
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() {
					return
				}
				p := phone(i)
				steps := []struct {
					path string
					hdr  http.Header
					body []byte
					want string
				}{
					{"/wallet/contact/add", formHeader(f.APIKey), []byte(url.Values{"wallet_key": {f.WalletKey}, "phone": {p},
						"customer_name": {"Cliente " + p}, "usertool_id": {f.UsertoolID}}.Encode()), "contact_add_01"},
					{"/loyalty/contact/add", formHeader(f.APIKey), []byte(url.Values{"loyalty_key": {f.LoyaltyKey}, "phone": {p},
						"customer_name": {"Cliente " + p}, "usertool_id": {f.UsertoolID}}.Encode()), "loyalty_contact_add_01"},
					{"/wallet/sale", formHeader(f.APIKey), []byte(url.Values{"wallet_key": {f.WalletKey}, "phone": {p},
						"transaction_type": {"0"}, "transaction_amount": {"1000"}, "usertool_id": {f.UsertoolID},
						"ticket": {"seed-" + p}}.Encode()), "new_sale_01"},
					{"/api/transaction", bearerHeader(f.Token), apiTxBody("seed-"+p, i, "100.00"), ""},
				}
				for _, s := range steps {
					status, body, err := c.do(ctx, "POST", s.path, s.hdr, s.body, &buf)
					if err == nil && (status != 200 || (s.want != "" && apiCode(body) != s.want)) {
						err = fmt.Errorf("HTTP %d: %s", status, clip(body))
					}
					if err != nil {
						fail(fmt.Errorf("enrolling %s: POST %s: %w", p, s.path, err))
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	f.Contacts = n
	return firstErr
}

func formHeader(apikey string) http.Header {
	return http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Apikey": {apikey}}
}

func bearerHeader(token string) http.Header {
	return http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + token}}
}

// apiTxBody is a POINTS ORDER credit in the OAuth API for contact i.
func apiTxBody(code string, i int, total string) []byte {
	b, _ := json.Marshal(map[string]any{
		"type": "POINTS ORDER", "code": code, "title": "Compra", "description": "Compra en tienda",
		"total": json.Number(total), "customer": map[string]any{"externalId": customerID(i), "name": "Cliente " + phone(i)},
	})
	return b
}

// str renders a JSON scalar (number or string) as the text a URL or form needs.
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}
