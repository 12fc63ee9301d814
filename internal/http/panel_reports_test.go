package http

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestPanelReports(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := newPanelMerchant(t, b, "Tienda", testOwner, testPassword)
	// Two stores on one day, one on the next: the page sums stores per day.
	for _, row := range []struct {
		day              string
		store            int64
		earned, redeemed int64
	}{{"2026-03-01", 0, 1000, 0}, {"2026-03-01", 7, 550, 200}, {"2026-03-02", 0, 0, 300}} {
		if _, err := b.store.Pool().Exec(context.Background(), `INSERT INTO report_store_daily
			(merchant_id, day, store_id, shard, point_earned_orders, point_redeemed, registered_app)
			VALUES ($1, $2, $3, 0, $4, $5, 1)`, m, row.day, row.store, row.earned, row.redeemed); err != nil {
			t.Fatal(err)
		}
	}
	br, _ := loggedIn(t, b, testOwner, testPassword)

	wantText(t, br.get("/panel/reports"), "Sin actividad en esas fechas.")
	res := br.get("/panel/reports?from=2026-03-01&to=2026-03-31")
	wantStatus(t, res, http.StatusOK)
	wantText(t, res, "2026-03-01 2 0 15.50 2.00", "2026-03-02 1 0 0.00 3.00")
	if !strings.Contains(string(res.Body), `<svg class="chart" role="img"`) || !strings.Contains(string(res.Body), "03-01 Acumulados 15.50") {
		t.Errorf("no chart of the days: %s", truncate(res.Body, 2000))
	}
	for _, q := range []string{"from=2026-03-31&to=2026-03-01", "from=ayer&to=hoy", "from=2020-01-01&to=2026-01-01"} {
		wantStatus(t, br.get("/panel/reports?"+q), http.StatusBadRequest)
	}
}
