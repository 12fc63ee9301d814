package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// generate writes the benchmark merchant's year (2025, Mexico City time)
// with INSERT ... SELECT generate_series, and the rollups as the posting
// path would have maintained them (aggregated from the same rows, spread
// over the same shards). Expiries (1 in 100 transactions) are real
// postings to the merchant's expired account, which the stores report
// reads from the ledger.
func generate(ctx context.Context, st *store.Store) (int64, error) {
	m, err := st.CreateMerchant(ctx, "reportbench", "America/Mexico_City")
	if err != nil {
		return 0, err
	}
	id := m.ID
	steps := []struct{ name, sql string }{
		{"stores", `INSERT INTO stores (merchant_id, external_id, name)
			SELECT $1, 'S' || g, 'TIENDA ' || lpad(g::text, 2, '0') FROM generate_series(1, ` + itoa(stores) + `) g`},
		{"customers", `INSERT INTO customers (merchant_id, external_id, name, created_store_id, created_at, created_day)
			SELECT $1, 'c' || g, 'Cliente ' || g, (SELECT min(id) FROM stores WHERE merchant_id = $1) + g % ` + itoa(stores) + `,
				ts, (ts AT TIME ZONE 'America/Mexico_City')::date
			FROM generate_series(1, ` + itoa(customers) + `) g,
				LATERAL (SELECT timestamptz '2025-01-01 06:00:00+00' + (g::float8 / ` + itoa(customers) + `) * interval '365 days' AS ts) t`},
		{"accounts", `INSERT INTO ledger_accounts (merchant_id, owner_kind, owner_id, unit)
			SELECT $1, 'customer', id, 1 FROM customers WHERE merchant_id = $1 ORDER BY id`},
		{"transactions", `INSERT INTO ledger_transactions (merchant_id, type, code, title, store_id, created_at)
			SELECT $1, ty, CASE WHEN ty = 'POINTS EXPIRED' THEN NULL ELSE 'b' || g END, '',
				CASE WHEN ty = 'POINTS EXPIRED' THEN NULL ELSE (SELECT min(id) FROM stores WHERE merchant_id = $1) + (g::bigint * 7919) % ` + itoa(stores) + ` END,
				timestamptz '2025-01-01 06:00:00+00' + (g::float8 / ` + itoa(transactions) + `) * interval '365 days'
			FROM generate_series(1, ` + itoa(transactions) + `) g,
				LATERAL (SELECT CASE WHEN g % 100 = 0 THEN 'POINTS EXPIRED'
					ELSE (ARRAY['POINTS ORDER', 'POINTS ORDER', 'POINTS ORDER', 'POINTS ORDER', 'POINTS COUPON',
						'POINTS BALANCE', 'POINTS REDEEM', 'POINTS REDEEM', 'BALANCE RELOAD', 'BALANCE PAYMENT'])[1 + (g::bigint * 13) % 10] END AS ty) t`},
		{"postings", `INSERT INTO ledger_postings (merchant_id, tx_id, n, from_account, to_account, unit, amount)
			SELECT t.merchant_id, t.id, 1,
				CASE WHEN t.type IN ('POINTS REDEEM', 'BALANCE PAYMENT', 'POINTS EXPIRED') THEN {first} + t.id % ` + itoa(customers) + ` ELSE {issued} END,
				CASE WHEN t.type IN ('POINTS REDEEM', 'BALANCE PAYMENT') THEN {redeemed}
					WHEN t.type = 'POINTS EXPIRED' THEN {expired} ELSE {first} + t.id % ` + itoa(customers) + ` END,
				1, 100 + t.id % 5000
			FROM ledger_transactions t WHERE t.merchant_id = $1`},
		{"store rollup", `INSERT INTO report_store_daily (merchant_id, day, store_id, shard, point_earned_orders, point_earned_coupons,
				point_earned_balance, point_redeemed)
			SELECT $1, (t.created_at AT TIME ZONE 'America/Mexico_City')::date, t.store_id, (t.id % 4)::smallint,
				coalesce(sum(p.amount) FILTER (WHERE t.type = 'POINTS ORDER'), 0), coalesce(sum(p.amount) FILTER (WHERE t.type = 'POINTS COUPON'), 0),
				coalesce(sum(p.amount) FILTER (WHERE t.type = 'POINTS BALANCE'), 0), coalesce(sum(p.amount) FILTER (WHERE t.type = 'POINTS REDEEM'), 0)
			FROM ledger_transactions t JOIN ledger_postings p ON p.merchant_id = t.merchant_id AND p.tx_id = t.id
			WHERE t.merchant_id = $1 AND t.store_id IS NOT NULL
			GROUP BY 2, 3, 4`},
		{"registrations", `INSERT INTO report_store_daily AS r (merchant_id, day, store_id, shard, preregistered_pos)
			SELECT $1, created_day, created_store_id, (id % 4)::smallint, count(*) FROM customers WHERE merchant_id = $1
			GROUP BY 2, 3, 4
			ON CONFLICT (merchant_id, day, store_id, shard) DO UPDATE SET preregistered_pos = r.preregistered_pos + excluded.preregistered_pos`},
		{"product rollup", `INSERT INTO report_product_daily (merchant_id, day, store_id, product_code, shard, num_orders, num_products,
				num_redeemed, point_redeemed, point_earned_orders)
			SELECT $1, (t.created_at AT TIME ZONE 'America/Mexico_City')::date, t.store_id, l.product, (t.id % 4)::smallint,
				count(*), sum(l.qty), coalesce(sum(l.qty) FILTER (WHERE t.type = 'POINTS REDEEM'), 0),
				coalesce(sum(l.points) FILTER (WHERE t.type = 'POINTS REDEEM'), 0),
				coalesce(sum(l.points) FILTER (WHERE t.type = 'POINTS ORDER'), 0)
			FROM ledger_transactions t,
				LATERAL (VALUES ((t.id % ` + itoa(products) + `)::text, 1 + t.id % 3, 10 + t.id % 50),
					(((t.id * 31) % ` + itoa(products) + `)::text, 1, 5 + t.id % 20)) AS l(product, qty, points)
			WHERE t.merchant_id = $1 AND t.type IN ('POINTS ORDER', 'POINTS REDEEM') AND t.id % 2 = 0
			GROUP BY 2, 3, 4, 5`},
	}
	// Each step commits and the big tables are analyzed at once: foreign-key
	// checks planned against a table the planner still thinks empty would
	// scan it per row. A failed run leaves a merchant without product
	// rollups, which the next run ignores.
	tx := st.Pool()
	err = func() error {
		ids := map[string]int64{}
		for _, s := range steps {
			start := time.Now()
			sql := s.sql
			for k, v := range ids {
				sql = strings.ReplaceAll(sql, "{"+k+"}", strconv.FormatInt(v, 10))
			}
			if _, err := tx.Exec(ctx, sql, id); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			if _, err := tx.Exec(ctx, `ANALYZE`); err != nil {
				return err
			}
			fmt.Printf("  %-22s %s\n", s.name, time.Since(start).Round(10*time.Millisecond))
			if s.name == "accounts" {
				// Constants of the later statements, read once rather than per row.
				var first, issued, redeemed, expired int64
				if err := tx.QueryRow(ctx, `SELECT
					(SELECT min(id) FROM ledger_accounts WHERE merchant_id = $1 AND owner_kind = 'customer'),
					(SELECT id FROM ledger_accounts WHERE merchant_id = $1 AND owner_kind = 'system' AND owner_id = 1 AND unit = 1),
					(SELECT id FROM ledger_accounts WHERE merchant_id = $1 AND owner_kind = 'system' AND owner_id = 2 AND unit = 1),
					(SELECT id FROM ledger_accounts WHERE merchant_id = $1 AND owner_kind = 'system' AND owner_id = 3 AND unit = 1)`,
					id).Scan(&first, &issued, &redeemed, &expired); err != nil {
					return fmt.Errorf("account ids: %w", err)
				}
				ids["first"], ids["issued"], ids["redeemed"], ids["expired"] = first, issued, redeemed, expired
			}
		}
		return nil
	}()
	return id, err
}

func itoa(n int) string { return fmt.Sprint(n) }
