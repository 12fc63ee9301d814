package panel

import (
	"strings"
	"testing"
)

func TestBarChart(t *testing.T) {
	t.Parallel()
	svg := string(BarChart("Resumen <diario>", "Acumulados", "Canjeados", []ChartDay{
		{Label: "11-22", Earned: 1000, Redeemed: 500, EarnedText: "Acumulados 10.00", RedeemedTxt: "Canjeados 5.00"},
		{Label: "11-23", Earned: 0, Redeemed: 0},
	}))
	for _, want := range []string{`role="img"`, "Resumen &lt;diario&gt;", "11-22 Acumulados 10.00", `height="160.0"`, `height="80.0"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q: %s", want, svg)
		}
	}
	if strings.Contains(svg, "<diario>") {
		t.Error("the title is not escaped")
	}
	if got := string(BarChart("x", "a", "b", nil)); !strings.Contains(got, "<svg") {
		t.Errorf("an empty chart is not an svg: %s", got)
	}
}
