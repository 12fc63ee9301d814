package http

import (
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

func TestGroupDefault(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	t.Run("NoTiers", func(t *testing.T) {
		wantError(t, c.get("/api/group/default"), 404, "404 Not Found")
	})
	next, err := b.store.CreateGroup(t.Context(), c.merchantID, store.Group{Name: "BUEN AMIGO", Description: "BUEN AMIGO",
		Rules: []store.GroupRule{{Unit: ledger.Points, Multiplier: 200, Threshold: 100_00}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.CreateGroup(t.Context(), c.merchantID, store.Group{Name: "AMIGO", Description: "AMIGO", Default: true,
		NextID: &next.ID, Rules: []store.GroupRule{{Unit: ledger.Points, Multiplier: 100}, {Unit: ledger.Coins, Multiplier: 100}}}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID, Name, Description string
		Rules                 []map[string]string `json:"group_rules"`
		Next                  map[string]string   `json:"next_group"`
	}
	e := wantOK(t, c.get("/api/group/default"), &got)
	if e.Message != "Proceso exitoso" || got.Name != "AMIGO" || len(got.Rules) != 2 || got.Rules[0]["name"] != "POINTS" ||
		got.Rules[0]["sign"] != "PTS" || got.Rules[1]["name"] != "COINS" || got.Next["name"] != "BUEN AMIGO" || got.Next["id"] != itoa64(next.ID) {
		t.Fatalf("got %+v", got)
	}
}
