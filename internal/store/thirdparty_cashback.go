package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// An order at a shop linked to a wallet earns that wallet's cashback for the
// customer's phone, in the order's own transaction. The customer's phone is
// the key to the wallet: the agenda contact with that phone is enrolled in
// the wallet if it is not yet (created if the merchant has none), and the
// cashback is an earn through the ledger to that wallet member.
//
// The order is recorded either way; it earns nothing (cashback 0.00, no
// wallet) when the wallet is disabled or its cashback rounds to 0.00, when
// the customer has no phone or one that is not a Mexican 10-digit number
// (optionally +52 / 521), when the phone is blacklisted or its contact
// disabled, or when a new contact would exceed the merchant's contact quota.
// Refusing the order instead would lose the sale record for a fault of
// loyalty data, which the shop cannot fix through this API.

// orderTxType is the ledger transaction type of a third-party order's cashback.
const orderTxType = "THIRDPARTY ORDER"

// orderEarning is what earnOrderCashback needs of the order.
type orderEarning struct {
	id, storeID int64
	code        string
	amount      ledger.Amount
	customer    lockedCustomer
}

// earnOrderCashback earns the cashback of wallet walletID for the order and
// records it on the order row. It posts nothing when the order earns nothing.
func (s *Store) earnOrderCashback(ctx context.Context, tx pgx.Tx, merchantID, walletID int64, o orderEarning, now time.Time) error {
	var percent ledger.Amount
	var ttlDays int
	var enabled bool
	var timezone string
	err := tx.QueryRow(ctx, `SELECT w.cashback_percent, w.points_ttl_days, w.enabled, m.timezone
		FROM wallets w JOIN merchants m ON m.id = w.merchant_id WHERE w.merchant_id = $1 AND w.id = $2`,
		merchantID, walletID).Scan(&percent, &ttlDays, &enabled, &timezone)
	if err != nil {
		return err
	}
	cashback := ledger.Percent(o.amount, int64(percent))
	phone, ok := agendaPhone(o.customer.phone)
	if !enabled || !cashback.Positive() || !ok {
		return nil
	}
	contactID, ok, err := orderContact(ctx, tx, merchantID, phone, o.customer, now)
	if err != nil || !ok {
		return err
	}
	var memberID int64
	// DO UPDATE (a no-op) rather than DO NOTHING: it returns the row even
	// when a concurrent order enrolled the same contact a moment before.
	err = tx.QueryRow(ctx, `INSERT INTO wallet_members (merchant_id, wallet_id, contact_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (merchant_id, wallet_id, contact_id) DO UPDATE SET contact_id = EXCLUDED.contact_id RETURNING id`,
		merchantID, walletID, contactID, now).Scan(&memberID)
	if err != nil {
		return err
	}
	info := TxInfo{
		Type: orderTxType, Code: o.code, IdemScope: "thirdparty:order", IdemKey: o.code,
		Title: "Orden " + o.code, ExternalEntityID: o.code, StoreID: o.storeID, Purchase: o.amount,
	}
	owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: memberID}
	if _, err := s.earn(ctx, tx, merchantID, info, owner, ledger.Points, cashback, orderBatch(timezone, ttlDays, now)); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE thirdparty_orders SET wallet_id = $3, cashback = $4 WHERE merchant_id = $1 AND id = $2`,
		merchantID, o.id, walletID, cashback)
	return err
}

// orderContact finds or creates the agenda contact of phone; ok is false
// when the phone may not earn (blacklisted, disabled, over the quota).
// Creating takes the merchant row's lock so that two orders cannot both
// pass the quota with the last free place.
func orderContact(ctx context.Context, tx pgx.Tx, merchantID int64, phone string, c lockedCustomer, now time.Time) (id int64, ok bool, err error) {
	var blacklisted bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blacklist WHERE merchant_id = $1 AND phone = $2)`,
		merchantID, phone).Scan(&blacklisted); err != nil || blacklisted {
		return 0, false, err
	}
	var disabled bool
	err = tx.QueryRow(ctx, `SELECT id, disabled FROM contacts WHERE merchant_id = $1 AND phone = $2`, merchantID, phone).Scan(&id, &disabled)
	if err == nil {
		return id, !disabled, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, err
	}
	var quota *int64
	if err := tx.QueryRow(ctx, `SELECT contact_quota FROM merchants WHERE id = $1 FOR UPDATE`, merchantID).Scan(&quota); err != nil {
		return 0, false, err
	}
	if quota != nil {
		var n int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM contacts WHERE merchant_id = $1`, merchantID).Scan(&n); err != nil || n >= *quota {
			return 0, false, err
		}
	}
	// As for members, DO UPDATE returns a contact a concurrent order created.
	name := strings.TrimSpace(c.name + " " + c.lastname)
	err = tx.QueryRow(ctx, `INSERT INTO contacts (merchant_id, phone, name, email, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (merchant_id, phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id, disabled`,
		merchantID, phone, name, c.email, now).Scan(&id, &disabled)
	return id, err == nil && !disabled, err
}

// agendaPhone turns a customer's phone as given ("+52 33 1234 5678",
// "(33) 1234-5678", "5213312345678") into the agenda's 10 digits.
func agendaPhone(p *string) (string, bool) {
	if p == nil {
		return "", false
	}
	var b strings.Builder
	for _, r := range *p {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" +-().", r):
		default:
			return "", false
		}
	}
	d := b.String()
	switch {
	case len(d) == 10:
	case len(d) == 12 && strings.HasPrefix(d, "52"):
		d = d[2:]
	case len(d) == 13 && strings.HasPrefix(d, "521"):
		d = d[3:]
	default:
		return "", false
	}
	if d[0] == '0' {
		return "", false // no Mexican number starts with 0
	}
	return d, true
}

// orderBatch is the batch a wallet credit goes to: none (never expires)
// without a points lifetime; otherwise the one expiring at the start of the
// merchant's day ttlDays+1 days from now, so points live at least ttlDays
// full days and one day's credits share a batch (the rule of wallet sales).
func orderBatch(timezone string, ttlDays int, now time.Time) *BatchSpec {
	if ttlDays <= 0 {
		return nil
	}
	loc := Merchant{Timezone: timezone}.Location()
	y, mo, d := now.In(loc).Date()
	return &BatchSpec{SetName: "MONEDERO", ExpiresAt: time.Date(y, mo, d+ttlDays+1, 0, 0, 0, 0, loc)}
}
