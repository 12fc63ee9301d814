package store

import (
	"context"
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

// StoreDay is one row of the stores report: a (local day, store) with activity.
type StoreDay struct {
	Day                                                                           time.Time
	Store                                                                         *string // nil: activity without a store
	PreregisteredPos, SubscribedAfterPos, RegisteredApp, RegisteredWeb, Referrals int64
	EarnedOrders, EarnedCoupons, EarnedBalance, Redeemed, Expired                 ledger.Amount
	ReversedCoupon, ReversedOrder                                                 ledger.Amount
}

// StoreDailySummary reads the stores report between two local days
// (inclusive), ordered by day then store name. Everything but pointExpired
// comes from the rollup the posting transactions maintain; pointExpired is
// read from the ledger (the expiry job's postings from customers to the
// merchant's expired account, a few per batch), through the postings index
// narrowed to the transaction ids of the range.
func (s *Store) StoreDailySummary(ctx context.Context, merchantID int64, from, to time.Time) ([]StoreDay, error) {
	loc, err := s.merchantZone(ctx, s.pool, merchantID)
	if err != nil {
		return nil, err
	}
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	end := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	rows, err := s.pool.Query(ctx, `
		WITH ids AS (
			-- transaction ids are assigned in time order give or take a commit; an hour of margin covers that
			SELECT coalesce((SELECT id FROM ledger_transactions WHERE merchant_id = $1 AND created_at >= $4::timestamptz - interval '1 hour'
					ORDER BY created_at LIMIT 1), 0) AS lo,
				coalesce((SELECT id FROM ledger_transactions WHERE merchant_id = $1 AND created_at < $5::timestamptz + interval '1 hour'
					ORDER BY created_at DESC LIMIT 1), 0) AS hi
		), expired AS (
			SELECT (t.created_at AT TIME ZONE $6)::date AS day, 0::bigint AS store_id, sum(p.amount)::bigint AS amount
			FROM ids, ledger_accounts sa
			JOIN ledger_postings p ON p.merchant_id = sa.merchant_id AND p.to_account = sa.id
			JOIN ledger_accounts f ON f.merchant_id = p.merchant_id AND f.id = p.from_account AND f.owner_kind = 'customer'
			JOIN ledger_transactions t ON t.merchant_id = p.merchant_id AND t.id = p.tx_id
			WHERE sa.merchant_id = $1 AND sa.owner_kind = 'system' AND sa.owner_id = $7 AND sa.unit = $8 AND sa.batch_id IS NULL
			AND p.tx_id BETWEEN ids.lo AND ids.hi AND t.created_at >= $4 AND t.created_at < $5
			GROUP BY 1
		), rows AS (
			SELECT day, store_id, preregistered_pos, subscribed_after_pos, registered_app, registered_web, referrals,
				point_earned_orders, point_earned_coupons, point_earned_balance, point_redeemed, point_expired,
				point_reversed_coupon, point_reversed_order
			FROM report_store_daily WHERE merchant_id = $1 AND day BETWEEN $2 AND $3
			UNION ALL
			SELECT day, store_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, amount, 0, 0 FROM expired
		)
		SELECT r.day, st.name, sum(preregistered_pos)::bigint, sum(subscribed_after_pos)::bigint, sum(registered_app)::bigint,
			sum(registered_web)::bigint, sum(referrals)::bigint, sum(point_earned_orders)::bigint, sum(point_earned_coupons)::bigint,
			sum(point_earned_balance)::bigint, sum(point_redeemed)::bigint, sum(point_expired)::bigint,
			sum(point_reversed_coupon)::bigint, sum(point_reversed_order)::bigint
		FROM rows r
		LEFT JOIN stores st ON st.merchant_id = $1 AND st.id = r.store_id
		GROUP BY r.day, r.store_id, st.name
		ORDER BY r.day, st.name NULLS FIRST, r.store_id`,
		merchantID, from, to, start, end, loc.String(), ledger.SystemExpired, int16(ledger.Points))
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := []StoreDay{}
	for rows.Next() {
		var d StoreDay
		if err := rows.Scan(&d.Day, &d.Store, &d.PreregisteredPos, &d.SubscribedAfterPos, &d.RegisteredApp,
			&d.RegisteredWeb, &d.Referrals, &d.EarnedOrders, &d.EarnedCoupons, &d.EarnedBalance, &d.Redeemed,
			&d.Expired, &d.ReversedCoupon, &d.ReversedOrder); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}

// ProductDay is one row of the products report: a (local day, store, product).
type ProductDay struct {
	Day                                                  time.Time
	Store                                                *string
	Product                                              string
	Orders, Products, RedeemedQty                        int64
	Redeemed, EarnedOrders, EarnedCoupons, EarnedBalance ledger.Amount
}

// ProductDailySummary reads the products report between two local days.
func (s *Store) ProductDailySummary(ctx context.Context, merchantID int64, from, to time.Time) ([]ProductDay, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.day, st.name, r.product_code, sum(num_orders)::bigint, sum(num_products)::bigint, sum(num_redeemed)::bigint,
			sum(point_redeemed)::bigint, sum(point_earned_orders)::bigint, sum(point_earned_coupons)::bigint, sum(point_earned_balance)::bigint
		FROM report_product_daily r
		LEFT JOIN stores st ON st.merchant_id = r.merchant_id AND st.id = r.store_id
		WHERE r.merchant_id = $1 AND r.day BETWEEN $2 AND $3
		GROUP BY r.day, r.store_id, st.name, r.product_code
		ORDER BY r.day, st.name NULLS FIRST, r.store_id, r.product_code`, merchantID, from, to)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := []ProductDay{}
	for rows.Next() {
		var d ProductDay
		if err := rows.Scan(&d.Day, &d.Store, &d.Product, &d.Orders, &d.Products, &d.RedeemedQty,
			&d.Redeemed, &d.EarnedOrders, &d.EarnedCoupons, &d.EarnedBalance); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}
