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
// (inclusive) from the rollup, ordered by day then store name.
func (s *Store) StoreDailySummary(ctx context.Context, merchantID int64, from, to time.Time) ([]StoreDay, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.day, st.name, sum(preregistered_pos), sum(subscribed_after_pos), sum(registered_app),
			sum(registered_web), sum(referrals), sum(point_earned_orders), sum(point_earned_coupons),
			sum(point_earned_balance), sum(point_redeemed), sum(point_expired), sum(point_reversed_coupon),
			sum(point_reversed_order)
		FROM report_store_daily r
		LEFT JOIN stores st ON st.merchant_id = r.merchant_id AND st.id = r.store_id
		WHERE r.merchant_id = $1 AND r.day BETWEEN $2 AND $3
		GROUP BY r.day, r.store_id, st.name
		ORDER BY r.day, st.name NULLS FIRST, r.store_id`, merchantID, from, to)
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
		SELECT r.day, st.name, r.product_code, sum(num_orders), sum(num_products), sum(num_redeemed),
			sum(point_redeemed), sum(point_earned_orders), sum(point_earned_coupons), sum(point_earned_balance)
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
