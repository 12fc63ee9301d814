package panel

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/puntos/puntos/internal/ledger"
)

// ChartDay is one day of the daily summary chart: two bars.
type ChartDay struct {
	Label       string // e.g. "11-23"
	Earned      ledger.Amount
	Redeemed    ledger.Amount
	EarnedText  string // the bar's accessible value, e.g. "Acumulados 25.00"
	RedeemedTxt string
}

// Chart geometry in SVG user units; the SVG scales to its container.
const (
	chartHeight = 220
	chartTop    = 20
	chartBottom = 40 // room for the day labels
	chartLeft   = 8
	dayWidth    = 36
	barWidth    = 14
)

// BarChart draws the days as paired bars (earned, redeemed) in an inline
// SVG: no script and no library, readable by assistive technology through
// its title and each bar's <title>. title and legend texts are translated
// by the caller; every text is escaped here.
func BarChart(title, earnedLegend, redeemedLegend string, days []ChartDay) template.HTML {
	var peak ledger.Amount
	for _, d := range days {
		peak = max(peak, d.Earned, d.Redeemed)
	}
	width := chartLeft*2 + dayWidth*max(len(days), 1)
	plot := float64(chartHeight - chartTop - chartBottom)
	barH := func(a ledger.Amount) float64 {
		if peak <= 0 || a <= 0 {
			return 0
		}
		return plot * float64(a) / float64(peak)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		width, chartHeight, width, chartHeight)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title>`, html.EscapeString(title))
	base := float64(chartHeight - chartBottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#4a4a4a"/>`, chartLeft, base, width-chartLeft, base)
	for i, d := range days {
		x := float64(chartLeft + i*dayWidth + (dayWidth-2*barWidth)/2)
		for j, bar := range []struct {
			h     float64
			class string
			text  string
		}{{barH(d.Earned), "bar", d.EarnedText}, {barH(d.Redeemed), "bar2", d.RedeemedTxt}} {
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%d" height="%.1f"><title>%s %s</title></rect>`,
				bar.class, x+float64(j*barWidth), base-bar.h, barWidth, bar.h, html.EscapeString(d.Label), html.EscapeString(bar.text))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" transform="rotate(-45 %.1f %.1f)">%s</text>`,
			x+barWidth, base+16, x+barWidth, base+16, html.EscapeString(d.Label))
	}
	fmt.Fprintf(&b, `<rect class="bar" x="%d" y="4" width="10" height="10"/><text x="%d" y="13">%s</text>`, chartLeft, chartLeft+14, html.EscapeString(earnedLegend))
	fmt.Fprintf(&b, `<rect class="bar2" x="%d" y="4" width="10" height="10"/><text x="%d" y="13">%s</text>`, chartLeft+120, chartLeft+134, html.EscapeString(redeemedLegend))
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every interpolated text above is escaped
}
