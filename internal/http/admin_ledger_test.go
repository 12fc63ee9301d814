package http

import (
	"net/http"
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

func TestAdminLedgerCheck(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	m := b.newMerchant("Café")
	holder := ledger.Owner{Kind: ledger.OwnerCustomer, ID: 1}
	if _, err := b.store.Earn(ctx, m, store.TxInfo{Type: "POINTS ORDER"}, holder, ledger.Points, 1250, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.Spend(ctx, m, store.TxInfo{Type: "POINTS REDEEM"}, holder, ledger.Points, 250); err != nil {
		t.Fatal(err)
	}
	r := b.admin(http.MethodGet, adminPath(m, "/ledger/check"), nil)
	got := r.JSON(t)
	if r.Status != 200 || got["ok"] != true || got["sums_by_unit"].(map[string]any)["POINTS"] != "0.00" {
		t.Fatalf("got %d %s, want ok with POINTS summing to 0.00", r.Status, r.Body)
	}

	// A stored balance edited behind the ledger's back is reported.
	if _, err := b.store.Pool().Exec(ctx, `UPDATE ledger_accounts SET balance = balance + 1 WHERE merchant_id = $1 AND owner_kind = 'customer'`, m); err != nil {
		t.Fatal(err)
	}
	r = b.admin(http.MethodGet, adminPath(m, "/ledger/check"), nil)
	got = r.JSON(t)
	mismatches, _ := got["mismatches"].([]any)
	if r.Status != 200 || got["ok"] != false || len(mismatches) != 1 ||
		mismatches[0].(map[string]any)["stored_balance"] != "10.01" || mismatches[0].(map[string]any)["postings_sum"] != "10.00" {
		t.Fatalf("got %d %s, want ok false with one mismatch 10.01 vs 10.00", r.Status, r.Body)
	}

	// A posting whose transaction the ledger does not hold is reported, even
	// when every sum is right (it moves between two system accounts).
	m2 := b.newMerchant("Panadería")
	if _, err := b.store.Pool().Exec(ctx, `
        INSERT INTO ledger_postings (merchant_id, tx_id, n, from_account, to_account, unit, amount)
        SELECT $1, 987654321, 1, min(id), max(id), 1, 100 FROM ledger_accounts
        WHERE merchant_id = $1 AND owner_kind = 'system' AND unit = 1`, m2); err != nil {
		t.Fatal(err)
	}
	r = b.admin(http.MethodGet, adminPath(m2, "/ledger/check"), nil)
	got = r.JSON(t)
	missing, _ := got["missing_transactions"].([]any)
	if r.Status != 200 || got["ok"] != false || len(missing) != 1 || missing[0] != float64(987654321) ||
		len(got["mismatches"].([]any)) != 0 || len(got["unbalanced"].([]any)) != 0 {
		t.Fatalf("got %d %s, want ok false with missing_transactions [987654321] and nothing else", r.Status, r.Body)
	}

	wantAdminError(t, b.admin(http.MethodGet, adminPath(m+1000, "/ledger/check"), nil), 404, "not_found", "")
	wantAdminError(t, b.adminAs("", http.MethodGet, "/merchants/1/ledger/check", nil), 401, "unauthorized", "")
}
