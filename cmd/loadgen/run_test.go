package main

import "testing"

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
