package http

import (
	"net/http"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/panel"
)

// reportDay is one day of the panel's daily summary, every store summed.
type reportDay struct {
	Day                                 time.Time
	Registrations, Referrals            int64
	Earned, Redeemed, Expired, Reversed ledger.Amount
}

// maxReportDays bounds the range one page reads.
const maxReportDays = 366

// panelReports shows the daily summary between ?from= and ?to= (local
// days, default the last 30) as a table and an inline SVG chart per day.
func (s *Server) panelReports(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	p := s.newPage(w, r, "reports.title", "reports")
	today := s.store.Now().In(sess.Location)
	to := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	from := to.AddDate(0, 0, -29)
	status := http.StatusOK
	q := r.URL.Query()
	if q.Get("from") != "" || q.Get("to") != "" {
		f, ferr := time.Parse(time.DateOnly, q.Get("from"))
		t, terr := time.Parse(time.DateOnly, q.Get("to"))
		if ferr != nil || terr != nil || t.Before(f) || t.Sub(f) > maxReportDays*24*time.Hour {
			status, p.Error = http.StatusBadRequest, p.T("reports.bad_range", maxReportDays)
			noteCode(r, "bad_range")
		} else {
			from, to = f, t
		}
	}
	rows, err := s.store.StoreDailySummary(r.Context(), sess.MerchantID, from, to)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	var days []reportDay
	for _, row := range rows {
		if len(days) == 0 || !days[len(days)-1].Day.Equal(row.Day) {
			days = append(days, reportDay{Day: row.Day})
		}
		d := &days[len(days)-1]
		d.Registrations += row.PreregisteredPos + row.SubscribedAfterPos + row.RegisteredApp + row.RegisteredWeb
		d.Referrals += row.Referrals
		d.Earned += row.EarnedOrders + row.EarnedCoupons + row.EarnedBalance
		d.Redeemed += row.Redeemed
		d.Expired += row.Expired
		d.Reversed += row.ReversedCoupon + row.ReversedOrder
	}
	chart := make([]panel.ChartDay, 0, len(days))
	for _, d := range days {
		chart = append(chart, panel.ChartDay{Label: d.Day.Format("01-02"), Earned: d.Earned, Redeemed: d.Redeemed,
			EarnedText: p.T("reports.earned") + " " + d.Earned.String(), RedeemedTxt: p.T("reports.redeemed") + " " + d.Redeemed.String()})
	}
	p.Data = map[string]any{
		"From": from.Format(time.DateOnly), "To": to.Format(time.DateOnly), "Days": days,
		"Chart": panel.BarChart(p.T("reports.chart", from.Format(time.DateOnly), to.Format(time.DateOnly)), p.T("reports.earned"), p.T("reports.redeemed"), chart),
	}
	s.render(w, r, status, "reports", p)
}
