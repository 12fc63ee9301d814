// Command reportbench measures the JSON API's daily reports over a year of a
// busy merchant: it generates, once and in SQL, 1,000,000 ledger
// transactions with their postings, 50,000 customers, 20 stores, 100
// products and the report rollups those transactions would have left, then
// times a month of both reports (and a whole year of the stores report).
//
//	make reportbench                       # a durable cluster in .data/bench, database puntos_reports
//	DATABASE_URL=postgres://... reportbench
//
// The data is generated only when no complete "reportbench" merchant
// exists, so a second run only measures.
package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/puntos/puntos/internal/store"
)

const (
	transactions = 1_000_000
	customers    = 50_000
	stores       = 20
	products     = 100
	runs         = 7
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "reportbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return fmt.Errorf("DATABASE_URL is not set (use make reportbench)")
	}
	m, err := store.NewMigrator(url)
	if err != nil {
		return err
	}
	if err := m.Up(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	_ = m.Close()
	pool, err := store.Open(ctx, url, 4)
	if err != nil {
		return err
	}
	defer pool.Close()
	st := store.New(pool, nil)

	var merchantID int64
	err = pool.QueryRow(ctx, `SELECT id FROM merchants m WHERE name = 'reportbench'
		AND EXISTS (SELECT 1 FROM report_product_daily r WHERE r.merchant_id = m.id) ORDER BY id DESC LIMIT 1`).Scan(&merchantID)
	if err != nil {
		start := time.Now()
		if merchantID, err = generate(ctx, st); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		fmt.Printf("generated %d transactions in %s\n", transactions, time.Since(start).Round(time.Second))
	}
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM ledger_transactions WHERE merchant_id = $1`, merchantID).Scan(&n); err != nil {
		return err
	}
	fmt.Printf("merchant %d: %d ledger transactions\n", merchantID, n)

	month := [2]time.Time{date(2025, 6, 1), date(2025, 6, 30)}
	year := [2]time.Time{date(2025, 1, 1), date(2025, 12, 31)}
	measure("stores report, one month", func() (int, error) {
		rows, err := st.StoreDailySummary(ctx, merchantID, month[0], month[1])
		return len(rows), err
	})
	measure("products report, one month", func() (int, error) {
		rows, err := st.ProductDailySummary(ctx, merchantID, month[0], month[1])
		return len(rows), err
	})
	measure("stores report, whole year", func() (int, error) {
		rows, err := st.StoreDailySummary(ctx, merchantID, year[0], year[1])
		return len(rows), err
	})
	return nil
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// measure runs f once to warm the cache, then runs times, and prints the
// minimum, median and maximum.
func measure(name string, f func() (int, error)) {
	var rows int
	var err error
	if rows, err = f(); err != nil {
		fmt.Printf("%s: %v\n", name, err)
		return
	}
	var ds []time.Duration
	for i := 0; i < runs; i++ {
		start := time.Now()
		if _, err := f(); err != nil {
			fmt.Printf("%s: %v\n", name, err)
			return
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	fmt.Printf("%-28s %6d rows  min %7.1f ms  median %7.1f ms  max %7.1f ms  (%d runs)\n", name, rows,
		ms(ds[0]), ms(ds[len(ds)/2]), ms(ds[len(ds)-1]), runs)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
