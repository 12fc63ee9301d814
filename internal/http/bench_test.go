package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/puntos/puntos/internal/config"
	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// The benchmarks of the sale path call the router in-process (no sockets),
// so that allocs/op is what one request costs the server: routing,
// middleware, decoding, the store's SQL through pgx, encoding and the
// request log line. Run them with
//
//	go run ./cmd/devdb test -- go test ./internal/http -run '^$' -bench WalletSale -benchmem
//
// They are not timed tests: nothing asserts a duration.

// benchFixture is a merchant with a wallet, a cashier and enrolled contacts.
type benchFixture struct {
	srv                         *Server
	apikey, walletKey, usertool string
	contacts                    int
	tickets                     atomic.Int64
}

func benchSetup(b *testing.B, contacts int) *benchFixture {
	b.Helper()
	cfg, err := config.Load(func(k string) string {
		if k == "ADMIN_TOKEN" {
			return testAdminToken
		}
		return ""
	})
	if err != nil {
		b.Fatal(err)
	}
	st := store.New(testdb.Pool(b), nil)
	f := &benchFixture{srv: NewServer(st, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil))), contacts: contacts}
	admin := func(path string, in any) map[string]any {
		body, _ := json.Marshal(in)
		req := httptest.NewRequest("POST", "/admin/v1"+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testAdminToken)
		req.Header.Set("Content-Type", "application/json")
		return f.call(b, req, http.StatusOK, http.StatusCreated)
	}
	m := admin("/merchants", map[string]any{"name": "Bench"})
	base := fmt.Sprintf("/merchants/%v", jsonScalar(m["id"]))
	f.apikey = fmt.Sprint(admin(base+"/apikeys", map[string]any{})["apikey"])
	f.walletKey = fmt.Sprint(admin(base+"/wallets", map[string]any{"name": "Bench wallet", "cashback_percent": 5, "enabled": true})["wallet_key"])
	emp := f.form(b, "/employee/add", url.Values{"type": {"cajero"}, "employee_name": {"Caja"}, "business_name": {"Centro"},
		"number": {"5599999999"}, "password": {"bench-pin"}})
	f.usertool = jsonScalar(emp["collaboratorId"])
	for i := range contacts {
		f.form(b, "/wallet/contact/add", url.Values{"wallet_key": {f.walletKey}, "phone": {benchPhone(i)},
			"customer_name": {"Cliente"}, "usertool_id": {f.usertool}})
	}
	return f
}

func benchPhone(i int) string { return fmt.Sprintf("55%08d", i) }

func jsonScalar(v any) string {
	if n, ok := v.(float64); ok {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func (f *benchFixture) call(b *testing.B, req *http.Request, want ...int) map[string]any {
	b.Helper()
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	for _, w := range want {
		if rec.Code == w {
			var out map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				b.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
			}
			return out
		}
	}
	b.Fatalf("%s %s: got HTTP %d %s, want %v", req.Method, req.URL.Path, rec.Code, rec.Body.String(), want)
	return nil
}

func (f *benchFixture) form(b *testing.B, path string, v url.Values) map[string]any {
	b.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("apikey", f.apikey)
	return f.call(b, req, http.StatusOK)
}

// post sends one apikey form to path; an answer other than HTTP 200 with
// the code want is an error (reported with Errorf, which RunParallel's
// goroutines may call).
func (f *benchFixture) post(b *testing.B, path, body, want string) {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("apikey", f.apikey)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`"`+want+`"`)) {
		b.Errorf("%s: got HTTP %d %s", path, rec.Code, rec.Body.String())
	}
}

// sale sends one earn with a fresh ticket.
func (f *benchFixture) sale(b *testing.B, i int) {
	n := f.tickets.Add(1)
	f.post(b, "/wallet/sale", "wallet_key="+f.walletKey+"&phone="+benchPhone(i%f.contacts)+
		"&transaction_type=0&transaction_amount=250.50&usertool_id="+f.usertool+"&ticket=b"+strconv.FormatInt(n, 10), "new_sale_01")
}

// BenchmarkWalletSale measures one wallet earn through the whole handler
// path, one at a time: allocs/op is the figure BENCHMARKS.md reports.
func BenchmarkWalletSale(b *testing.B) {
	f := benchSetup(b, 100)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f.sale(b, i)
		i++
	}
}

// BenchmarkWalletSaleParallel runs the same sales from many goroutines, the
// shape under which concurrent sales share commits.
func BenchmarkWalletSaleParallel(b *testing.B) {
	f := benchSetup(b, 1000)
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer() // enrolment is not part of the figure
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			f.sale(b, int(next.Add(1)))
		}
	})
}

// contactGet looks one enrolled contact up by phone, the read a POS makes
// before a sale.
func (f *benchFixture) contactGet(b *testing.B, i int) {
	f.post(b, "/wallet/contact/get", "wallet_key="+f.walletKey+"&phone="+benchPhone(i%f.contacts), "balance_get_01")
}

// BenchmarkWalletContactGet measures one contact lookup (POST
// /wallet/contact/get with a phone) through the whole handler path.
func BenchmarkWalletContactGet(b *testing.B) {
	f := benchSetup(b, 100)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f.contactGet(b, i)
		i++
	}
}
