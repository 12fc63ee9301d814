package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// storeDayCounts are the increments of one report_store_daily row.
type storeDayCounts struct {
	preregisteredPos, subscribedAfterPos, registeredApp, registeredWeb, referrals int64
	earnedOrders, earnedCoupons, earnedBalance, redeemed, expired                 int64
	reversedCoupon, reversedOrder                                                 int64
}

func (c storeDayCounts) zero() bool { return c == storeDayCounts{} }

// storeDaySQL adds counts to the rollup row of a (merchant, day, store,
// shard); its arguments are storeDayArgs.
const storeDaySQL = `
		INSERT INTO report_store_daily AS r (merchant_id, day, store_id, shard, preregistered_pos, subscribed_after_pos,
			registered_app, registered_web, referrals, point_earned_orders, point_earned_coupons, point_earned_balance,
			point_redeemed, point_expired, point_reversed_coupon, point_reversed_order)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (merchant_id, day, store_id, shard) DO UPDATE SET
			preregistered_pos = r.preregistered_pos + excluded.preregistered_pos,
			subscribed_after_pos = r.subscribed_after_pos + excluded.subscribed_after_pos,
			registered_app = r.registered_app + excluded.registered_app,
			registered_web = r.registered_web + excluded.registered_web,
			referrals = r.referrals + excluded.referrals,
			point_earned_orders = r.point_earned_orders + excluded.point_earned_orders,
			point_earned_coupons = r.point_earned_coupons + excluded.point_earned_coupons,
			point_earned_balance = r.point_earned_balance + excluded.point_earned_balance,
			point_redeemed = r.point_redeemed + excluded.point_redeemed,
			point_expired = r.point_expired + excluded.point_expired,
			point_reversed_coupon = r.point_reversed_coupon + excluded.point_reversed_coupon,
			point_reversed_order = r.point_reversed_order + excluded.point_reversed_order`

func storeDayArgs(tx pgx.Tx, merchantID int64, day time.Time, storeID int64, c storeDayCounts) []any {
	return []any{merchantID, day, storeID, rollupShard(tx), c.preregisteredPos, c.subscribedAfterPos,
		c.registeredApp, c.registeredWeb, c.referrals, c.earnedOrders, c.earnedCoupons, c.earnedBalance,
		c.redeemed, c.expired, c.reversedCoupon, c.reversedOrder}
}

// bumpStoreDay adds c to the merchant's rollup row of day and store (0 = none).
func bumpStoreDay(ctx context.Context, tx pgx.Tx, merchantID int64, day time.Time, storeID int64, c storeDayCounts) error {
	if c.zero() {
		return nil
	}
	_, err := tx.Exec(ctx, storeDaySQL, storeDayArgs(tx, merchantID, day, storeID, c)...)
	return interpretError(err)
}

// afterPosting records what a JSON API posting changes beyond the ledger,
// in one round trip: the stores report's counts c and, for points earned
// (earned > 0) or taken back by a reversal (earned < 0), the customer's
// daily earnings, with the merchant's tiers read alongside for the tier
// evaluation that follows (which asks again only if the merchant has tiers).
// view, when not nil, is read first in the same round trip: the write's
// answer costs no round trip of its own. last says these are the
// transaction's last statements and the merchant has no default tier (so no
// tier to evaluate): the commit rides with them (sendLast).
func afterPosting(ctx context.Context, tx pgx.Tx, merchantID int64, day time.Time, storeID int64, c storeDayCounts,
	customerID int64, earned ledger.Amount, earns bool, view *customerRead, last bool) error {
	b := &pgx.Batch{}
	if view != nil {
		view.queue(b)
	}
	if !c.zero() {
		b.Queue(storeDaySQL, storeDayArgs(tx, merchantID, day, storeID, c)...)
	}
	tiers := earns && !last
	if earns {
		b.Queue(earningSQL, merchantID, customerID, int16(ledger.Points), day, int64(earned))
	}
	if tiers {
		b.Queue(groupsSQL, merchantID)
	}
	if b.Len() == 0 {
		return nil
	}
	var br pgx.BatchResults
	if last {
		br = sendLast(ctx, tx, b)
	} else {
		br = tx.SendBatch(ctx, b)
	}
	defer br.Close()
	if view != nil {
		if err := view.read(br); err != nil {
			return err
		}
	}
	if !c.zero() {
		if _, err := br.Exec(); err != nil {
			return interpretError(err)
		}
	}
	if earns {
		if _, err := br.Exec(); err != nil {
			return interpretError(err)
		}
	}
	if !tiers {
		return interpretError(br.Close())
	}
	rows, err := br.Query()
	if err != nil {
		return interpretError(err)
	}
	groups, err := scanGroups(rows)
	if err != nil {
		return err
	}
	if err := br.Close(); err != nil {
		return interpretError(err)
	}
	return evaluateTier(ctx, tx, merchantID, customerID, day, groups)
}

// productDayCounts are the increments of one report_product_daily row.
type productDayCounts struct {
	orders, products, redeemedQty                         int64
	pointRedeemed, earnedOrders, earnedCoupons, earnedBal int64
}

// bumpProductDay adds c to the rollup row of day, store and product.
func bumpProductDay(ctx context.Context, tx pgx.Tx, merchantID int64, day time.Time, storeID int64, product string, c productDayCounts) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO report_product_daily AS r (merchant_id, day, store_id, product_code, shard, num_orders, num_products,
			num_redeemed, point_redeemed, point_earned_orders, point_earned_coupons, point_earned_balance)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (merchant_id, day, store_id, product_code, shard) DO UPDATE SET
			num_orders = r.num_orders + excluded.num_orders,
			num_products = r.num_products + excluded.num_products,
			num_redeemed = r.num_redeemed + excluded.num_redeemed,
			point_redeemed = r.point_redeemed + excluded.point_redeemed,
			point_earned_orders = r.point_earned_orders + excluded.point_earned_orders,
			point_earned_coupons = r.point_earned_coupons + excluded.point_earned_coupons,
			point_earned_balance = r.point_earned_balance + excluded.point_earned_balance`,
		merchantID, day, storeID, product, rollupShard(tx), c.orders, c.products, c.redeemedQty,
		c.pointRedeemed, c.earnedOrders, c.earnedCoupons, c.earnedBal)
	return interpretError(err)
}
