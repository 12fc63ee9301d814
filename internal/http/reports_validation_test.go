package http

import (
	"testing"
	"time"
)

func TestSeedWeek(t *testing.T) {
	t.Parallel()
	tests := []struct {
		day  string
		want int
	}{
		{"2018-07-12", 27}, {"2018-07-20", 28}, // the seed's examples
		{"2018-01-01", 0}, {"2018-01-07", 1}, // 2018 began on a Monday: week 1 starts on its first Sunday
		{"2017-01-01", 1}, {"2017-12-31", 53}, // 2017 began on a Sunday
		{"2026-11-22", 47}, {"2026-11-21", 46},
	}
	for _, tc := range tests {
		d, _ := time.Parse(time.DateOnly, tc.day)
		if got := seedWeek(d); got != tc.want {
			t.Errorf("seedWeek(%s): got %d, want %d", tc.day, got, tc.want)
		}
	}
}

func TestReportValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	for _, report := range []string{"stores", "products"} {
		base := "/api/report/dailySummary/" + report
		tests := []struct {
			name, query, field string
		}{
			{"MissingStart", "?endDate=2018-07-30", "startDate"},
			{"MissingEnd", "?startDate=2018-07-01", "endDate"},
			{"BadDate", "?startDate=2018-13-01&endDate=2018-07-30", "startDate"},
			{"EndBeforeStart", "?startDate=2018-07-30&endDate=2018-07-01", "endDate"},
			{"OverAYear", "?startDate=2018-01-01&endDate=2019-01-03", "endDate"},
		}
		for _, tc := range tests {
			t.Run(report+"/"+tc.name, func(t *testing.T) {
				wantField(t, c.get(base+tc.query), tc.field)
			})
		}
		t.Run(report+"/QuotedDatesEmptyRange", func(t *testing.T) {
			var rows []map[string]any
			e := wantOK(t, c.get(base+"?startDate='2018-07-01'&endDate='2018-07-30'"), &rows)
			if e.Message != "Proceso exitoso" || len(rows) != 0 {
				t.Fatalf("got %s %v", e.Message, rows)
			}
		})
	}
}
