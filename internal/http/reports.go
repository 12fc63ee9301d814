package http

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

// seedWeek is the seed's week number of a day: MySQL WEEK(date) mode 0,
// strftime %U — weeks start on Sunday and days before the year's first
// Sunday are week 0 (2018-07-12 → 27, 2018-07-20 → 28).
func seedWeek(d time.Time) int {
	return (d.YearDay() - 1 + 7 - int(d.Weekday())) / 7
}

// points renders a report amount as a JSON number, exactly (no float).
func points(a ledger.Amount) json.Number { return json.Number(a.NumberText()) }

// storesReport is GET /api/report/dailySummary/stores.
func (s *Server) storesReport(w http.ResponseWriter, r *http.Request) {
	from, to, err := dateRange(r, "startDate", "endDate")
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	rows, err := s.store.StoreDailySummary(r.Context(), merchantOf(r), from, to)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(rows))
	for _, d := range rows {
		out = append(out, map[string]any{
			"date": d.Day.Format(time.DateOnly), "week": seedWeek(d.Day), "store": d.Store,
			"preregisteredPos": d.PreregisteredPos, "subscribedAfterPos": d.SubscribedAfterPos,
			"registeredApp": d.RegisteredApp, "registeredWeb": d.RegisteredWeb, "referrals": d.Referrals,
			"pointEarnedOrders": points(d.EarnedOrders), "pointEarnedCoupons": points(d.EarnedCoupons),
			"pointEarnedBalance": points(d.EarnedBalance), "pointRedeemed": points(d.Redeemed),
			"pointExpired": points(d.Expired), "pointReversedCoupon": points(d.ReversedCoupon),
			"pointReversedOrder": points(d.ReversedOrder),
		})
	}
	writeOAuthOK(w, msgProcess, out)
}

// productsReport is GET /api/report/dailySummary/products.
func (s *Server) productsReport(w http.ResponseWriter, r *http.Request) {
	from, to, err := dateRange(r, "startDate", "endDate")
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	rows, err := s.store.ProductDailySummary(r.Context(), merchantOf(r), from, to)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(rows))
	for _, d := range rows {
		out = append(out, map[string]any{
			"date": d.Day.Format(time.DateOnly), "week": seedWeek(d.Day), "store": d.Store, "codProduct": d.Product,
			"numOrders": d.Orders, "numProducts": d.Products, "pointRedeemed": points(d.Redeemed),
			"pointEarnedOrders": points(d.EarnedOrders), "pointEarnedCoupons": points(d.EarnedCoupons),
			"pointEarnedBalance": points(d.EarnedBalance), "numRedeemed": d.RedeemedQty,
		})
	}
	writeOAuthOK(w, msgProcess, out)
}
