package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
)

// The growth measurement (item 4 of the bench issue): history and reports
// must not slow down as the ledger grows. It fills the bench merchant's
// ledger with SQL (generate_series) up to each target number of postings,
// spread over the past year and over fillerAccounts holders, keeping the
// ledger consistent (holder balances = their postings, the report rollup
// fed by the same rows), then times the read endpoints at that size.

const fillerAccounts = 100_000

// growthRow is the latency of one endpoint at one ledger size.
type growthRow struct {
	Postings int64   `json:"postings"`
	Endpoint string  `json:"endpoint"`
	P50ms    float64 `json:"p50_ms"`
	P95ms    float64 `json:"p95_ms"`
}

// fillLedger adds filler postings until the merchant has target postings.
func fillLedger(ctx context.Context, conn *pgx.Conn, merchantID string, target int64) (int64, error) {
	mid, err := strconv.ParseInt(merchantID, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("merchant id %q: %w", merchantID, err)
	}
	var have int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM ledger_postings WHERE merchant_id = $1", mid).Scan(&have); err != nil {
		return 0, err
	}
	if have >= target {
		return have, nil
	}
	// Holders the filler credits: accounts of customers that exist only in
	// the ledger (owner ids far above any real customer's).
	if _, err := conn.Exec(ctx, `
		INSERT INTO ledger_accounts (merchant_id, owner_kind, owner_id, unit)
		SELECT $1, 'customer', 1000000000000 + g, 1 FROM generate_series(1, $2) g
		ON CONFLICT DO NOTHING`, mid, fillerAccounts); err != nil {
		return 0, fmt.Errorf("filler accounts: %w", err)
	}
	const chunk = 250_000
	for have < target {
		n := min(chunk, target-have)
		// One statement per chunk: the transactions, their postings from the
		// merchant's issued account, the holders' balances and the stores
		// rollup (store 0 = no store), as the posting path would leave them.
		_, err := conn.Exec(ctx, `
			WITH acc AS MATERIALIZED (
				SELECT array_agg(id ORDER BY id) AS ids FROM ledger_accounts
				WHERE merchant_id = $1 AND owner_kind = 'customer' AND owner_id > 1000000000000 AND unit = 1
			), iss AS MATERIALIZED (
				SELECT id FROM ledger_accounts WHERE merchant_id = $1 AND owner_kind = 'system' AND owner_id = 1 AND unit = 1
			), t AS (
				INSERT INTO ledger_transactions (merchant_id, type, title, description, amount, created_at)
				SELECT $1, 'POINTS ORDER', 'Orden', 'bench fill', 10000, now() - random() * interval '365 days'
				FROM generate_series(1, $2)
				RETURNING id, created_at
			), p AS (
				INSERT INTO ledger_postings (merchant_id, tx_id, n, from_account, to_account, unit, amount)
				SELECT $1, t.id, 1, iss.id, acc.ids[1 + (t.id % array_length(acc.ids, 1))], 1, 500
				FROM t, acc, iss
				RETURNING to_account, amount
			), b AS (
				UPDATE ledger_accounts a SET balance = a.balance + s.amt
				FROM (SELECT to_account, sum(amount) AS amt FROM p GROUP BY 1) s
				WHERE a.merchant_id = $1 AND a.id = s.to_account
			)
			INSERT INTO report_store_daily AS r (merchant_id, day, store_id, shard, point_earned_orders)
			SELECT $1, (t.created_at AT TIME ZONE m.timezone)::date, 0, 0, count(*) * 500
			FROM t, merchants m WHERE m.id = $1
			GROUP BY 2
			ON CONFLICT (merchant_id, day, store_id, shard) DO UPDATE
				SET point_earned_orders = r.point_earned_orders + excluded.point_earned_orders`, mid, n)
		if err != nil {
			return have, fmt.Errorf("filling the ledger: %w", err)
		}
		have += n
		fmt.Printf("  ledger of merchant %d: %d postings\n", mid, have)
	}
	if _, err := conn.Exec(ctx, "ANALYZE ledger_transactions, ledger_postings, ledger_accounts, report_store_daily"); err != nil {
		return have, err
	}
	return have, nil
}

// measureReads times the history and report endpoints sequentially (one
// request at a time, so the figure is the query's, not the queue's).
func measureReads(ctx context.Context, c *client, f *fixture, postings int64, n int) ([]growthRow, error) {
	today := time.Now().Format("2006-01-02")
	ago := func(days int) string { return time.Now().AddDate(0, 0, -days).Format("2006-01-02") }
	endpoints := []struct{ name, path string }{
		{"history (a contact's page 1)", "/api/transaction/history?customerId=" + customerID(1)},
		{"history (page 2)", "/api/transaction/history?customerId=" + customerID(2) + "&page=2"},
		{"stores report, 31 days", "/api/report/dailySummary/stores?startDate=" + ago(30) + "&endDate=" + today},
		{"stores report, 366 days", "/api/report/dailySummary/stores?startDate=" + ago(365) + "&endDate=" + today},
		{"products report, 366 days", "/api/report/dailySummary/products?startDate=" + ago(365) + "&endDate=" + today},
	}
	hdr := http.Header{"Authorization": {"Bearer " + f.Token}}
	var out []growthRow
	var buf bytes.Buffer
	for _, e := range endpoints {
		var h histogram
		for i := 0; i < n; i++ {
			t0 := time.Now()
			status, body, err := c.do(ctx, "GET", e.path, hdr, nil, &buf)
			if err != nil || status != 200 {
				return nil, fmt.Errorf("GET %s: HTTP %d %v: %s", e.path, status, err, clip(body))
			}
			h.record(time.Since(t0))
		}
		out = append(out, growthRow{Postings: postings, Endpoint: e.name, P50ms: ms(h.quantile(.5)), P95ms: ms(h.quantile(.95))})
	}
	return out, nil
}

// growth runs the fill-and-measure steps for each size.
func growth(ctx context.Context, c *client, f *fixture, sizes string) ([]growthRow, error) {
	dbURL := os.Getenv("DATABASE_URL")
	if dbURL == "" {
		return nil, fmt.Errorf("-grow needs DATABASE_URL (the server's database) to fill the ledger")
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	var rows []growthRow
	for _, s := range strings.Split(sizes, ",") {
		target, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || target < 1 {
			return nil, fmt.Errorf("-grow: %q is not a number of postings", s)
		}
		t0 := time.Now()
		have, err := fillLedger(ctx, conn, f.MerchantID, int64(target))
		if err != nil {
			return rows, err
		}
		fmt.Printf("ledger at %d postings (filled in %s); timing reads ...\n", have, time.Since(t0).Round(time.Second))
		r, err := measureReads(ctx, c, f, have, 100)
		if err != nil {
			return rows, err
		}
		rows = append(rows, r...)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\npostings\tendpoint\tp50 ms\tp95 ms\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%.2f\t%.2f\t\n", r.Postings, r.Endpoint, r.P50ms, r.P95ms)
	}
	tw.Flush()
	return rows, nil
}
