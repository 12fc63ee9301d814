package http

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// withClock serves the bundle's database through a store on clock, so a
// test can write a history spread over days.
func withClock(t *testing.T, b *bundle, clock ledger.Clock) (*bundle, *store.Store) {
	t.Helper()
	st := store.New(b.store.Pool(), clock)
	srv := NewServer(st, b.cfg, slog.New(slog.NewJSONHandler(b.logs, nil)))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	nb := *b
	nb.t, nb.store, nb.server, nb.http = t, st, srv, hs
	return &nb, st
}

// storeRow is one row of the stores report with numbers as text, so that
// every figure compares exactly.
type storeRow struct {
	Date               string      `json:"date"`
	Week               int         `json:"week"`
	Store              *string     `json:"store"`
	PreregisteredPos   int         `json:"preregisteredPos"`
	SubscribedAfterPos int         `json:"subscribedAfterPos"`
	RegisteredApp      int         `json:"registeredApp"`
	RegisteredWeb      int         `json:"registeredWeb"`
	Referrals          int         `json:"referrals"`
	EarnedOrders       json.Number `json:"pointEarnedOrders"`
	EarnedCoupons      json.Number `json:"pointEarnedCoupons"`
	EarnedBalance      json.Number `json:"pointEarnedBalance"`
	Redeemed           json.Number `json:"pointRedeemed"`
	Expired            json.Number `json:"pointExpired"`
	ReversedCoupon     json.Number `json:"pointReversedCoupon"`
	ReversedOrder      json.Number `json:"pointReversedOrder"`
}

type productRow struct {
	Date          string      `json:"date"`
	Week          int         `json:"week"`
	Store         *string     `json:"store"`
	Product       string      `json:"codProduct"`
	Orders        int         `json:"numOrders"`
	Products      int         `json:"numProducts"`
	Redeemed      json.Number `json:"pointRedeemed"`
	EarnedOrders  json.Number `json:"pointEarnedOrders"`
	EarnedCoupons json.Number `json:"pointEarnedCoupons"`
	EarnedBalance json.Number `json:"pointEarnedBalance"`
	RedeemedQty   int         `json:"numRedeemed"`
}

func sp(s string) *string { return &s }

// TestDailyReportsKnownHistory writes two days of a merchant's history in
// Mexico City time and checks every figure of both reports.
func TestDailyReportsKnownHistory(t *testing.T) {
	t.Parallel()
	base := setup(t)
	mx := mustZone(t, "America/Mexico_City")
	clock := ledger.NewFixedClock(time.Date(2018, 7, 12, 10, 0, 0, 0, mx))
	b, st := withClock(t, base, clock)
	c := newAPIClient(t, b)
	s1 := map[string]any{"externalId": "S1", "name": "EL RECREO"}
	s2 := map[string]any{"externalId": "S2", "name": "CENTRO"}
	at := func(body map[string]any, store map[string]any) map[string]any { body["store"] = store; return body }
	register := func(platform string, body map[string]any) {
		wantOK(t, b.doJSON(http.MethodPost, "/api/customer", c.auth(map[string]string{"Platform": platform}), body), nil)
	}

	// 2018-07-12, week 27.
	register("web", map[string]any{"externalId": "cu3", "name": "Tres"})
	c.postTx(t, at(txBody("POINTS COUPON", "t1", 159.50, "cu1"), s1))
	c.postTx(t, at(txBody("POINTS ORDER", "t2", 100, "cu2"), s1))
	wantOK(t, c.post("/api/transaction/checkbook", map[string]any{"type": "POINTS ORDER", "code": "cb1", "customer": customerBody("cu2", "Dos"),
		"total": 300, "earnedRedeemed": 30, "store": s2, "detail": []any{
			map[string]any{"name": "Twister", "externalId": "3109", "earnedRedeemed": 20, "quantity": 2},
			map[string]any{"name": "Papas", "externalId": "3110", "earnedRedeemed": 10}}}), nil)
	c.postTx(t, txBody("POINTS BALANCE", "t3", 5, "cu1"))
	c.postTx(t, map[string]any{"type": "POINTS COUPON", "code": "t-exp", "description": "d", "total": 7, "expirationDate": "2018-07-15",
		"customer": customerBody("cu3", "Tres")})
	clock.Set(time.Date(2018, 7, 12, 23, 30, 0, 0, mx)) // already 07-13 in UTC: counts on the local day
	c.postTx(t, at(txBody("POINTS REDEEM", "t4", 50, "cu1"), s1))

	// 2018-07-20, week 28.
	clock.Set(time.Date(2018, 7, 20, 9, 0, 0, 0, mx))
	if n, err := st.ExpireDue(t.Context(), 0); err != nil || n != 1 {
		t.Fatalf("expiry: got %d, %v, want 1 account expired", n, err)
	}
	wantOK(t, c.post("/api/transaction/reverse", map[string]any{"type": "POINTS ORDER", "code": "t2"}), nil)
	c.postTx(t, at(txBody("POINTS COUPON", "t5", 20, "cu2"), s2))
	wantOK(t, c.post("/api/transaction/reverse", map[string]any{"type": "POINTS COUPON", "code": "t5"}), nil)
	register("ios", map[string]any{"externalId": "cu1", "name": "Uno", "referrerExternalId": "cu3"})
	wantOK(t, c.post("/api/transaction/checkbook", map[string]any{"type": "POINTS REDEEM", "code": "cb2", "customer": customerBody("cu2", "Dos"),
		"earnedRedeemed": 10, "store": s2, "detail": map[string]any{"name": "Twister", "externalId": "3109", "earnedRedeemed": 10, "quantity": 3}}), nil)
	// Another merchant's activity never shows.
	other := newAPIClient(t, b)
	other.postTx(t, at(txBody("POINTS ORDER", "t2", 999, "cu1"), s1))

	var stores []storeRow
	wantOK(t, c.get("/api/report/dailySummary/stores?startDate='2018-07-01'&endDate='2018-07-30'"), &stores)
	z := json.Number("0")
	row := func(date string, week int, store *string) storeRow {
		return storeRow{Date: date, Week: week, Store: store, EarnedOrders: z, EarnedCoupons: z, EarnedBalance: z,
			Redeemed: z, Expired: z, ReversedCoupon: z, ReversedOrder: z}
	}
	var want []storeRow
	r := row("2018-07-12", 27, nil)
	r.RegisteredWeb, r.EarnedBalance, r.EarnedCoupons = 1, "5", "7"
	want = append(want, r)
	r = row("2018-07-12", 27, sp("CENTRO"))
	r.EarnedOrders = "30"
	want = append(want, r)
	r = row("2018-07-12", 27, sp("EL RECREO"))
	r.PreregisteredPos, r.EarnedCoupons, r.EarnedOrders, r.Redeemed = 2, "159.5", "100", "50"
	want = append(want, r)
	r = row("2018-07-20", 28, nil)
	r.Expired = "7"
	want = append(want, r)
	r = row("2018-07-20", 28, sp("CENTRO"))
	r.EarnedCoupons, r.ReversedCoupon, r.Redeemed = "20", "20", "10"
	want = append(want, r)
	r = row("2018-07-20", 28, sp("EL RECREO"))
	r.ReversedOrder, r.SubscribedAfterPos, r.RegisteredApp, r.Referrals = "100", 1, 1, 1
	want = append(want, r)
	if !reflect.DeepEqual(stores, want) {
		gotJSON, _ := json.MarshalIndent(stores, "", " ")
		wantJSON, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("stores report:\ngot  %s\nwant %s", gotJSON, wantJSON)
	}

	var products []productRow
	wantOK(t, c.get("/api/report/dailySummary/products?startDate=2018-07-01&endDate=2018-07-30"), &products)
	wantProducts := []productRow{
		{Date: "2018-07-12", Week: 27, Store: sp("CENTRO"), Product: "3109", Orders: 1, Products: 2, Redeemed: z, EarnedOrders: "20", EarnedCoupons: z, EarnedBalance: z},
		{Date: "2018-07-12", Week: 27, Store: sp("CENTRO"), Product: "3110", Orders: 1, Products: 1, Redeemed: z, EarnedOrders: "10", EarnedCoupons: z, EarnedBalance: z},
		{Date: "2018-07-20", Week: 28, Store: sp("CENTRO"), Product: "3109", Orders: 1, Products: 3, Redeemed: "10", EarnedOrders: z, EarnedCoupons: z, EarnedBalance: z, RedeemedQty: 3},
	}
	if !reflect.DeepEqual(products, wantProducts) {
		gotJSON, _ := json.MarshalIndent(products, "", " ")
		t.Fatalf("products report:\ngot  %s\nwant %+v", gotJSON, wantProducts)
	}

	var oneDay []storeRow
	wantOK(t, c.get("/api/report/dailySummary/stores?startDate=2018-07-13&endDate=2018-07-19"), &oneDay)
	if len(oneDay) != 0 {
		t.Fatalf("got %d rows between the two days, want none (07-12 23:30 is 07-12 in Mexico City)", len(oneDay))
	}
}
