package http

import (
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

func TestHistory(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	for i := 1; i <= 20; i++ {
		c.postTx(t, txBody("POINTS ORDER", "h"+itoa64(int64(i)), i, "1716583941"))
	}
	var page1, page2, page3 []apiTx
	decodeData(t, c.get("/api/transaction/history?customerId='1716583941'&page='1'"), &page1)
	decodeData(t, c.get("/api/transaction/history?customerId=1716583941&page=2"), &page2)
	decodeData(t, c.get("/api/transaction/history?customerId=1716583941&page=3"), &page3)
	if len(page1) != 15 || len(page2) != 5 || len(page3) != 0 {
		t.Fatalf("got pages of %d, %d, %d, want 15, 5, 0", len(page1), len(page2), len(page3))
	}
	if *page1[0].Code != "h20" || *page2[4].Code != "h1" || page1[0].Customer.balance("POINTS") != "210.00" {
		t.Fatalf("got first %v last %v, want newest first", *page1[0].Code, *page2[4].Code)
	}
	var small []apiTx
	decodeData(t, c.get("/api/transaction/history?customerId=1716583941&page=2&per_page=4"), &small)
	if len(small) != 4 || *small[0].Code != "h16" {
		t.Fatalf("got %d starting %v", len(small), small)
	}
	wantError(t, c.get("/api/transaction/history?customerId=nobody&page=1"), 404, "404 Not Found")
	wantField(t, c.get("/api/transaction/history?page=1"), "customerId")
	wantField(t, c.get("/api/transaction/history?customerId=1716583941&page=0"), "page")
	wantField(t, c.get("/api/transaction/history?customerId=1716583941&per_page=101"), "per_page")
	wantField(t, c.get("/api/transaction/history?customerId=1716583941&page=200&per_page=100"), "page")
}

func TestReloadsAndPointsByCustomer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	c.postTx(t, txBody("BALANCE RELOAD", "r1", 100, "0401591714"))
	c.postTx(t, txBody("BALANCE PAYMENT", "p1", 30, "0401591714"))
	c.postTx(t, txBody("POINTS ORDER", "o1", 10, "0401591714"))
	c.postTx(t, txBody("POINTS REDEEM", "x1", 4, "0401591714"))
	today := time.Now().In(mustZone(t, "America/Mexico_City")).Format(time.DateOnly)
	var reloads, points, none []apiTx
	wantOK(t, c.get("/api/transaction/reloadsByCustomer?document='0401591714'&from='"+today+"'&to='"+today+"'"), &reloads)
	if len(reloads) != 1 || *reloads[0].Code != "r1" || reloads[0].Unit.Name != "COINS" || reloads[0].Customer.balance("COINS") != "70.00" {
		t.Fatalf("got %+v, want the one reload", reloads)
	}
	wantOK(t, c.get("/api/transaction/pointsByCustomer?document=0401591714&from="+today+"&to="+today), &points)
	if len(points) != 2 || *points[0].Code != "x1" || points[0].Type != "DEBIT" || *points[1].Code != "o1" {
		t.Fatalf("got %+v, want both POINTS transactions newest first", points)
	}
	wantOK(t, c.get("/api/transaction/pointsByCustomer?document=0401591714&from=2018-09-03&to=2018-09-30"), &none)
	if len(none) != 0 {
		t.Fatalf("got %d in 2018", len(none))
	}
	wantError(t, c.get("/api/transaction/reloadsByCustomer?document=ghost&from=2018-09-03&to=2018-09-30"), 404, "404 Not Found")
	wantField(t, c.get("/api/transaction/reloadsByCustomer?from=2018-09-03&to=2018-09-30"), "document")
	wantField(t, c.get("/api/transaction/pointsByCustomer?document=0401591714&from=2018-09-30&to=2018-09-03"), "to")
	wantField(t, c.get("/api/transaction/pointsByCustomer?document=0401591714&from=x&to=2018-09-03"), "from")
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestBatchExpiration(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	soon, later := time.Now().AddDate(0, 0, 3).Format(time.DateOnly), time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	for i, d := range []string{later, soon, soon} {
		c.postTx(t, map[string]any{"type": "POINTS COUPON", "code": "b" + itoa64(int64(i)), "description": "d", "total": 230,
			"expirationDate": d, "customer": customerBody("1716583941", "David")})
	}
	c.postTx(t, txBody("POINTS ORDER", "plain", 5, "1716583941"))
	var rows []map[string]any
	decodeData(t, c.get("/api/batch/expiration?customerId='1716583941'"), &rows)
	if len(rows) != 2 {
		t.Fatalf("got %d batches, want 2 (one per expiry date): %v", len(rows), rows)
	}
	first := rows[0]["batch object"].(map[string]any)
	if rows[0]["total_amount"] != "460.00" || first["expiration_date"] != soon+" 23:59:59" || first["start_date"] != nil || first["end_date"] != nil ||
		rows[0]["set_name"] != nil || rows[0]["unit"].(map[string]any)["name"] != "POINTS" {
		t.Fatalf("got %v, want the soonest batch first with 460.00", rows[0])
	}
	if rows[1]["total_amount"] != "230.00" {
		t.Fatalf("got %v", rows[1])
	}
	wantError(t, c.get("/api/batch/expiration?customerId=ghost"), 404, "404 Not Found")
	wantField(t, c.get("/api/batch/expiration"), "customerId")
}

func TestTiersMultiplyAndReevaluate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := newAPIClient(t, b)
	top, err := b.store.CreateGroup(t.Context(), c.merchantID, store.Group{Name: "BUEN AMIGO", Description: "BUEN AMIGO",
		Rules: []store.GroupRule{{Unit: ledger.Points, Multiplier: 200, Threshold: 100_00}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.CreateGroup(t.Context(), c.merchantID, store.Group{Name: "AMIGO", Default: true, NextID: &top.ID,
		Rules: []store.GroupRule{{Unit: ledger.Points, Multiplier: 100}}}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		body     map[string]any
		reverse  string
		wantPost string // the posted total
		wantTier string
	}{
		{"AmigoEarnsOnce", txBody("POINTS ORDER", "o1", 60, "cu"), "", "60.00", "AMIGO"},
		{"CouponCrossesThreshold", txBody("POINTS COUPON", "c1", 50, "cu"), "", "50.00", "BUEN AMIGO"},
		{"BuenAmigoEarnsDouble", txBody("POINTS ORDER", "o2", 10, "cu"), "", "20.00", "BUEN AMIGO"},
		{"ReversalDropsBelow", nil, "c1", "50.00", "AMIGO"},
		{"BackToSingle", txBody("POINTS ORDER", "o3", 10, "cu"), "", "10.00", "AMIGO"},
	}
	for _, st := range steps {
		var v apiTx
		if st.body != nil {
			v = c.postTx(t, st.body)
		} else {
			wantOK(t, c.post("/api/transaction/reverse", map[string]any{"type": "POINTS COUPON", "code": st.reverse}), &v)
		}
		if v.Total != st.wantPost {
			t.Fatalf("%s: got total %s, want %s", st.name, v.Total, st.wantPost)
		}
		cid, _ := b.store.FindCustomer(t.Context(), c.merchantID, "cu")
		g, err := b.store.CustomerGroup(t.Context(), c.merchantID, cid.ID)
		if err != nil || g.Name != st.wantTier {
			t.Fatalf("%s: got tier %q (%v), want %q", st.name, g.Name, err, st.wantTier)
		}
	}
}
