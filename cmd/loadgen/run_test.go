package main

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAPICodeFindsTheOutcome(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ body, want string }{
		{`{"success":true,"message":"Venta creada correctamente.","newBalance":52.5,"code":"new_sale_01","status":200}`, "new_sale_01"},
		{`{"success": false, "code" : "wallet_redeem_10"}`, "wallet_redeem_10"},
		{`{"code":200,"status":"success"}`, "200"},
		{`{"data":[]}`, ""},
	} {
		if got := apiCode([]byte(c.body)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.body, got, c.want)
		}
	}
}

func TestParseMixPresetsAndWeights(t *testing.T) {
	t.Parallel()
	for name := range presets {
		if _, err := parseMix(name); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
	}
	cum, err := parseMix("wallet_earn=3,history=1")
	if err != nil || cum[len(cum)-1] != 4 || cum[0] != 3 {
		t.Errorf("got %v, %v; want cumulative weights ending in 4", cum, err)
	}
	for _, bad := range []string{"nope=1", "wallet_earn=-1", "wallet_earn", "wallet_earn=0"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("%q: got no error", bad)
		}
	}
}

// A paced phase sends each terminal's requests on its own schedule,
// whatever the server's speed: 4 terminals offering 40 requests/s for one
// second send exactly 40, and a closed-loop phase is not paced.
func TestRunPhasePaced(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(floorHandler())
	defer srv.Close()
	c := &client{base: srv.URL}
	f := &fixture{APIKey: "k", WalletKey: "k", LoyaltyKey: "k", Contacts: 10}
	sent := func(rate float64) uint64 {
		pr, err := runPhase(context.Background(), c, f, "reads", "reads", 4, time.Second, 0, rate, "t")
		if err != nil {
			t.Fatal(err)
		}
		var n uint64
		for _, k := range pr.Kinds {
			n += k.n
		}
		return n
	}
	if n := sent(40); n != 40 {
		t.Errorf("paced at 40/s for 1 s: %d requests, want 40", n)
	}
	if n := sent(0); n <= 40 {
		t.Errorf("closed loop for 1 s against a do-nothing server: %d requests, want many more than 40", n)
	}
}
