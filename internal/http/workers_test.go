package http

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

func TestExpiryWorkerCatchesUpOnce(t *testing.T) {
	t.Parallel()
	clock := ledger.NewFixedClock(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	srv, st := clockedServer(t, clock)
	ctx := t.Context()
	var merchant int64
	if err := st.Pool().QueryRow(ctx, `INSERT INTO merchants (name) VALUES ('m') RETURNING id`).Scan(&merchant); err != nil {
		t.Fatal(err)
	}
	// Three days of batches the job missed while the server was down.
	for day := range 3 {
		exp := clock.Now().Add(time.Duration(day+1) * 24 * time.Hour)
		for c := range int64(4) {
			owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: c + 1}
			if _, err := st.Earn(ctx, merchant, store.TxInfo{Type: "WALLET SALE"}, owner, ledger.Points, 100, &store.BatchSpec{ExpiresAt: exp}); err != nil {
				t.Fatal(err)
			}
		}
	}
	clock.Advance(10 * 24 * time.Hour)
	srv.expireAll(ctx)
	srv.expireAll(ctx)
	if got := testutil.ToFloat64(srv.metrics.expired); got != 12 {
		t.Fatalf("got %v expired postings, want 12 (3 batches × 4 members, once)", got)
	}
	if r, err := st.CheckLedger(ctx, merchant); err != nil || !r.OK || r.SumsByUnit[ledger.Points] != 0 {
		t.Fatalf("ledger check: got %+v, %v", r, err)
	}
	if got := len(srv.Workers()); got == 0 {
		t.Fatal("the expiry worker is not among the server's workers")
	}
}
