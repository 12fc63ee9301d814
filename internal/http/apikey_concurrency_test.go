package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// postConcurrently sends n forms at once and counts the answers by code.
func (p *pos) postConcurrently(path string, forms []url.Values) map[string]int {
	p.t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	codes := map[string]int{}
	for _, f := range forms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, p.b.http.URL+path, strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("apikey", p.key)
			res, err := http.DefaultClient.Do(req)
			code := "transport error"
			if err == nil {
				var body struct{ Code string }
				_ = json.NewDecoder(res.Body).Decode(&body)
				res.Body.Close()
				code = body.Code
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return codes
}

func TestWalletSpendsOfTheLastPointsUnderConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	p.enroll(store.ProgramWallet, phone)
	expectCode(t, p.post("/wallet/balance/update", p.balanceUpdate(phone, "0", "5")), "/wallet/balance/update", 200, "balance_update_01")
	forms := make([]url.Values, 20)
	for i := range forms {
		forms[i] = p.walletSale(phone, "1", "points_used", "1")
	}
	codes := p.postConcurrently("/wallet/sale", forms)
	if codes["new_sale_01"] != 5 || codes["wallet_redeem_10"] != 15 {
		t.Fatalf("got %v, want exactly 5 spends and 15 wallet_redeem_10", codes)
	}
	bal, err := b.store.Balance(t.Context(), p.m.ID, ledger.Owner{Kind: ledger.OwnerWalletMember, ID: p.memberID(store.ProgramWallet, phone)}, ledger.Points)
	if err != nil || bal != 0 {
		t.Fatalf("balance %v %v, want 0", bal, err)
	}
	p.checkLedger()
}

func TestCardStampsUnderConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b) // 3 stamps complete the card
	p.enroll(store.ProgramCard, phone)
	forms := make([]url.Values, 10)
	for i := range forms {
		forms[i] = p.cardSale(phone)
	}
	codes := p.postConcurrently("/loyalty/sale", forms)
	if codes["loyalty_sale_02"] != 3 || codes["loyalty_sale_01"] != 7 {
		t.Fatalf("got %v, want 3 completions among 10 stamps", codes)
	}
	got := expectCode(t, p.post("/loyalty/contact/get", url.Values{"loyalty_key": {p.card.Key}, "phone": {phone}}), "/loyalty/contact/get", 200, "loyalty_contact_get_01")
	if res := got["result"].(map[string]any); res["contact_total_loyalty_completes"] != float64(3) || res["contact_current_redeem"] != float64(1) {
		t.Fatalf("got %v, want 3 completions and 1 stamp", res)
	}
	p.checkLedger()
}
